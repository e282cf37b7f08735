/**
 * The effective offload state: what the running ruleset really does, set
 * against what the config asks for. Pure.
 */
import type { EffectiveState, Mode, SystemFacts } from '../api/contract';
import type { Flowtable } from '../parse/nft';

export interface RulesetView {
  /** Could `nft list table inet fw4` be read. */
  readable: boolean;
  /** Why not, when it could not. */
  error: string | null;
  /** nft missing altogether. */
  nftMissing: boolean;
  flowtable: Flowtable | null;
  rule: boolean;
}

export interface StateInput {
  firewall: SystemFacts['firewall'];
  configured: Mode;
  /** Why the firewall config could not be read (uci's parse error), or null. */
  configError?: string | null;
  ruleset: RulesetView;
  /** Zone devices that exist on the router (for the "no devices" explanation). */
  existingZoneDevices: number;
  lastWarning: string | null;
}

export interface StateOutput {
  state: EffectiveState;
  mode: Mode;
  reason: string;
}

export const FALLBACK_WARNING = 'Hardware flow offloading unavailable, falling back to software offloading';

export function deriveState(i: StateInput): StateOutput {
  if (i.firewall === 'fw3') {
    return {
      state: 'unsupported',
      mode: 'off',
      reason: 'This router runs fw3 (iptables). This app reads nftables flowtables and needs firewall4 (OpenWrt 22.03 or newer).',
    };
  }
  if (i.firewall === 'none') {
    return { state: 'unsupported', mode: 'off', reason: 'No firewall4 found (/sbin/fw4 is missing).' };
  }
  if (i.ruleset.nftMissing) {
    return { state: 'unsupported', mode: 'off', reason: 'The nft command is missing, so the running ruleset cannot be read.' };
  }
  if (!i.ruleset.readable) {
    return {
      state: 'unknown',
      mode: 'off',
      reason: `The running fw4 ruleset could not be read${i.ruleset.error ? ` (${i.ruleset.error})` : ''}. Is the firewall started?`,
    };
  }
  const ft = i.ruleset.flowtable;
  const rule = i.ruleset.rule;
  if (ft && ft.devices.length === 0) {
    return { state: 'misconfigured', mode: 'off', reason: 'The flowtable exists but has no devices, so nothing can be offloaded.' };
  }
  if (ft && !rule) {
    return {
      state: 'misconfigured',
      mode: 'off',
      reason: 'The flowtable exists but no rule in the forward chain sends flows to it, so nothing is offloaded.',
    };
  }
  if (!ft && rule) {
    return { state: 'misconfigured', mode: 'off', reason: 'A forward rule refers to flowtable ft, but the flowtable is missing.' };
  }
  if (i.configError) {
    const running: Mode = ft ? (ft.hw ? 'hardware' : 'software') : 'off';
    return {
      state: 'misconfigured',
      mode: running,
      reason: `The firewall config cannot be read (${i.configError}), so what it asks for is unknown; the running ruleset has ${ft ? `a ${running} flowtable` : 'no flowtable'}.`,
    };
  }
  if (!ft) {
    if (i.configured === 'off') return { state: 'off', mode: 'off', reason: 'Flow offloading is off: no flowtable in the running ruleset.' };
    if (i.existingZoneDevices === 0) {
      return {
        state: 'misconfigured',
        mode: 'off',
        reason: 'Offloading is enabled in the config, but fw4 found no existing device in any zone network, so it created no flowtable.',
      };
    }
    return {
      state: 'misconfigured',
      mode: 'off',
      reason: 'Offloading is enabled in the config but the running ruleset has no flowtable: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was (fw4 reload still exits 0 then).',
    };
  }
  const running: Mode = ft.hw ? 'hardware' : 'software';
  if (i.configured === 'off') {
    return {
      state: 'misconfigured',
      mode: running,
      reason: `The config says off, but ${running} offloading is still running: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was.`,
    };
  }
  if (i.configured === 'hardware' && !ft.hw) {
    return {
      state: 'hardware-fallback',
      mode: 'software',
      reason:
        'Hardware offloading is configured, but the running flowtable has no "flags offload": fw4 fell back to software offloading' +
        (i.lastWarning ? ` ("${i.lastWarning}").` : ' because the kernel or driver refused hardware offload for these devices.'),
    };
  }
  if (i.configured === 'software' && ft.hw) {
    return {
      state: 'misconfigured',
      mode: 'hardware',
      reason: 'The config says software, but the running flowtable is a hardware one: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was (fw4 reload still exits 0 then).',
    };
  }
  return running === 'hardware'
    ? { state: 'hardware', mode: 'hardware', reason: `Hardware offloading is active on ${ft.devices.join(', ')}.` }
    : { state: 'software', mode: 'software', reason: `Software offloading is active on ${ft.devices.join(', ')}.` };
}
