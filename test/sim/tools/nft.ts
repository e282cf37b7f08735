/**
 * Stand-in for `nft` in the simulated router. Keeps the loaded `inet fw4`
 * table in /sim/nft/ruleset.nft and lists it back the way nft prints it
 * (offload-domain.md §2: `priority filter`, `flow add @ft`, no semicolons,
 * devices quoted as nft ≥ 1.1 prints them, or unquoted when
 * /sim/nft-unquoted exists, as older nft did). Hardware flowtables
 * (`flags offload`) are refused unless every device is listed in
 * /sim/hw-offload-devices — the kernel's EOPNOTSUPP for devices without flow
 * block support. Fault: /sim/faults/fw4-fail makes `nft -f` (not `-c`) reject
 * the ruleset the way the kernel refuses a transaction: `Error:` lines on
 * stderr, exit 1, the loaded ruleset unchanged (all or nothing).
 */
import * as std from 'std';
import { readText, writeFileAtomic, exists, removeFile, mkdirs, listDir } from './lib/fs';
import { flowtables } from './nft-text';

const STORE = '/sim/nft/ruleset.nft';
const args = scriptArgs.slice(1);
const json = args.includes('-j') || args.includes('--json');
const check = args.includes('-c') || args.includes('--check');
const words = args.filter((a) => !a.startsWith('-'));

function fail(msg: string): never {
  std.err.puts(msg.endsWith('\n') ? msg : msg + '\n');
  std.exit(1);
}

/** Read a file argument: a real path (the caller already applied the root prefix). */
function readArg(path: string): string {
  const f = path === '/dev/stdin' || path === '-' ? std.in : std.open(path, 'r');
  if (!f) fail(`Error: Could not process rule: No such file or directory\n${path}`);
  const t = f.readAsString();
  if (f !== std.in) f.close();
  return t;
}

function hwCapable(): string[] {
  return (readText('/sim/hw-offload-devices') ?? '').split(/\s+/).filter(Boolean);
}

/**
 * A kernel without CONFIG_NF_FLOW_TABLE (this machine kind's own, the platform tier's):
 * nft refuses every flowtable and every `flow offload` rule, one error each with its
 * position, as test/fixtures/platform/fw4-reload-no-flowtable.stderr.txt shows.
 */
function refuseFlowtables(file: string, text: string): void {
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /\bflowtable\s+(?:inet\s+\S+\s+)?(\S+)\s*\{|\bflow\s+(?:offload|add)\s+@\S+/.exec(line);
    if (!m) return;
    const from = m[1] !== undefined ? line.indexOf(m[1], m.index) : m.index;
    const to = m[1] !== undefined ? from + m[1].length : from + m[0].replace(/;$/, '').length;
    errors.push(`${file}:${i + 1}:${from + 1}-${to}: Error: Could not process rule: No such file or directory\n${line}\n${line.slice(0, from).replace(/[^\t]/g, ' ')}${'^'.repeat(to - from)}`);
  });
  if (errors.length) fail(errors.join('\n'));
}

function validate(text: string): void {
  if (/\bflags\s+offload\b/.test(text)) {
    const ok = hwCapable();
    for (const ft of flowtables(text)) {
      if (ft.hw && ft.devices.some((d) => !ok.includes(d))) fail('Error: Could not process rule: Operation not supported');
    }
  }
}

/** Turn fw4's input form into nft's listing form. */
function listing(text: string): string {
  const start = text.search(/^table inet fw4 \{/m);
  if (start < 0) return '';
  const unquoted = exists('/sim/nft-unquoted');
  const out: string[] = [];
  for (let line of text.slice(start).split('\n')) {
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    line = line.replace(/hook ingress priority 0;?/, 'hook ingress priority filter').replace(/flow offload @/, 'flow add @');
    if (/^\s*(devices = |counter;|flags offload;|hook )/.test(line)) line = line.replace(/;\s*$/, '');
    if (!/\bpolicy \w+;\s*$/.test(line)) line = line.replace(/;\s*$/, '');
    if (unquoted && /devices = \{/.test(line)) line = line.replace(/"([^"]*)"/g, '$1');
    out.push(line);
  }
  // nft prints a blank line between blocks.
  return out.join('\n').replace(/\n(\t(chain|flowtable) )/g, '\n\n$1').replace(/\{\n\n/, '{\n') + '\n';
}

const stored = (): string | null => readText(STORE);

/** Every flowtable of the table, as `nft list flowtables` prints them. */
function listFlowtables(): string {
  const t = stored();
  if (!t) return '';
  const blocks = t.match(/\tflowtable \S+ \{[\s\S]*?\n\t\}/g);
  return blocks ? `table inet fw4 {\n${blocks.join('\n')}\n}\n` : '';
}

/**
 * nft's `include "DIR/*.nft"`: the matching files' text in place of the line, in name order
 * (nft sorts glob matches); no match is no error, as with a glob in nft.
 */
function expandIncludes(text: string, depth = 0): string {
  return text.replace(/^([ \t]*)include "([^"]+)"[ \t]*;?[ \t]*$/gm, (_all, indent: string, path: string) => {
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash);
    const glob = new RegExp('^' + path.slice(slash + 1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
    const names = /[*?]/.test(path) ? listDir(dir).filter((n) => glob.test(n)).sort() : [path.slice(slash + 1)];
    return names
      .map((n) => {
        const t = readText(`${dir}/${n}`);
        if (t === null) fail(`Error: Could not process rule: No such file or directory\ninclude "${path}"`);
        // nft lists an included block at the depth of the include (fw4's is inside the table).
        return (depth < 8 ? expandIncludes(t, depth + 1) : t).replace(/^(?=.)/gm, indent);
      })
      .join('\n');
  });
}

const [verb, what, family, table] = words;
if (args.includes('-f')) {
  const file = args[args.indexOf('-f') + 1] ?? fail('Error: missing file');
  const text = expandIncludes(readArg(file));
  if (exists('/sim/no-flowtables')) refuseFlowtables(file, text);
  validate(text);
  if (!check && exists('/sim/faults/fw4-fail')) {
    const at = text.split('\n').findIndex((l) => /flow offload @|policy drop/.test(l));
    const line = text.split('\n')[at < 0 ? 0 : at] ?? '';
    fail(`${file}:${at + 1}:3-${Math.max(3, line.trimEnd().length)}: Error: Could not process rule: Invalid argument\n${line}\n\t\t${'^'.repeat(Math.max(1, line.trim().length))}`);
  }
  if (!check) {
    if (/^table inet fw4 \{/m.test(text)) {
      mkdirs('/sim/nft');
      writeFileAtomic(STORE, listing(text));
    }
  }
  std.exit(0);
}
switch (`${verb} ${what}`) {
  case 'list table':
  case 'list ruleset': {
    if (verb === 'list' && what === 'table' && (family !== 'inet' || table !== 'fw4')) fail('Error: No such file or directory');
    const t = stored();
    if (!t) {
      if (what === 'ruleset') std.exit(0);
      fail(`Error: No such file or directory\nlist table inet fw4\n                ^^^`);
    }
    std.out.puts(t);
    break;
  }
  case 'list flowtables': {
    const t = listFlowtables();
    if (json) {
      const fts = t ? flowtables(t) : [];
      const items: unknown[] = [{ metainfo: { version: '1.1.1', release_name: 'Commodore Bullmoose #2', json_schema_version: 1 } }];
      for (const f of fts) {
        const dev = f.devices.length === 1 ? f.devices[0] : f.devices.length ? f.devices : undefined;
        items.push({ flowtable: { family: 'inet', name: f.name, table: 'fw4', handle: 1, hook: 'ingress', prio: 0, ...(dev !== undefined ? { dev } : {}) } });
      }
      std.out.puts(JSON.stringify({ nftables: items }) + '\n');
    } else std.out.puts(t);
    break;
  }
  case 'list tables':
    if (stored()) std.out.puts('table inet fw4\n');
    break;
  case 'delete table':
    if (!stored()) fail('Error: Could not process rule: No such file or directory');
    removeFile(STORE);
    break;
  default:
    fail(`Error: syntax error, unexpected ${verb ?? 'end of file'}`);
}
std.out.flush();
