import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceProblem } from '../../rpcd/src/api/contract';
import { applyOutcome, modeAvailability, problemText, stateName, stateTone } from '../../web/src/lib/describe';
import { describeError } from '../../web/src/lib/errors';
import { fmt, setTranslate, t } from '../../web/src/lib/i18n';
import { HandlerError, HttpError, JsonRpcError, TimeoutError, UbusError } from '../../web/src/client';
import { setFixture, statusFixture } from './fixtures';

afterEach(() => setTranslate(null));

describe('i18n', () => {
  it('is the identity without LuCI and forwards to _() with it', () => {
    expect(t('Apply')).toBe('Apply');
    setTranslate((s) => (s === 'Apply' ? 'Anwenden' : s));
    expect(t('Apply')).toBe('Anwenden');
    setTranslate(() => undefined);
    expect(t('Apply')).toBe('Apply');
    setTranslate(() => {
      throw new Error('x');
    });
    expect(t('Apply')).toBe('Apply');
  });

  it('fills %s and %d in order', () => {
    expect(fmt('%s of %d (%%)', 'a', 2.6)).toBe('a of 3 (%)');
    expect(fmt('%s %s', 'x')).toBe('x ');
  });
});

describe('applyOutcome', () => {
  it('reports success with the reload time', () => {
    const o = applyOutcome(setFixture('software'));
    expect(o.tone).toBe('success');
    expect(o.message).toBe('Software is now active; the firewall reloaded in 340 ms.');
  });

  it('says when nothing changed', () => {
    expect(applyOutcome(setFixture('off', { changed: false })).message).toBe('Off was already active; nothing changed.');
  });

  it('explains the hardware fallback with fw4 warning', () => {
    const status = statusFixture({ effective: { other_flowtables: [], flows: null, hardware: null, state: 'hardware-fallback', mode: 'software', reason: 'Hardware offloading was requested but the flowtable has no offload flag.', flowtable: null, rule: true } }, 'hardware');
    const o = applyOutcome(setFixture('hardware', { warning: 'Hardware flow offloading unavailable, falling back to software offloading' }, status));
    expect(o.tone).toBe('warning');
    expect(o.message).toBe('Hardware offloading was requested, but the router runs software offloading because: Hardware flow offloading unavailable, falling back to software offloading');
  });

  it('falls back to the effective reason and lists repairs and other warnings', () => {
    const status = statusFixture({ effective: { other_flowtables: [], flows: null, hardware: null, state: 'misconfigured', mode: 'off', reason: 'No devices.', flowtable: null, rule: false } }, 'software');
    const o = applyOutcome(setFixture('software', { recovered: 'restored the config', warning: 'Section @zone[1] is disabled' }, status));
    expect(o.tone).toBe('warning');
    expect(o.message).toBe('Software was requested, but the router reports: No devices.');
    expect(o.details).toEqual(['An interrupted earlier change was repaired first: restored the config', 'Firewall warning: Section @zone[1] is disabled']);
  });
});

describe('gating and words', () => {
  it('blocks modes the router cannot run and cautions about a hardware fallback', () => {
    const s = statusFixture({ capabilities: { software: { available: true, reason: null }, hardware: { available: false, reason: 'the kernel refused a hardware flowtable' } } });
    expect(modeAvailability('off', s)).toEqual({ disabled: null, caution: null });
    expect(modeAvailability('software', s)).toEqual({ disabled: null, caution: null });
    expect(modeAvailability('hardware', s)).toEqual({ disabled: null, caution: 'Not supported here: the kernel refused a hardware flowtable. Choosing it anyway runs software offloading.' });
    const noModule = statusFixture({ capabilities: { software: { available: false, reason: 'kmod-nft-offload is not installed.' }, hardware: { available: false, reason: null } } });
    expect(modeAvailability('software', noModule).disabled).toBe('kmod-nft-offload is not installed.');
    expect(modeAvailability('hardware', noModule).disabled).toBe('kmod-nft-offload is not installed.');
    const fw3 = statusFixture({ effective: { other_flowtables: [], flows: null, hardware: null, state: 'unsupported', mode: 'off', reason: 'This router runs fw3.', flowtable: null, rule: false } });
    expect(modeAvailability('software', fw3).disabled).toBe('This router runs fw3.');
    expect(modeAvailability('off', fw3).disabled).toBeNull();
  });

  it('has plain words for every device problem and state', () => {
    const all: DeviceProblem[] = ['missing-from-flowtable', 'not-present', 'pppoe-l3-device', 'not-in-any-zone', 'no-hw-tc-offload'];
    for (const p of all) expect(problemText(p)).not.toBe(p);
    expect(stateName('hardware-fallback')).toBe('Software offloading (hardware fell back)');
    expect(stateTone('hardware')).toBe('success');
    expect(stateTone('hardware-fallback')).toBe('warning');
    expect(stateTone('unknown')).toBe('error');
  });
});

describe('describeError', () => {
  it('words every typed client error', () => {
    expect(describeError(new HandlerError('apply_failed', 'fw4 reload failed: exit 1', 'luci.offload', 'set'))).toBe('fw4 reload failed: exit 1');
    expect(describeError(new HandlerError('busy', 'another apply runs', 'luci.offload', 'set'))).toMatch(/^Another change is still being applied/);
    expect(describeError(new UbusError(7, 'luci.offload', 'set'))).toMatch(/^The router stopped the request after its time limit \(ubus code 7/);
    // Real rpcd answers 5 (no data) when it kills an exec plugin at its timeout (real-programs.md §2).
    expect(describeError(new UbusError(5, 'luci.offload', 'set'))).toMatch(/^The router stopped the request after its time limit \(ubus code 5/);
    // From anything but the exec plugin, 5 keeps its generic wording.
    expect(describeError(new UbusError(5, 'file', 'read'))).toBe('The router answered with ubus code 5: No data received.');
    expect(describeError(new UbusError(6, 'file', 'read'))).toMatch(/Permission denied/);
    expect(describeError(new UbusError(8, 'file', 'read'))).toBe('The router answered with ubus code 8: Not supported.');
    expect(describeError(new TimeoutError(5000, 'file', 'read'))).toBe('No answer from the router within 5 s.');
    expect(describeError(new JsonRpcError(-32002, 'Access denied', 'luci.offload', 'status'))).toMatch(/^Access denied/);
    expect(describeError(new JsonRpcError(-32000, 'Object not found', 'luci.offload', 'status'))).toMatch(/luci.offload service is missing/);
    expect(describeError(new JsonRpcError(-32700, 'Parse error', 'x', 'y'))).toBe('The router rejected the request (JSON-RPC -32700).');
    expect(describeError(new HttpError(0, 'file', 'read'))).toBe('The router cannot be reached (network error).');
    expect(describeError(new HttpError(502, 'file', 'read'))).toBe('The router answered with HTTP status 502.');
    expect(describeError(new Error('boom'))).toBe('boom');
  });
});
