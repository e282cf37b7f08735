/**
 * Failure drills and access control through the simulator's /ubus, with the
 * package's own acl.d file: after every failed call /etc/config/firewall is
 * byte-identical to before and the running ruleset matches it; after a
 * success it equals the requested change.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSim, login, call, type RunningSim } from '../helpers/sim';
import { REPO } from '../helpers/qjs';
import { flowtables } from './tools/nft-text';
import { METHOD_NAMES, METHODS } from '../../rpcd/src/api/contract';

const LOGINS = join(REPO, 'test/fixtures/sim/logins.json');
const fw = (sim: RunningSim): string => readFileSync(join(sim.root, 'etc/config/firewall'), 'utf8');
const rules = (sim: RunningSim): string => (existsSync(join(sim.root, 'sim/nft/ruleset.nft')) ? readFileSync(join(sim.root, 'sim/nft/ruleset.nft'), 'utf8') : '');
/** The running ruleset's mode, read from the nft stand-in's store. */
function running(sim: RunningSim): string {
  const ft = flowtables(rules(sim)).find((f) => f.name === 'ft');
  return ft ? (ft.hw ? 'hardware' : 'software') : 'off';
}
function configured(sim: RunningSim): string {
  const t = fw(sim);
  return /flow_offloading '1'/.test(t) ? (/flow_offloading_hw '1'/.test(t) ? 'hardware' : 'software') : 'off';
}
type Reply = { result?: [number, Record<string, any>?]; error?: { code: number } };

describe('failure drills (simulator)', () => {
  let sim: RunningSim;
  let sid: string;
  beforeAll(async () => {
    sim = await startSim(['--logins', LOGINS, '--exec-timeout', '25']);
    sid = await login(sim);
  });
  afterAll(async () => sim?.stop());

  const set = async (mode: string): Promise<Reply> => (await call(sim, sid, 'luci.offload', 'set', { mode })) as Reply;

  it('fw4 reload fails: config byte-identical, ruleset unchanged, the error explains', async () => {
    const before = fw(sim);
    const rb = rules(sim);
    await sim.hook('/__sim/fault', { fault: 'fw4-fail', on: true });
    const r = await set('software');
    await sim.hook('/__sim/fault', { fault: 'fw4-fail', on: false });
    expect(r.result?.[0]).toBe(0);
    expect(r.result?.[1]?.code).toBe('apply_failed');
    // fw4 exits 0 when nft rejects the ruleset: the handler tells from the running ruleset and nft's Error: line.
    expect(r.result?.[1]?.error).toMatch(/did not take effect: nft rejected the new ruleset \(Error: Could not process rule: .*\).*previous firewall config was restored/);
    expect(fw(sim)).toBe(before);
    expect(rules(sim)).toBe(rb);
  });

  it('uci commit fails (read-only overlay): nothing changes', async () => {
    const before = fw(sim);
    await sim.hook('/__sim/fault', { fault: 'uci-commit', on: true });
    const r = await set('hardware');
    await sim.hook('/__sim/fault', { fault: 'uci-commit', on: false });
    expect(r.result?.[1]?.error).toContain('uci commit firewall');
    expect(fw(sim)).toBe(before);
    expect(running(sim)).toBe(configured(sim));
  });

  it('reload hangs past the handler\'s own deadline: stopped, restored, explained — before rpcd\'s 30 s', async () => {
    const before = fw(sim);
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: true });
    const t = Date.now();
    const r = await set('software');
    const ms = Date.now() - t;
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: false });
    expect(ms).toBeLessThan(25000);
    expect(r.result?.[1]?.error).toContain('did not finish within 10 s');
    expect(fw(sim)).toBe(before);
  }, 40000);

  it('a successful set: config equals the request and the ruleset matches it', async () => {
    const r = await set('hardware');
    expect(r.result?.[1]?.status?.effective?.state).toBe('hardware');
    expect(configured(sim)).toBe('hardware');
    expect(running(sim)).toBe('hardware');
  });

  it('two sets at once: serialised, both answer, config and ruleset agree', async () => {
    const [a, b] = await Promise.all([set('off'), set('software')]);
    for (const r of [a, b]) expect(r.result?.[1]?.error).toBeUndefined();
    expect(running(sim)).toBe(configured(sim));
  });

  it('conntrack unreadable: stats says so instead of reporting zero', async () => {
    const p = join(sim.root, 'proc/net/nf_conntrack');
    rmSync(p);
    mkdirSync(p);
    try {
      const r = (await call(sim, sid, 'luci.offload', 'stats', {})) as Reply;
      expect(r.result?.[1]?.conntrack?.offloaded).toBeNull();
      expect(r.result?.[1]?.conntrack?.error).toContain('conntrack table not readable');
    } finally {
      rmSync(p, { recursive: true });
    }
  });

  it('nft missing: status answers "unsupported" and set changes nothing it cannot verify', async () => {
    const nft = join(sim.root, 'usr/sbin/nft');
    const keep = readFileSync(nft);
    rmSync(nft);
    try {
      const s = (await call(sim, sid, 'luci.offload', 'status', {})) as Reply;
      expect(s.result?.[1]?.effective?.state).toBe('unsupported');
      const before = fw(sim);
      const r = await set(configured(sim) === 'off' ? 'software' : 'off');
      expect(r.result?.[1]?.code).toBe('apply_failed');
      expect(fw(sim)).toBe(before);
    } finally {
      const { writeFileSync, chmodSync } = await import('node:fs');
      writeFileSync(nft, keep);
      chmodSync(nft, 0o755);
    }
  });
});

describe('the handler killed mid-apply (rpcd status 5: SIGKILL before any output)', () => {
  let sim: RunningSim;
  let sid: string;
  beforeAll(async () => {
    sim = await startSim(['--logins', LOGINS, '--exec-timeout', '3']);
    sid = await login(sim);
  });
  afterAll(async () => sim?.stop());

  it('answers 5, the next status reports the interrupted change, the next set repairs it', async () => {
    const before = fw(sim);
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: true });
    const r = (await call(sim, sid, 'luci.offload', 'set', { mode: 'software' })) as Reply;
    expect(r.result).toEqual([5]);
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: false });
    // The config was committed before the reload was killed: disk and running ruleset disagree.
    expect(fw(sim)).not.toBe(before);
    const s = (await call(sim, sid, 'luci.offload', 'status', {})) as Reply;
    const st = s.result?.[1];
    expect(st?.interrupted?.requested).toBe('software');
    expect(st?.interrupted?.detail).toContain('interrupted after the firewall config was changed');
    expect(st?.effective?.state).toBe('misconfigured');
    const again = (await call(sim, sid, 'luci.offload', 'set', { mode: 'software' })) as Reply;
    expect(again.result?.[1]?.recovered).toContain('interrupted change');
    expect(again.result?.[1]?.status?.effective?.state).toBe('software');
    expect(again.result?.[1]?.status?.interrupted).toBeNull();
    expect(running(sim)).toBe('software');
  }, 30000);
});

describe('access control with the package\'s acl.d file', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim(['--logins', LOGINS]);
  });
  afterAll(async () => sim?.stop());

  it('a read-only user may read and gets -32002 for set and flush', async () => {
    const sid = await login(sim, 'viewer', 'viewer-demo');
    for (const m of METHOD_NAMES) {
      const r = await call(sim, sid, 'luci.offload', m, m === 'set' ? { mode: 'off' } : {});
      if (METHODS[m].access === 'read') expect(r.result?.[0], m).toBe(0);
      else expect(r.error?.code, m).toBe(-32002);
    }
  });

  it('expired, forged and unauthenticated sessions get -32002 everywhere', async () => {
    const sid = await login(sim);
    await sim.hook('/__sim/expire', { sid });
    for (const s of [sid, 'f'.repeat(32), '0'.repeat(32)]) {
      for (const m of METHOD_NAMES) expect((await call(sim, s, 'luci.offload', m, {})).error?.code, `${m} ${s.slice(0, 4)}`).toBe(-32002);
    }
  });

  it('the menu entry shows for users with the ACL group and is hidden without it', async () => {
    const page = async (user: string, pass: string): Promise<string> => {
      const res = await fetch(`${sim.url}/cgi-bin/luci/admin/network/offload`, {
        method: 'POST',
        body: new URLSearchParams({ luci_username: user, luci_password: pass }),
        redirect: 'manual',
      });
      const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
      return (await fetch(`${sim.url}/cgi-bin/luci/admin/network/offload`, { headers: { cookie } })).text();
    };
    expect(await page('root', 'offload-demo')).toContain('>Flow Offloading</a>');
    expect(await page('viewer', 'viewer-demo')).toContain('"readonly":true');
    const nobody = await page('nobody', 'nobody-demo');
    expect(nobody).not.toContain('Flow Offloading');
  });
});
