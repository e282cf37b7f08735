/**
 * netifd's answers as the `ubus` CLI prints them (JSON):
 * - `ubus call network.interface dump`: `{"interface":[{interface, up, proto,
 *   device?, l3_device?, data:{zone?}}, …]}`. netifd's netifd_dump_status()
 *   (ubus.c) omits `device` for protocols without a device of their own
 *   (PROTO_FLAG_NODEV: qmi, wireguard, …) and for an alias (`@wan`) while
 *   its device is hidden, i.e. until the parent is up; from then on the
 *   alias's `device` is the parent's L3 device (captured: wan6 on `@wan`
 *   reports `device: rwan`, test/fixtures/netifd/guest-wan6-alias). It gives
 *   `l3_device` only while the interface is up.
 * - `ubus call network.device status`: `{"br-lan":{devtype:"bridge",
 *   present:true, "bridge-members":[…]}, …}`; fw4's resolve_lower_devices()
 *   reads `devtype` from it.
 * Pure; anything that is not the expected shape yields null (never a guess).
 */

export interface NetifdInterface {
  name: string;
  up: boolean;
  proto: string | null;
  /** The interface's main device (what fw4 calls `physdev`), when netifd reports one. */
  device: string | null;
  /** The device the traffic runs on (pppoe-wan, wwan0), only while up. */
  l3_device: string | null;
  /** `data.zone`: a zone an interface names for itself (fw4 adds it to that zone). */
  zone: string | null;
}

export interface NetifdDevice {
  /** netifd's devtype: ethernet, bridge, vlan, …; null when not given. */
  devtype: string | null;
  present: boolean | null;
  members: string[];
  /** A VLAN-filtering bridge's VLANs: id → its ports (netifd's `bridge-vlans`, `rlan:*` / `rlan2:t` without the flags). */
  vlans: Map<number, string[]>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `network.interface dump` → its interfaces; null when the text is not such a dump. */
export function parseInterfaceDump(text: string): NetifdInterface[] | null {
  const v = json(text);
  if (!isObj(v) || !Array.isArray(v['interface'])) return null;
  const out: NetifdInterface[] = [];
  for (const i of v['interface'] as unknown[]) {
    if (!isObj(i)) continue;
    const name = str(i['interface']);
    if (!name) continue;
    const data = isObj(i['data']) ? i['data'] : {};
    out.push({
      name,
      up: i['up'] === true,
      proto: str(i['proto']),
      device: str(i['device']),
      l3_device: str(i['l3_device']),
      zone: str(data['zone']),
    });
  }
  return out;
}

/** `network.device status` → device → devtype, presence and bridge members; null when not such an answer. */
export function parseDeviceStatus(text: string): Map<string, NetifdDevice> | null {
  const v = json(text);
  if (!isObj(v)) return null;
  const out = new Map<string, NetifdDevice>();
  for (const name of Object.keys(v)) {
    const d = v[name];
    if (!isObj(d)) continue;
    const members = Array.isArray(d['bridge-members']) ? (d['bridge-members'] as unknown[]).filter((m): m is string => typeof m === 'string' && m !== '') : [];
    const vlans = new Map<number, string[]>();
    if (Array.isArray(d['bridge-vlans'])) {
      for (const bv of d['bridge-vlans'] as unknown[]) {
        if (!isObj(bv) || !Number.isInteger(bv['id']) || !Array.isArray(bv['ports'])) continue;
        const ports = (bv['ports'] as unknown[]).filter((p): p is string => typeof p === 'string' && p !== '').map((p) => p.replace(/:[*tu]+$/, ''));
        vlans.set(bv['id'] as number, ports);
      }
    }
    out.set(name, { devtype: str(d['devtype']), present: typeof d['present'] === 'boolean' ? d['present'] : null, members, vlans });
  }
  return out;
}
