/**
 * The performance goals of `make bench` (issue 17), collected from the sections that measure them
 * and printed together at the end of docs/benchmarks.md: each with its measured figure, met or
 * missed, and — where missed — the measured reason and the next design step.
 */
export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
  /** Where missed: what the measurement shows, and what to try next. */
  why?: string;
  section: string;
}

const goals: Goal[] = [];

export function goal(g: Goal): void {
  goals.push(g);
}

export function goalsSection(say: (s?: string) => void, table: (head: string[], rows: string[][]) => void): void {
  say('## 9. The performance goals, from this run');
  say();
  if (!goals.length) {
    say('No goal was measured in this run.');
    say();
    return;
  }
  table(
    ['goal', 'measured', 'met', 'where missed: the measured reason, the next step', 'section'],
    goals.map((g) => [g.goal, g.measured, g.met ? 'met' : '**missed**', g.met ? '' : (g.why ?? ''), g.section]),
  );
  say('The panel\'s JS heap after one simulated hour of polling (goal: grows ≤ 1 MB) is a test, not a figure of this table: test/web/heap.test.ts.');
  say();
}
