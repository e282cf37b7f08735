/** The method table: one entry per contract method. Every method returns a result object or an error object. */
import type { MethodName, Mode, ErrorResult } from '../api/contract';
import { status } from './status';
import { stats } from './stats';
import { statsSlow } from './stats-slow';
import { flows } from './flows';
import { diagnostics } from './diagnostics';
import { set, flush } from './apply';
import { readRuleset } from '../sys/ruleset';

function modeOf(r: ReturnType<typeof readRuleset>): Mode | null {
  if (!r.readable) return null;
  return r.flowtable && r.rule ? (r.flowtable.hw ? 'hardware' : 'software') : 'off';
}

const table: Record<MethodName, (args: Record<string, unknown>) => object> = {
  status: () => status(),
  stats: (a) => stats(a, statsSlow),
  flows: (a) => flows(a, () => modeOf(readRuleset())),
  diagnostics: (a) =>
    diagnostics(a, () => {
      // One `nft list table inet fw4` serves the state, the flows' "why not" and the excerpt.
      const r = readRuleset();
      return { status: status(r), stats: stats({ flows: true }, statsSlow), flows: flows({ limit: 5, mask: a.mask !== false }, () => modeOf(r)), ruleset: r.text };
    }),
  set: (a) => set(a as { mode: Mode }),
  flush: () => flush(),
};

/** For main.ts: the slow path of `stats`, compiled with this bundle only when a call needs it. */
export { statsSlow };

export function dispatch(method: MethodName, args: Record<string, unknown>): object | ErrorResult {
  return table[method](args);
}
