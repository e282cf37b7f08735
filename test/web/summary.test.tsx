// @vitest-environment happy-dom
/** The summary strip (issue 16): one line that answers "is it on, is it doing anything", a warning with the first problem. */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { summaryProblems, ANCHOR } from '../../web/src/lib/summary';
import { SummaryStrip } from '../../web/src/components/SummaryStrip';
import { setTranslate } from '../../web/src/lib/i18n';
import { statusFixture } from './fixtures';

afterEach(() => {
  setTranslate(null);
  document.body.innerHTML = '';
});

const none = { statusError: null, stale: null, lost: null };

describe('summaryProblems', () => {
  it('a healthy software state has no problem', () => {
    expect(summaryProblems({ status: statusFixture({}, 'software'), ...none })).toEqual([]);
  });

  it('a lost connection comes first and hides the stale notice it causes', () => {
    const p = summaryProblems({ status: statusFixture({}, 'software'), statusError: null, stale: { since: 0, reason: 'x' }, lost: { since: 0 } });
    expect(p).toHaveLength(1);
    expect(p[0]?.href).toBe(ANCHOR.connection);
    expect(p[0]?.text).toMatch(/^Connection to the router lost since /);
  });

  it('stale figures link to the live view, a failed status load to the state', () => {
    const p = summaryProblems({ status: null, statusError: 'timeout', stale: { since: 0, reason: 'no answer.' }, lost: null });
    expect(p.map((x) => x.href)).toEqual([ANCHOR.live, ANCHOR.state]);
    expect(p[0]?.text).toMatch(/stale since .*: no answer\.$/);
    expect(p[1]?.text).toBe('The state could not be read: timeout');
  });

  it('hardware fallback, then device problems in words, then warning conflicts and warnings; info conflicts are not problems', () => {
    const base = statusFixture({}, 'software');
    const st = statusFixture({
      effective: { ...base.effective, state: 'hardware-fallback' },
      devices: [{ ...(base.devices[1] as (typeof base.devices)[number]), device: 'pppoe-wan', problems: ['pppoe-l3-device'] }],
      conflicts: [
        { id: 'sqm', severity: 'info', text: 'SQM is installed but not running.', advice: '' },
        { id: 'qosify', severity: 'warning', text: 'qosify runs on wan.', advice: '' },
      ],
      warnings: ['fw4 printed a warning.'],
    });
    const p = summaryProblems({ status: st, ...none });
    expect(p.map((x) => x.text)).toEqual([
      'Hardware offloading was requested, but the router runs software offloading.',
      "pppoe-wan: PPPoE device: fw4 puts the underlying device in the flowtable instead, and no offloaded connection shows PPPoE traffic going through it. An IPv6 interface on @wan (option device '@wan') makes fw4 add the PPPoE device to the flowtable.",
      'qosify runs on wan.',
      'fw4 printed a warning.',
    ]);
  });

  it('hardware running while no offloaded connection is in hardware is a warning; in hardware it is not', () => {
    const base = statusFixture({}, 'hardware');
    const none = statusFixture({ effective: { ...base.effective, hardware: { verdict: 'none-in-hardware', engine: null } } }, 'hardware');
    expect(summaryProblems({ status: none, statusError: null, stale: null, lost: null }).map((p) => p.text)).toEqual(['Hardware offloading is on, but none of the offloaded connections is in hardware.']);
    expect(summaryProblems({ status: base, statusError: null, stale: null, lost: null })).toEqual([]);
  });

  it('misconfigured, unsupported and unknown states carry the handler reason', () => {
    for (const state of ['misconfigured', 'unsupported', 'unknown'] as const) {
      const base = statusFixture({}, 'software');
      const p = summaryProblems({ status: statusFixture({ effective: { ...base.effective, state, reason: 'R.' } }), ...none });
      expect(p).toHaveLength(1);
      expect(p[0]?.text).toMatch(/: R\.$/);
    }
  });
});

describe('SummaryStrip', () => {
  it('one line: mode, flows, CPU, WAN; ok tone without a problem', () => {
    const el = document.createElement('div');
    document.body.append(el);
    render(<SummaryStrip running="Software offloading" flows={{ software: 8, hardware: 0, total: 12 }} cpu={{ busy: 25, softirq: 5 }} wan={{ rx: 40e6, tx: 1e6 }} problem={null} more={0} />, el);
    const s = el.querySelector('[data-lo="summary"]') as HTMLElement;
    expect(s.dataset.tone).toBe('ok');
    expect(s.querySelector('[data-lo="summary-mode"]')?.textContent).toContain('Software offloading');
    expect(s.querySelector('[data-lo="summary-flows"]')?.textContent).toMatch(/8 software, 0 hardware of 12 flows/);
    expect(s.querySelector('[data-lo="summary-cpu"]')?.textContent).toMatch(/25(\.0)? % busy, 5(\.0)? % softirq/);
    expect(s.querySelector('[data-lo="summary-wan"]')?.textContent).toMatch(/40(\.0)? Mbit\/s down/);
    expect(s.querySelector('[data-lo="summary-problem"]')).toBeNull();
  });

  it('before any figure: dashes, not zeros', () => {
    const el = document.createElement('div');
    document.body.append(el);
    render(<SummaryStrip running={null} flows={null} cpu={null} wan={null} problem={null} more={0} />, el);
    const text = el.textContent ?? '';
    expect(text).not.toMatch(/\b0\b/);
    expect(text).toContain('–');
  });

  it('a problem turns it into a warning whose link focuses the place that shows it', () => {
    const el = document.createElement('div');
    const target = document.createElement('div');
    target.id = 'lo-state';
    document.body.append(el, target);
    render(<SummaryStrip running="Off" flows={null} cpu={null} wan={null} problem={{ text: 'wan: broken', href: '#lo-state' }} more={2} />, el);
    const s = el.querySelector('[data-lo="summary"]') as HTMLElement;
    expect(s.dataset.tone).toBe('warning');
    const problem = s.querySelector('[data-lo="summary-problem"]') as HTMLElement;
    expect(problem.textContent).toContain('wan: broken');
    expect(problem.textContent).toContain('(2 more on this page)');
    (problem.querySelector('a') as HTMLAnchorElement).click();
    expect(document.activeElement).toBe(target);
  });
});
