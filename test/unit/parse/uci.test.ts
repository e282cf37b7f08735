import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  firstSection,
  lastSection,
  parseUciFile,
  parseUciShow,
  sectionsOfType,
  uciBool,
} from '../../../rpcd/src/parse/uci';

const fw4Print = JSON.parse(readFileSync(new URL('../../fixtures/fw4/fw4-print-flow-offloading.json', import.meta.url), 'utf8')) as {
  input_firewall_config: string;
};

/** `uci show firewall` for the same config as the fw4 capture (hand-written in uci's output format). */
const SHOW_EXTENDED = `firewall.@defaults[0]=defaults
firewall.@defaults[0].syn_flood='1'
firewall.@defaults[0].input='REJECT'
firewall.@defaults[0].output='ACCEPT'
firewall.@defaults[0].forward='REJECT'
firewall.@defaults[0].flow_offloading='1'
firewall.@defaults[0].flow_offloading_hw='0'
firewall.@zone[0]=zone
firewall.@zone[0].name='lan'
firewall.@zone[0].network='lan'
firewall.@zone[0].input='ACCEPT'
firewall.@zone[1]=zone
firewall.@zone[1].name='wan'
firewall.@zone[1].network='wan' 'wan6'
firewall.@zone[1].masq='1'
firewall.@forwarding[0]=forwarding
firewall.@forwarding[0].src='lan'
firewall.@forwarding[0].dest='wan'
firewall.@rule[0]=rule
firewall.@rule[0].name='Allow-Ping'
firewall.@rule[0].icmp_type='echo-request'
`;

/** The same with `uci -X show firewall` (generated names). */
const SHOW_X = SHOW_EXTENDED
  .replace(/@defaults\[0\]/g, 'cfg01e63d')
  .replace(/@zone\[0\]/g, 'cfg02dc81')
  .replace(/@zone\[1\]/g, 'cfg03dc81')
  .replace(/@forwarding\[0\]/g, 'cfg04ad58')
  .replace(/@rule\[0\]/g, 'cfg0592bd');

describe('parseUciShow', () => {
  it('reads anonymous sections in extended syntax, in order, with their options', () => {
    const s = parseUciShow(SHOW_EXTENDED, 'firewall');
    expect(s.map((x) => `${x.index}:${x.name}:${x.type}`)).toEqual([
      '0:@defaults[0]:defaults', '1:@zone[0]:zone', '2:@zone[1]:zone', '3:@forwarding[0]:forwarding', '4:@rule[0]:rule',
    ]);
    expect(s[0]).toEqual({
      name: '@defaults[0]',
      type: 'defaults',
      index: 0,
      anonymous: true,
      options: { syn_flood: '1', input: 'REJECT', output: 'ACCEPT', forward: 'REJECT', flow_offloading: '1', flow_offloading_hw: '0' },
    });
  });

  it('reads lists as arrays (a one-element list looks like an option)', () => {
    const s = parseUciShow(SHOW_EXTENDED, 'firewall');
    expect(s[2]?.options['network']).toEqual(['wan', 'wan6']);
    expect(s[1]?.options['network']).toBe('lan');
  });

  it('reads -X generated names as anonymous and named sections as not', () => {
    const s = parseUciShow(SHOW_X + "firewall.lan_rule=rule\nfirewall.lan_rule.name='x'\n", 'firewall');
    expect(s[0]).toMatchObject({ name: 'cfg01e63d', type: 'defaults', anonymous: true });
    expect(s[5]).toMatchObject({ name: 'lan_rule', type: 'rule', anonymous: false, index: 5, options: { name: 'x' } });
  });

  it("unescapes a quote written as '\\''", () => {
    const s = parseUciShow("system.@system[0]=system\nsystem.@system[0].description='it'\\''s mine' 'b c'\n", 'system');
    expect(s[0]?.options['description']).toEqual(["it's mine", 'b c']);
  });

  it('reads unquoted and empty values', () => {
    const s = parseUciShow('firewall.x=defaults\nfirewall.x.a=1\nfirewall.x.b=\nfirewall.x.c=\'\'\n', 'firewall');
    expect(s[0]?.options).toEqual({ a: '1', b: '', c: '' });
  });

  it('skips lines of other configs, garbage and bad names', () => {
    const text = 'network.lan=interface\nfirewall\nfirewall.=x\nfirewall.a b=zone\nfirewall.z=zone\nfirewall.z.bad name=1\nfirewallx.q=zone\n';
    expect(parseUciShow(text, 'firewall')).toEqual([{ name: 'z', type: 'zone', index: 0, anonymous: false, options: {} }]);
  });

  it('reads CRLF line endings', () => {
    const s = parseUciShow(SHOW_EXTENDED.replace(/\n/g, '\r\n'), 'firewall');
    expect(s[0]?.type).toBe('defaults');
    expect(s[0]?.options['flow_offloading']).toBe('1');
    expect(s[2]?.options['network']).toEqual(['wan', 'wan6']);
  });

  it('returns [] for empty input and an empty config name', () => {
    expect(parseUciShow('', 'firewall')).toEqual([]);
    expect(parseUciShow(SHOW_EXTENDED, '')).toEqual([]);
  });

  it('keeps an option named __proto__ as an own property and survives long values', () => {
    const s = parseUciShow(`f.a=t\nf.a.__proto__='x'\nf.a.long='${'v'.repeat(200_000)}'\n`, 'f');
    expect(Object.prototype.hasOwnProperty.call(s[0]?.options, '__proto__')).toBe(true);
    expect((s[0]?.options['long'] as string).length).toBe(200_000);
  });
});

describe('parseUciFile', () => {
  it('reads the real firewall config given to fw4 print', () => {
    const s = parseUciFile(fw4Print.input_firewall_config);
    expect(s.map((x) => x.name)).toEqual(['@defaults[0]', '@zone[0]', '@zone[1]', '@forwarding[0]', '@rule[0]']);
    expect(s[0]).toMatchObject({ type: 'defaults', anonymous: true, options: { flow_offloading: '1', flow_offloading_hw: '0' } });
    expect(s[1]?.options).toEqual({ name: 'lan', network: ['lan'], input: 'ACCEPT', output: 'ACCEPT', forward: 'ACCEPT' });
  });

  it('reads named sections, quotes of both kinds, bare values, comments and blank lines', () => {
    const text = [
      '# comment',
      'package firewall',
      '',
      "config zone 'lan'",
      '\toption name "lan"   # trailing comment',
      '\tlist network lan',
      "\tlist network 'guest'",
      '\toption description "say \\"hi\\""',
      'config zone',
      "\toption name 'wan'",
      'config defaults cfg01e63d',
    ].join('\n');
    const s = parseUciFile(text);
    expect(s[0]).toEqual({
      name: 'lan', type: 'zone', index: 0, anonymous: false,
      options: { name: 'lan', network: ['lan', 'guest'], description: 'say "hi"' },
    });
    expect(s[1]).toMatchObject({ name: '@zone[1]', anonymous: true, index: 1 });
    expect(s[2]).toMatchObject({ name: 'cfg01e63d', anonymous: true, type: 'defaults' });
  });

  it('ignores options outside a section and malformed config lines', () => {
    expect(parseUciFile("option x '1'\nconfig\nconfig 'bad type'\n\toption y 2\n")).toEqual([]);
  });

  it('returns [] for empty input and garbage', () => {
    expect(parseUciFile('')).toEqual([]);
    expect(parseUciFile('\u0000\n}{\n\'"')).toEqual([]);
  });
});

describe('section helpers', () => {
  const s = parseUciShow(SHOW_EXTENDED + 'firewall.@defaults[1]=defaults\nfirewall.@defaults[1].flow_offloading=\'0\'\n', 'firewall');

  it('picks the first and the last section of a type', () => {
    expect(firstSection(s, 'defaults')?.name).toBe('@defaults[0]');
    expect(lastSection(s, 'defaults')?.name).toBe('@defaults[1]');
    expect(firstSection(s, 'nope')).toBeNull();
    expect(lastSection(s, 'nope')).toBeNull();
  });

  it('lists all sections of a type in order', () => {
    expect(sectionsOfType(s, 'zone').map((z) => z.options['name'])).toEqual(['lan', 'wan']);
  });
});

describe('uciBool', () => {
  it('accepts the uci spellings of true', () => {
    for (const v of ['1', 'yes', 'on', 'true', 'enabled', 'TRUE', ' on ']) expect(uciBool(v)).toBe(true);
  });

  it('treats everything else, a missing value and lists as false', () => {
    for (const v of ['0', 'no', 'off', 'false', 'disabled', '', '2', undefined, ['1']]) expect(uciBool(v)).toBe(false);
  });
});

describe('never throws', () => {
  it('on arbitrary strings and on a real capture with random text spliced in', () => {
    const base = fw4Print.input_firewall_config + SHOW_EXTENDED;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(), (junk, a, b) => {
        const spliced = base.slice(0, a % (base.length + 1)) + junk + base.slice(b % (base.length + 1));
        for (const s of [junk, spliced]) {
          parseUciShow(s, 'firewall');
          parseUciFile(s);
          uciBool(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});
