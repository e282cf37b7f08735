/**
 * The effective offload state: what the running ruleset really does, set
 * against what the config asks for. Pure.
 */
import type { EffectiveState, Message, Mode, SystemFacts } from '../api/contract';
import type { Flowtable } from '../parse/nft';
import { msg } from './message';

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
  reason: Message;
}

export const FALLBACK_WARNING = 'Hardware flow offloading unavailable, falling back to software offloading';

export function deriveState(i: StateInput): StateOutput {
  if (i.firewall === 'fw3') {
    return {
      state: 'unsupported',
      mode: 'off',
      reason: msg('This router runs fw3 (iptables). This app reads nftables flowtables and needs firewall4 (OpenWrt 22.03 or newer).'),
    };
  }
  if (i.firewall === 'none') {
    return { state: 'unsupported', mode: 'off', reason: msg('No firewall4 found (/sbin/fw4 is missing).') };
  }
  if (i.ruleset.nftMissing) {
    return { state: 'unsupported', mode: 'off', reason: msg('The nft command is missing, so the running ruleset cannot be read.') };
  }
  if (!i.ruleset.readable) {
    return {
      state: 'unknown',
      mode: 'off',
      reason: i.ruleset.error
        ? msg('The running fw4 ruleset could not be read (%s). Is the firewall started?', i.ruleset.error)
        : msg('The running fw4 ruleset could not be read. Is the firewall started?'),
    };
  }
  const ft = i.ruleset.flowtable;
  const rule = i.ruleset.rule;
  if (ft && ft.devices.length === 0) {
    return { state: 'misconfigured', mode: 'off', reason: msg('The flowtable exists but has no devices, so nothing can be offloaded.') };
  }
  if (ft && !rule) {
    return {
      state: 'misconfigured',
      mode: 'off',
      reason: msg('The flowtable exists but no rule in the forward chain sends flows to it, so nothing is offloaded.'),
    };
  }
  if (!ft && rule) {
    return { state: 'misconfigured', mode: 'off', reason: msg('A forward rule refers to flowtable ft, but the flowtable is missing.') };
  }
  if (i.configError) {
    const running: Mode = ft ? (ft.hw ? 'hardware' : 'software') : 'off';
    return {
      state: 'misconfigured',
      mode: running,
      reason: !ft
        ? msg('The firewall config cannot be read (%s), so what it asks for is unknown; the running ruleset has no flowtable.', i.configError)
        : ft.hw
          ? msg('The firewall config cannot be read (%s), so what it asks for is unknown; the running ruleset has a hardware flowtable.', i.configError)
          : msg('The firewall config cannot be read (%s), so what it asks for is unknown; the running ruleset has a software flowtable.', i.configError),
    };
  }
  if (!ft) {
    if (i.configured === 'off') return { state: 'off', mode: 'off', reason: msg('Flow offloading is off: no flowtable in the running ruleset.') };
    if (i.existingZoneDevices === 0) {
      return {
        state: 'misconfigured',
        mode: 'off',
        reason: msg('Offloading is enabled in the config, but fw4 found no existing device in any zone network, so it created no flowtable.'),
      };
    }
    return {
      state: 'misconfigured',
      mode: 'off',
      reason: msg(
        'Offloading is enabled in the config but the running ruleset has no flowtable: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was (fw4 reload still exits 0 then).',
      ),
    };
  }
  const running: Mode = ft.hw ? 'hardware' : 'software';
  if (i.configured === 'off') {
    return {
      state: 'misconfigured',
      mode: running,
      reason:
        running === 'hardware'
          ? msg('The config says off, but hardware offloading is still running: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was.')
          : msg('The config says off, but software offloading is still running: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was.'),
    };
  }
  if (i.configured === 'hardware' && !ft.hw) {
    return {
      state: 'hardware-fallback',
      mode: 'software',
      reason: i.lastWarning
        ? msg('Hardware offloading is configured, but the running flowtable has no "flags offload": fw4 fell back to software offloading ("%s").', i.lastWarning)
        : msg('Hardware offloading is configured, but the running flowtable has no "flags offload": fw4 fell back to software offloading because the kernel or driver refused hardware offload for these devices.'),
    };
  }
  if (i.configured === 'software' && ft.hw) {
    return {
      state: 'misconfigured',
      mode: 'hardware',
      reason: msg(
        'The config says software, but the running flowtable is a hardware one: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was (fw4 reload still exits 0 then).',
      ),
    };
  }
  return running === 'hardware'
    ? { state: 'hardware', mode: 'hardware', reason: msg('Hardware offloading is active on %s.', ft.devices.join(', ')) }
    : { state: 'software', mode: 'software', reason: msg('Software offloading is active on %s.', ft.devices.join(', ')) };
}
