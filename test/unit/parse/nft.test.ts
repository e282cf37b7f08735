import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasOffloadRule, parseFlowtablesText, type Flowtable } from '../../../rpcd/src/parse/nft';

const kernel = (name: string): string => readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url), 'utf8');
const fw4Print = JSON.parse(readFileSync(new URL('../../fixtures/fw4/fw4-print-flow-offloading.json', import.meta.url), 'utf8')) as {
  output_ruleset: string;
  output_ruleset_without_netifd: string;
};

const ft = (over: Partial<Flowtable>): Flowtable => ({
  family: 'inet', table: 'fw4', name: 'ft', hook: 'ingress', priority: 'filter', devices: ['rlan', 'rwan'], hw: false, counter: false,
  ...over,
});

describe('parseFlowtablesText on real captures', () => {
  it('reads nft list flowtables (priority printed as filter, devices unquoted)', () => {
    expect(parseFlowtablesText(kernel('nft_flowtables.txt'))).toEqual([ft({})]);
  });

  it('reads the flowtable of nft list ruleset and nothing from its chains', () => {
    expect(parseFlowtablesText(kernel('nft_ruleset.txt'))).toEqual([ft({})]);
  });

  it('reads the fw4 input form of the software ruleset (semicolons, quoted devices)', () => {
    expect(parseFlowtablesText(kernel('fw4_sw.nft'))).toEqual([ft({ priority: '0' })]);
  });

  it('reads flags offload in the hardware ruleset and ignores the same words in its header comment', () => {
    expect(parseFlowtablesText(kernel('fw4_hw.nft'))).toEqual([ft({ priority: '0', hw: true })]);
  });

  it('finds no flowtable in the offload-off ruleset', () => {
    expect(parseFlowtablesText(kernel('fw4_none.nft'))).toEqual([]);
  });

  it('reads real fw4 print output, which adds counter', () => {
    expect(parseFlowtablesText(fw4Print.output_ruleset)).toEqual([ft({ priority: '0', devices: ['br-lan', 'wan0'], counter: true })]);
    expect(parseFlowtablesText(fw4Print.output_ruleset_without_netifd)).toEqual([]);
  });
});

describe('parseFlowtablesText edge cases', () => {
  it('reads flags offload and counter as printed by nft', () => {
    const text = 'table inet fw4 {\n\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { "br-lan", "eth1" }\n\t\tflags offload\n\t\tcounter\n\t}\n}\n';
    expect(parseFlowtablesText(text)).toEqual([ft({ devices: ['br-lan', 'eth1'], hw: true, counter: true })]);
  });

  it('reads unquoted device lists of older nft spread over several lines and priority expressions', () => {
    const text = 'table inet fw4 {\n  flowtable ft {\n    hook ingress priority filter + 10\n    devices = { lan1, lan2,\n      lan3, pppoe-wan,\n      wan }\n  }\n}\n';
    expect(parseFlowtablesText(text)).toEqual([ft({ priority: 'filter + 10', devices: ['lan1', 'lan2', 'lan3', 'pppoe-wan', 'wan'] })]);
  });

  it('reads several flowtables with their own tables and families', () => {
    const text = 'table ip filter {\n flowtable f1 {\n  hook ingress priority 0\n  devices = { eth0 }\n }\n}\ntable inet fw4 {\n flowtable ft {\n  hook ingress priority 0\n  devices = { eth1 }\n }\n}\n';
    expect(parseFlowtablesText(text).map((f) => `${f.family}/${f.table}/${f.name}/${f.devices.join('+')}`)).toEqual(['ip/filter/f1/eth0', 'inet/fw4/ft/eth1']);
  });

  it('reads the one-line add flowtable command form', () => {
    const text = 'add flowtable inet hwtest ft { hook ingress priority 0; devices = { rlan, rwan }; flags offload; }';
    expect(parseFlowtablesText(text)).toEqual([ft({ table: 'hwtest', priority: '0', hw: true })]);
  });

  it('is not fooled by a set named like a flowtable keyword or braces inside strings', () => {
    const text = 'table inet fw4 {\n set devices { type ifname; elements = { "flowtable ft {" } }\n chain forward {\n  iifname "}" accept comment "flowtable x { devices = { a } }"\n }\n}\n';
    expect(parseFlowtablesText(text)).toEqual([]);
  });

  it('reads nft -a output, where handles follow as # comments', () => {
    const text = 'table inet fw4 { # handle 23\n\tflowtable ft { # handle 28\n\t\thook ingress priority filter\n\t\tdevices = { rlan, rwan }\n\t}\n\n\tchain forward { # handle 2\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tmeta l4proto { tcp, udp } flow add @ft # handle 35\n\t}\n}\n';
    expect(parseFlowtablesText(text)).toEqual([ft({})]);
    expect(hasOffloadRule(text)).toBe(true);
  });

  it('reads CRLF line endings', () => {
    const text = 'table inet fw4 {\r\n\tflowtable ft {\r\n\t\thook ingress priority filter\r\n\t\tdevices = { rlan, rwan }\r\n\t\tflags offload\r\n\t}\r\n}\r\n';
    expect(parseFlowtablesText(text)).toEqual([ft({ hw: true })]);
  });

  it('returns [] for empty input and garbage, and never throws on unbalanced braces or open strings', () => {
    for (const bad of ['', '}}}}', '{{{{', 'flowtable ft {', 'table inet fw4 { flowtable ft { devices = { "a', '"', '\u0000#\u0001', 'devices = { a }']) {
      expect(() => parseFlowtablesText(bad)).not.toThrow();
    }
    expect(parseFlowtablesText('')).toEqual([]);
    expect(parseFlowtablesText('hello { world } ; = ,')).toEqual([]);
  });

  it('handles very long input', () => {
    const rules = '\t\tip saddr 10.0.0.1 counter accept comment "' + 'x'.repeat(100_000) + '"\n';
    const text = 'table inet fw4 {\n\tflowtable ft {\n\t\thook ingress priority 0;\n\t\tdevices = { ' + Array.from({ length: 2000 }, (_, i) => `"eth${i}"`).join(', ') + ' };\n\t}\n\tchain forward {\n' + rules.repeat(20) + '\t\tmeta l4proto { tcp, udp } flow offload @ft;\n\t}\n}\n';
    expect(parseFlowtablesText(text)[0]?.devices).toHaveLength(2000);
    expect(hasOffloadRule(text)).toBe(true);
  });
});

describe('hasOffloadRule on real captures', () => {
  it('finds the rule as nft lists it back (flow add @ft)', () => {
    expect(hasOffloadRule(kernel('nft_ruleset.txt'))).toBe(true);
  });

  it('finds the rule as fw4 writes it (flow offload @ft;)', () => {
    expect(hasOffloadRule(kernel('fw4_sw.nft'))).toBe(true);
    expect(hasOffloadRule(kernel('fw4_hw.nft'))).toBe(true);
    expect(hasOffloadRule(fw4Print.output_ruleset)).toBe(true);
  });

  it('does not take the comment of the offload-off ruleset for a rule', () => {
    expect(hasOffloadRule(kernel('fw4_none.nft'))).toBe(false);
    expect(hasOffloadRule(fw4Print.output_ruleset_without_netifd)).toBe(false);
  });

  it('looks only at the chain, table and flowtable asked for', () => {
    const text = kernel('nft_ruleset.txt');
    expect(hasOffloadRule(text, { chain: 'input' })).toBe(false);
    expect(hasOffloadRule(text, { table: 'other' })).toBe(false);
    expect(hasOffloadRule(text, { flowtable: 'other' })).toBe(false);
    expect(hasOffloadRule(text, { family: 'ip' })).toBe(false);
  });
});

describe('hasOffloadRule edge cases', () => {
  it('ignores the same words in another chain, another table, a comment string and a # comment', () => {
    const text = [
      'table inet other {',
      '  chain forward {',
      '    meta l4proto tcp flow add @ft',
      '  }',
      '}',
      'table inet fw4 {',
      '  chain forward_wan {',
      '    meta l4proto tcp flow add @ft',
      '  }',
      '  chain forward {',
      '    # meta l4proto { tcp, udp } flow offload @ft;',
      '    ct state established accept comment "flow add @ft"',
      '    meta l4proto tcp flow add @other',
      '  }',
      '}',
    ].join('\n');
    expect(hasOffloadRule(text)).toBe(false);
  });

  it('finds the rule after a chain with nested braces and in the one-line chain form', () => {
    expect(hasOffloadRule('table inet fw4 { chain forward { type filter hook forward priority filter; policy drop; ct state vmap { established : accept }; meta l4proto { tcp, udp } flow offload @ft; } }')).toBe(true);
  });

  it('finds an add rule command', () => {
    expect(hasOffloadRule('add rule inet fw4 forward meta l4proto { tcp, udp } flow add @ft')).toBe(true);
    expect(hasOffloadRule('add rule inet fw4 input meta l4proto { tcp, udp } flow add @ft')).toBe(false);
  });

  it('returns false for empty input and garbage', () => {
    for (const bad of ['', 'flow add @ft', '}}} flow add @ft', 'chain forward { flow add @ft }', '\u0000']) {
      expect(hasOffloadRule(bad)).toBe(false);
    }
  });
});

describe('never throws', () => {
  it('on arbitrary strings and on a real capture with random text spliced in', () => {
    const base = kernel('nft_ruleset.txt') + kernel('nft_ruleset.json');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(), (junk, a, b) => {
        const spliced = base.slice(0, a % (base.length + 1)) + junk + base.slice(b % (base.length + 1));
        for (const s of [junk, spliced]) {
          parseFlowtablesText(s);
          hasOffloadRule(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});
