import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeMethods, unescapeMethods, methodsFromFile, METHODS_MARK } from '../../../rpcd/src/parse/embedded';

describe('the methods comment (parse/embedded.ts)', () => {
  it('never contains the end of a block comment, and every text comes back as it was', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '/', '@', 'a', '\n') }), (s) => {
        const e = escapeMethods(s);
        expect(e.includes('*/')).toBe(false);
        expect(unescapeMethods(e)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes by the documented rule', () => {
    expect(escapeMethods('a*/b@c*@/')).toBe('a*@/b@@c*@@/');
    expect(unescapeMethods('a*@/b@@c*@@/')).toBe('a*/b@c*@/');
  });

  it('finds the source between the mark and the comment end; null without either', () => {
    const file = `code();\n${METHODS_MARK}${escapeMethods('x = /a*/g; y = "@";')}*/\n`;
    expect(methodsFromFile(file)).toBe('x = /a*/g; y = "@";');
    expect(methodsFromFile('code();\n')).toBeNull();
    expect(methodsFromFile(`code();\n${METHODS_MARK}no end`)).toBeNull();
    // the mark inside the module's own code (not at a line start) is not the comment
    expect(methodsFromFile(`const m = \`${METHODS_MARK}\`; /* x */`)).toBeNull();
    expect(methodsFromFile(`const m = \`${METHODS_MARK}\`;\n`)).toBeNull();
  });
});
