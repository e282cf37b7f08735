import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keepLargest } from '../../../rpcd/src/calc/largest';
import type { ConntrackEntry } from '../../../rpcd/src/parse/conntrack';

const entry = (bytes: number, id: number): ConntrackEntry => ({ bytes, packets: id } as unknown as ConntrackEntry);

describe('keepLargest (flows)', () => {
  it('keeps what a stable sort by bytes, largest first, would start with', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), fc.integer({ min: 0, max: 12 }), (bytes, limit) => {
        const es = bytes.map((b, i) => entry(b, i));
        const top: ConntrackEntry[] = [];
        for (const e of es) keepLargest(top, e, limit);
        const want = [...es].sort((a, b) => b.bytes - a.bytes).slice(0, limit);
        expect(top.map((e) => e.packets)).toEqual(want.map((e) => e.packets));
      }),
      { numRuns: 3000 },
    );
  });
});
