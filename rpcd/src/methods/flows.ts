/** `flows`: the largest flows with their offload state and, when not offloaded, why. */
import type { FlowsArgs, FlowsResult, FlowEntry, Message, Mode } from '../api/contract';
import { msg } from '../calc/message';
import { eachConntrackLine } from '../sys/conntrack';
import { parseConntrackLine, type ConntrackEntry } from '../parse/conntrack';
import { maskAddress } from '../calc/mask';
import { keepLargest } from '../calc/largest';

export const DEFAULT_FLOW_LIMIT = 50;

/** Why a flow is not offloaded, from what its conntrack entry shows. Pure. */
export function whyNotOffloaded(e: ConntrackEntry, mode: Mode | null): Message | null {
  if (e.offload !== 'none') return null;
  if (mode === 'off') return msg('offloading is off');
  if (e.proto !== 'tcp' && e.proto !== 'udp') return msg('only TCP and UDP are offloaded (this is %s)', e.proto);
  if (e.unreplied) return msg('no reply seen yet: flows are offloaded once both directions are established');
  if (e.proto === 'tcp' && e.tcp_state && e.tcp_state !== 'ESTABLISHED') {
    return e.tcp_state === 'SYN_SENT' || e.tcp_state === 'SYN_RECV'
      ? msg('TCP handshake not finished yet')
      : msg('TCP connection is %s (only established connections are offloaded)', e.tcp_state.toLowerCase().replace('_', ' '));
  }
  return msg('not in the flowtable: traffic to or from the router itself, a device outside the flowtable, or no packet since offloading was switched on');
}

export function toFlowEntry(e: ConntrackEntry, mode: Mode | null, mask: boolean): FlowEntry {
  const m = (a: string): string => (mask ? maskAddress(a) : a);
  const why = whyNotOffloaded(e, mode);
  return {
    l3: e.l3 ?? (e.orig.src.includes(':') ? 'ipv6' : 'ipv4'),
    proto: e.proto,
    src: m(e.orig.src),
    dst: m(e.orig.dst),
    sport: e.orig.sport,
    dport: e.orig.dport,
    bytes: e.bytes,
    packets: e.packets,
    tcp_state: e.tcp_state,
    offload: e.offload,
    why_not: why?.text ?? null,
    why_not_msg: why,
  };
}

export function flows(args: FlowsArgs, mode: () => Mode | null): FlowsResult {
  const limit = args.limit ?? DEFAULT_FLOW_LIMIT;
  const mask = args.mask ?? true;
  const top: ConntrackEntry[] = [];
  let total = 0;
  let offloaded = 0;
  let hw = 0;
  const t = eachConntrackLine((line) => {
    const e = parseConntrackLine(line);
    if (!e) return;
    total++;
    if (e.offload === 'software') offloaded++;
    else if (e.offload === 'hardware') hw++;
    keepLargest(top, e, limit);
  });
  const current = total ? mode() : null;
  return {
    flows: top.map((e) => toFlowEntry(e, current, mask)),
    total,
    offloaded,
    hw_offloaded: hw,
    source: t.source,
    error: t.error,
    masked: mask,
  };
}
