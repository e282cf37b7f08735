/**
 * Plain words for the API's codes: modes, effective states, device problems,
 * flow states and apply outcomes. Pure apart from translation.
 */
import type {
  DeviceInfo, DeviceProblem, EffectiveState, FlowState, Mode, SetResult, StatusResult,
} from '../../../rpcd/src/api/contract';
import { t, fmt, say } from './i18n';
import { duration } from './format';

export function modeName(m: Mode): string {
  return m === 'off' ? t('Off') : m === 'software' ? t('Software') : t('Hardware');
}

/** One sentence per mode, shown under each choice. */
export function modeHelp(m: Mode): string {
  if (m === 'off') return t('Every packet takes the full firewall path on the CPU. Works with SQM, QoS and per-packet rules.');
  if (m === 'software') return t('Established connections skip most of the firewall path in the kernel. Less CPU per packet; works on any router.');
  return t('The network chip forwards established connections itself and the CPU stays almost idle. Needs driver support, e.g. MT7621.');
}

export function stateName(s: EffectiveState): string {
  switch (s) {
    case 'off': return t('Off');
    case 'software': return t('Software offloading');
    case 'hardware': return t('Hardware offloading');
    case 'hardware-fallback': return t('Software offloading (hardware fell back)');
    case 'misconfigured': return t('Misconfigured');
    case 'unsupported': return t('Not supported');
    default: return t('Unknown');
  }
}

/** Tone of a state for the alert colour (never the only signal: the text says it too). */
export function stateTone(s: EffectiveState): 'success' | 'warning' | 'error' | 'notice' {
  if (s === 'software' || s === 'hardware') return 'success';
  if (s === 'off') return 'notice';
  if (s === 'hardware-fallback' || s === 'misconfigured') return 'warning';
  return 'error';
}

export function problemText(p: DeviceProblem): string {
  switch (p) {
    case 'missing-from-flowtable': return t('Carries zone traffic but is not in the flowtable, so its connections are not offloaded.');
    case 'not-present': return t('Does not exist on the router (interface down or renamed).');
    case 'pppoe-l3-device': return t('PPPoE device: fw4 puts the underlying device in the flowtable instead, and no offloaded connection shows PPPoE traffic going through it. An IPv6 interface on @wan (option device \'@wan\') makes fw4 add the PPPoE device to the flowtable.');
    case 'not-in-any-zone': return t('Is in the flowtable but in no firewall zone.');
    case 'no-hw-tc-offload': return t('The driver does not offer hw-tc-offload, so this device cannot offload in hardware.');
    default: return String(p);
  }
}

export function roleName(r: DeviceInfo['role']): string {
  return r === 'wan' ? t('WAN') : r === 'lan' ? t('LAN') : t('Other');
}

export function flowStateName(s: FlowState): string {
  return s === 'hardware' ? t('Hardware') : s === 'software' ? t('Software') : t('Not offloaded');
}

export interface Outcome {
  tone: 'success' | 'warning' | 'error' | 'notice';
  message: string;
  details: string[];
}

/** What an apply did, for the message shown next to the switch. */
export function applyOutcome(r: SetResult): Outcome {
  const eff = r.status.effective;
  const details: string[] = [];
  if (r.recovered) details.push(fmt(t('An interrupted earlier change was repaired first: %s'), r.recovered));
  const fallback = eff.state === 'hardware-fallback' || (r.requested === 'hardware' && eff.mode === 'software');
  if (r.warning && !fallback) details.push(fmt(t('Firewall warning: %s'), r.warning));
  if (fallback) {
    return {
      tone: 'warning',
      message: fmt(t('Hardware offloading was requested, but the router runs software offloading because: %s'), r.warning ?? say(eff.reason_msg, eff.reason)),
      details,
    };
  }
  if (eff.mode === r.requested && (eff.state === 'off' || eff.state === 'software' || eff.state === 'hardware')) {
    return {
      tone: 'success',
      message: r.changed
        ? fmt(t('%s is now active; the firewall reloaded in %s.'), modeName(r.requested), duration(r.reload_ms))
        : fmt(t('%s was already active; nothing changed.'), modeName(r.requested)),
      details,
    };
  }
  return { tone: 'warning', message: fmt(t('%s was requested, but the router reports: %s'), modeName(r.requested), say(eff.reason_msg, eff.reason)), details };
}

/**
 * Whether a mode can be chosen. `disabled`: it cannot (with why). `caution`:
 * it can, but will not run as asked — hardware on a router whose kernel
 * refuses hardware flowtables stays configured while fw4 falls back to
 * software (what LuCI's firewall page allows too), so the user is told first.
 */
export interface Availability {
  disabled: string | null;
  caution: string | null;
}

export function modeAvailability(m: Mode, s: StatusResult): Availability {
  const none: Availability = { disabled: null, caution: null };
  if (m === 'off') return none;
  if (s.effective.state === 'unsupported') return { disabled: say(s.effective.reason_msg, s.effective.reason), caution: null };
  const sw = s.capabilities.software;
  if (!sw.available) return { disabled: say(sw.reason_msg, sw.reason) || t('Not available on this router.'), caution: null };
  const hw = s.capabilities.hardware;
  if (m === 'hardware' && !hw.available) {
    return { disabled: null, caution: fmt(t('Not supported here: %s. Choosing it anyway runs software offloading.'), say(hw.reason_msg, hw.reason) || t('Not available on this router.')) };
  }
  return none;
}
