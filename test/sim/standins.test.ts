/**
 * The stand-ins against the real programs' measured behaviour
 * (../shared/platform/real-programs.md and the upstream sources): fw4's exit
 * status, uci's parse errors, flowtable devices from netifd.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';
import { setFault, netifdReload } from './scenario/build';
import { flowtables } from './tools/nft-text';

let t: TestRoot | undefined;
afterEach(() => t?.cleanup());

function sh(root: string, cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(root, cmd), args, { env: { PATH: process.env.PATH, OFFLOAD_ROOT: root }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const ruleset = (root: string): string => (existsSync(join(root, 'sim/nft/ruleset.nft')) ? readFileSync(join(root, 'sim/nft/ruleset.nft'), 'utf8') : '');
const ft = (root: string) => flowtables(ruleset(root)).find((f) => f.table === 'fw4' && f.name === 'ft');
const setOffload = (root: string, hw: boolean): void => {
  const p = join(root, 'etc/config/firewall');
  writeFileSync(p, readFileSync(p, 'utf8').replace("option forward 'REJECT'\n", `option forward 'REJECT'\n\toption flow_offloading '1'\n${hw ? "\toption flow_offloading_hw '1'\n" : ''}`));
};

describe('fw4 stand-in: exit status as root/sbin/fw4 has it', () => {
  it('reload exits 0 when nft rejects the ruleset; nft\'s Error: line on stderr; previous ruleset stays', () => {
    t = scenarioRoot('mt7621');
    const before = ruleset(t.root);
    setOffload(t.root, false);
    setFault(t.root, 'fw4-fail', true);
    const r = sh(t.root, 'sbin/fw4', ['reload']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^\/dev\/stdin:\d+:\d+-\d+: Error: Could not process rule: /m);
    expect(ruleset(t.root)).toBe(before);
    setFault(t.root, 'fw4-fail', false);
    expect(sh(t.root, 'sbin/fw4', ['reload']).status).toBe(0);
    expect(ft(t.root)?.devices).toEqual(['br-lan', 'wan']);
  });

  it('exit 1 only from its own checks: reload without state, start with state', () => {
    t = scenarioRoot('mt7621');
    const again = sh(t.root, 'sbin/fw4', ['start']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('The fw4 firewall appears to be already loaded.\n');
    rmSync(join(t.root, 'var/run/fw4.state'));
    const r = sh(t.root, 'sbin/fw4', ['reload']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('The fw4 firewall does not appear to be loaded.\n');
    expect(sh(t.root, 'sbin/fw4', ['-q', 'reload']).stderr).toBe('');
  });

  it('check exits with nft\'s status; restart refuses a ruleset that fails the check', () => {
    t = scenarioRoot('x86');
    expect(sh(t.root, 'sbin/fw4', ['check'])).toMatchObject({ status: 0, stdout: 'Ruleset passes nftables check.\n' });
  });

  it('a firewall config uci cannot parse: exit 0, a ruleset without zone rules or flowtable', () => {
    t = scenarioRoot('mt7621-software');
    expect(ft(t.root)).toBeDefined();
    setFault(t.root, 'firewall-unparsable', true);
    const r = sh(t.root, 'sbin/fw4', ['reload']);
    expect(r.status).toBe(0);
    expect(ruleset(t.root)).toContain('chain forward');
    expect(ruleset(t.root)).not.toMatch(/jump (input|forward)_/);
    expect(ft(t.root)).toBeUndefined();
  });
});

describe('uci stand-in: a config libuci cannot parse', () => {
  it('show -q prints nothing and exits 1, like an absent config', () => {
    t = scenarioRoot('mt7621');
    setFault(t.root, 'firewall-unparsable', true);
    const lines = readFileSync(join(t.root, 'etc/config/firewall'), 'utf8').split('\n').length - 1;
    expect(sh(t.root, 'sbin/uci', ['-q', 'show', 'firewall'])).toEqual({ status: 1, stdout: '', stderr: '' });
    expect(sh(t.root, 'sbin/uci', ['-q', 'show', 'nosuchconfig'])).toEqual({ status: 1, stdout: '', stderr: '' });
    const r = sh(t.root, 'sbin/uci', ['show', 'firewall']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    // libuci.c uci_get_errorstr: "<argv0>: Parse error (<reason>) at line <n>, byte <pos>"
    expect(r.stderr).toBe(`${join(t.root, 'sbin/uci')}: Parse error (invalid command) at line ${lines}, byte 0\n`);
    for (const args of [['set', 'firewall.@defaults[0].flow_offloading=1'], ['commit', 'firewall'], ['get', 'firewall.@defaults[0]']]) {
      const x = sh(t.root, 'sbin/uci', args);
      expect(x.status, args.join(' ')).toBe(1);
      expect(x.stderr, args.join(' ')).toContain('Parse error (invalid command)');
    }
    setFault(t.root, 'firewall-unparsable', false);
    expect(sh(t.root, 'sbin/uci', ['-q', 'show', 'firewall']).status).toBe(0);
  });

  it('reports libuci\'s reasons and positions', () => {
    t = scenarioRoot('mt7621');
    const cases: [string, string][] = [
      ["config defaults\n\toption input 'ACCEPT\n", "Parse error (EOF with unterminated ') at line 2, byte 22"],
      ["config defaults\n  option a b c\n", 'Parse error (too many arguments) at line 2, byte 15'],
      ["option a 'b'\n", 'Parse error (option/list command found before the first section) at line 1, byte 0'],
      ["config zone\n\toption na.me 'x'\n", 'Parse error (invalid character in name field) at line 2, byte 14'],
      ['config\n', 'Parse error (insufficient arguments) at line 1, byte 7'],
    ];
    for (const [text, want] of cases) {
      writeFileSync(join(t.root, 'etc/config/test'), text);
      expect(sh(t.root, 'sbin/uci', ['show', 'test']).stderr, JSON.stringify(text)).toBe(`${join(t.root, 'sbin/uci')}: ${want}\n`);
    }
  });
});

describe('fw4 stand-in: flowtable devices come from netifd only', () => {
  it('PPPoE: the flowtable holds the physdev (wan), the zone matches pppoe-wan', () => {
    t = scenarioRoot('pppoe');
    expect(ft(t.root)?.devices).toEqual(['br-lan', 'wan']);
    expect(ruleset(t.root)).toContain('iifname "pppoe-wan" jump input_wan');
    expect(ruleset(t.root)).not.toContain('"pppoe-wan" }'); // not in the flowtable
  });

  it('a zone\'s `list device` never reaches the flowtable', () => {
    t = scenarioRoot('mt7621-software');
    const p = join(t.root, 'etc/config/firewall');
    writeFileSync(p, readFileSync(p, 'utf8').replace("\tlist network 'lan'\n", "\tlist network 'lan'\n\tlist device 'eth0'\n"));
    expect(sh(t.root, 'sbin/fw4', ['reload']).status).toBe(0);
    expect(ft(t.root)?.devices).toEqual(['br-lan', 'wan']);
    expect(ruleset(t.root)).toContain('iifname "eth0" jump input_lan');
  });

  it('without netifd there is no flowtable ft at all', () => {
    t = scenarioRoot('mt7621-software');
    setFault(t.root, 'netifd-down', true);
    expect(sh(t.root, 'sbin/fw4', ['reload']).status).toBe(0);
    expect(ft(t.root)).toBeUndefined();
    expect(ruleset(t.root)).not.toContain('flow offload');
  });

  it('fw4 sees the network config netifd loaded, not the file on disk', () => {
    t = scenarioRoot('mt7621-software');
    const p = join(t.root, 'etc/config/network');
    writeFileSync(p, readFileSync(p, 'utf8').replace("option device 'wan'\n\toption proto 'dhcp'", "option device 'eth0'\n\toption proto 'dhcp'"));
    sh(t.root, 'sbin/fw4', ['reload']);
    expect(ft(t.root)?.devices).toEqual(['br-lan', 'wan']);
    netifdReload(t.root);
    sh(t.root, 'sbin/fw4', ['reload']);
    expect(ft(t.root)?.devices).toEqual(['br-lan', 'eth0', 'wan']);
  });

  it('hardware: bridges resolve to their ports by netifd\'s devtype', () => {
    t = scenarioRoot('mt7621-hardware');
    expect(ft(t.root)).toMatchObject({ devices: ['lan1', 'lan2', 'wan'], hw: true });
    const dump = JSON.parse(readFileSync(join(t.root, 'sim/netifd/interface-dump.json'), 'utf8')) as { interface: { interface: string; device?: string; l3_device?: string }[] };
    expect(dump.interface.map((i) => i.interface)).toEqual(['lan', 'loopback', 'wan', 'wan6']);
    expect(dump.interface.find((i) => i.interface === 'lan')).toMatchObject({ device: 'br-lan', l3_device: 'br-lan' });
  });
});
