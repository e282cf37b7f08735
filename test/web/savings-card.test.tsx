// @vitest-environment happy-dom
/** The savings card (issue 16 #2) from plain values: the comparison with its spread, "not enough traffic yet", the A/B's consent, progress and result. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { SavingsCard, type SavingsCardProps } from '../../web/src/components/SavingsCard';
import { compareModes, modeFigures, type Window } from '../../web/src/lib/savings';
import type { AbState } from '../../web/src/models/SavingsModel';

afterEach(() => {
  document.body.innerHTML = '';
});

const win = (mode: Window['mode'], busyPerGb: number, softPerGb: number, mbit = 450): Window => {
  const bytes = (mbit * 1e6 * 10) / 8;
  return { mode, ms: 10000, bytes, busy: (busyPerGb * bytes) / 1e9, softirq: (softPerGb * bytes) / 1e9 };
};
const idle: AbState = { phase: 'idle', original: null, other: null, measuring: null, got: 0, result: null, reason: null, restored: null };

function show(over: Partial<SavingsCardProps> = {}) {
  const calls = { ask: vi.fn(), start: vi.fn(), cancel: vi.fn(), dismiss: vi.fn(), forget: vi.fn() };
  const props: SavingsCardProps = {
    figures: [], comparisons: [], counts: { off: 1, software: 0, hardware: 0 }, ab: idle, other: 'software', current: 'off', abSeconds: 37, readonly: false,
    onAsk: calls.ask, onStart: calls.start, onCancel: calls.cancel, onDismiss: calls.dismiss, onForget: calls.forget, ...over,
  };
  const el = document.createElement('div');
  document.body.appendChild(el);
  render(<SavingsCard {...props} />, el);
  const q = (lo: string) => el.querySelector(`[data-lo=${lo}]`) as HTMLElement | null;
  return { el, q, calls };
}

describe('SavingsCard', () => {
  it('says there is not enough traffic yet, with what was counted', () => {
    const { q } = show();
    expect(q('savings-none')?.textContent).toBe('Not enough traffic yet: a mode needs 3 windows of 10 s with at least 25 MB through WAN, and two modes are compared. Counted so far: Off 1, Software 0, Hardware 0.');
    expect(q('savings-compare')).toBeNull();
  });

  it('shows "off: X, software: Y → −Z % CPU per GB at ~N Mbit/s (k windows)" with the spread, and each mode', () => {
    const f = modeFigures({ off: [win('off', 13, 11), win('off', 14, 12), win('off', 15, 12)], software: [win('software', 6, 4), win('software', 6, 4), win('software', 6, 4), win('software', 6, 4)], hardware: [] });
    const { q } = show({ figures: Object.values(f), comparisons: compareModes(f) });
    expect(q('savings-compare')?.textContent).toBe(
      'Off: 14.0, Software: 6.00 → −57 % CPU per GB at ~450 Mbit/s (3 and 4 windows)' +
      'Busy CPU-seconds per GB through WAN; spread of the windows 13.2–14.8 and 6.00–6.00. Softirq alone: −66 %.',
    );
    expect(q('savings-modes')?.textContent).toContain('Software: 6.00 busy and 4.00 softirq CPU-seconds per GB at ~450 Mbit/s (4 windows)');
    expect(q('savings-none')).toBeNull();
  });

  it('asks for consent saying what will happen before it switches anything', () => {
    const a = show();
    (a.q('savings-ask') as HTMLButtonElement).click();
    expect(a.calls.ask).toHaveBeenCalled();
    const c = show({ ab: { ...idle, phase: 'confirm' } });
    expect(c.q('savings-consent')?.textContent).toBe('The panel will measure Off for about 37 s while your traffic runs, switch to Software, measure it for about 37 s, and switch back to Off. The firewall reloads twice. Keep a download running: if the traffic stops or you cancel, it switches back to Off at once.');
    (c.q('savings-start') as HTMLButtonElement).click();
    expect(c.calls.start).toHaveBeenCalled();
    expect(c.calls.ask).not.toHaveBeenCalled();
  });

  it('shows progress with a cancel, and the result or why it stopped with the original mode restored', () => {
    const m = show({ ab: { ...idle, phase: 'measure', original: 'off', other: 'software', measuring: 'software', got: 2 } });
    expect(m.q('savings-ab')?.textContent).toContain('Measuring Software: 2 of 3 windows…');
    (m.q('savings-cancel') as HTMLButtonElement).click();
    expect(m.calls.cancel).toHaveBeenCalled();
    const a = show({ ab: { ...idle, phase: 'aborted', original: 'off', reason: 'You cancelled the measurement.', restored: true } });
    expect(a.q('savings-ab')?.textContent).toContain('The comparison stopped: You cancelled the measurement.Off is running again.');
    const b = show({ ab: { ...idle, phase: 'aborted', original: 'off', reason: 'x', restored: false } });
    expect(b.q('savings-restored')?.textContent).toBe('Could not switch back to Off: choose it above and apply.');
  });

  it('a read-only user is told why there is no comparison button', () => {
    const { q, el } = show({ readonly: true, other: null });
    expect(q('savings-ask')).toBeNull();
    expect(el.textContent).toContain('Only a user who may change the mode can run the comparison.');
  });
});
