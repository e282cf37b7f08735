import { describe, it, expect, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport, liveFigures, PROBLEM_WORDS } from '../../../rpcd/src/methods/diagnostics';
import { APP_VERSION, type DeviceProblem, type DeviceInfo } from '../../../rpcd/src/api/contract';
import { statusFixture, statsFixture, flowsFixture, cpu } from '../../web/fixtures';

// The renderer is pure; the module's I/O imports (QuickJS's std and os) are stood in for.
vi.mock('std', () => ({ getenv: () => undefined }));
vi.mock('os', () => ({}));

const ALL: DeviceProblem[] = ['missing-from-flowtable', 'not-present', 'pppoe-l3-device', 'not-in-any-zone', 'no-hw-tc-offload'];
const dev = (device: string, problems: DeviceProblem[]): DeviceInfo => ({
  device, role: 'wan', zones: ['wan'], exists: true, in_flowtable: false, flowtables: [], carried_by: null, hw_tc_offload: null, hw_tc_offload_fixed: false, problems,
});

describe('renderReport', () => {
  it('explains every device problem code in a sentence, naming the devices it concerns', () => {
    const md = renderReport(statusFixture({ devices: [dev('wan', ALL), dev('pppoe-wan', ['pppoe-l3-device'])] }), statsFixture(1), flowsFixture(), '', 0, true);
    for (const p of ALL) {
      expect(PROBLEM_WORDS[p].length, p).toBeGreaterThan(20);
      expect(md).toContain(`- ${p}: ${PROBLEM_WORDS[p]}`);
    }
    expect(md).toContain('(pppoe-wan, wan)');
  });

  it('says in words what the hardware verdict and the flow source mean', () => {
    const s = statusFixture({}, 'hardware');
    s.effective.hardware = { verdict: 'none-in-hardware', engine: null };
    const md = renderReport(s, statsFixture(1), flowsFixture(), '', 0, true);
    expect(md).toContain('- Hardware proof: flows are offloaded, but none of them in hardware');
    expect(md).not.toMatch(/none-in-hardware/);
  });

  it('APP_VERSION is the version package.json gives the package', () => {
    expect(APP_VERSION).toBe((JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version);
  });

  it('live figures: CPU shares and WAN bit/s between two readings; a WAN counter that went backwards gives no rate', () => {
    const dev = (rx: number, tx: number) => ({ rx_bytes: rx, tx_bytes: tx, rx_packets: 0, tx_packets: 0, rx_dropped: 0, tx_dropped: 0 });
    const a = { uptime_ms: 1000, cpu: cpu(100, 50, 800), netdev: { wan: dev(0, 0), 'br-lan': dev(0, 0) } };
    const b = { uptime_ms: 2000, cpu: cpu(130, 70, 870), netdev: { wan: dev(12_500_000, 1_250_000), 'br-lan': dev(1, 1) } };
    expect(liveFigures(a, b, ['wan'])).toEqual({ seconds: 1, busyPct: 30, softirqPct: 20, rxBps: 100e6, txBps: 10e6 });
    expect(liveFigures(b, { ...b, uptime_ms: 3000, cpu: cpu(140, 70, 960), netdev: { wan: dev(5, 5) } }, ['wan'])).toMatchObject({ rxBps: null, txBps: null });
    expect(liveFigures(a, a, ['wan'])).toBeNull();
    const md = renderReport(statusFixture(), statsFixture(1), flowsFixture(), '', 0, true, { live: { seconds: 1, busyPct: 30, softirqPct: 20, rxBps: null, txBps: null } });
    expect(md).toContain('- At report time (over 1.0 s): CPU 30.0 % busy, softirq 20.0 %; WAN throughput unknown');
  });

  it('WAN line: says why when netifd could not be asked', () => {
    const md = renderReport(statusFixture(), statsFixture(1), flowsFixture(), '', 0, true, { interfaces: { ok: false, error: 'the ubus command is not installed' } });
    expect(md).toContain('- WAN: unknown (netifd could not be asked: the ubus command is not installed)');
  });
});
