/**
 * The bundled handler under real qjs with hostile kernel files and tool
 * output: whatever /proc, /sys and the uci/nft output hold, every method
 * answers with exactly one JSON object. (Process per case: fewer cases than
 * the in-process parser drills; FUZZ_HANDLER_RUNS overrides.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { runHandler } from '../helpers/qjs';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';

const RUNS = Number(process.env.FUZZ_HANDLER_RUNS ?? (Number(process.env.FUZZ_RUNS ?? 300) >= 10000 ? 300 : 40));
const FILES = ['proc/stat', 'proc/net/dev', 'proc/net/nf_conntrack', 'proc/uptime', 'proc/net/route', 'etc/config/firewall', 'etc/config/network', 'sim/nft/ruleset.nft', 'sim/ethtool/wan.k', 'etc/openwrt_release', 'proc/sys/net/netfilter/nf_conntrack_count'];

let t: TestRoot;
const originals = new Map<string, string>();
beforeAll(() => {
  t = scenarioRoot('mt7621-software');
  for (const f of FILES) originals.set(f, readFileSync(join(t.root, f), 'utf8'));
});
afterAll(() => t?.cleanup());

describe('handler under hostile files', () => {
  it(`answers one JSON object for status/stats/flows/diagnostics (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FILES),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat().map((n) => '\u0000'.repeat(n % 50)), fc.constant('')),
        fc.constantFrom('status', 'stats', 'flows', 'diagnostics'),
        fc.nat(),
        (file, junk, method, cut) => {
          const orig = originals.get(file) ?? '';
          const i = cut % (orig.length + 1);
          const p = join(t.root, file);
          mkdirSync(dirname(p), { recursive: true });
          writeFileSync(p, orig.slice(0, i) + junk + orig.slice(i));
          try {
            const r = runHandler(['call', method], '{}', t.root);
            const lines = r.stdout.trim().split('\n');
            expect(lines).toHaveLength(1);
            const v = JSON.parse(lines[0] as string) as unknown;
            expect(v !== null && typeof v === 'object' && !Array.isArray(v)).toBe(true);
            expect(r.stderr).toBe('');
          } finally {
            writeFileSync(p, orig);
          }
        },
      ),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20261121) },
    );
  }, 600000);
});
