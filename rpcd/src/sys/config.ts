/** Firewall and network configuration, read with the uci CLI as LuCI's backend does. */
import { run, firstLine } from './exec';
import { readText, exists } from './fs';
import { parseUciShow, parseUciFile, sectionsOfType, lastSection, uciBool, type UciSection } from '../parse/uci';
import { modeFromOptions, type Mode } from '../api/contract';

export interface ConfigRead {
  sections: UciSection[];
  error: string | null;
}

/**
 * `uci show CONFIG`. Not `-q`: with it uci prints nothing and exits 1 both for
 * an absent config and for one it cannot parse (real-programs.md §3). Without
 * it a parse error names itself (`uci: Parse error (…) at line N, byte M`);
 * an absent config file is an empty list, not an error.
 */
export function uciShow(config: string, timeoutMs = 5000): ConfigRead {
  const r = run(['uci', 'show', config], { timeoutMs });
  if (r.error) return { sections: [], error: r.error };
  if (r.code === 0) return { sections: parseUciShow(r.stdout, config), error: null };
  if (!exists(`/etc/config/${config}`)) return { sections: [], error: null };
  return { sections: [], error: `uci cannot read /etc/config/${config}: ${firstLine(r) || `exit ${r.code}`}` };
}

/** Read a config file directly (no process): for the per-poll path. */
export function uciFile(config: string): UciSection[] {
  const t = readText(`/etc/config/${config}`);
  return t === null ? [] : parseUciFile(t);
}

export interface Configured {
  mode: Mode;
  flow_offloading: boolean;
  flow_offloading_hw: boolean;
  /** Number of `defaults` sections (fw4 uses the last one). */
  defaultsCount: number;
}

/** The configured mode from the firewall `defaults` section (the last one wins in fw4). */
export function configuredMode(firewall: UciSection[]): Configured {
  const d = lastSection(firewall, 'defaults');
  const sw = uciBool(d?.options.flow_offloading);
  const hw = uciBool(d?.options.flow_offloading_hw);
  return { mode: modeFromOptions(sw, hw), flow_offloading: sw, flow_offloading_hw: sw && hw, defaultsCount: sectionsOfType(firewall, 'defaults').length };
}
