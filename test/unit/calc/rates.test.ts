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

  it('shows 0 for negative and non-finite values', () => {
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

  it('shows 0 B for negative and non-finite values', () => {
    expect(formatBytes(-1)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });
});
