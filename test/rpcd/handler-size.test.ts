/**
 * What a `stats` call compiles. QuickJS compiles a whole module before running it, and that
 * compile was most of a call's cost (issue 17), so the per-poll path is the module and everything
 * else travels in a comment at the end of the file (scripts/build-handler.ts, parse/embedded.ts).
 * The byte budget is deterministic; the call must not need the rest at all.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER, REPO, qjs, runHandler } from '../helpers/qjs';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';
import { METHODS_MARK } from '../../rpcd/src/parse/embedded';

let t: TestRoot;
let dir: string;
beforeAll(() => {
  t = scenarioRoot('mt7621-software');
  t.model.refresh(Date.now() + 5000);
  dir = mkdtempSync(join(tmpdir(), 'offload-handler-size-'));
});
afterAll(() => {
  t?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('the handler file', () => {
  it('compiles at most 12 KB for a stats call (the module before the methods comment)', () => {
    const text = readFileSync(HANDLER, 'utf8');
    const at = text.lastIndexOf(METHODS_MARK);
    expect(at).toBeGreaterThan(0);
    expect(Buffer.byteLength(text.slice(0, at))).toBeLessThanOrEqual(12 * 1024);
    const meta = JSON.parse(readFileSync(join(REPO, 'build/handler-size.json'), 'utf8')) as { module_bytes: number };
    expect(meta.module_bytes).toBe(Buffer.byteLength(text.slice(0, at)) - 1); // the newline before the mark
  });

  it('a stats call on a warm role cache works without the methods; every other method needs them', () => {
    // the same handler with its methods comment cut off
    const cut = join(dir, 'luci.offload');
    const text = readFileSync(HANDLER, 'utf8');
    writeFileSync(cut, text.slice(0, text.lastIndexOf(METHODS_MARK)));
    chmodSync(cut, 0o755);
    const run = (file: string, method: string, args = '{}') =>
      spawnSync(qjs(), [file, 'call', method], { input: args, env: { PATH: process.env.PATH, OFFLOAD_ROOT: t.root }, encoding: 'utf8' });
    expect(runHandler(['call', 'stats'], '{}', t.root).status).toBe(0); // the full handler fills the role cache
    const full = JSON.parse(run(HANDLER, 'stats').stdout) as { devices: unknown[]; conntrack: { offloaded: number } };
    const fast = JSON.parse(run(cut, 'stats').stdout) as { devices: unknown[]; conntrack: { offloaded: number } };
    expect(fast.devices).toEqual(full.devices);
    expect(fast.conntrack.offloaded).toBe(full.conntrack.offloaded);
    expect(fast.conntrack.offloaded).toBeGreaterThan(0);
    const status = JSON.parse(run(cut, 'status').stdout) as { code?: string; error?: string };
    expect(status.code).toBe('internal');
    expect(status.error).toMatch(/carries no method source/);
  });

  it('the methods come back from the comment as they were built: status through the full handler', () => {
    copyFileSync(HANDLER, join(dir, 'copy'));
    const r = spawnSync(qjs(), [join(dir, 'copy'), 'call', 'status'], { input: '{}', env: { PATH: process.env.PATH, OFFLOAD_ROOT: t.root }, encoding: 'utf8' });
    expect((JSON.parse(r.stdout) as { effective: { state: string } }).effective.state).toBe('software');
  });
});
