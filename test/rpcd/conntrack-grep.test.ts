/**
 * Counting a large conntrack table with grep (issue 17): from GREP_FROM_ENTRIES entries, stats and
 * status let `grep -o -F` (busybox's, as on a router, and GNU's) pass over /proc/net/nf_conntrack
 * instead of reading ~220 bytes per entry into QuickJS; the counts must equal the handler's own.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync, readFileSync, existsSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StatsResult, StatusResult } from '../../rpcd/src/api/contract';
import { countConntrack } from '../../rpcd/src/parse/conntrack';
import { generateTable } from '../sim/scenario/conntrack-gen';
import { scenario, call } from './scenario-calls';

const GREPS: [string, string][] = [
  ['busybox', '/bin/busybox grep'],
  ['GNU', '/usr/bin/grep'],
];

function withTable(entries: number, grep: string | null, exitWith?: number) {
  const t = scenario('mt7621-hardware');
  const text = generateTable({ seed: 5, entries, offloadedShare: 0.6, hardwareShare: 0.3 });
  writeFileSync(join(t.root, 'proc/net/nf_conntrack'), text);
  writeFileSync(join(t.root, 'proc/sys/net/netfilter/nf_conntrack_count'), `${entries}\n`);
  const log = join(t.root, 'grep.log');
  if (grep) {
    const body = exitWith === undefined ? `exec ${grep} "$@"` : `exit ${exitWith}`;
    // The root's bin/grep is a link to the host's grep: replace the link, never write through it.
    rmSync(join(t.root, 'bin/grep'), { force: true });
    writeFileSync(join(t.root, 'bin/grep'), `#!/bin/sh\necho "$*" >> ${log}\n${body}\n`);
    chmodSync(join(t.root, 'bin/grep'), 0o755);
  }
  return { t, want: countConntrack(text), ran: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}

describe('conntrack counting by grep', () => {
  it.each(GREPS)('%s grep: the counts of a 5000-entry table equal the handler\'s own, in stats and in status', (_n, grep) => {
    const { t, want, ran } = withTable(5000, grep);
    const s = call<StatsResult>(t, 'stats');
    expect(s.conntrack).toMatchObject({ count: 5000, scanned: want.total, offloaded: want.offloaded, hw_offloaded: want.hw_offloaded, source: 'proc', error: null });
    expect(want.hw_offloaded).toBeGreaterThan(100);
    const st = call<StatusResult>(t, 'status');
    expect(st.effective.flows).toEqual({ total: want.total, offloaded: want.offloaded, hw_offloaded: want.hw_offloaded, source: 'proc' });
    expect(ran()).toMatch(/^-o -F -e \[HW_OFFLOAD\] -e \[OFFLOAD\] \S+\/proc\/net\/nf_conntrack\n/);
  });

  it('below the threshold the table is read by the handler: no grep run', () => {
    const { t, want, ran } = withTable(2047, '/bin/busybox grep');
    expect(call<StatsResult>(t, 'stats').conntrack).toMatchObject({ scanned: want.total, offloaded: want.offloaded, hw_offloaded: want.hw_offloaded });
    expect(ran()).toBe('');
  });

  it('an empty table by grep (exit 1, no output) is zero flows, not an error', () => {
    const { t, ran } = withTable(2500, '/bin/busybox grep');
    writeFileSync(join(t.root, 'proc/net/nf_conntrack'), '');
    // The entries are the kernel's count (2500 here, the file emptied a moment later); none marked.
    expect(call<StatsResult>(t, 'stats').conntrack).toMatchObject({ scanned: 2500, offloaded: 0, hw_offloaded: 0, source: 'proc', error: null });
    expect(ran()).not.toBe('');
  });

  it('a grep that fails (exit 2) falls back to reading the table, with the same counts', () => {
    const { t, want, ran } = withTable(3000, '/bin/busybox grep', 2);
    expect(call<StatsResult>(t, 'stats').conntrack).toMatchObject({ scanned: want.total, offloaded: want.offloaded, hw_offloaded: want.hw_offloaded });
    expect(ran()).not.toBe('');
  });
});
