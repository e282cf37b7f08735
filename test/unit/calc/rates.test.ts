import { describe, expect, it } from 'vitest';
import { counterRate, formatBits, formatBytes } from '../../../rpcd/src/calc/rates';

describe('counterRate', () => {
  it('gives bytes per second from two readings', () => {
    expect(counterRate(1000, 3000, 2000)).toBe(1000);
    expect(counterRate(0, 20869068610, 8000)).toBeCloseTo(2608633576.25, 2);
    expect(counterRate(5, 5, 1000)).toBe(0);
  });

  it('gives null for a non-positive interval or a counter that went backwards', () => {
    expect(counterRate(0, 10, 0)).toBeNull();
    expect(counterRate(0, 10, -5)).toBeNull();
    expect(counterRate(10, 5, 1000)).toBeNull();
    expect(counterRate(Number.NaN, 5, 1000)).toBeNull();
    expect(counterRate(0, Number.POSITIVE_INFINITY, 1000)).toBeNull();
  });
});

describe('formatBits', () => {
  it('uses three significant digits and SI steps', () => {
    expect(formatBits(0)).toBe('0 bit/s');
    expect(formatBits(512)).toBe('512 bit/s');
    expect(formatBits(12_345)).toBe('12.3 kbit/s');
    expect(formatBits(940_000_000)).toBe('940 Mbit/s');
    expect(formatBits(1_200_000_000)).toBe('1.20 Gbit/s');
    expect(formatBits(1_593_000_000)).toBe('1.59 Gbit/s');
  });

  it('moves to the next unit when rounding reaches 1000', () => {
    expect(formatBits(999.7)).toBe('1.00 kbit/s');
    expect(formatBits(999_600)).toBe('1.00 Mbit/s');
  });

  it('rounds below 1 kbit/s to whole bits; 999.5 already reads 1.00 kbit/s', () => {
    expect(formatBits(0.4)).toBe('0 bit/s');
    expect(formatBits(12.34)).toBe('12 bit/s');
    expect(formatBits(999.4)).toBe('999 bit/s');
    expect(formatBits(999.5)).toBe('1.00 kbit/s');
    expect(formatBits(1000)).toBe('1.00 kbit/s');
    expect(formatBits(1_000_000)).toBe('1.00 Mbit/s');
  });

  it('reaches Tbit/s and Pbit/s; past the largest unit it counts whole Pbit/s, never in exponent notation', () => {
    expect(formatBits(1.5e12)).toBe('1.50 Tbit/s');
    expect(formatBits(999.4e12)).toBe('999 Tbit/s');
    expect(formatBits(2e15)).toBe('2.00 Pbit/s');
    expect(formatBits(999.4e15)).toBe('999 Pbit/s');
    expect(formatBits(999.7e15)).toBe('1000 Pbit/s');
    expect(formatBits(1e18)).toBe('1000 Pbit/s');
    expect(formatBits(5e18)).toBe('5000 Pbit/s');
    expect(formatBits(1.5e20)).toBe('150000 Pbit/s');
  });

  it('shows 0 for negative and non-finite values', () => {
    expect(formatBits(-0)).toBe('0 bit/s');
    expect(formatBits(Number.NEGATIVE_INFINITY)).toBe('0 bit/s');
    expect(formatBits(-5)).toBe('0 bit/s');
    expect(formatBits(Number.NaN)).toBe('0 bit/s');
    expect(formatBits(Number.POSITIVE_INFINITY)).toBe('0 bit/s');
  });
});

describe('formatBytes', () => {
  it('uses IEC steps and drops trailing zeros', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MiB');
    expect(formatBytes(20869068610)).toBe('19.4 GiB');
  });

  it('moves to the next unit when rounding reaches 1024', () => {
    expect(formatBytes(1023.7)).toBe('1 KiB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MiB');
    expect(formatBytes(1000.4 * 1024)).toBe('1000 KiB');
  });

  it('counts whole bytes below 1 KiB (a fractional count is rounded, not shown as 1.5 B)', () => {
    expect(formatBytes(0.4)).toBe('0 B');
    expect(formatBytes(1.5)).toBe('2 B');
    expect(formatBytes(12.34)).toBe('12 B');
    expect(formatBytes(1023.4)).toBe('1023 B');
  });

  it('keeps 100–1023 of a unit whole and three significant digits below 100', () => {
    expect(formatBytes(99.94 * 1024)).toBe('99.9 KiB');
    expect(formatBytes(99.96 * 1024)).toBe('100 KiB');
    expect(formatBytes(100.4 * 1024)).toBe('100 KiB');
    expect(formatBytes(1023.4 * 1024)).toBe('1023 KiB');
    expect(formatBytes(1023.6 * 1024)).toBe('1 MiB');
  });

  it('reaches TiB, PiB and EiB; past EiB it counts whole EiB', () => {
    expect(formatBytes(1.5 * 2 ** 40)).toBe('1.5 TiB');
    expect(formatBytes(1.5 * 2 ** 50)).toBe('1.5 PiB');
    expect(formatBytes(1.5 * 2 ** 60)).toBe('1.5 EiB');
    expect(formatBytes(2 ** 70)).toBe('1024 EiB');
    expect(formatBytes(2 ** 80)).toBe('1048576 EiB');
  });

  it('shows 0 B for negative and non-finite values', () => {
    expect(formatBytes(-0)).toBe('0 B');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('0 B');
    expect(formatBytes(-1)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });
});
