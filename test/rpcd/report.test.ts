/**
 * The diagnostics report as forum helpers want it (issue 16 #5/#7), from the bundled handler under
 * real qjs in simulated routers: the app version, the WAN protocol from netifd, live CPU and
 * throughput measured while the report is made, the loaded offload modules (/proc/modules), the DSA
 * ports' hw-tc-offload, readable sizes, and the long parts folded for the forum.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runHandlerAsync } from '../helpers/qjs';
import type { DiagnosticsResult } from '../../rpcd/src/api/contract';
import type { TestRoot } from '../helpers/scenario';
import { scenario, call } from './scenario-calls';

/** diagnostics while the simulated router keeps running (its counters advance every 100 ms). */
async function liveReport(t: TestRoot, args: object = {}): Promise<string> {
  const timer = setInterval(() => t.model.refresh(), 100);
  try {
    const r = await runHandlerAsync(['call', 'diagnostics'], JSON.stringify(args), t.root);
    return (r.json as unknown as DiagnosticsResult).markdown;
  } finally {
    clearInterval(timer);
  }
}

describe('diagnostics report fields', () => {
  it('names the app version (the package version)', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    const md = call<DiagnosticsResult>(scenario('mt7621'), 'diagnostics').markdown;
    expect(md.split('\n')[0]).toBe(`### Flow offloading report (luci-app-offload ${version})`);
  });

  it('names the WAN interfaces with their protocol from netifd', () => {
    expect(call<DiagnosticsResult>(scenario('mt7621'), 'diagnostics').markdown).toContain('- WAN: wan: dhcp on wan; wan6: dhcpv6 on wan');
    expect(call<DiagnosticsResult>(scenario('pppoe'), 'diagnostics').markdown).toMatch(/- WAN: wan: pppoe on pppoe-wan(;|\n)/);
  });

  it('measures CPU and WAN throughput while the report is made', async () => {
    const t = scenario('mt7621-software');
    const md = await liveReport(t);
    const m = /- At report time \(over (\d+\.\d) s\): CPU (\d+(?:\.\d)?) % busy, softirq (\d+(?:\.\d)?) %; WAN ([\d.]+) (M|k)bit\/s down, ([\d.]+) (M|k)bit\/s up/.exec(md);
    expect(m, md).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.9);
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(m![5]).toBe('M');
  });

  it('says when nothing advanced between the two readings instead of reporting zeros', () => {
    const md = call<DiagnosticsResult>(scenario('mt7621'), 'diagnostics').markdown;
    expect(md).toContain('- At report time: not measured (the counters did not advance during the report)');
  });

  it('lists the loaded offload-related kernel modules from /proc/modules', () => {
    const md = call<DiagnosticsResult>(scenario('mt7621'), 'diagnostics').markdown;
    expect(md).toContain('- Offload kernel modules (/proc/modules): nf_flow_table (used by nft_flow_offload, nf_flow_table_inet), nf_flow_table_inet, nft_flow_offload');
    const t = scenario('mt7621');
    rmSync(join(t.root, 'proc/modules'));
    expect(call<DiagnosticsResult>(t, 'diagnostics').markdown).toContain('- Offload kernel modules (/proc/modules): unknown (/proc/modules is not readable)');
  });

  it('lists the DSA ports of each switch conduit with their hw-tc-offload', () => {
    const md = call<DiagnosticsResult>(scenario('mt7621'), 'diagnostics').markdown;
    expect(md).toContain('- eth0 (DSA conduit, tagging mtk): lan1 hw-tc-offload on; lan2 hw-tc-offload on; wan hw-tc-offload on');
    expect(call<DiagnosticsResult>(scenario('x86'), 'diagnostics').markdown).not.toContain('DSA');
  });

  it('gives sizes in readable units and names devices once (no "wan wan:")', () => {
    const t = scenario('mt7621-software');
    t.model.refresh(Date.now() + 3000);
    const md = call<DiagnosticsResult>(t, 'diagnostics').markdown;
    expect(md).not.toMatch(/^- wan wan:/m);
    expect(md).toMatch(/^- wan \(WAN\): received [\d.]+ GiB \([\d,]+ packets\), sent [\d.]+ (G|M)iB \([\d,]+ packets\) since boot$/m);
    expect(md).not.toMatch(/\d{7,} B/);
    expect(md).toMatch(/\| tcp \| 192\.168\.1\.\d+:\d+ \| x\.x\.x\.x:443 \| [\d.]+ MiB \| software \|/);
  });

  it('folds the long parts into <details> for the forum, each opened and closed', () => {
    const t = scenario('mt7621-software');
    t.model.refresh(Date.now() + 3000);
    const md = call<DiagnosticsResult>(t, 'diagnostics').markdown;
    const opened = md.match(/^<details><summary>[^<]+<\/summary>$/gm) ?? [];
    expect(opened.map((l) => l.replace(/<\/?(details|summary)>/g, ''))).toEqual(['Flowtable (nft list table inet fw4)', 'Switch ports (DSA)', 'Top flows', 'Counters']);
    expect((md.match(/^<\/details>$/gm) ?? []).length).toBe(opened.length);
    // A blank line after each summary, or the forum shows the Markdown inside as plain text.
    expect(md).not.toMatch(/<\/summary>\n[^\n]/);
    expect(md).toContain('flowtable ft {');
  });
});
