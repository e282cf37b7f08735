/** Masking of reports pasted into public forums: whole addresses, every form, nothing else touched (issue 14). */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskAddress, maskText, parseV6, parseV4, isPrivateV4, isPrivateV6 } from '../../../rpcd/src/calc/mask';

const FIX = join(import.meta.dirname, '../../fixtures/kernel');

describe('maskAddress', () => {
  it.each([
    // public IPv4: whole
    ['203.0.113.7', 'x.x.x.x'],
    ['8.8.8.8', 'x.x.x.x'],
    ['172.32.0.1', 'x.x.x.x'],
    ['172.15.255.255', 'x.x.x.x'],
    ['100.128.0.1', 'x.x.x.x'],
    ['192.169.0.1', 'x.x.x.x'],
    // private and special IPv4: readable
    ['192.168.1.1', '192.168.1.1'],
    ['10.0.2.2', '10.0.2.2'],
    ['172.16.0.1', '172.16.0.1'],
    ['172.31.255.254', '172.31.255.254'],
    ['100.64.0.1', '100.64.0.1'],
    ['100.127.255.255', '100.127.255.255'],
    ['127.0.0.1', '127.0.0.1'],
    ['169.254.3.4', '169.254.3.4'],
    ['0.0.0.0', '0.0.0.0'],
    ['224.0.0.251', '224.0.0.251'],
    ['255.255.255.255', '255.255.255.255'],
    // public IPv6 in every form: whole
    ['2a02:8109:a1c0:3f00::1a2b:3c4d', 'x:x:x:x:x:x:x:x'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', 'x:x:x:x:x:x:x:x'],
    ['2001:db8::1', 'x:x:x:x:x:x:x:x'],
    ['2001:db8::', 'x:x:x:x:x:x:x:x'],
    ['2A02:8109:A1C0:3F00:0:0:1A2B:3C4D', 'x:x:x:x:x:x:x:x'],
    ['64:ff9b::203.0.113.7', 'x:x:x:x:x:x:x:x'],
    ['2001:db8::1%eth0', 'x:x:x:x:x:x:x:x%eth0'],
    ['::ffff:203.0.113.7', '::ffff:x.x.x.x'],
    ['::FFFF:8.8.8.8', '::ffff:x.x.x.x'],
    // private and special IPv6: readable
    ['fe80::1', 'fe80::1'],
    ['fe80::a8bb:ccff:fedd:eeff%br-lan', 'fe80::a8bb:ccff:fedd:eeff%br-lan'],
    ['febf::1', 'febf::1'],
    ['fd12:3456:789a::1', 'fd12:3456:789a::1'],
    ['fc00::1', 'fc00::1'],
    ['ff02::1:ff00:1', 'ff02::1:ff00:1'],
    ['::1', '::1'],
    ['::', '::'],
    ['::ffff:192.168.1.2', '::ffff:192.168.1.2'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    // not addresses: unchanged
    ['12:34:56', '12:34:56'],
    ['256.1.1.1', '256.1.1.1'],
    ['1.2.3', '1.2.3'],
    ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'],
    ['1::2::3', '1::2::3'],
    ['12345::1', '12345::1'],
    ['fe80::1%', 'fe80::1%'],
    ['2001:db8::1%a b', '2001:db8::1%a b'],
    ['eth0', 'eth0'],
    ['', ''],
  ])('%s → %s', (input, want) => {
    expect(maskAddress(input)).toBe(want);
  });
});

describe('parseV6 / parseV4', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x102, 0x304]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]],
    ['::1.2.3.4', [0, 0, 0, 0, 0, 0, 0x102, 0x304]],
    ['1:2:3:4:5:6:7::', [1, 2, 3, 4, 5, 6, 7, 0]],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', [65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535]],
  ])('%s', (s, want) => {
    expect(parseV6(s)).toEqual(want);
  });
  it.each(['1:2:3:4:5:6:7:8::', '1:2:3:4:5:6:7', ':1::', '1:::2', 'g::1', '1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3', '1:2.3.4.5', '0000:00:03.0', '12:34:56', 'a:b'])('%s is not IPv6', (s) => {
    expect(parseV6(s)).toBeNull();
  });
  it.each(['1.2.3.4.5', '1..2.3', '01234.1.1.1', '-1.1.1.1', '1.2.3.a'])('%s is not IPv4', (s) => {
    expect(parseV4(s)).toBeNull();
  });
  it('the private ranges end where they end', () => {
    expect([isPrivateV4([9, 255, 255, 255]), isPrivateV4([11, 0, 0, 0]), isPrivateV4([223, 255, 255, 255]), isPrivateV4([126, 0, 0, 1])]).toEqual([false, false, false, false]);
    expect([isPrivateV4([128, 0, 0, 1]), isPrivateV4([169, 253, 0, 1]), isPrivateV4([192, 167, 1, 1]), isPrivateV4([100, 63, 0, 1])]).toEqual([false, false, false, false]);
    // the second octet alone makes nothing private: x.168 is 192.168 only, x.254 is 169.254 only
    expect([isPrivateV4([8, 168, 0, 1]), isPrivateV4([8, 254, 0, 1]), isPrivateV4([8, 16, 0, 1]), isPrivateV4([8, 64, 0, 1])]).toEqual([false, false, false, false]);
    expect(isPrivateV6([0xfe7f, 0, 0, 0, 0, 0, 0, 1])).toBe(false);
    expect(isPrivateV6([0xfec0, 0, 0, 0, 0, 0, 0, 1])).toBe(false);
    expect(isPrivateV6([0xfbff, 0, 0, 0, 0, 0, 0, 1])).toBe(false);
    expect(isPrivateV6([0xfe00, 0, 0, 0, 0, 0, 0, 1])).toBe(false);
    expect(isPrivateV6([0, 0, 0, 0, 0, 0, 0, 2])).toBe(false);
    expect(isPrivateV6([0, 0, 0, 0, 0, 0, 1, 1])).toBe(false);
    expect(isPrivateV6([0, 0, 0, 0, 1, 0xffff, 0xc0a8, 1])).toBe(false);
    expect(isPrivateV6([0, 0, 0, 0, 0, 0xfffe, 0xc0a8, 1])).toBe(false);
  });
});

describe('maskText', () => {
  it.each([
    // the three reports from issue 14
    ['inet6 2a02:8109:a1c0:3f00::1a2b:3c4d/64 scope global', 'inet6 x:x:x:x:x:x:x:x/64 scope global'],
    ['link/ether aa:bb:cc:dd:ee:ff brd ff:ff:ff:ff:ff:ff', 'link/ether xx:xx:xx:xx:xx:xx brd xx:xx:xx:xx:xx:xx'],
    ['Sat Nov 21 12:34:56 2026 kernel: started', 'Sat Nov 21 12:34:56 2026 kernel: started'],
    // conntrack lines
    ['tcp      6 src=192.168.1.2 dst=203.0.113.7 sport=38404 dport=443 [OFFLOAD]', 'tcp      6 src=192.168.1.2 dst=x.x.x.x sport=38404 dport=443 [OFFLOAD]'],
    ['ipv6     10 udp      17 src=fd00::2 dst=2001:4860:4860::8888 sport=5353', 'ipv6     10 udp      17 src=fd00::2 dst=x:x:x:x:x:x:x:x sport=5353'],
    // punctuation, ports, brackets, CIDR
    ['the WAN address is 203.0.113.7.', 'the WAN address is x.x.x.x.'],
    ['peer 203.0.113.7:51820, endpoint [2001:db8::5]:51820', 'peer x.x.x.x:51820, endpoint [x:x:x:x:x:x:x:x]:51820'],
    ['route 2001:db8::/32 via fe80::1%wan', 'route x:x:x:x:x:x:x:x/32 via fe80::1%wan'],
    ['mapped ::ffff:203.0.113.9 and ::ffff:192.168.1.9', 'mapped ::ffff:x.x.x.x and ::ffff:192.168.1.9'],
    ['addr: 2001:db8::1:', 'addr: x:x:x:x:x:x:x:x:'],
    ['MAC AA-BB-CC-DD-EE-FF seen', 'MAC xx:xx:xx:xx:xx:xx seen'],
    // left alone
    ['bus-info: 0000:00:03.0', 'bus-info: 0000:00:03.0'],
    ['OpenWrt 23.05.3 r23809-234f1a2efa, kernel 5.15.150', 'OpenWrt 23.05.3 r23809-234f1a2efa, kernel 5.15.150'],
    ['uptime 12:34, load 0.10', 'uptime 12:34, load 0.10'],
    ['2026-11-21T12:34:56.789Z', '2026-11-21T12:34:56.789Z'],
    ['std::string dead:beef', 'std::string dead:beef'],
    ['devices = { br-lan, eth0.2 }', 'devices = { br-lan, eth0.2 }'],
  ])('%s', (input, want) => {
    expect(maskText(input)).toBe(want);
  });

  it('a real conntrack capture: the private addresses of the lab stay, nothing else changes', () => {
    const text = readFileSync(join(FIX, 'conntrack_L_offload.txt'), 'utf8');
    expect(maskText(text)).toBe(text);
  });

  it('the same capture with public addresses spliced in: every one masked, the rest byte for byte', () => {
    const text = readFileSync(join(FIX, 'conntrack_L_offload.txt'), 'utf8');
    const pub = text.replaceAll('10.0.2.2', '198.51.100.20').replaceAll('192.168.1.2', '2a02:8109:a1c0:3f00::1a2b:3c4d');
    const masked = maskText(pub);
    expect(masked).not.toMatch(/198\.51|2a02|3c4d/);
    expect(masked).toBe(text.replaceAll('10.0.2.2', 'x.x.x.x').replaceAll('192.168.1.2', 'x:x:x:x:x:x:x:x'));
  });

  it('a real fw4 ruleset is unchanged (no address, times or hex that look like one)', () => {
    for (const f of ['fw4_sw.nft', 'fw4_hw.nft', 'ethtool_i_rlan.txt', 'ethtool_k_rlan.txt']) {
      const text = readFileSync(join(FIX, f), 'utf8');
      expect(maskText(text), f).toBe(text);
    }
  });
});

describe('maskAddress: the edges mutation testing found (issue 14)', () => {
  it.each([
    ['1.2.3.256', '1.2.3.256'],
    ['203.0.113.255', 'x.x.x.x'],
    ['2001:db8::1%', '2001:db8::1%'],
    ['2001:db8::1%eth0;', '2001:db8::1%eth0;'],
    ['%eth0', '%eth0'],
    ['::ffff:0:203.0.113.7', 'x:x:x:x:x:x:x:x'],
    ['::FFFF:203.0.113.7%wan', '::ffff:x.x.x.x%wan'],
    ['x2001:db8::1', 'x2001:db8::1'],
    ['2001:db8::1x', '2001:db8::1x'],
    ['172.16.0.1', '172.16.0.1'],
    ['172.32.0.1', 'x.x.x.x'],
    ['169.254.0.1', '169.254.0.1'],
    ['169.255.0.1', 'x.x.x.x'],
    ['100.64.0.1', '100.64.0.1'],
    ['100.128.0.1', 'x.x.x.x'],
    ['101.64.0.1', 'x.x.x.x'],
    ['173.16.0.1', 'x.x.x.x'],
    // only ::ffff:a.b.c.d written with its dotted quad keeps the v4-mapped form
    ['::ffff:cb00:7107', 'x:x:x:x:x:x:x:x'],
    ['::203.0.113.7', 'x:x:x:x:x:x:x:x'],
    ['2a02:8109::ffff:203.0.113.7', 'x:x:x:x:x:x:x:x'],
    ['2a02:8109::ffff:1:2', 'x:x:x:x:x:x:x:x'],
    ['0:0:0:0:1:ffff:203.0.113.7', 'x:x:x:x:x:x:x:x'],
    // a zone id is one '%' and then name characters, to the end
    ['2a02:8109::1%%eth0', '2a02:8109::1%%eth0'],
    ['2a02:8109::1%eth0%', '2a02:8109::1%eth0%'],
    ['2a02:8109::1%eth0%2', '2a02:8109::1%eth0%2'],
    ['2a02:8109::1%wan_6.2-x', 'x:x:x:x:x:x:x:x%wan_6.2-x'],
  ])('%s → %s', (input, want) => {
    expect(maskAddress(input)).toBe(want);
  });
  it.each([
    ['to 203.0.113.7:443.', 'to x.x.x.x:443.'],
    ['a203.0.113.7:443', 'a203.0.113.7:443'],
    ['203.0.113.7:443x', '203.0.113.7:443x'],
    ['203.0.113.7:123456', '203.0.113.7:123456'],
    ['at 2001:db8::1..', 'at x:x:x:x:x:x:x:x..'],
    ['at 203.0.113.7...', 'at x.x.x.x...'],
    ['0:0:0:0:0:ffff:203.0.113.7', '::ffff:x.x.x.x'],
    ['aa:bb:cc:dd:ee:ff:00', 'aa:bb:cc:dd:ee:ff:00'],
    ['aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee'],
    ['aa:bb-cc:dd:ee:ff', 'aa:bb-cc:dd:ee:ff'],
    ['xaa:bb:cc:dd:ee:ff', 'xaa:bb:cc:dd:ee:ff'],
    ['aa-bb-cc-dd-ee-ffx', 'aa-bb-cc-dd-ee-ffx'],
    ['fe80::1%br-lan and 2001:db8::1%br-wan', 'fe80::1%br-lan and x:x:x:x:x:x:x:x%br-wan'],
    ['::1.', '::1.'],
    // a MAC keeps the sentence's punctuation after it
    ['seen from aa:bb:cc:dd:ee:ff.', 'seen from xx:xx:xx:xx:xx:xx.'],
    ['lladdr aa:bb:cc:dd:ee:ff: stale', 'lladdr xx:xx:xx:xx:xx:xx: stale'],
    // a private address before the punctuation stays as it is
    ['gateway fe80::1%wan.', 'gateway fe80::1%wan.'],
    ['via 192.168.1.1:', 'via 192.168.1.1:'],
    // a token that ends in something else than punctuation is not an address
    ['203.0.113.7x and 2001:db8::1g', '203.0.113.7x and 2001:db8::1g'],
  ])('%s', (input, want) => {
    expect(maskText(input)).toBe(want);
  });
});
