/**
 * The simulator's own minimal reading of nftables text (fw4's input form and
 * nft's listing form): which flowtables exist, on which devices, with or
 * without `flags offload`, and whether a rule sends flows to one. Pure; shares
 * no code with the handler's parsers.
 */
export interface Ft {
  family: string;
  table: string;
  name: string;
  devices: string[];
  hw: boolean;
}

export function flowtables(text: string): Ft[] {
  const out: Ft[] = [];
  let family = '';
  let table = '';
  let ft: Ft | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^table\s+(\S+)\s+(\S+)\s*\{/.exec(line))) {
      family = m[1] as string;
      table = m[2] as string;
    } else if ((m = /^(?:add\s+)?flowtable\s+(\S+)\s+(\S+)\s+(\S+)\s*\{/.exec(line))) {
      ft = { family: m[1] as string, table: m[2] as string, name: m[3] as string, devices: [], hw: false };
      out.push(ft);
    } else if ((m = /^flowtable\s+(\S+)\s*\{/.exec(line)) && table) {
      ft = { family, table, name: m[1] as string, devices: [], hw: false };
      out.push(ft);
    } else if (ft && (m = /^devices\s*=\s*\{([^}]*)\}/.exec(line))) {
      ft.devices = (m[1] as string).split(',').map((d) => d.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
    } else if (ft && /^flags\s+.*\boffload\b/.test(line)) {
      ft.hw = true;
    } else if (ft && line === '}') {
      ft = null;
    } else if (!ft && line === '}') {
      // closing a chain or the table; a table closes at column 0
      if (/^\}/.test(raw)) table = '';
    }
  }
  return out;
}

/** A rule `flow add @NAME` (listing) or `flow offload @NAME` (input form). */
export function sendsToFlowtable(text: string, name = 'ft'): boolean {
  return new RegExp(`\\bflow (add|offload) @${name}\\b`).test(text);
}
