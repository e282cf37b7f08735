/** The built handler under real QuickJS follows the rpcd exec-plugin protocol (contracts §1). */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { HANDLER, runHandler, qjs, requireBuild } from '../helpers/qjs';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';

let t: TestRoot;
beforeAll(() => {
  requireBuild();
  t = scenarioRoot('mt7621-software');
});
afterAll(() => t?.cleanup());

/** Exactly one JSON object on stdout, nothing after it. */
function oneObject(stdout: string): Record<string, unknown> {
  const trimmed = stdout.trim();
  expect(trimmed.startsWith('{')).toBe(true);
  const v = JSON.parse(trimmed) as unknown;
  expect(v !== null && typeof v === 'object' && !Array.isArray(v)).toBe(true);
  return v as Record<string, unknown>;
}

describe('the bundled handler file', () => {
  it('is one ES module for /usr/bin/qjs, mode 0755, importing only std and os', () => {
    const src = readFileSync(HANDLER, 'utf8');
    expect(src.split('\n')[0]).toBe('#!/usr/bin/qjs');
    expect(statSync(HANDLER).mode & 0o777).toBe(0o755);
    const imports = [...src.matchAll(/\bimport\s*(?:\*\s*as\s*\w+|\{[^}]*\}|\w+)\s*from\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect([...new Set(imports)].sort()).toEqual(['os', 'std']);
    // The rarely used methods ride along as source text compiled on demand (scripts/build-handler.ts);
    // the modules it asks for (through esbuild's require shim) must be std and os only.
    const asked = [...src.matchAll(/[A-Za-z_$][\w$]*\(\\?"(std|os|fs|path|child_process|node:[\w/]+|http|net|crypto|util)\\?"\)/g)].map((m) => m[1]);
    expect(asked.length).toBeGreaterThan(0);
    expect([...new Set(asked)].sort()).toEqual(['os', 'std']);
  });
});

describe('list', () => {
  it('prints the complete signature at once, even with no readable root', () => {
    const r = runHandler(['list'], undefined, '/nonexistent-root');
    const o = oneObject(r.stdout);
    expect(Object.keys(o)).toEqual(['status', 'stats', 'flows', 'diagnostics', 'set', 'flush']);
    expect(o.set).toEqual({ mode: 'str' });
  });

  it('touches no file besides the script itself (strace)', () => {
    const strace = spawnSync('sh', ['-c', 'command -v strace'], { encoding: 'utf8' }).stdout.trim();
    if (!strace) return expect.fail('strace is required for this test (installed by make deps-system)');
    const log = join(mkdtempSync(join(tmpdir(), 'offload-strace-')), 'trace');
    const r = spawnSync(strace, ['-f', '-e', 'trace=open,openat,stat,newfstatat,statx,access,faccessat,readlink', '-o', log, qjs(), HANDLER, 'list'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, OFFLOAD_ROOT: t.root },
    });
    expect(r.status).toBe(0);
    const trace = readFileSync(log, 'utf8');
    // The trace must have seen the script being opened, or it traced nothing.
    expect(trace).toContain(HANDLER);
    const touched = trace
      .split('\n')
      .map((l) => /"([^"]+)"/.exec(l)?.[1])
      .filter((p): p is string => !!p)
      .filter((p) => !/^(\/etc\/ld\.so|\/lib|\/usr\/lib|\/dev\/|\/proc\/self|\/sys\/devices\/system\/cpu)/.test(p))
      .filter((p) => p !== HANDLER && !p.endsWith('/qjs'))
      // qjs resolves the script's own path (realpath of each parent directory).
      .filter((p) => !HANDLER.startsWith(p + '/'));
    expect(touched).toEqual([]);
  });
});

describe('call', () => {
  it('status: configured mode read with uci, and the effective state', () => {
    const r = runHandler(['call', 'status'], JSON.stringify({ ubus_rpc_session: 'ab'.repeat(16) }), t.root);
    const o = oneObject(r.stdout) as { configured: { mode: string }; effective: { state: string } };
    expect(o.configured.mode).toBe('software');
    expect(o.effective.state).toBe('software');
  });

  it('stats: per-CPU jiffies, device counters and a monotonic timestamp', () => {
    const a = oneObject(runHandler(['call', 'stats'], '{}', t.root).stdout) as { uptime_ms: number; cpu: { cores: unknown[] }; devices: { role: string; rx_bytes: number }[] };
    t.model.refresh(Date.now() + 2000);
    const b = oneObject(runHandler(['call', 'stats'], '{}', t.root).stdout) as typeof a;
    expect(a.cpu.cores).toHaveLength(2);
    expect(b.uptime_ms).toBeGreaterThan(a.uptime_ms);
    const wan = (x: typeof a) => x.devices.find((d) => d.role === 'wan');
    expect(wan(a)).toBeDefined();
    expect(wan(b)!.rx_bytes).toBeGreaterThan(wan(a)!.rx_bytes);
  });

  it('unknown method: a JSON error that names the method', () => {
    const o = oneObject(runHandler(['call', 'nosuch'], '{}', t.root).stdout);
    expect(o).toEqual({ error: expect.stringContaining('unknown method "nosuch"'), code: 'unknown_method' });
  });

  it('malformed stdin: a JSON error, not a crash', () => {
    for (const input of ['{"mode":', 'not json', '[1,2]', '"x"', 'null']) {
      const o = oneObject(runHandler(['call', 'status'], input, t.root).stdout);
      expect(o.error, input).toEqual(expect.any(String));
      expect(['invalid_request', 'invalid_argument']).toContain(o.code);
    }
  });

  it('missing stdin: a method without arguments still answers', () => {
    const o = oneObject(runHandler(['call', 'stats'], undefined, t.root).stdout);
    expect(o.cpu).toBeDefined();
  });

  it('bad arguments: clear errors for wrong types, unknown keys and missing keys', () => {
    const set = (a: unknown) => oneObject(runHandler(['call', 'set'], JSON.stringify(a), t.root).stdout);
    expect(set({})).toEqual({ error: 'set: missing required argument "mode"', code: 'invalid_argument' });
    expect(set({ mode: 1 })).toEqual({ error: 'set: "mode" must be a string, got number', code: 'invalid_argument' });
    expect(set({ mode: 'turbo' }).error).toContain('must be one of off, software, hardware');
    expect(set({ mode: 'off', extra: 1 }).error).toContain('unknown argument "extra"');
    expect(oneObject(runHandler(['call', 'flows'], '{"limit":0}', t.root).stdout).error).toContain('between 1 and 500');
  });

  it('no arguments or an unknown verb: a usage error object', () => {
    expect(oneObject(runHandler([], undefined, t.root).stdout).code).toBe('invalid_request');
    expect(oneObject(runHandler(['frob'], undefined, t.root).stdout).code).toBe('invalid_request');
  });
});
