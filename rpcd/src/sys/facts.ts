/** System facts, device properties and module state: files only, plus ethtool. */
import { readLine, readText, exists, listDir } from './fs';
import { run, which } from './exec';
import { parseShellVars, parseProcVersion } from '../parse/release';
import { parseEthtoolFeatures } from '../parse/ethtool';
import { isSafeDeviceName } from '../parse/net-dev';
import type { SystemFacts } from '../api/contract';

export function firewallKind(): SystemFacts['firewall'] {
  if (exists('/sbin/fw4')) return 'fw4';
  if (exists('/sbin/fw3')) return 'fw3';
  return 'none';
}

export function systemFacts(): SystemFacts {
  const rel = parseShellVars(readText('/etc/openwrt_release') ?? '');
  const kernel = parseProcVersion(readText('/proc/sys/kernel/osrelease') ?? readText('/proc/version') ?? '');
  return {
    board: readLine('/tmp/sysinfo/board_name'),
    model: readLine('/tmp/sysinfo/model'),
    release: rel.DISTRIB_DESCRIPTION ?? (rel.DISTRIB_RELEASE ? `${rel.DISTRIB_ID ?? 'OpenWrt'} ${rel.DISTRIB_RELEASE}` : null),
    target: rel.DISTRIB_TARGET ?? null,
    arch: rel.DISTRIB_ARCH ?? null,
    kernel: kernel || null,
    firewall: firewallKind(),
  };
}

export function moduleState(): { nft_flow_offload: boolean; refcnt: number | null } {
  const ref = readLine('/sys/module/nft_flow_offload/refcnt');
  const n = ref === null ? null : Number.parseInt(ref, 10);
  return { nft_flow_offload: ref !== null || exists('/sys/module/nft_flow_offload'), refcnt: n !== null && Number.isFinite(n) ? n : null };
}

export function deviceExists(dev: string): boolean {
  return exists(`/sys/class/net/${dev}`);
}

/** Lower devices of a bridge or VLAN (`lower_*` links in sysfs), as fw4 resolves them for hardware offload. */
export function lowerDevices(dev: string): string[] {
  return listDir(`/sys/class/net/${dev}`)
    .filter((n) => n.startsWith('lower_'))
    .map((n) => n.slice('lower_'.length));
}

/** The kernel's DEVTYPE of a device (sysfs uevent), which is where netifd's devtype comes from; null when none. */
export function sysfsDevtype(dev: string): string | null {
  const m = /^DEVTYPE=(.+)$/m.exec(readText(`/sys/class/net/${dev}/uevent`) ?? '');
  return m ? (m[1] as string) : null;
}

/** `hw-tc-offload` of a device from `ethtool -k`; null when ethtool is absent or fails. */
export function hwTcOffload(dev: string): { on: boolean; fixed: boolean } | null {
  if (!isSafeDeviceName(dev) || !which('ethtool')) return null;
  const r = run(['ethtool', '-k', dev], { timeoutMs: 3000 });
  if (r.code !== 0) return null;
  return parseEthtoolFeatures(r.stdout)['hw-tc-offload'] ?? null;
}
