import { exists, listDir, readFile } from './fs';
import { mergePpeCounts, parsePpeEntries, type PpeCounts } from '../parse/ppe';

/** Where debugfs is mounted on OpenWrt. */
export const DEBUGFS = '/sys/kernel/debug';

/**
 * Which driver's flow-table view was found:
 * - `mtk_ppe`: upstream mtk_eth_soc, `ppe<N>/{entries,bind}` (Linux ≥ 6.1, one directory per PPE)
 *   or `mtk_ppe/{entries,bind}` (Linux 5.13–6.0, one PPE);
 * - `airoha_ppe`: Airoha EN7581/AN7583, `ppe/{entries,bind}` (a `ppe/` without those files is
 *   another driver's, e.g. Qualcomm's IPQ95xx PPE statistics, and is not a flow table);
 * - `mtk_ppe_legacy`: OpenWrt's pre-5.10 ramips offload, `mtk_ppe/all_entry`;
 * - `mtk_hnat`: MediaTek's SDK driver, `hnat/all_entry`.
 */
export type PpeEngine = 'mtk_ppe' | 'airoha_ppe' | 'mtk_ppe_legacy' | 'mtk_hnat';

/** One debugfs file read. */
export interface PpeSource {
  path: string;
  /** null when the file could not be read (then `error` says why). */
  counts: PpeCounts | null;
  error: string | null;
}

/** The PPE flow-table view of this router. */
export interface PpeView {
  engine: PpeEngine;
  /** The first file read (for reports). */
  path: string;
  /**
   * `all` when the files list every entry that is not invalid (`entries`, `all_entry`: bound and
   * unbound); `bound` when a `bind` file (bound entries only) had to be used.
   */
  scope: 'all' | 'bound';
  /** Every file read, in PPE order. */
  sources: PpeSource[];
  /** The sum over the sources that could be read; null when none could. */
  counts: PpeCounts | null;
}

function source(path: string): PpeSource {
  const r = readFile(path);
  return r.ok ? { path, counts: parsePpeEntries(r.text), error: null } : { path, counts: null, error: r.error };
}

function view(engine: PpeEngine, paths: string[]): PpeView {
  const sources = paths.map(source);
  const read = sources.filter((s) => s.counts !== null).map((s) => s.counts as PpeCounts);
  return {
    engine,
    path: paths[0] as string,
    scope: paths.some((p) => p.endsWith('/bind')) ? 'bound' : 'all',
    sources,
    counts: read.length > 0 ? mergePpeCounts(read) : null,
  };
}

/** `dir/entries` when it exists, else `dir/bind`, else null. */
function tableFile(dir: string): string | null {
  if (exists(`${dir}/entries`)) return `${dir}/entries`;
  if (exists(`${dir}/bind`)) return `${dir}/bind`;
  return null;
}

/** Whether debugfs looks mounted (its root lists anything); without it no engine view can exist. */
export function debugfsMounted(): boolean {
  return listDir(DEBUGFS).length > 0;
}

/**
 * Find and read the PPE flow table in debugfs.
 *
 * Looks, in order, for `ppe<N>/` (every N, numerically), `ppe/`, `mtk_ppe/entries|bind`,
 * `mtk_ppe/all_entry` and `hnat/all_entry` under /sys/kernel/debug; for each PPE the `entries`
 * file is preferred over `bind` (it also shows unbound entries, i.e. flows the engine saw but
 * did not take).
 *
 * @returns the view, or null when this target has no engine view (no such driver, or debugfs
 *   not mounted) — which is not the same as zero bound flows
 */
export function readPpe(): PpeView | null {
  const ppes = listDir(DEBUGFS)
    .filter((n) => /^ppe[0-9]{1,2}$/.test(n))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  const files = ppes.map((n) => tableFile(`${DEBUGFS}/${n}`)).filter((p): p is string => p !== null);
  if (files.length > 0) return view('mtk_ppe', files);

  const airoha = tableFile(`${DEBUGFS}/ppe`);
  if (airoha !== null) return view('airoha_ppe', [airoha]);

  const single = tableFile(`${DEBUGFS}/mtk_ppe`);
  if (single !== null) return view('mtk_ppe', [single]);

  if (exists(`${DEBUGFS}/mtk_ppe/all_entry`)) return view('mtk_ppe_legacy', [`${DEBUGFS}/mtk_ppe/all_entry`]);
  if (exists(`${DEBUGFS}/hnat/all_entry`)) return view('mtk_hnat', [`${DEBUGFS}/hnat/all_entry`]);
  return null;
}
