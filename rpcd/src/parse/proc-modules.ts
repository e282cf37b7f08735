/**
 * /proc/modules, the file `lsmod` prints: one line per module in the layout of the kernel's
 * m_show() (kernel/module/procfs.c): `name size refcount users state address [taints]`, the
 * users each followed by a comma, or `-` when none. Pure.
 */

export interface ProcModule {
  name: string;
  size: number;
  refcnt: number;
  /** The modules that use this one. */
  users: string[];
  /** Live, Loading or Unloading. */
  state: string;
}

const LINE = /^(\S+) (\d+) (-?\d+) (\S+) (Live|Loading|Unloading)\b/;

/** Every well-formed line of /proc/modules; other lines are skipped. */
export function parseProcModules(text: string): ProcModule[] {
  const out: ProcModule[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const users = m[4] === '-' ? [] : (m[4] as string).split(',').filter((u) => u !== '' && u !== '[permanent]');
    out.push({ name: m[1] as string, size: Number(m[2]), refcnt: Number(m[3]), users, state: m[5] as string });
  }
  return out;
}

/**
 * Modules that decide whether and how flows are offloaded: nftables flow tables (kmod-nft-offload),
 * fw3's xt_FLOWOFFLOAD, Shortcut-FE / fast-classifier and Qualcomm NSS/ECM (turboacc and NSS
 * builds), and what conflicts with offloading (SQM's cake and ifb, WireGuard).
 */
const OFFLOAD = /^(nf_flow_table\w*|nft_flow_offload|xt_FLOWOFFLOAD|shortcut_fe\w*|fast_classifier|qca_nss\w*|ecm|sch_cake|ifb|wireguard)$/;

/** The offload-related modules, by name. */
export function offloadModules(mods: ProcModule[]): ProcModule[] {
  return mods.filter((m) => OFFLOAD.test(m.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
