/**
 * Parsers under fuzz: random, truncated, oversized and mixed-format input for
 * every parser. None may throw; each returns its documented shape.
 * FUZZ_RUNS sets the cases per parser (`make test-fuzz` runs 10 000; the
 * default suite runs fewer).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/qjs';
import { parseProcStat } from '../../rpcd/src/parse/proc-stat';
import { parseNetDev, parseCounter, parseDefaultRouteDevices } from '../../rpcd/src/parse/net-dev';
import { parseConntrackLine, countConntrack } from '../../rpcd/src/parse/conntrack';
import { parseFlowtablesText, hasOffloadRule } from '../../rpcd/src/parse/nft';
import { parseUciShow, parseUciFile } from '../../rpcd/src/parse/uci';
import { parseEthtoolFeatures, parseEthtoolStats, switchPortBytes } from '../../rpcd/src/parse/ethtool';
import { parseShellVars, parseProcVersion } from '../../rpcd/src/parse/release';
import { parsePpeEntries } from '../../rpcd/src/parse/ppe';
import { generateTable } from '../sim/scenario/conntrack-gen';

export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Fixed by default so CI is repeatable; FUZZ_SEED=random explores new cases (fast-check prints the seed of a failure). */
export const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20261121);
/** Cases tried, per parser, reported at the end of the run. */
export const tried: Record<string, number> = {};

const FIX = join(REPO, 'test/fixtures/kernel');
const real = readdirSync(FIX).filter((f) => f.endsWith('.txt') || f.endsWith('.json') || f.endsWith('.nft')).map((f) => readFileSync(join(FIX, f), 'utf8'));
const PPE = join(REPO, 'test/fixtures/ppe');
real.push(...readdirSync(PPE).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(PPE, f), 'utf8')));
real.push(generateTable({ seed: 3, entries: 200, offloadedShare: 0.5, hardwareShare: 0.3 }));

/** Inputs: pure noise, real captures cut at a random point, real captures with noise spliced in, repeated lines. */
const input = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.tuple(fc.constantFrom(...real), fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
  fc.tuple(fc.constantFrom(...real), fc.nat(), fc.string({ unit: 'binary', maxLength: 60 })).map(([s, n, x]) => {
    const i = n % (s.length + 1);
    return s.slice(0, i) + x + s.slice(i);
  }),
  fc.tuple(fc.constantFrom(...real), fc.integer({ min: 2, max: 40 })).map(([s, k]) => s.repeat(k)),
  fc.tuple(fc.constantFrom(...real), fc.constantFrom(...real)).map(([a, b]) => a + '\r\n' + b),
);

function drill(name: string, fn: (s: string) => unknown, check: (out: unknown) => void = () => undefined): void {
  it(`${name} never throws (${RUNS} cases)`, () => {
    tried[name] = 0;
    fc.assert(
      fc.property(input, (s) => {
        tried[name] = (tried[name] ?? 0) + 1;
        check(fn(s));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
}

const isArray = (o: unknown): void => expect(Array.isArray(o)).toBe(true);
const isObject = (o: unknown): void => expect(o !== null && typeof o === 'object').toBe(true);

describe('parsers under fuzz', () => {
  drill('parseProcStat', parseProcStat, (o) => isArray((o as { cores: unknown }).cores));
  drill('parseNetDev', parseNetDev, isObject);
  drill('parseCounter', parseCounter, (o) => expect(o === null || (typeof o === 'number' && Number.isFinite(o))).toBe(true));
  drill('parseDefaultRouteDevices', parseDefaultRouteDevices, isArray);
  drill('parseConntrackLine', (s) => s.split('\n').map(parseConntrackLine), (o) => {
    for (const e of o as unknown[]) expect(e === null || (typeof e === 'object' && typeof (e as { proto: unknown }).proto === 'string')).toBe(true);
  });
  drill('countConntrack', countConntrack, (o) => {
    const c = o as { total: number; offloaded: number; hw_offloaded: number };
    expect(c.offloaded + c.hw_offloaded).toBeLessThanOrEqual(c.total);
  });
  drill('parseFlowtablesText', parseFlowtablesText, isArray);
  drill('hasOffloadRule', hasOffloadRule, (o) => expect(typeof o).toBe('boolean'));
  drill('parseUciShow', (s) => parseUciShow(s, 'firewall'), isArray);
  drill('parseUciFile', parseUciFile, isArray);
  drill('parseEthtoolFeatures', parseEthtoolFeatures, isObject);
  drill('parseEthtoolStats', (s) => parseEthtoolStats(`NIC statistics:\n${s}`), (o) => {
    isObject(o);
    for (const v of Object.values(o as Record<string, number>)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
  });
  drill('switchPortBytes', (s) => switchPortBytes(parseEthtoolStats(`NIC statistics:\n${s}`)), (o) => {
    const b = o as ReturnType<typeof switchPortBytes>;
    if (b) expect(Number.isSafeInteger(b.rx_bytes) && Number.isSafeInteger(b.tx_bytes)).toBe(true);
  });
  drill('parseShellVars', parseShellVars, isObject);
  drill('parseProcVersion', parseProcVersion, (o) => expect(o === null || typeof o === 'string').toBe(true));
  drill('parsePpeEntries', parsePpeEntries, (o) => {
    const c = o as ReturnType<typeof parsePpeEntries>;
    expect(Object.values(c.byState).reduce((a, b) => a + b, 0)).toBe(c.total);
    expect(c.bound).toBe(c.byState.bound);
  });

  it('oversized input: a 64k-entry conntrack table is counted', () => {
    const big = generateTable({ seed: 11, entries: 65536, offloadedShare: 0.6, hardwareShare: 0 });
    const c = countConntrack(big);
    expect(c.total).toBe(65536);
    expect(c.offloaded).toBeGreaterThan(30000);
  });
});
