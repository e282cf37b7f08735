import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEthtoolDriver, parseEthtoolFeatures } from '../../../rpcd/src/parse/ethtool';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url), 'utf8');

describe('parseEthtoolFeatures on a real capture', () => {
  const features = parseEthtoolFeatures(fixture('ethtool_k_rlan.txt'));

  it('reads hw-tc-offload of a veth as off and fixed', () => {
    expect(features['hw-tc-offload']).toEqual({ on: false, fixed: true });
  });

  it('reads top-level and indented sub-features, and skips the header', () => {
    expect(features['generic-segmentation-offload']).toEqual({ on: true, fixed: false });
    expect(features['tx-checksum-ipv4']).toEqual({ on: false, fixed: true });
    expect(features['tx-lockless']).toEqual({ on: true, fixed: true });
    expect(Object.keys(features).some((k) => k.startsWith('Features'))).toBe(false);
    expect(Object.keys(features)).toHaveLength(65);
  });
});

describe('parseEthtoolFeatures edge cases', () => {
  it('reads [requested on] after a fixed state', () => {
    expect(parseEthtoolFeatures('hw-tc-offload: off [requested on]\n')['hw-tc-offload']).toEqual({ on: false, fixed: false });
  });

  it('returns {} for empty input, errors and garbage', () => {
    expect(parseEthtoolFeatures('')).toEqual({});
    expect(parseEthtoolFeatures('Cannot get device feature names: No such device\n')).toEqual({});
    expect(parseEthtoolFeatures(': on\nfoo bar: on\nx: maybe\n')).toEqual({});
  });

  it('reads CRLF line endings and survives very long lines', () => {
    expect(parseEthtoolFeatures('a: on\r\nb: off [fixed]\r\n')).toEqual({ a: { on: true, fixed: false }, b: { on: false, fixed: true } });
    expect(parseEthtoolFeatures('x'.repeat(300_000) + ': on')['x'.repeat(300_000)]?.on).toBe(true);
  });
});

describe('parseEthtoolDriver', () => {
  it('reads the driver and version of a veth, whose bus-info is empty', () => {
    expect(parseEthtoolDriver(fixture('ethtool_i_rlan.txt'))).toEqual({ driver: 'veth', version: '1.0', bus_info: null });
  });

  it('reads bus-info when present', () => {
    const text = 'driver: mtk_soc_eth\nversion: 6.6.73\nfirmware-version: \nbus-info: 1e100000.ethernet\n';
    expect(parseEthtoolDriver(text)).toEqual({ driver: 'mtk_soc_eth', version: '6.6.73', bus_info: '1e100000.ethernet' });
  });

  it('returns nulls for empty input and garbage', () => {
    const none = { driver: null, version: null, bus_info: null };
    expect(parseEthtoolDriver('')).toEqual(none);
    expect(parseEthtoolDriver('Cannot get driver information: Operation not supported\n')).toEqual(none);
  });
});

describe('never throws', () => {
  it('on arbitrary strings and on a real capture with random text spliced in', () => {
    const base = fixture('ethtool_k_rlan.txt');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(), (junk, a, b) => {
        const spliced = base.slice(0, a % (base.length + 1)) + junk + base.slice(b % (base.length + 1));
        for (const s of [junk, spliced]) {
          parseEthtoolFeatures(s);
          parseEthtoolDriver(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});
