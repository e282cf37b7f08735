import { describe, expect, it } from 'vitest';
import { agoLabel, axisBits, maxOf, niceMax, timeTicks, viewSpan } from '../../web/src/lib/scale';
import { luminance } from '../../web/src/lib/theme';
import { clock, count, duration, endpoint, pct } from '../../web/src/lib/format';

describe('axis scaling', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten, with a floor', () => {
    expect(niceMax(813e6, 1e6)).toBe(1e9);
    expect(niceMax(420e6, 1e6)).toBe(500e6);
    expect(niceMax(210e6, 1e6)).toBe(250e6);
    expect(niceMax(150, 1)).toBe(200);
    expect(niceMax(0, 1e6)).toBe(1e6);
    expect(niceMax(NaN, 5)).toBe(5);
    expect(niceMax(1000, 1)).toBe(1000);
  });

  it('finds the largest finite value and labels bit rates compactly', () => {
    expect(maxOf([1, NaN, 3], [2])).toBe(3);
    expect(maxOf([])).toBe(0);
    expect(axisBits(0)).toBe('0');
    expect(axisBits(500e6)).toBe('500M');
    expect(axisBits(1.5e9)).toBe('1.5G');
    expect(axisBits(2500)).toBe('2.5k');
  });
});

describe('formatting', () => {
  it('formats percentages, seconds, counts, clock and endpoints', () => {
    expect(pct(3.456)).toBe('3.5 %');
    expect(pct(42.4)).toBe('42 %');
    expect(pct(130)).toBe('100 %');
    expect(pct(null)).toBe('–');
    expect(duration(340)).toBe('340 ms');
    expect(duration(2449)).toBe('2.4 s');
    expect(count(16384)).toBe('16\u202f384');
    expect(count(undefined)).toBe('–');
    expect(clock(new Date(2026, 0, 1, 9, 5, 7))).toBe('09:05:07');
    expect(endpoint('192.168.1.2', 443)).toBe('192.168.1.2:443');
    expect(endpoint('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
    expect(endpoint('1.1.1.1', null)).toBe('1.1.1.1');
  });
});

describe('theme luminance', () => {
  it('tells dark from light backgrounds and ignores transparent ones', () => {
    expect(luminance('rgb(255, 255, 255)')).toBeCloseTo(1, 3);
    expect(luminance('rgb(30, 30, 30)')!).toBeLessThan(0.05);
    expect(luminance('rgba(0, 0, 0, 0)')).toBeNull();
    expect(luminance('transparent')).toBeNull();
  });
});

describe('time axis', () => {
  it('shows at least a minute, grows in 30 s steps and stops at the history window', () => {
    expect(viewSpan(0, 5_000, 300_000)).toBe(60_000);
    expect(viewSpan(0, 61_000, 300_000)).toBe(90_000);
    expect(viewSpan(0, 900_000, 300_000)).toBe(300_000);
    expect(viewSpan(NaN, 5, 300_000)).toBe(60_000);
  });

  it('spaces ticks by the width and labels them back from now', () => {
    expect(timeTicks(60_000, 900)).toEqual([0, 10e3, 20e3, 30e3, 40e3, 50e3, 60e3]);
    expect(timeTicks(300_000, 300)).toEqual([0, 60e3, 120e3, 180e3, 240e3, 300e3]);
    expect(timeTicks(300_000, 150)).toEqual([0, 120e3, 240e3]);
    expect(agoLabel(0, 'now')).toBe('now');
    expect(agoLabel(30_000, 'now')).toBe('−30 s');
    expect(agoLabel(120_000, 'now')).toBe('−2 min');
  });
});
