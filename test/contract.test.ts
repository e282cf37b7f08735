/** The contract, the handler's `list` output and the package's ACL name the same methods. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METHODS, METHOD_NAMES, OBJECT, listSignature } from '../rpcd/src/api/contract';
import { runHandler, REPO, requireBuild } from './helpers/qjs';

const acl = JSON.parse(readFileSync(join(REPO, 'luci-app-offload/root/usr/share/rpcd/acl.d/luci-app-offload.json'), 'utf8')) as Record<
  string,
  { read: { ubus: Record<string, string[]> }; write: { ubus: Record<string, string[]> } }
>;
const group = acl['luci-app-offload'];

describe('API contract', () => {
  it('the built handler lists exactly the contract methods with their type hints', () => {
    requireBuild();
    const r = runHandler(['list']);
    expect(Object.keys(r.json).sort()).toEqual([...METHOD_NAMES].sort());
    expect(r.json).toEqual(listSignature());
  });

  it('the ACL read group grants the read methods and the write group the write methods, nothing else', () => {
    expect(group).toBeDefined();
    const read = group?.read.ubus[OBJECT] ?? [];
    const write = group?.write.ubus[OBJECT] ?? [];
    expect([...read].sort()).toEqual(METHOD_NAMES.filter((m) => METHODS[m].access === 'read').sort());
    expect([...write].sort()).toEqual(METHOD_NAMES.filter((m) => METHODS[m].access === 'write').sort());
    expect([...read, ...write].sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('the whole acl.d file: the panel\'s calls and nothing more (no uci: the panel never calls it, issue 14)', () => {
    const text = readFileSync(join(REPO, 'luci-app-offload/root/usr/share/rpcd/acl.d/luci-app-offload.json'), 'utf8');
    const read = METHOD_NAMES.filter((m) => METHODS[m].access === 'read');
    const write = METHOD_NAMES.filter((m) => METHODS[m].access === 'write');
    expect(JSON.parse(text)).toEqual({
      'luci-app-offload': {
        description: 'Grant access to the flow offloading panel',
        read: {
          ubus: { [OBJECT]: read, file: ['read'] },
          // LiveModel's one-second file.read batch (web/src/models/LiveModel.ts, web/src/lib/sample.ts)
          file: {
            '/proc/stat': ['read'],
            '/proc/uptime': ['read'],
            '/proc/sys/net/netfilter/nf_conntrack_count': ['read'],
            '/proc/net/dev': ['read'],
            '/sys/class/net/*/statistics/rx_bytes': ['read'],
            '/sys/class/net/*/statistics/tx_bytes': ['read'],
          },
        },
        write: { ubus: { [OBJECT]: write } },
      },
    });
  });

  it('the menu entry depends on the ACL group and the firewall config', () => {
    const menu = JSON.parse(readFileSync(join(REPO, 'luci-app-offload/root/usr/share/luci/menu.d/luci-app-offload.json'), 'utf8'));
    const node = menu['admin/network/offload'];
    expect(node.title).toBe('Flow Offloading');
    expect(node.action).toEqual({ type: 'view', path: 'offload' });
    expect(node.depends.acl).toEqual(['luci-app-offload']);
    expect(node.depends.uci).toEqual({ firewall: true });
  });
});
