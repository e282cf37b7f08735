// @vitest-environment happy-dom
/** Numbers in LuCI's language (issue 16 #3): German reads `3,4 %`, English `3.4 %`. */
import { afterEach, describe, expect, it } from 'vitest';
import { bits, duration, pct, localDigits, setNumberLocale } from '../../web/src/lib/format';

afterEach(() => setNumberLocale('en'));

describe('the decimal sign of the page\'s language', () => {
  it('German and French use a comma, English and Chinese a point; the rounding stays', () => {
    setNumberLocale('de');
    expect([pct(3.44), bits(1.5e9), duration(2400), pct(42)]).toEqual(['3,4 %', '1,50 Gbit/s', '2,4 s', '42 %']);
    setNumberLocale('fr');
    expect(pct(3.44)).toBe('3,4 %');
    setNumberLocale('zh-cn');
    expect(pct(3.44)).toBe('3.4 %');
    setNumberLocale('en');
    expect([pct(3.44), bits(1.5e9)]).toEqual(['3.4 %', '1.50 Gbit/s']);
  });

  it('changes only points between digits, and survives an unknown language tag', () => {
    setNumberLocale('de');
    expect(localDigits('v1.2 at 1.5 Mbit/s. Done.')).toBe('v1,2 at 1,5 Mbit/s. Done.');
    setNumberLocale('not a tag!');
    expect(pct(3.44)).toBe('3.4 %');
  });

});
