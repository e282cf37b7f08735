/**
 * The PPE debugfs reader (rpcd/src/sys/ppe.ts) under real QuickJS, against fake roots whose
 * /sys/kernel/debug holds the real captures of test/fixtures/ppe (PROVENANCE.md there).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { qjs, REPO } from '../helpers/qjs';

const DRIVER = join(REPO, 'build/test/ppe-driver.js');
const FIX = join(REPO, 'test/fixtures/ppe');
beforeAll(() => {
  buildSync({
    entryPoints: [join(REPO, 'test/rpcd/drivers/ppe.ts')],
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2020', external: ['std', 'os'], outfile: DRIVER, logLevel: 'warning',
  });
});

const made: string[] = [];
afterAll(() => made.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A root with the given debugfs files: path under /sys/kernel/debug → fixture name, or literal text after `=`. */
function root(files: Record<string, string>): string {
  const r = mkdtempSync(join(tmpdir(), 'offload-ppe-'));
  made.push(r);
  mkdirSync(join(r, 'sys/kernel/debug'), { recursive: true });
  for (const [path, what] of Object.entries(files)) {
    const to = join(r, 'sys/kernel/debug', path);
    mkdirSync(dirname(to), { recursive: true });
    if (what.startsWith('=')) writeFileSync(to, what.slice(1));
    else copyFileSync(join(FIX, what), to);
  }
  return r;
}

interface Out { mounted: boolean; view: null | { engine: string; path: string; scope: string; sources: { path: string; counts: { bound: number; total: number } | null; error: string | null }[]; counts: { bound: number; total: number; unparsed: number; format: string | null } | null } }
function run(r: string): Out {
  const p = spawnSync(qjs(), [DRIVER], { env: { OFFLOAD_ROOT: r }, encoding: 'utf8' });
  expect(p.stderr).toBe('');
  return JSON.parse(p.stdout) as Out;
}

describe('readPpe under QuickJS', () => {
  it('no debugfs content: null (no engine view), and not mounted', () => {
    expect(run(root({}))).toEqual({ mounted: false, view: null });
  });

  it('a ppe/ directory without entries or bind (Qualcomm IPQ95xx statistics) is no flow table', () => {
    expect(run(root({ 'ppe/cpu_code': '=CPU CODE:\n', 'ppe/port_rx': '=\n' }))).toEqual({ mounted: true, view: null });
  });

  it('ppe0 and ppe1 (upstream mtk_eth_soc): entries preferred over bind, counts merged in PPE order', () => {
    const o = run(root({
      'ppe1/entries': 'mt7621-ppe0-with-conntrack-openwrt-17915.txt',
      'ppe1/bind': '=',
      'ppe0/entries': 'mt7621-ppe0-entries-grep-openwrt-17915.txt',
      'ppe0/bind': '=',
      'ppe10/bind': 'mt7621-mtk_ppe-entries-bound-openwrt-3952.txt',
    }));
    expect(o.view?.engine).toBe('mtk_ppe');
    expect(o.view?.sources.map((s) => [s.path, s.counts?.bound])).toEqual([
      ['/sys/kernel/debug/ppe0/entries', 1],
      ['/sys/kernel/debug/ppe1/entries', 4],
      ['/sys/kernel/debug/ppe10/bind', 4],
    ]);
    expect(o.view?.path).toBe('/sys/kernel/debug/ppe0/entries');
    expect(o.view?.scope).toBe('bound'); // one PPE could only be read through bind
    expect(o.view?.counts).toMatchObject({ format: 'foe', total: 13, bound: 9, unparsed: 4 });
  });

  it('Airoha ppe/ with bind only', () => {
    const o = run(root({ 'ppe/bind': 'airoha-ppe-bind-openwrt-24038.txt' }));
    expect(o.view).toMatchObject({ engine: 'airoha_ppe', path: '/sys/kernel/debug/ppe/bind', scope: 'bound', counts: { total: 2, bound: 2 } });
  });

  it('Linux 5.10 mtk_ppe/entries, and the legacy mtk_ppe/all_entry', () => {
    expect(run(root({ 'mtk_ppe/entries': 'mt7621-mtk_ppe-entries-openwrt-3952.txt', 'mtk_ppe/bind': '=' })).view)
      .toMatchObject({ engine: 'mtk_ppe', scope: 'all', counts: { total: 5, bound: 0 } });
    expect(run(root({ 'mtk_ppe/all_entry': 'mt7621-legacy-all_entry-openwrt-1762.txt', 'mtk_ppe/rx_reasons': '=' })).view)
      .toMatchObject({ engine: 'mtk_ppe_legacy', path: '/sys/kernel/debug/mtk_ppe/all_entry', scope: 'all', counts: { format: 'foe_legacy', bound: 6 } });
  });

  it('hnat/all_entry (line built from the SDK printf format, not a capture)', () => {
    const line = 'index=0x00125 state=BIND\n';
    expect(run(root({ 'hnat/all_entry': `=${line}`, 'hnat/hnat_version': '=' })).view)
      .toMatchObject({ engine: 'mtk_hnat', counts: { format: 'hnat', total: 1, bound: 1 } });
  });

  it('an unreadable table file: the view stays, with the error and no counts (never a zero)', () => {
    // A directory where the file should be: fopen() succeeds, the read fails (works as root too).
    const r = root({});
    mkdirSync(join(r, 'sys/kernel/debug/ppe0/entries'), { recursive: true });
    const o = run(r);
    expect(o.view).toMatchObject({ engine: 'mtk_ppe', path: '/sys/kernel/debug/ppe0/entries', counts: null });
    expect(o.view?.sources[0]?.error).toMatch(/ppe0\/entries/);
  });
});
