/**
 * `make bench` §3b: the handler's peak RSS per call at 0/1k/16k/64k conntrack entries (issue 17:
 * `stats` ≤ 8 MB at 64k). Peak RSS is GNU time's %M (the kernel's ru_maxrss of the child), for
 * `stats`, `flows` and `diagnostics` against the empty-module floor, on a simulator root whose
 * table is generated as in §3.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTable } from '../../test/sim/scenario/conntrack-gen';
import { goal } from './goals';

type Say = (s?: string) => void;
type Table = (head: string[], rows: string[][]) => void;

/** Peak RSS in KB of one run (GNU time), the median of `runs`. */
function peakKb(argv: string[], input: string, env: Record<string, string>, runs: number): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', 'peak=%M', ...argv], { input, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    const m = /peak=(\d+)/.exec(r.stderr);
    if (!m) throw new Error(`no peak RSS from /usr/bin/time: ${r.stderr.slice(0, 200)}`);
    xs.push(Number(m[1]));
  }
  xs.sort((a, b) => a - b);
  return xs[xs.length >> 1] as number;
}

/** A simulator root with the empty-module floor script (bench.ts benchRoot). */
export interface BenchRoot {
  root: string;
  env: Record<string, string>;
  empty: string;
  cleanup: () => void;
}

export function memory(repo: string, qjs: string, handler: string, say: Say, table: Table, benchRoot: () => BenchRoot): void {
  say('## 3b. Handler memory: peak RSS per call (simulator root, conntrack table of N entries, ~60 % offloaded)');
  say();
  if (!existsSync('/usr/bin/time')) {
    try {
      execFileSync(join(repo, 'scripts/ensure-debs.sh'), ['time'], { stdio: 'inherit' });
    } catch {
      /* said below */
    }
  }
  if (!existsSync('/usr/bin/time')) {
    say('Not measured: GNU time (/usr/bin/time, Debian package `time`) is not installed.');
    say();
    return;
  }
  const { root, env, empty, cleanup } = benchRoot();
  const floor = peakKb([qjs, empty], '', {}, 5);
  const mb = (kb: number): string => (kb / 1024).toFixed(1);
  const rows: string[][] = [];
  let stats64k = 0;
  for (const n of [0, 1000, 16384, 65536]) {
    writeFileSync(join(root, 'proc/net/nf_conntrack'), generateTable({ seed: 42, entries: n, offloadedShare: 0.6, hardwareShare: 0 }));
    writeFileSync(join(root, 'proc/sys/net/netfilter/nf_conntrack_count'), `${n}\n`);
    const runs = n >= 16384 ? 3 : 5;
    const s = peakKb([qjs, handler, 'call', 'stats'], '{}', env, runs);
    const f = peakKb([qjs, handler, 'call', 'flows'], '{}', env, runs);
    const d = peakKb([qjs, handler, 'call', 'diagnostics'], '{}', env, runs);
    if (n === 65536) stats64k = s;
    rows.push([String(n), mb(s), mb(f), mb(d), mb(floor)]);
  }
  goal({ goal: '`stats` peak RSS ≤ 8 MB at 64k entries', measured: `${mb(stats64k)} MB`, met: stats64k / 1024 <= 8, why: 'the table read into QuickJS (grep counts it from 2048 entries)', section: '3b' });
  table(['entries', '`stats` peak RSS MB', '`flows` peak RSS MB', '`diagnostics` peak RSS MB', 'floor: empty qjs MB'], rows);
  say(
    `Goal: \`stats\` ≤ 8 MB at 64k entries: **${stats64k / 1024 <= 8 ? 'met' : 'missed'} (${mb(stats64k)} MB)** — from 2048 entries grep counts the table, so it never enters QuickJS. ` +
      '`flows` and `diagnostics` stream the table a line at a time and keep only the largest connections (read whole, a 64k table took 112.7 MB).',
  );
  say();
  cleanup();
}
