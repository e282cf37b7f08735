import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCounter, parseDefaultRouteDevices, parseIpv6DefaultRouteDevices, parseNetDev } from '../../../rpcd/src/parse/net-dev';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url), 'utf8');

const zeros16 = ' 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0';

describe('parseNetDev on a real capture', () => {
  it('reads lo, rlan and rwan and skips the two header lines', () => {
    const devs = parseNetDev(fixture('proc_net_dev.txt'));
    expect(Object.keys(devs)).toEqual(['lo', 'rlan', 'rwan']);
    expect(devs['rlan']).toEqual({
      rx_bytes: 20869068610,
      rx_packets: 4208238,
      tx_bytes: 34502889,
      tx_packets: 522610,
      rx_dropped: 0,
      tx_dropped: 0,
    });
    expect(devs['rwan']?.tx_bytes).toBe(20869068610);
  });
});

describe('parseNetDev edge cases', () => {
  it('returns an empty record for empty input and garbage', () => {
    expect(parseNetDev('')).toEqual({});
    expect(parseNetDev('eth0: not numbers at all\n:::\n')).toEqual({});
  });

  it('reads names with dots, dashes, @ and colons', () => {
    const text = ['  eth0.2:' + zeros16, 'pppoe-wan:' + zeros16, 'wg0@x:' + zeros16, 'eth0:1:' + zeros16].join('\n');
    expect(Object.keys(parseNetDev(text))).toEqual(['eth0.2', 'pppoe-wan', 'wg0@x', 'eth0:1']);
  });

  it('splits a name glued to a wide first number', () => {
    const devs = parseNetDev('  eth0:123456789012 5 0 7 0 0 0 0 99 6 0 8 0 0 0 0\n');
    expect(devs['eth0']).toEqual({ rx_bytes: 123456789012, rx_packets: 5, rx_dropped: 7, tx_bytes: 99, tx_packets: 6, tx_dropped: 8 });
  });

  it('skips a last line cut by a short read', () => {
    const devs = parseNetDev('  eth0:' + zeros16 + '\n  eth1: 1 2 3 4 5');
    expect(Object.keys(devs)).toEqual(['eth0']);
  });

  it('reads CRLF line endings', () => {
    expect(Object.keys(parseNetDev('  eth0:' + zeros16 + '\r\n  eth1:' + zeros16 + '\r\n'))).toEqual(['eth0', 'eth1']);
  });

  it('keeps a device named __proto__ as an own property', () => {
    const devs = parseNetDev('__proto__:' + zeros16);
    expect(Object.prototype.hasOwnProperty.call(devs, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(devs)).toBe(Object.prototype);
  });

  it('rejects names longer than 15 characters and survives very long lines', () => {
    expect(parseNetDev('x'.repeat(500_000) + ':' + ' 1'.repeat(100_000))).toEqual({});
    expect(parseNetDev('eth0:' + ' 1'.repeat(100_000))['eth0']?.tx_dropped).toBe(1);
  });
});

describe('parseCounter', () => {
  it('reads a sysfs counter and the real nf_conntrack_count capture', () => {
    expect(parseCounter('12345\n')).toBe(12345);
    expect(parseCounter(fixture('nf_conntrack_count.txt'))).toBe(4);
  });

  it('returns null for empty, negative, fractional and garbage content', () => {
    for (const bad of ['', '\n', '-1', '1.5', '12 34', 'abc', '0x10']) expect(parseCounter(bad)).toBeNull();
  });
});

const ROUTE_HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n';

describe('parseDefaultRouteDevices', () => {
  it('returns the devices of up default routes in file order, once each', () => {
    const text = ROUTE_HEADER +
      'pppoe-wan\t00000000\t0100640A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n' +
      'br-lan\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' +
      'wwan0\t00000000\t00000000\t0001\t0\t0\t10\t00000000\t0\t0\t0\n' +
      'pppoe-wan\t00000000\t0100640A\t0003\t0\t0\t20\t00000000\t0\t0\t0\n';
    expect(parseDefaultRouteDevices(text)).toEqual(['pppoe-wan', 'wwan0']);
  });

  it('skips default routes without RTF_UP and /0 routes with another mask', () => {
    const text = ROUTE_HEADER +
      'eth1\t00000000\t0102A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n' +
      'eth2\t00000000\t0102A8C0\t0003\t0\t0\t0\t000000FF\t0\t0\t0\n';
    expect(parseDefaultRouteDevices(text)).toEqual([]);
  });

  it('returns [] for empty input and garbage', () => {
    expect(parseDefaultRouteDevices('')).toEqual([]);
    expect(parseDefaultRouteDevices('eth0 00000000 x zz 0 0 0 00000000')).toEqual([]);
  });
});

describe('parseIpv6DefaultRouteDevices', () => {
  const z = '00000000000000000000000000000000';
  it('returns the default route devices, source-specific ones included, without lo', () => {
    const text = [
      `${z} 00 20010db8000000000000000000000000 38 fe800000000000000000000000000001 00000400 00000001 00000000 00450003 wan6dev`,
      `${z} 00 ${z} 00 ${z} ffffffff 00000001 00000000 00200200 lo`,
      `fd000000000000000000000000000000 30 ${z} 00 ${z} 00000400 00000001 00000000 00000001 br-lan`,
      `${z} 00 ${z} 00 fe800000000000000000000000000001 00000400 00000001 00000000 00450003 wan6dev`,
      `${z} 00 ${z} 00 fe800000000000000000000000000002 00000400 00000001 00000000 00450003 eth1`,
    ].join('\n');
    expect(parseIpv6DefaultRouteDevices(text)).toEqual(['wan6dev', 'eth1']);
  });

  it('returns [] for empty input, garbage and short lines', () => {
    expect(parseIpv6DefaultRouteDevices('')).toEqual([]);
    expect(parseIpv6DefaultRouteDevices(`${z} 00 eth0\n\u0000\u0001`)).toEqual([]);
  });
});

describe('never throws', () => {
  it('on arbitrary strings and on a real capture with random text spliced in', () => {
    const base = fixture('proc_net_dev.txt');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(), (junk, a, b) => {
        const spliced = base.slice(0, a % (base.length + 1)) + junk + base.slice(b % (base.length + 1));
        for (const s of [junk, spliced]) {
          parseNetDev(s);
          parseCounter(s);
          parseDefaultRouteDevices(s);
          parseIpv6DefaultRouteDevices(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});
