import { describe, it, expect, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport, PROBLEM_WORDS } from '../../../rpcd/src/methods/diagnostics';
import { APP_VERSION, type DeviceProblem, type DeviceInfo } from '../../../rpcd/src/api/contract';
import { statusFixture, statsFixture, flowsFixture } from '../../web/fixtures';

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
});
