/**
 * `flows` on a large table within a small address space: the table is streamed a line at a time
 * and only the `limit` largest entries are kept (methods/flows.ts). Read whole and sorted, a
 * 64k-entry table (~14 MB of text) needed ~110 MB and ran out of memory under a 64 MB limit;
 * routers with 128 MB of RAM are common.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER, qjs } from '../helpers/qjs';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';
import { generateTable } from '../sim/scenario/conntrack-gen';
import { parseConntrackLine } from '../../rpcd/src/parse/conntrack';

const N = 65536;
let t: TestRoot;
let table: string;
beforeAll(() => {
  t = scenarioRoot('mt7621-software');
  table = generateTable({ seed: 7, entries: N, offloadedShare: 0.6, hardwareShare: 0.1 });
  writeFileSync(join(t.root, 'proc/net/nf_conntrack'), table);
  writeFileSync(join(t.root, 'proc/sys/net/netfilter/nf_conntrack_count'), `${N}\n`);
});
afterAll(() => t?.cleanup());

/** The handler under an address-space limit (prlimit --as, util-linux), as a small router's memory. */
function flowsWithin(mb: number, args: object): Record<string, unknown> {
  const r = spawnSync('prlimit', [`--as=${mb * 1024 * 1024}`, qjs(), HANDLER, 'call', 'flows'], {
    input: JSON.stringify(args),
    env: { PATH: process.env.PATH, OFFLOAD_ROOT: t.root },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('flows at 64k conntrack entries', () => {
  it('answers within a 32 MB address space, with the largest flows and the whole table counted', () => {
    const r = flowsWithin(32, { limit: 20, mask: false }) as { flows: { bytes: number; sport: number; src: string }[]; total: number; offloaded: number; hw_offloaded: number; error: unknown };
    expect(r.error ?? null).toBeNull();
    expect(r.total).toBe(N);
    // the same as sorting every entry (stable, by bytes, largest first)
    const all = table.split('\n').map((l) => parseConntrackLine(l)).filter((e) => e !== null);
    const want = [...all].sort((a, b) => b.bytes - a.bytes).slice(0, 20);
    expect(r.flows.map((f) => [f.bytes, f.src, f.sport])).toEqual(want.map((e) => [e.bytes, e.orig.src, e.orig.sport]));
    expect(r.offloaded).toBe(all.filter((e) => e.offload === 'software').length);
    expect(r.hw_offloaded).toBe(all.filter((e) => e.offload === 'hardware').length);
  }, 90_000);
});
