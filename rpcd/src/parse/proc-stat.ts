/**
 * Parser for `/proc/stat` CPU lines.
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */
import type { CpuTimes } from '../api/contract';

/** Column order of a `cpu` line in /proc/stat (the first eight; guest columns are already inside `user`/`nice`). */
const COLUMNS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

/** A trailing line cut by a short read must carry at least this many numbers to be trusted. */
const MIN_TRUNCATED_COLUMNS = 4;

/** One parsed `cpu` / `cpuN` line. */
export interface CpuLine {
  /** N of `cpuN`, or null for the aggregate `cpu` line. */
  id: number | null;
  times: CpuTimes;
  /** How many numeric columns the line had (before padding missing ones with 0). */
  columns: number;
}

/**
 * Parse one `/proc/stat` line if it is a `cpu` or `cpuN` line.
 *
 * Missing columns (old kernels print fewer than eight) are 0; extra columns
 * (guest, guest_nice) are ignored. Only the leading run of numeric columns counts.
 *
 * @returns the CPU id and times, or null when the line is not a CPU line or has no numbers.
 */
export function parseCpuLine(line: string): CpuLine | null {
  if (typeof line !== 'string') return null;
  const parts = line.trim().split(/\s+/);
  const label = parts[0] ?? '';
  if (label.slice(0, 3) !== 'cpu') return null;
  let id: number | null = null;
  if (label.length > 3) {
    const digits = label.slice(3);
    if (!/^\d{1,6}$/.test(digits)) return null;
    id = Number(digits);
  }
  const nums: number[] = [];
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i] as string;
    if (!/^\d{1,20}$/.test(p)) break;
    nums.push(Number(p));
  }
  if (nums.length === 0) return null;
  const times = {} as CpuTimes;
  COLUMNS.forEach((name, i) => {
    times[name] = nums[i] ?? 0;
  });
  return { id, times, columns: nums.length };
}

/**
 * Parse the CPU lines of `/proc/stat`.
 *
 * Works on a truncated read (rpcd's `file.read` returns at most 4096 bytes): a
 * last line without a terminating newline is dropped when it has fewer than four
 * numeric columns. Cores are returned sorted by N; offline CPUs leave no hole
 * (use {@link parseCpuLine} when the ids matter). A repeated `cpuN` keeps the first.
 *
 * @param text the file's content (any line endings)
 * @returns the aggregate line (`total`, null when absent) and the per-core lines
 */
export function parseProcStat(text: string): { total: CpuTimes | null; cores: CpuTimes[] } {
  let total: CpuTimes | null = null;
  const byId = new Map<number, CpuTimes>();
  const str = typeof text === 'string' ? text : '';
  let start = 0;
  while (start < str.length) {
    const nl = str.indexOf('\n', start);
    const complete = nl !== -1;
    const end = complete ? nl : str.length;
    if (str.startsWith('cpu', start)) {
      const parsed = parseCpuLine(str.slice(start, end));
      if (parsed && (complete || parsed.columns >= MIN_TRUNCATED_COLUMNS)) {
        if (parsed.id === null) {
          if (total === null) total = parsed.times;
        } else if (!byId.has(parsed.id)) {
          byId.set(parsed.id, parsed.times);
        }
      }
    }
    start = end + 1;
  }
  const ids = [...byId.keys()].sort((a, b) => a - b);
  return { total, cores: ids.map((id) => byId.get(id) as CpuTimes) };
}
