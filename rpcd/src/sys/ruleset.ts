/** The running fw4 ruleset: flowtable `ft` and the offload rule, read with nft. */
import { run, which, firstLine } from './exec';
import { parseFlowtablesText, hasOffloadRule, type Flowtable } from '../parse/nft';
import type { RulesetView } from '../calc/state';
import { isSafeDeviceName } from '../parse/net-dev';

/**
 * One `nft list table inet fw4` gives both: the text listing is the only one
 * that shows `flags offload` (nft -j never prints flowtable flags).
 */
export function readRuleset(): RulesetView & { text: string; others: Flowtable[] } {
  if (!which('nft')) return { readable: false, error: 'nft not found', nftMissing: true, flowtable: null, rule: false, text: '', others: [] };
  const r = run(['nft', 'list', 'table', 'inet', 'fw4'], { timeoutMs: 8000 });
  if (r.error || r.code !== 0) {
    return { readable: false, error: r.error ?? (firstLine(r) || `nft exit ${r.code}`), nftMissing: false, flowtable: null, rule: false, text: '', others: [] };
  }
  const all = parseFlowtablesText(r.stdout).filter((f) => f.table === 'fw4' && f.family === 'inet');
  const ft = all.find((f) => f.name === 'ft') ?? null;
  // Flowtables a user adds to fw4's table (an include), e.g. a bridge flowtable.
  const others = all.filter((f) => f !== ft);
  return { readable: true, error: null, nftMissing: false, flowtable: ft, rule: hasOffloadRule(r.stdout), text: r.stdout, others };
}

/** Ask the kernel (nft -c) whether a hardware flowtable on these devices would be accepted, as fw4 does. */
export function probeHardware(devices: string[]): { ok: boolean; error: string | null } {
  const safe = devices.filter(isSafeDeviceName);
  if (safe.length === 0) return { ok: false, error: 'no devices to probe' };
  const rules =
    'add table inet fw4-hw-offload-test;\n' +
    'add flowtable inet fw4-hw-offload-test ft {\n' +
    '\thook ingress priority 0;\n' +
    `\tdevices = { ${safe.map((d) => `"${d}"`).join(', ')} };\n` +
    '\tflags offload;\n}\n';
  const r = run(['nft', '-c', '-f', '/dev/stdin'], { input: rules, timeoutMs: 8000 });
  if (r.error) return { ok: false, error: r.error };
  return r.code === 0 ? { ok: true, error: null } : { ok: false, error: firstLine(r) || `nft exit ${r.code}` };
}
