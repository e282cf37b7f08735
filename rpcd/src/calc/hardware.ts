/**
 * Is hardware offload really carrying flows? `flags offload` in the running
 * flowtable only says the kernel accepted a hardware flowtable; on some
 * targets (ipq40xx, openwrt/openwrt#14365) it is there while no flow is in
 * hardware. Only the conntrack `[HW_OFFLOAD]` marker — and where debugfs shows
 * it, the engine's own table — proves it (real-programs.md §5). Pure.
 */
import type { EffectiveState, EngineView, FlowEvidence, HardwareProof, HardwareVerdict, HwCounters, Message } from '../api/contract';
import type { MibReading } from '../parse/ethtool';
import { msg, join } from './message';

export function hardwareVerdict(flows: FlowEvidence | null): HardwareVerdict {
  if (!flows) return 'unknown';
  if (flows.hw_offloaded > 0) return 'in-hardware';
  if (flows.offloaded > 0) return 'none-in-hardware';
  return 'no-offloaded-flows';
}

/** The proof for a running hardware flowtable; null when hardware offload is not what runs. */
export function hardwareProof(state: EffectiveState, flows: FlowEvidence | null, engine: EngineView | null): HardwareProof | null {
  if (state !== 'hardware') return null;
  return { verdict: hardwareVerdict(flows), engine };
}

/** The effective state's sentence, completed with what the flows show. */
export function hardwareReason(base: Message, proof: HardwareProof | null, flows: FlowEvidence | null): Message {
  if (!proof || !flows) return base;
  switch (proof.verdict) {
    case 'in-hardware':
      return join(base, msg('%s of %s offloaded flows are in hardware.', flows.hw_offloaded, flows.hw_offloaded + flows.offloaded));
    case 'none-in-hardware':
      return join(
        base,
        msg(
          'But none of the %s offloaded flows is in hardware: the flowtable accepted "flags offload", yet the driver handles them in software (a target without a flow engine, a device the engine does not serve, or an engine that binds flows only after more packets).',
          flows.offloaded,
        ),
      );
    case 'no-offloaded-flows':
      return join(base, msg('No flow is offloaded yet, so nothing shows whether the hardware takes them.'));
    default:
      return base;
  }
}

/**
 * The hardware counters answer: this reading, with the rates since the previous one when it read
 * the same ports with the same counters, earlier, and neither sum went down (a reset or a reboot).
 */
export function hwCounters(cur: MibReading, prev: MibReading | null): HwCounters {
  const dt = prev ? cur.at_ms - prev.at_ms : 0;
  const comparable =
    prev !== null && dt > 0 && prev.counters === cur.counters && prev.ports.join(' ') === cur.ports.join(' ') && cur.rx_bytes >= prev.rx_bytes && cur.tx_bytes >= prev.tx_bytes;
  const bps = (a: number, b: number): number => Math.round(((a - b) * 8 * 1000) / dt);
  return {
    source: 'switch-mib',
    ports: cur.ports,
    counters: cur.counters,
    rx_bytes: cur.rx_bytes,
    tx_bytes: cur.tx_bytes,
    rx_bps: comparable ? bps(cur.rx_bytes, (prev as MibReading).rx_bytes) : null,
    tx_bps: comparable ? bps(cur.tx_bytes, (prev as MibReading).tx_bytes) : null,
    interval_ms: comparable ? dt : null,
  };
}
