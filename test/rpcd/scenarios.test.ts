/**
 * Every method of the bundled handler under real qjs, in simulated-router
 * scenarios: the stand-ins for uci, fw4, nft and conntrack behave as the real
 * tools do, so these runs follow the same code paths as on a router.
 */
import { describe, it, expect } from 'vitest';
import { rmSync, writeFileSync, renameSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runHandler, runHandlerAsync } from '../helpers/qjs';
import type { TestRoot } from '../helpers/scenario';
import { setFault } from '../sim/scenario/build';
import type { StatusResult, SetResult, StatsResult, FlowsResult, DiagnosticsResult, FlushResult, ErrorResult } from '../../rpcd/src/api/contract';

import { scenario, call, firewall, ruleset } from './scenario-calls';

describe('status', () => {
  it('off: no flowtable, both zone devices present and not flagged', () => {
    const t = scenario('mt7621');
    const s = call<StatusResult>(t, 'status');
    expect(s.configured.mode).toBe('off');
    expect(s.effective).toMatchObject({ state: 'off', mode: 'off', flowtable: null, rule: false });
    expect(s.devices.map((d) => [d.device, d.role])).toEqual([['br-lan', 'lan'], ['wan', 'wan']]);
    expect(s.devices.every((d) => d.problems.length === 0)).toBe(true);
    expect(s.module).toEqual({ nft_flow_offload: true, refcnt: 1 });
    expect(s.capabilities.software.available).toBe(true);
    expect(s.capabilities.hardware.available).toBe(true);
    expect(s.system).toMatchObject({ board: 'xiaomi,mi-router-4a-gigabit', target: 'ramips/mt7621', kernel: '6.12.58', firewall: 'fw4' });
  });

  it('software: flowtable with the zone devices and the forward rule', () => {
    const s = call<StatusResult>(scenario('mt7621-software'), 'status');
    expect(s.effective.state).toBe('software');
    expect(s.effective.flowtable).toMatchObject({ table: 'fw4', name: 'ft', devices: ['br-lan', 'wan'], hw: false, counter: true });
    expect(s.effective.rule).toBe(true);
    expect(s.devices.filter((d) => d.in_flowtable).map((d) => d.device)).toEqual(['br-lan', 'wan']);
  });

  it('hardware: flags offload on the bridge members and wan', () => {
    const s = call<StatusResult>(scenario('mt7621-hardware'), 'status');
    expect(s.effective.state).toBe('hardware');
    expect(s.effective.flowtable?.devices).toEqual(['lan1', 'lan2', 'wan']);
    expect(s.effective.flowtable?.hw).toBe(true);
    expect(s.devices.find((d) => d.device === 'br-lan')?.in_flowtable).toBe(true);
  });

  it('PPPoE: pppoe-wan is not in the flowtable; with offloaded flows it is carried by its underlying device', () => {
    const s = call<StatusResult>(scenario('pppoe'), 'status');
    expect(s.effective.flowtable?.devices).toEqual(['br-lan', 'wan']);
    expect(s.effective.flows?.offloaded).toBeGreaterThan(0);
    const ppp = s.devices.find((d) => d.device === 'pppoe-wan');
    expect(ppp).toMatchObject({ role: 'wan', in_flowtable: false, carried_by: 'wan', problems: [] });
    expect(s.topology).toEqual({ source: 'netifd', error: null });
  });

  it('old nft listing with unquoted device names parses the same', () => {
    const t = scenario('old-nft');
    expect(ruleset(t)).toContain('devices = { br-lan, wan }');
    expect(call<StatusResult>(t, 'status').effective.flowtable?.devices).toEqual(['br-lan', 'wan']);
  });

  it('fw3 system: a clear unsupported answer', () => {
    const s = call<StatusResult>(scenario('fw3'), 'status');
    expect(s.effective.state).toBe('unsupported');
    expect(s.effective.reason).toContain('fw3');
    expect(s.capabilities.software.available).toBe(false);
  });

  it('nft missing: unsupported, says so', () => {
    const t = scenario('mt7621');
    rmSync(join(t.root, 'usr/sbin/nft'));
    const s = call<StatusResult>(t, 'status');
    expect(s.effective.state).toBe('unsupported');
    expect(s.effective.reason).toContain('nft');
  });

  it('SQM active: a conflict in plain words with advice', () => {
    const s = call<StatusResult>(scenario('sqm'), 'status');
    expect(s.conflicts.map((c) => c.id)).toEqual(['sqm']);
    expect(s.conflicts[0]?.text).toContain('SQM is enabled on wan');
    expect(s.conflicts[0]?.advice.length).toBeGreaterThan(10);
  });

  it('WireGuard with hardware offload: flagged', () => {
    const s = call<StatusResult>(scenario('wireguard'), 'status');
    expect(s.conflicts.map((c) => c.id)).toContain('wireguard-hw');
  });

  it('config changed but not reloaded: misconfigured with the reason', () => {
    const t = scenario('mt7621');
    writeFileSync(join(t.root, 'etc/config/firewall'), firewall(t).replace("option forward 'REJECT'\n", "option forward 'REJECT'\n\toption flow_offloading '1'\n"));
    const s = call<StatusResult>(t, 'status');
    expect(s.configured.mode).toBe('software');
    expect(s.effective.state).toBe('misconfigured');
    expect(s.effective.reason).toContain('not been reloaded');
  });
});

describe('set', () => {
  it('the configured mode again while the ruleset runs another: applied and verified, not "already active"', () => {
    const t = scenario('mt7621');
    // The config says software, the running ruleset is still off (never reloaded, or nft rejected it).
    writeFileSync(join(t.root, 'etc/config/firewall'), firewall(t).replace("option forward 'REJECT'\n", "option forward 'REJECT'\n\toption flow_offloading '1'\n"));
    const r = call<SetResult>(t, 'set', { mode: 'software' });
    expect(r, JSON.stringify(r)).toMatchObject({ changed: true, previous: 'software', requested: 'software' });
    expect(r.status.effective.state).toBe('software');
  });

  it('software: writes uci like LuCI, reloads, returns the verified state', () => {
    const t = scenario('mt7621');
    const r = call<SetResult>(t, 'set', { mode: 'software' });
    expect(r).toMatchObject({ changed: true, previous: 'off', requested: 'software', warning: null });
    expect(r.status.effective.state).toBe('software');
    expect(firewall(t)).toContain("option flow_offloading '1'");
    expect(firewall(t)).not.toContain('flow_offloading_hw');
    expect(ruleset(t)).toContain('flow add @ft');
  });

  it('off after software deletes the options (LuCI writes no 0)', () => {
    const t = scenario('mt7621-software');
    const r = call<SetResult>(t, 'set', { mode: 'off' });
    expect(r.status.effective.state).toBe('off');
    expect(firewall(t)).not.toContain('flow_offloading');
    expect(ruleset(t)).not.toContain('flowtable');
  });

  it('hardware refused: falls back to software and returns fw4\'s warning', () => {
    const t = scenario('x86');
    const r = call<SetResult>(t, 'set', { mode: 'hardware' });
    expect(r.warning).toBe('Hardware flow offloading unavailable, falling back to software offloading');
    expect(r.status.effective.state).toBe('hardware-fallback');
    expect(r.status.effective.reason).toContain('fell back to software');
    expect(r.status.capabilities.hardware.available).toBe(false);
    // The warning is remembered for later status calls and the report.
    expect(call<StatusResult>(t, 'status').last_warning?.text).toBe(r.warning);
  });

  it('the current mode again changes nothing (not even the file\'s bytes)', () => {
    const t = scenario('mt7621-software');
    const before = firewall(t);
    const r = call<SetResult>(t, 'set', { mode: 'software' });
    expect(r.changed).toBe(false);
    expect(firewall(t)).toBe(before);
  });

  it('reload failure: the previous config is restored byte for byte and reloaded, the error says so', () => {
    const t = scenario('mt7621');
    const before = firewall(t);
    const rulesBefore = ruleset(t);
    setFault(t.root, 'fw4-fail', true);
    const r = call<ErrorResult>(t, 'set', { mode: 'hardware' });
    expect(r.code).toBe('apply_failed');
    expect(r.error).toContain('nft rejected the new ruleset (Error: Could not process rule');
    expect(r.error).toContain('previous firewall config was restored');
    expect(firewall(t)).toBe(before);
    setFault(t.root, 'fw4-fail', false);
    expect(ruleset(t)).toBe(rulesBefore);
    expect(call<StatusResult>(t, 'status').effective.state).toBe('off');
  });

  // Real `fw4 reload` exits 0 when nft rejects the ruleset (its start() returns the status of the
  // includes step; real-programs.md §3). Here the simulator's fw4 is wrapped to exit 0 as the real one
  // does, so only the running ruleset can tell that the change did not take effect.
  const fw4ExitsZero = (t: TestRoot): void => {
    renameSync(join(t.root, 'sbin/fw4'), join(t.root, 'sbin/fw4.sim'));
    writeFileSync(join(t.root, 'sbin/fw4'), '#!/bin/sh\n"$(dirname "$0")/fw4.sim" "$@"\nexit 0\n', { mode: 0o755 });
  };

  it('nft rejects the ruleset but fw4 exits 0: an error quoting nft, the config restored, no success', () => {
    const t = scenario('mt7621');
    fw4ExitsZero(t);
    const before = firewall(t);
    const rulesBefore = ruleset(t);
    setFault(t.root, 'fw4-fail', true);
    const r = call<ErrorResult>(t, 'set', { mode: 'software' });
    expect(r.code, JSON.stringify(r)).toBe('apply_failed');
    expect(r.error).toContain('The switch to software did not take effect: nft rejected the new ruleset (Error: Could not process rule: Invalid argument)');
    expect(r.error).toContain('previous firewall config was restored');
    expect(firewall(t)).toBe(before);
    expect(ruleset(t)).toBe(rulesBefore);
    setFault(t.root, 'fw4-fail', false);
    const s = call<StatusResult>(t, 'status');
    expect(s.configured.mode).toBe('off');
    expect(s.effective.state).toBe('off');
  });

  it('flush: nft rejects the reload but fw4 exits 0: an error, not "recreated"', () => {
    const t = scenario('mt7621');
    expect(call<SetResult>(t, 'set', { mode: 'software' }).changed).toBe(true);
    fw4ExitsZero(t);
    setFault(t.root, 'fw4-fail', true);
    const r = call<ErrorResult>(t, 'flush');
    expect(r.code).toBe('apply_failed');
    expect(r.error).toMatch(/^nft rejected the ruleset \(Error: Could not process rule/);
  });

  it('a restored config keeps its mode under rpcd\'s umask 0077', () => {
    const t = scenario('mt7621');
    // The router's chmod, for the one call that puts the mode back.
    writeFileSync(join(t.root, 'bin/chmod'), '#!/bin/sh\nexec /bin/chmod "$@"\n', { mode: 0o755 });
    chmodSync(join(t.root, 'etc/config/firewall'), 0o640);
    const before = firewall(t);
    setFault(t.root, 'fw4-fail', true);
    const old = process.umask(0o077);
    let r: ErrorResult;
    try {
      r = call<ErrorResult>(t, 'set', { mode: 'software' });
    } finally {
      process.umask(old);
    }
    expect(r.code).toBe('apply_failed');
    expect(r.error).toContain('previous firewall config was restored');
    expect(firewall(t)).toBe(before);
    expect((statSync(join(t.root, 'etc/config/firewall')).mode & 0o7777).toString(8)).toBe('640');
  });

  it('no device in any zone network: software cannot take effect, so the change is undone', () => {
    const t = scenario('mt7621');
    fw4ExitsZero(t);
    const before = firewall(t);
    // Zones without networks: fw4 has nothing to put into a flowtable and renders none.
    writeFileSync(join(t.root, 'etc/config/firewall'), before.replace(/\n\s*(list|option) network .*/g, ''));
    const without = firewall(t);
    const r = call<ErrorResult>(t, 'set', { mode: 'software' });
    expect(r.code, JSON.stringify(r)).toBe('apply_failed');
    expect(r.error).toContain('did not take effect: after the reload the running ruleset has no flowtable');
    expect(firewall(t)).toBe(without);
  });

  it('an unparsable firewall config is an error with uci\'s message, never "no config"; set touches nothing', () => {
    const t = scenario('mt7621');
    const broken = firewall(t) + '\nconfig zone\n\toption name \'unterminated\n';
    writeFileSync(join(t.root, 'etc/config/firewall'), broken);
    const s = call<StatusResult>(t, 'status');
    // uci names itself by its argv[0] (cli.c), the path the handler ran it by.
    expect(s.configured.error).toMatch(/^uci cannot read \/etc\/config\/firewall: \S*uci: Parse error \(.+\) at line \d+, byte \d+$/);
    expect(s.effective.state).toBe('misconfigured');
    expect(s.effective.reason).toMatch(/^The firewall config cannot be read/);
    const r = call<ErrorResult>(t, 'set', { mode: 'software' });
    expect(r.code).toBe('apply_failed');
    expect(r.error).toMatch(/^Cannot read the firewall config: uci cannot read \/etc\/config\/firewall: \S*uci: Parse error .*Nothing was changed\.$/);
    expect(firewall(t)).toBe(broken);
  });

  it('uci commit fails (read-only overlay): nothing changes', () => {
    const t = scenario('mt7621');
    const before = firewall(t);
    setFault(t.root, 'uci-commit', true);
    const r = call<ErrorResult>(t, 'set', { mode: 'software' });
    expect(r.code).toBe('apply_failed');
    expect(r.error).toContain('uci commit firewall');
    expect(firewall(t)).toBe(before);
    setFault(t.root, 'uci-commit', false);
    expect(runHandler(['call', 'status'], '{}', t.root).json).toMatchObject({ configured: { mode: 'off' } });
  });

  it('two sets at once are serialised: both succeed, the last one wins', async () => {
    const t = scenario('mt7621');
    const [a, b] = await Promise.all([
      runHandlerAsync(['call', 'set'], '{"mode":"software"}', t.root),
      runHandlerAsync(['call', 'set'], '{"mode":"hardware"}', t.root),
    ]);
    for (const r of [a, b]) expect(r.json.error, JSON.stringify(r.json)).toBeUndefined();
    const s = call<StatusResult>(t, 'status');
    expect(['software', 'hardware']).toContain(s.configured.mode);
    expect(s.effective.state).toBe(s.configured.mode);
  });
});

describe('stats, flows, flush, diagnostics', () => {
  it('stats counts offloaded flows from /proc/net/nf_conntrack', () => {
    const t = scenario('mt7621-software');
    t.model.refresh(Date.now() + 1000);
    const s = call<StatsResult>(t, 'stats');
    expect(s.conntrack.source).toBe('proc');
    expect(s.conntrack.offloaded).toBeGreaterThan(50);
    expect(s.conntrack.hw_offloaded).toBe(0);
    expect(s.conntrack.count).toBe(s.conntrack.scanned);
    expect(call<StatsResult>(t, 'stats', { flows: false }).conntrack).toMatchObject({ source: 'skipped', offloaded: null });
  });

  it('no /proc conntrack file: falls back to conntrack -L', () => {
    const t = scenario('no-conntrack-proc');
    t.model.refresh(Date.now() + 1000);
    const s = call<StatsResult>(t, 'stats');
    expect(s.conntrack.source).toBe('conntrack-cli');
    expect(s.conntrack.offloaded).toBeGreaterThan(50);
  });

  it('no conntrack at all: an answer, not an exception', () => {
    const t = scenario('no-conntrack');
    const s = call<StatsResult>(t, 'stats');
    expect(s.conntrack.source).toBe('none');
    expect(s.conntrack.error).toContain('conntrack table not readable');
    const f = call<FlowsResult>(t, 'flows');
    expect(f.flows).toEqual([]);
    expect(f.error).toContain('not readable');
  });

  it('flows: largest first, offload state and why not, public addresses masked', () => {
    const t = scenario('mt7621-software');
    t.model.refresh(Date.now() + 3000);
    const f = call<FlowsResult>(t, 'flows', { limit: 20 });
    expect(f.flows).toHaveLength(20);
    expect(f.flows[0]!.bytes).toBeGreaterThanOrEqual(f.flows[1]!.bytes);
    expect(f.flows[0]!.offload).toBe('software');
    expect(f.flows[0]!.dst).toBe('x.x.x.x'); // masked whole (issue 14)
    const all = call<FlowsResult>(t, 'flows', { limit: 500, mask: false });
    const tw = all.flows.find((x) => x.tcp_state === 'TIME_WAIT');
    expect(tw?.why_not).toContain('time wait');
    expect(all.flows.find((x) => x.proto === 'icmp')?.why_not).toContain('only TCP and UDP');
  });

  it('flush recreates the flowtable; offloaded flows come back', () => {
    const t = scenario('mt7621-software');
    const r = call<FlushResult>(t, 'flush');
    expect(r.offloaded_before).toBeGreaterThan(0);
    expect(r.detail).toContain('Connections stay open');
  });

  it('diagnostics: a Markdown report with state, flowtable, devices, flows and masked addresses', () => {
    const t = scenario('pppoe');
    t.model.refresh(Date.now() + 2000);
    const d = call<DiagnosticsResult>(t, 'diagnostics');
    expect(d.markdown).toContain('Effective: **software**');
    expect(d.markdown).toContain('flowtable ft {');
    expect(d.markdown).toContain('| pppoe-wan | wan |');
    expect(d.markdown).toMatch(/\| pppoe-wan \| wan \| wan \| yes \| through wan \|/);
    expect(d.markdown).toContain('Zone devices from: netifd');
    expect(d.markdown).not.toMatch(/203\.0\.113\.10/);
    expect(d.markdown).toContain('masked');
  });
});
