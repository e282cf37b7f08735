import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProcVersion, parseShellVars } from '../../../rpcd/src/parse/release';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url), 'utf8');

const OPENWRT_RELEASE = `DISTRIB_ID='OpenWrt'
DISTRIB_RELEASE='24.10.0'
DISTRIB_REVISION='r28427-6df0e3d02a'
DISTRIB_TARGET='ramips/mt7621'
DISTRIB_ARCH='mipsel_24kc'
DISTRIB_DESCRIPTION='OpenWrt 24.10.0 r28427-6df0e3d02a'
DISTRIB_TAINTS=''
`;

const OS_RELEASE = `NAME="OpenWrt"
VERSION="24.10.0"
ID="openwrt"
ID_LIKE="lede openwrt"
PRETTY_NAME="OpenWrt 24.10.0"
VERSION_ID="24.10.0"
HOME_URL="https://openwrt.org/"
OPENWRT_BOARD="ramips/mt7621"
`;

describe('parseShellVars', () => {
  it('reads /etc/openwrt_release (single quotes)', () => {
    const v = parseShellVars(OPENWRT_RELEASE);
    expect(v['DISTRIB_RELEASE']).toBe('24.10.0');
    expect(v['DISTRIB_TARGET']).toBe('ramips/mt7621');
    expect(v['DISTRIB_ARCH']).toBe('mipsel_24kc');
    expect(v['DISTRIB_DESCRIPTION']).toBe('OpenWrt 24.10.0 r28427-6df0e3d02a');
    expect(v['DISTRIB_TAINTS']).toBe('');
  });

  it('reads /etc/os-release (double quotes)', () => {
    const v = parseShellVars(OS_RELEASE);
    expect(v['PRETTY_NAME']).toBe('OpenWrt 24.10.0');
    expect(v['ID_LIKE']).toBe('lede openwrt');
    expect(v['HOME_URL']).toBe('https://openwrt.org/');
  });

  it("reads bare values, export, escapes and '\\'' quotes; a later assignment wins", () => {
    const v = parseShellVars(`A=plain\nexport B="x \\"y\\" \\$z"\nC='it'\\''s'\nA=again\nD=val # comment\n`);
    expect(v).toEqual({ A: 'again', B: 'x "y" $z', C: "it's", D: 'val' });
  });

  it('skips comments, blank lines, bad names and garbage', () => {
    expect(parseShellVars('# X=1\n\n1A=2\nA B=3\n=4\nfoo\n\u0000')).toEqual({});
  });

  it('reads CRLF line endings and survives very long values', () => {
    expect(parseShellVars("A='1'\r\nB=2\r\n")).toEqual({ A: '1', B: '2' });
    expect(parseShellVars(`L='${'x'.repeat(300_000)}`)['L']).toHaveLength(300_000);
  });
});

describe('parseProcVersion', () => {
  it('reads /proc/sys/kernel/osrelease', () => {
    expect(parseProcVersion('6.6.73\n')).toBe('6.6.73');
  });

  it('reads /proc/version', () => {
    expect(parseProcVersion('Linux version 6.6.73 (builder@buildhost) (mipsel-openwrt-linux-musl-gcc (OpenWrt GCC 13.3.0 r28427-6df0e3d02a) 13.3.0, GNU ld (GNU Binutils) 2.42) #0 SMP Sun Feb  2 20:06:20 2025\n')).toBe('6.6.73');
  });

  it('reads the real uname -a capture of the kernel testbed', () => {
    expect(parseProcVersion(fixture('uname.txt'))).toBe('6.1.0-56-amd64');
  });

  it('returns null for empty input and garbage', () => {
    for (const bad of ['', '\n', 'Linux', 'Linux version', 'hello world', '\u0000']) expect(parseProcVersion(bad)).toBeNull();
  });
});

describe('never throws', () => {
  it('on arbitrary strings and on a real capture with random text spliced in', () => {
    const base = fixture('uname.txt');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(), (junk, a, b) => {
        const spliced = base.slice(0, a % (base.length + 1)) + junk + base.slice(b % (base.length + 1));
        for (const s of [junk, spliced]) {
          parseShellVars(s);
          parseProcVersion(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});
