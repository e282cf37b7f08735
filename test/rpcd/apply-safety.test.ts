/**
 * What `set` does when a step of it fails, under real QuickJS in a scenario
 * root (issue 14): the journal must be written before anything changes, a uci
 * step that fails before the commit does not reload the firewall, every step
 * fits rpcd's 30 s, timeouts name the limit that ran out, a reused pid does
 * not hide an interrupted apply, and a killed command takes its children along.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync, renameSync, existsSync, symlinkSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runHandler } from '../helpers/qjs';
import type { TestRoot } from '../helpers/scenario';
import { setFault } from '../sim/scenario/build';
import type { ErrorResult, SetResult, StatusResult, StatsResult } from '../../rpcd/src/api/contract';
import { CALL_BUDGET_MS, STARTUP_MARGIN_MS } from '../../rpcd/src/calc/budget';

import { scenario, call, firewall, ruleset } from './scenario-calls';

/**
 * Put a shell script in front of a stand-in: it logs its argv to `calls.<tool>`
 * and runs `pre` (which may exit) before the stand-in itself.
 */
function wrap(t: TestRoot, rel: string, pre = ''): () => string[] {
  const tool = rel.split('/').pop()!;
  const real = join(t.root, `${rel}.real`);
  renameSync(join(t.root, rel), real);
  const log = join(t.root, `calls.${tool}`);
  writeFileSync(log, '');
  writeFileSync(join(t.root, rel), `#!/bin/sh\necho "$*" >> '${log}'\n${pre}\nexec '${real}' "$@"\n`);
  chmodSync(join(t.root, rel), 0o755);
  return () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('the time budget of set (the constants: test/unit/calc/budget.test.ts)', () => {
  it('slow uci steps and a hung reload and restore still answer before rpcd\'s limit', () => {
    const t = scenario('mt7621');
    // Every uci command takes 2.9 s: with per-command limits only (3 s each), show + changes + two steps + commit
    // + revert (17.4 s), the hung reload (10 s) and the hung restore reload (6 s) add up to more than 30 s.
    wrap(t, 'sbin/uci', 'sleep 2.9');
    setFault(t.root, 'fw4-hang', true);
    const r = runHandler(['call', 'set'], '{"mode":"software"}', t.root, 40000);
    expect(r.ms).toBeLessThan(CALL_BUDGET_MS + STARTUP_MARGIN_MS);
    const o = r.json as unknown as ErrorResult;
    expect(o.code).toBe('apply_failed');
  }, 40000);

  it('a hung restore reload names the restore limit, not the reload limit', () => {
    const t = scenario('mt7621');
    setFault(t.root, 'fw4-hang', true);
    const o = call<ErrorResult>(t, 'set', { mode: 'software' });
    expect(o.code).toBe('apply_failed');
    expect(o.error).toMatch(/^fw4 reload did not finish within 10 s and was stopped; the previous firewall config was restored, but reloading it also failed \(fw4 reload did not finish within 6 s and was stopped\)\.$/);
  }, 40000);
});

describe('a failure before anything changed', () => {
  it('a journal that cannot be written stops set before uci or fw4 run', () => {
    const t = scenario('mt7621');
    const before = firewall(t);
    const rules = ruleset(t);
    // rename() of the journal onto a directory fails, for root too.
    mkdirSync(join(t.root, 'var/run/luci-offload/apply.json'), { recursive: true });
    const uci = wrap(t, 'sbin/uci');
    const fw4 = wrap(t, 'sbin/fw4');
    const o = call<ErrorResult>(t, 'set', { mode: 'software' });
    expect(o.code).toBe('apply_failed');
    expect(o.error).toMatch(/^Cannot write the apply journal \(cannot replace \/var\/run\/luci-offload\/apply\.json: .+\), so a crash could not be undone\. Nothing was changed\.$/);
    expect(uci().filter((c) => !/^(show|changes) /.test(c))).toEqual([]);
    expect(fw4()).toEqual([]);
    expect(firewall(t)).toBe(before);
    expect(ruleset(t)).toBe(rules);
  });

  it('a uci set that fails before the commit reverts the staging area and does not reload', () => {
    const t = scenario('mt7621');
    const before = firewall(t);
    const rules = ruleset(t);
    const uci = wrap(t, 'sbin/uci', 'case "$1" in set) echo "uci: I/O error" >&2; exit 1 ;; esac');
    const fw4 = wrap(t, 'sbin/fw4');
    const o = call<ErrorResult>(t, 'set', { mode: 'software' });
    expect(o.code).toBe('apply_failed');
    expect(o.error).toBe('`uci set firewall.@defaults[0].flow_offloading=1` failed (uci: I/O error); the staged uci changes were reverted and the firewall was not reloaded. Nothing was changed.');
    expect(fw4()).toEqual([]);
    expect(uci()).toContain('revert firewall');
    expect(uci()).not.toContain('commit firewall');
    expect(firewall(t)).toBe(before);
    expect(ruleset(t)).toBe(rules);
    expect(existsSync(join(t.root, 'var/run/luci-offload/apply.json'))).toBe(false);
    expect(call<StatusResult>(t, 'status').configured.mode).toBe('off');
  });
});

describe('owners are processes, not pids', () => {
  it('a journal whose pid now belongs to another process is an interrupted apply', () => {
    const t = scenario('mt7621');
    mkdirSync(join(t.root, 'var/run/luci-offload'), { recursive: true });
    // This test process is alive, but it did not start at clock tick 1: the writer is gone.
    const journal = { pid: process.pid, owner: `${process.pid}:1`, at: Date.now(), previous: 'off', requested: 'software', backup: firewall(t), mode: 0o644 };
    writeFileSync(join(t.root, 'var/run/luci-offload/apply.json'), JSON.stringify(journal));
    const s = call<StatusResult>(t, 'status');
    expect(s.interrupted).toMatchObject({ previous: 'off', requested: 'software', config_restorable: true });
  });

  it('a lock whose pid now belongs to another process does not make set busy', () => {
    const t = scenario('mt7621');
    mkdirSync(join(t.root, 'var/run/luci-offload'), { recursive: true });
    symlinkSync(`${process.pid}:1`, join(t.root, 'var/run/luci-offload/apply.lock'));
    const o = call<SetResult>(t, 'set', { mode: 'software' });
    expect(o.changed).toBe(true);
  });
});

describe('a command killed at its limit', () => {
  it('with setsid on the router, fw4\'s children (nft) die with it', () => {
    const t = scenario('mt7621');
    mkdirSync(join(t.root, 'usr/bin'), { recursive: true });
    symlinkSync('/usr/bin/setsid', join(t.root, 'usr/bin/setsid'));
    const child = join(t.root, 'grandchild.pid');
    // fw4 starts a long nft-like child and waits for it, as a hung `nft -f` would keep fw4 waiting.
    wrap(t, 'sbin/fw4', `sleep 300 & echo $! > '${child}'; wait; exit 0`);
    const o = call<ErrorResult>(t, 'flush');
    expect(o.error).toMatch(/^fw4 reload did not finish within 10 s and was stopped/);
    const pid = Number(readFileSync(child, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))).toBe(false);
  }, 30000);
});

describe('stats time', () => {
  it('without /proc/uptime the timestamp is the monotonic clock, never the wall clock', () => {
    const t = scenario('mt7621');
    renameSync(join(t.root, 'proc/uptime'), join(t.root, 'proc/uptime.gone'));
    const s = call<StatsResult>(t, 'stats', { flows: false });
    const mono = Number(process.hrtime.bigint() / 1000000n);
    expect(Math.abs(s.uptime_ms - mono)).toBeLessThan(5000);
  });
});
