/**
 * Conflicts between flow offloading and other features, from their configs.
 * Sources: LuCI's own hint "Not fully compatible with QoS/SQM."; nft-qos rules
 * are skipped by offloaded flows (openwrt/packages#22883); hardware offload
 * and WireGuard (openwrt/openwrt#17915). Pure.
 */
import type { Conflict, Mode } from '../api/contract';
import { uciBool, type UciSection } from '../parse/uci';

export interface ConflictInput {
  mode: Mode;
  sqm: UciSection[];
  /** null when qosify is not installed. */
  qosify: UciSection[] | null;
  qosifyRunning: boolean;
  nftQos: UciSection[];
  network: UciSection[];
}

export function findConflicts(i: ConflictInput): Conflict[] {
  if (i.mode === 'off') return [];
  const out: Conflict[] = [];
  const sqm = i.sqm.filter((s) => s.type === 'queue' && uciBool(s.options.enabled));
  if (sqm.length) {
    const ifs = sqm.map((s) => (typeof s.options.interface === 'string' ? s.options.interface : s.name)).join(', ');
    out.push(
      i.mode === 'hardware'
        ? {
            id: 'sqm',
            severity: 'warning',
            text: `SQM is enabled on ${ifs}. Hardware-offloaded flows never reach the CPU, so SQM cannot shape them.`,
            advice: 'Use software offloading or turn offloading off while you rely on SQM.',
          }
        : {
            id: 'sqm',
            severity: 'warning',
            text: `SQM is enabled on ${ifs}. LuCI marks offloading as "not fully compatible with QoS/SQM": offloaded flows skip the firewall path that SQM setups may rely on.`,
            advice: 'If latency under load gets worse, turn offloading off; compare with SQM alone.',
          },
    );
  }
  if (i.qosify !== null) {
    const enabledIfs = i.qosify.filter((s) => s.type === 'interface' && !uciBool(s.options.disabled));
    if (i.qosifyRunning || enabledIfs.length) {
      out.push({
        id: 'qosify',
        severity: 'warning',
        text: 'qosify is active. Offloaded flows bypass the classification and shaping qosify applies.',
        advice: 'Turn offloading off while qosify shapes traffic, or stop qosify.',
      });
    }
  }
  const nq = i.nftQos.find((s) => ['limit_enable', 'limit_mac_enable', 'priority_enable'].some((k) => uciBool(s.options[k])));
  if (nq) {
    out.push({
      id: 'nft-qos',
      severity: 'warning',
      text: 'nft-qos is enabled. Its nftables rules never see offloaded flows after the first packets, so its limits and priorities stop working.',
      advice: 'Turn offloading off while you use nft-qos (openwrt/packages#22883).',
    });
  }
  if (i.mode === 'hardware') {
    const wg = i.network.filter((s) => s.type === 'interface' && s.options.proto === 'wireguard' && !uciBool(s.options.disabled));
    if (wg.length) {
      out.push({
        id: 'wireguard-hw',
        severity: 'warning',
        text: `WireGuard interface ${wg.map((s) => s.name).join(', ')} with hardware offloading: long-lived WireGuard flows have been seen to stall when hardware offload drops them (openwrt/openwrt#17915).`,
        advice: 'If the tunnel stalls after a while, use software offloading.',
      });
    }
  }
  return out;
}
