/**
 * Malformed arguments for every method: a clear error, nothing written. And
 * the proof that no user-supplied text ever reaches a shell: commands run from
 * argv arrays (the bundle has no popen/system), and under strace no program
 * started by a `set` carries the text of the request.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { METHOD_NAMES } from '../../rpcd/src/api/contract';
import { runHandler, HANDLER, qjs } from '../helpers/qjs';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';

const NASTY = ['$(touch /tmp/offload-pwned)', '`touch /tmp/offload-pwned`', 'x; rm -rf /', 'a\nb', 'nul\u0000byte', '\udc80broken', 'x'.repeat(100000), '../../etc/shadow', '<img src=x onerror=alert(1)>'];
const WRONG_TYPES: unknown[] = [1, -1, 1.5, true, null, [], {}, ...NASTY];

let t: TestRoot;
let snapshot: Map<string, string>;
function snap(root: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of ['etc/config', 'tmp/.uci']) {
    for (const f of readdirSync(join(root, d))) m.set(`${d}/${f}`, readFileSync(join(root, d, f), 'utf8'));
  }
  m.set('ruleset', readFileSync(join(root, 'sim/nft/ruleset.nft'), 'utf8'));
  return m;
}
beforeAll(() => {
  t = scenarioRoot('mt7621');
  snapshot = snap(t.root);
});
afterAll(() => t?.cleanup());

/** Keys found on Object.prototype, and `__proto__`, which JSON.parse stores as an own key (issue 14). */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
/** Arguments that are valid among the generated ones: only these may succeed. */
function valid(method: string, args: unknown): boolean {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return false;
  const e = Object.entries(args);
  if (e.length !== 1) return false;
  const [k, v] = e[0]!;
  if (method === 'flows' && k === 'limit') return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 500;
  if ((method === 'flows' || method === 'diagnostics') && k === 'mask') return typeof v === 'boolean';
  if (method === 'stats' && k === 'flows') return typeof v === 'boolean';
  return false;
}

describe('malformed arguments', () => {
  const cases: [string, unknown][] = [];
  for (const m of METHOD_NAMES) {
    cases.push([m, []], [m, 'str'], [m, 42], [m, null], [m, { extra: 1 }], [m, { ['$(id)']: 1 }], [m, { ubus_rpc_session: 5 }]);
    for (const k of PROTO_KEYS) {
      // A raw JSON text: an object literal's `__proto__:` would set the prototype instead of a key.
      cases.push([m, `{${JSON.stringify(k)}:{"limit":100000,"mask":"no","mode":"bogus","flows":1}}`], [m, `{${JSON.stringify(k)}:"x"}`]);
    }
  }
  for (const v of WRONG_TYPES) {
    cases.push(['set', { mode: v }], ['flows', { limit: v }], ['flows', { mask: v }], ['stats', { flows: v }], ['diagnostics', { mask: v }]);
  }
  cases.push(['set', {}], ['set', { mode: 'software', mode2: 'x' }], ['flows', { limit: 1e9 }], ['flows', { limit: 0 }]);

  it(`${cases.length} hostile calls each get a clear error and change nothing`, () => {
    let n = 0;
    for (const [method, args] of cases) {
      const text = typeof args === 'string' && args.startsWith('{') ? args : JSON.stringify(args);
      const r = runHandler(['call', method], text, t.root);
      const o = r.json as { error?: string; code?: string };
      // The valid ones among the generated (e.g. flows {mask:true}) must succeed, every other must fail.
      if (valid(method, args)) {
        expect(o.code, `${method} ${text.slice(0, 80)}`).toBeUndefined();
        continue;
      }
      expect(o.error, `${method} ${text.slice(0, 80)}`).toBeDefined();
      if (!o.error) continue;
      n++;
      expect(o.code, `${method} ${JSON.stringify(args).slice(0, 80)}`).toMatch(/^invalid_(argument|request)$/);
      expect(o.error.length).toBeLessThan(200);
      expect(o.error).not.toMatch(/[\u0000-\u001f]/);
    }
    expect(n).toBeGreaterThan(100);
    expect(snap(t.root)).toEqual(snapshot);
  }, 120000);

  it('raw non-UTF-8 and NUL bytes on stdin: an error object', () => {
    const r = spawnSync(qjs(), [HANDLER, 'call', 'set'], { input: Buffer.from([0x7b, 0x22, 0x6d, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x00, 0x22, 0x7d]), env: { OFFLOAD_ROOT: t.root }, encoding: 'utf8' });
    const o = JSON.parse(r.stdout) as { code: string };
    expect(['invalid_argument', 'invalid_request']).toContain(o.code);
    expect(snap(t.root)).toEqual(snapshot);
  });
});

describe('no user text reaches a shell', () => {
  it('the bundle starts programs only with os.exec argv arrays (no popen, no system, no sh -c)', () => {
    const src = readFileSync(HANDLER, 'utf8');
    expect(src).not.toMatch(/\bpopen\b/);
    expect(src).not.toMatch(/\bsystem\s*\(/);
    expect(src).not.toMatch(/["'](?:\/bin\/)?sh["']\s*,\s*["']-c["']/);
    expect(src).not.toMatch(/\/bin\/sh/);
  });

  it('under strace, no exec of a `set`/`flows` call carries the request text', () => {
    const marker = 'ZZmarker$(id)`id`;';
    const trace = (method: string, args: object): string => {
      const log = join(mkdtempSync(join(tmpdir(), 'offload-strace-')), 'trace');
      spawnSync('strace', ['-f', '-s', '4096', '-e', 'trace=execve', '-o', log, qjs(), HANDLER, 'call', method], {
        input: JSON.stringify(args),
        env: { PATH: process.env.PATH, OFFLOAD_ROOT: t.root },
        encoding: 'utf8',
      });
      return readFileSync(log, 'utf8');
    };
    // A valid set whose session key carries the marker: programs run (uci, fw4, nft), none with the marker.
    const a = trace('set', { mode: 'software', ubus_rpc_session: marker });
    expect(a).toMatch(/execve\(".*\/sbin\/uci"/);
    expect(a).toMatch(/execve\(".*\/sbin\/fw4"/);
    expect(a).not.toContain('ZZmarker');
    const b = trace('set', { mode: marker });
    expect(b).not.toContain('ZZmarker');
    const c = trace('flows', { limit: 5, ubus_rpc_session: marker });
    expect(c).not.toContain('ZZmarker');
    // Put the router back as it was for the other tests.
    runHandler(['call', 'set'], '{"mode":"off"}', t.root);
  });
});
