/**
 * set / status / flush with real uci, real fw4 and real nft, through real rpcd
 * and uhttpd, and the failure drills of a real router. The host kernel has no
 * CONFIG_NF_FLOW_TABLE, so nft rejects every flowtable here: that is the
 * "fw4 reload exits 0 although nft rejected the ruleset" drill; the path where
 * a flowtable really loads runs in the kernel guest (test/kernel).
 *
 * Every drill ends with /etc/config/firewall byte-identical to before, mode
 * included, or with the requested change really running.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startRouter, ruleset, platformReady, type Router } from './router';
import type { StatusResult, SetResult, ErrorResult } from '../../rpcd/src/api/contract';

const skip = platformReady();
const FW = 'etc/config/firewall';
// What this kernel answers for any flowtable (no CONFIG_NF_FLOW_TABLE).
const NFT_NO_FLOWTABLE = 'nft rejected the new ruleset (Error: Could not process rule: No such file or directory)';

type Answer<T> = { result?: [number, T?]; error?: { code: number; message: string } };
async function offload<T>(r: Router, sid: string, method: string, args: object = {}): Promise<T> {
  const a = (await r.call(sid, 'luci.offload', method, args)) as Answer<T>;
  if (!a.result || a.result[0] !== 0) throw new Error(`luci.offload ${method}: ${JSON.stringify(a)}`);
  return a.result[1] as T;
}

/** Snapshot of what must not change in a failed apply. */
function snapshot(r: Router): { text: string; mode: number; rules: string } {
  return { text: r.read(FW), mode: r.mode(FW), rules: ruleset(r) };
}
function expectUnchanged(r: Router, s: ReturnType<typeof snapshot>): void {
  expect(r.read(FW)).toBe(s.text);
  expect(r.mode(FW).toString(8)).toBe(s.mode.toString(8));
  expect(ruleset(r)).toBe(s.rules);
}

describe.skipIf(skip !== null)('real fw4 + uci + nft (platform tier)', () => {
  let r: Router;
  let sid: string;
  beforeAll(async () => {
    r = startRouter();
    sid = await r.login();
  });
  afterAll(() => r?.stop());

  it('status: fw4 loaded, off, the zone devices from netifd', async () => {
    const s = await offload<StatusResult>(r, sid, 'status');
    expect(s.system.firewall).toBe('fw4');
    expect(s.configured).toMatchObject({ mode: 'off', error: null });
    expect(s.effective).toMatchObject({ state: 'off', mode: 'off', flowtable: null, rule: false });
    const roles = Object.fromEntries(s.devices.map((d) => [d.device, d.role]));
    expect(roles).toMatchObject({ lan1: 'lan', wan: 'wan' });
  });

  it('set software: nft rejects the flowtable, fw4 exits 0 — an error quoting nft, config and ruleset as before', async () => {
    // The premise, on the real programs: fw4 reload exits 0 while nft prints Error:.
    r.exec(['uci', 'set', 'firewall.@defaults[0].flow_offloading=1']);
    r.exec(['uci', 'commit', 'firewall']);
    const direct = r.exec(['fw4', 'reload']);
    expect(direct.status).toBe(0);
    expect(direct.stderr).toContain('Error: Could not process rule: No such file or directory');
    r.exec(['uci', 'delete', 'firewall.@defaults[0].flow_offloading']);
    r.exec(['uci', 'commit', 'firewall']);
    expect(r.exec(['fw4', 'reload']).status).toBe(0);

    r.exec(['chmod', '0640', `/${FW}`]);
    const before = snapshot(r);
    const a = (await r.call(sid, 'luci.offload', 'set', { mode: 'software' })) as Answer<ErrorResult>;
    expect(a.result?.[0]).toBe(0);
    const e = a.result?.[1] as ErrorResult;
    expect(e.code, JSON.stringify(e)).toBe('apply_failed');
    expect(e.error).toContain(`The switch to software did not take effect: ${NFT_NO_FLOWTABLE}`);
    expect(e.error).toContain('the previous firewall config was restored and reloaded');
    expectUnchanged(r, before);
    const s = await offload<StatusResult>(r, sid, 'status');
    expect(s.configured.mode).toBe('off');
    expect(s.effective.state).toBe('off');
  });

  it('set hardware: the same rejection (fw4 falls back to software first, then nft refuses that too)', async () => {
    const before = snapshot(r);
    const e = await offload<ErrorResult>(r, sid, 'set', { mode: 'hardware' });
    expect(e.code).toBe('apply_failed');
    expect(e.error).toContain(NFT_NO_FLOWTABLE);
    expectUnchanged(r, before);
  });

  it('set off when already off changes nothing, not even the bytes', async () => {
    const before = snapshot(r);
    const s = await offload<SetResult>(r, sid, 'set', { mode: 'off' });
    expect(s).toMatchObject({ changed: false, previous: 'off', requested: 'off' });
    expectUnchanged(r, before);
  });

  it('flush: fw4 reload succeeds with offloading off, nothing was offloaded', async () => {
    const before = ruleset(r);
    const f = await offload<{ offloaded_before: number | null; offloaded_after: number | null; warning: string | null }>(r, sid, 'flush');
    expect(f).toMatchObject({ offloaded_before: 0, offloaded_after: 0, warning: null });
    expect(ruleset(r)).toBe(before);
  });

  it('an uncommitted uci change made elsewhere: set refuses and commits nothing', async () => {
    r.exec(['uci', 'set', 'firewall.@defaults[0].drop_invalid=1']);
    const before = snapshot(r);
    const e = await offload<ErrorResult>(r, sid, 'set', { mode: 'software' });
    expect(e.code).toBe('apply_failed');
    expect(e.error).toMatch(/uncommitted changes/);
    expectUnchanged(r, before);
    expect(r.exec(['uci', 'changes', 'firewall']).stdout).toContain('drop_invalid');
    r.exec(['uci', 'revert', 'firewall']);
  });

  it('an unparsable config: uci\'s own parse error, never "no config"; set touches nothing', async () => {
    const good = r.read(FW);
    const broken = good + "\nconfig zone\n\toption name 'unterminated\n";
    r.write(FW, broken);
    try {
      // The premise: uci -q show is silent and exits 1, as for an absent config.
      const q = r.exec(['uci', '-q', 'show', 'firewall']);
      expect([q.status, q.stdout]).toEqual([1, '']);
      const s = await offload<StatusResult>(r, sid, 'status');
      expect(s.configured.error).toMatch(/^uci cannot read \/etc\/config\/firewall: \/sbin\/uci: Parse error \(.+\) at line \d+, byte \d+$/);
      expect(s.effective.state).toBe('misconfigured');
      const before = snapshot(r);
      const e = await offload<ErrorResult>(r, sid, 'set', { mode: 'software' });
      expect(e.code).toBe('apply_failed');
      expect(e.error).toMatch(/^Cannot read the firewall config: .*Parse error.*Nothing was changed\.$/);
      expectUnchanged(r, before);
    } finally {
      r.write(FW, good);
    }
  });

  it('fw4 hangs on its lock past the handler\'s deadline: stopped, config restored, answered before rpcd\'s 30 s', async () => {
    // Another fw4 (e.g. a hotplug reload) holds /var/run/fw4.lock.
    r.exec(['sh', '-c', 'flock -x /var/run/fw4.lock sleep 40 </dev/null >/dev/null 2>&1 &']);
    const before = snapshot(r);
    const t0 = Date.now();
    const a = (await r.call(sid, 'luci.offload', 'set', { mode: 'software' })) as Answer<ErrorResult>;
    const ms = Date.now() - t0;
    expect(a.result?.[0], JSON.stringify(a)).toBe(0);
    const e = a.result?.[1] as ErrorResult;
    expect(e.code).toBe('apply_failed');
    expect(e.error).toMatch(/^The switch to software did not take effect|^fw4 reload did not finish within 10 s/);
    expect(ms).toBeLessThan(30000);
    r.exec(['sh', '-c', 'kill $(pidof sleep) 2>/dev/null; true']);
    expect(r.read(FW)).toBe(before.text);
    expect(r.mode(FW)).toBe(before.mode);
  }, 60000);
});

describe.skipIf(skip !== null)('real fw4, firewall not loaded (platform tier)', () => {
  let r: Router;
  let sid: string;
  beforeAll(async () => {
    r = startRouter({ noFw4: true });
    sid = await r.login();
  });
  afterAll(() => r?.stop());

  it('status: unknown, the ruleset cannot be read', async () => {
    const s = await offload<StatusResult>(r, sid, 'status');
    expect(s.effective.state).toBe('unknown');
  });

  it('set software: fw4 reload exits 1 with its own message; the config is restored', async () => {
    const before = { text: r.read(FW), mode: r.mode(FW) };
    const e = await offload<ErrorResult>(r, sid, 'set', { mode: 'software' });
    expect(e.code).toBe('apply_failed');
    expect(e.error).toContain('fw4 reload failed (exit 1: The fw4 firewall does not appear to be loaded.)');
    expect(r.read(FW)).toBe(before.text);
    expect(r.mode(FW)).toBe(before.mode);
  });
});

describe.skipIf(skip !== null)('real fw4, booted with offloading on (platform tier)', () => {
  let r: Router;
  let sid: string;
  beforeAll(async () => {
    r = startRouter();
    // Configure software offloading and reload: nft rejects it, the off ruleset stays.
    r.exec(['uci', 'set', 'firewall.@defaults[0].flow_offloading=1']);
    r.exec(['uci', 'commit', 'firewall']);
    r.exec(['fw4', 'reload']);
    sid = await r.login();
  });
  afterAll(() => r?.stop());

  it('status does not claim a missing reload: the config says software, nothing runs', async () => {
    const s = await offload<StatusResult>(r, sid, 'status');
    expect(s.configured.mode).toBe('software');
    expect(s.effective.state).toBe('misconfigured');
    expect(s.effective.reason).toContain('or nft rejected the ruleset when it was');
  });

  it('set software again is not "already active": it is applied, nft refuses it, the config stays as it was', async () => {
    const before = { text: r.read(FW), mode: r.mode(FW) };
    const e = await offload<ErrorResult>(r, sid, 'set', { mode: 'software' });
    expect(e.code, JSON.stringify(e)).toBe('apply_failed');
    expect(e.error).toContain(NFT_NO_FLOWTABLE);
    expect(r.read(FW)).toBe(before.text);
    expect(r.mode(FW)).toBe(before.mode);
  });

  it('set off succeeds and is really running', async () => {
    const s = await offload<SetResult>(r, sid, 'set', { mode: 'off' });
    expect(s).toMatchObject({ changed: true, previous: 'software', requested: 'off', warning: null });
    expect(s.status.effective.state).toBe('off');
    expect(r.read(FW)).not.toMatch(/flow_offloading/);
    expect(ruleset(r)).toContain('table inet fw4');
    expect(ruleset(r)).not.toContain('flowtable');
  });
});
