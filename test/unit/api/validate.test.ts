/** validateArgs: the only check of a call's arguments (rpcd does not check exec-plugin signatures). */
import { describe, it, expect } from 'vitest';
import { validateArgs, METHOD_NAMES, FLOWS_LIMIT_MAX, printable, listSignature, modeFromOptions, MODES, OBJECT, type MethodName } from '../../../rpcd/src/api/contract';

/** Keys that name something on Object.prototype or that JSON.parse stores as an own `__proto__`. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const parse = (json: string): unknown => JSON.parse(json);

describe('validateArgs: own keys only', () => {
  it.each([
    ['flows', '{"__proto__":{"limit":100000,"mask":"no"}}'],
    ['flows', '{"__proto__":{"limit":0}}'],
    ['set', '{"__proto__":{"mode":"bogus"}}'],
    ['set', '{"__proto__":{"mode":"software"}}'],
    ['stats', '{"__proto__":{"flows":"x"}}'],
    ['diagnostics', '{"__proto__":{"mask":1}}'],
  ] as [MethodName, string][])('%s %s is refused', (method, json) => {
    const v = validateArgs(method, parse(json));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error).toMatch(/unknown argument "__proto__"/);
  });

  it('every method refuses every prototype key', () => {
    for (const m of METHOD_NAMES) {
      for (const k of PROTO_KEYS) {
        const v = validateArgs(m, parse(`{${JSON.stringify(k)}:{}}`));
        expect(v.ok, `${m} ${k}`).toBe(false);
        if (!v.ok) expect(v.error).toContain(`unknown argument "${k}"`);
      }
    }
  });

  it('a required argument is not satisfied through the prototype', () => {
    const input = Object.create({ mode: 'software' }) as object;
    expect(validateArgs('set', input)).toEqual({ ok: false, error: 'set: missing required argument "mode"' });
  });

  it('the cleaned arguments have no prototype, so nothing is inherited', () => {
    const v = validateArgs('flows', { limit: 5 });
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(Object.getPrototypeOf(v.args)).toBeNull();
      expect(v.args).toEqual(Object.assign(Object.create(null), { limit: 5 }));
      expect('mask' in v.args).toBe(false);
    }
  });
});

describe('validateArgs: every bound', () => {
  const ok = (m: MethodName, a: unknown) => validateArgs(m, a).ok;
  it.each([
    ['flows', { limit: 1 }, true],
    ['flows', { limit: FLOWS_LIMIT_MAX }, true],
    ['flows', { limit: FLOWS_LIMIT_MAX + 1 }, false],
    ['flows', { limit: 0 }, false],
    ['flows', { limit: 1.5 }, false],
    ['flows', { limit: '5' }, false],
    ['flows', { mask: false }, true],
    ['flows', { mask: 'no' }, false],
    ['stats', { flows: true }, true],
    ['stats', { flows: 1 }, false],
    ['diagnostics', { mask: true }, true],
    ['diagnostics', { mask: null }, false],
    ['set', { mode: 'off' }, true],
    ['set', { mode: 'software' }, true],
    ['set', { mode: 'hardware' }, true],
    ['set', { mode: 'bogus' }, false],
    ['set', { mode: 'x'.repeat(17) }, false],
    ['set', {}, false],
    ['status', {}, true],
    ['status', { ubus_rpc_session: 'abc' }, true],
    ['status', { ubus_rpc_session: 5 }, false],
    ['status', { x: 1 }, false],
    ['flush', [], false],
    ['flush', null, false],
  ] as [MethodName, unknown, boolean][])('%s %j → %s', (m, a, want) => {
    expect(ok(m, a)).toBe(want);
  });

  it('the session key is dropped from the cleaned arguments', () => {
    const v = validateArgs('set', { mode: 'off', ubus_rpc_session: 'x' });
    expect(v.ok && Object.keys(v.args)).toEqual(['mode']);
  });

  it('messages name the argument and the bound', () => {
    expect(validateArgs('flows', { limit: 501 })).toEqual({ ok: false, error: 'flows: "limit" must be between 1 and 500, got 501' });
    expect(validateArgs('set', { mode: 'bogus' })).toEqual({ ok: false, error: 'set: "mode" must be one of off, software, hardware, got "bogus"' });
    expect(validateArgs('flush', { a: 1 })).toEqual({ ok: false, error: 'unknown argument "a" for flush (it takes no arguments)' });
    expect(validateArgs('flows', { a: 1 })).toEqual({ ok: false, error: 'unknown argument "a" for flows (accepted: limit, mask)' });
    expect(validateArgs('stats', 'x')).toEqual({ ok: false, error: 'arguments of stats must be a JSON object' });
  });
});

describe('messages for every wrong type', () => {
  it.each([
    ['set', { mode: 5 }, 'set: "mode" must be a string, got number'],
    ['set', { mode: null }, 'set: "mode" must be a string, got null'],
    ['set', { mode: [] }, 'set: "mode" must be a string, got an array'],
    ['set', { mode: {} }, 'set: "mode" must be a string, got an object'],
    ['set', { mode: 'x'.repeat(16) }, `set: "mode" must be one of off, software, hardware, got "${'x'.repeat(16)}"`],
    ['set', { mode: 'x'.repeat(17) }, 'set: "mode" is too long (17 characters, at most 16)'],
    ['flows', { limit: true }, 'flows: "limit" must be an integer, got boolean'],
    ['flows', { limit: 2.5 }, 'flows: "limit" must be an integer, got number'],
    ['flows', { mask: 'yes' }, 'flows: "mask" must be true or false, got string'],
    ['stats', { ubus_rpc_session: 1 }, 'ubus_rpc_session must be a string'],
    ['set', { ['a\nb']: 1 }, 'unknown argument "a\\x0ab" for set (accepted: mode)'],
  ] as [MethodName, unknown, string][])('%s %j', (m, a, msg) => {
    expect(validateArgs(m, a)).toEqual({ ok: false, error: msg });
  });
});

describe('printable, listSignature, modeFromOptions', () => {
  it('printable escapes control characters and caps the length', () => {
    expect(printable('a\u0000b\u001fc\u007f')).toBe('a\\x00b\\x1fc\\x7f');
    expect(printable('x'.repeat(40))).toBe('x'.repeat(40));
    expect(printable('x'.repeat(41))).toBe('x'.repeat(40) + '…');
    expect(printable('abcdef', 3)).toBe('abc…');
  });
  it('listSignature gives rpcd its type hints: "str", true, 32', () => {
    expect(listSignature()).toEqual({
      status: {}, stats: { flows: true }, flows: { limit: 32, mask: true }, diagnostics: { mask: true }, set: { mode: 'str' }, flush: {},
    });
  });
  it('modeFromOptions maps the two uci options as zones.js does', () => {
    expect([modeFromOptions(false, false), modeFromOptions(false, true), modeFromOptions(true, false), modeFromOptions(true, true)]).toEqual(['off', 'off', 'software', 'hardware']);
    expect(MODES).toEqual(['off', 'software', 'hardware']);
    expect(OBJECT).toBe('luci.offload');
  });
});
