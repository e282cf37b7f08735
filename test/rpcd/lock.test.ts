/**
 * The apply lock under real QuickJS, many processes at once: a stale lock is
 * taken over by exactly one of them at a time, and a lock naming a live pid
 * with another start time (a reused pid) does not block for ever (issue 14).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { qjs, REPO } from '../helpers/qjs';

const DRIVER = join(REPO, 'build/test/lock-driver.js');
beforeAll(() => {
  buildSync({
    entryPoints: [join(REPO, 'test/rpcd/drivers/lock.ts')],
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2020', external: ['std', 'os'], outfile: DRIVER, logLevel: 'warning',
  });
});

function root(): { root: string; dir: string; log: string } {
  const r = mkdtempSync(join(tmpdir(), 'offload-lock-'));
  const dir = join(r, 'var/run/luci-offload');
  mkdirSync(dir, { recursive: true });
  return { root: r, dir, log: join(r, 'log') };
}

function drive(r: { root: string; log: string }, env: Record<string, string> = {}): Promise<string> {
  return new Promise((res) => {
    const c = spawn(qjs(), [DRIVER], { env: { OFFLOAD_ROOT: r.root, LOCK_LOG: r.log, ...env } });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', () => res(out.trim()));
  });
}

/** A pid that is not running: a child that has exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

/** Check that no two critical sections overlap in the log. */
function overlaps(log: string): number {
  let inside = 0;
  let bad = 0;
  for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
    if (line.startsWith('S ')) {
      if (inside > 0) bad++;
      inside++;
    } else inside--;
  }
  return bad;
}

describe('apply lock', () => {
  it('a stale lock (dead owner) seen by eight waiters at once: one at a time, all run', async () => {
    for (let round = 0; round < 6; round++) {
      const r = root();
      symlinkSync(`${deadPid()}:12345`, join(r.dir, 'apply.lock'));
      const outs = await Promise.all(Array.from({ length: 8 }, () => drive(r, { HOLD_MS: '15' })));
      expect(outs).toEqual(Array(8).fill('ok'));
      expect(overlaps(r.log), readFileSync(r.log, 'utf8')).toBe(0);
      expect(existsSync(join(r.dir, 'apply.lock'))).toBe(false);
      rmSync(r.root, { recursive: true, force: true });
    }
  }, 60000);

  it('a stale lock file of the older format (a dead pid) is taken over one at a time', async () => {
    for (let round = 0; round < 6; round++) {
      const r = root();
      writeFileSync(join(r.dir, 'apply.lock'), String(deadPid()));
      const outs = await Promise.all(Array.from({ length: 8 }, () => drive(r, { HOLD_MS: '15' })));
      expect(outs).toEqual(Array(8).fill('ok'));
      expect(overlaps(r.log), readFileSync(r.log, 'utf8')).toBe(0);
      rmSync(r.root, { recursive: true, force: true });
    }
  }, 60000);

  it('a reused pid (alive, other start time) does not hold the lock', async () => {
    const r = root();
    // This test process is alive, but it did not start at tick 1.
    symlinkSync(`${process.pid}:1`, join(r.dir, 'apply.lock'));
    expect(await drive(r, { WAIT_MS: '500' })).toBe('ok');
  });

  it('a live owner keeps the lock; the waiter gives up at its deadline', async () => {
    const r = root();
    const holder = drive(r, { HOLD_MS: '1500' });
    await new Promise((res) => setTimeout(res, 300));
    const lock = readlinkSync(join(r.dir, 'apply.lock'));
    expect(lock).toMatch(/^\d+:\d+$/);
    const t = Date.now();
    expect(await drive(r, { WAIT_MS: '300' })).toBe('busy');
    expect(Date.now() - t).toBeLessThan(1200);
    expect(await holder).toBe('ok');
  });

  it('a waiter that judged an older lock stale does not remove the lock taken since (the race)', async () => {
    const r = root();
    const holder = drive(r, { HOLD_MS: '1000' });
    await new Promise((res) => setTimeout(res, 300));
    const live = readlinkSync(join(r.dir, 'apply.lock'));
    // It saw `<dead>:1` before the holder took over, and acts on it only now.
    expect(await drive(r, { TAKEOVER: `${deadPid()}:1` })).toBe('done');
    expect(readlinkSync(join(r.dir, 'apply.lock'))).toBe(live);
    expect(await holder).toBe('ok');
    expect(overlaps(r.log)).toBe(0);
  });

  it('a guard left by a taker that died does not block the takeover', async () => {
    const r = root();
    const stale = `${deadPid()}:777`;
    symlinkSync(stale, join(r.dir, 'apply.lock'));
    symlinkSync(`${deadPid()}:778`, join(r.dir, `apply.lock.takeover-${stale}`));
    expect(await drive(r, { WAIT_MS: '1000' })).toBe('ok');
  });
});
