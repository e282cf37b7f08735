/**
 * Stand-in for OpenWrt's `uci` CLI in the simulated router and the kernel
 * guest: show, get, set, delete, add, changes, commit, revert, with pending
 * changes kept in /tmp/.uci/<config> until commit, as the real CLI does.
 * Fault: the file /sim/faults/uci-commit makes `commit` fail like a read-only
 * overlay. A config file libuci cannot parse fails every command that loads
 * it (show, get, set, delete, add, commit) with exit 1 and, unless -q,
 * `uci: Parse error (REASON) at line N, byte M` on stderr (libuci's
 * uci_get_errorstr; the prefix is argv[0] as the CLI was invoked, SIM_ARGV0
 * from the wrapper).
 */
import * as std from 'std';
import { readText, writeFileAtomic, exists, mkdirs, removeFile } from './lib/fs';
import { parseUci, parseErrorText, anonymousName, type Section as UciSection } from './uci-parse';
import { formatUciFile, formatUciShow, findSection } from './uci-format';

type Change = { op: 'set' | 'delete' | 'add'; section: string; option?: string; value?: string; type?: string };

const argv = scriptArgs.slice(1);
let quiet = false;
while (argv[0]?.startsWith('-')) {
  const f = argv.shift() as string;
  if (f === '-q') quiet = true;
}

const appname = std.getenv('SIM_ARGV0') || 'uci';

function die(msg: string, code = 1): never {
  if (!quiet) std.err.puts(`${appname}: ${msg}\n`);
  std.exit(code);
}

function load(config: string): { sections: UciSection[]; changes: Change[] } {
  if (!/^[A-Za-z0-9_-]+$/.test(config)) die('Invalid argument');
  const text = readText(`/etc/config/${config}`);
  if (text === null) die('Entry not found');
  const parsed = parseUci(text);
  if (!parsed.ok) die(parseErrorText(parsed.error));
  const sections = parsed.sections;
  const changes = loadChanges(config);
  for (const c of changes) apply(sections, c);
  return { sections, changes };
}

function loadChanges(config: string): Change[] {
  const t = readText(`/tmp/.uci/${config}`);
  if (!t) return [];
  return t.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Change);
}

function apply(sections: UciSection[], c: Change): void {
  if (c.op === 'add') {
    sections.push({ name: anonymousName(sections.length + 1, c.type as string), type: c.type as string, anonymous: true, options: {} });
    return;
  }
  const s = findSection(sections, c.section);
  if (!s) return;
  if (c.op === 'set' && c.option) s.options[c.option] = c.value ?? '';
  if (c.op === 'delete' && c.option) delete s.options[c.option];
  if (c.op === 'delete' && !c.option) sections.splice(sections.indexOf(s), 1);
}

function record(config: string, c: Change): void {
  mkdirs('/tmp/.uci');
  const prev = readText(`/tmp/.uci/${config}`) ?? '';
  writeFileAtomic(`/tmp/.uci/${config}`, prev + JSON.stringify(c) + '\n');
}

function splitPath(p: string): { config: string; section: string; option: string | undefined } {
  const [config = '', section = '', ...rest] = p.split('.');
  return { config, section, option: rest.length ? rest.join('.') : undefined };
}

const cmd = argv[0];
switch (cmd) {
  case 'show': {
    const config = argv[1] ?? die('Invalid argument');
    const { sections } = load(config);
    std.out.puts(formatUciShow(config, sections));
    break;
  }
  case 'get': {
    const { config, section, option } = splitPath(argv[1] ?? '');
    const { sections } = load(config);
    const s = findSection(sections, section) ?? die('Entry not found');
    if (!option) std.out.puts(`${s.type}\n`);
    else {
      const v = s.options[option];
      if (v === undefined) die('Entry not found');
      std.out.puts(`${Array.isArray(v) ? v.join(' ') : v}\n`);
    }
    break;
  }
  case 'set': {
    const arg = argv[1] ?? '';
    const eq = arg.indexOf('=');
    if (eq < 0) die('Invalid argument');
    const { config, section, option } = splitPath(arg.slice(0, eq));
    const { sections } = load(config);
    if (!findSection(sections, section)) die('Invalid argument');
    if (!option) die('Invalid argument');
    record(config, { op: 'set', section, option, value: arg.slice(eq + 1) });
    break;
  }
  case 'delete': {
    const { config, section, option } = splitPath(argv[1] ?? '');
    const { sections } = load(config);
    const s = findSection(sections, section) ?? die('Entry not found');
    if (option && s.options[option] === undefined) die('Entry not found');
    record(config, { op: 'delete', section, option });
    break;
  }
  case 'add': {
    const config = argv[1] ?? die('Invalid argument');
    const type = argv[2] ?? die('Invalid argument');
    const { sections } = load(config);
    record(config, { op: 'add', section: '', type });
    std.out.puts(`${anonymousName(sections.length + 1, type)}\n`);
    break;
  }
  case 'changes': {
    const config = argv[1] ?? die('Invalid argument');
    for (const c of loadChanges(config)) {
      if (c.op === 'set') std.out.puts(`${config}.${c.section}.${c.option}='${c.value}'\n`);
      else if (c.op === 'delete') std.out.puts(`-${config}.${c.section}${c.option ? `.${c.option}` : ''}\n`);
      else std.out.puts(`${config}.${c.section}=${c.type}\n`);
    }
    break;
  }
  case 'commit': {
    const config = argv[1] ?? die('Invalid argument');
    if (exists('/sim/faults/uci-commit')) die('I/O error (read-only file system)');
    const { sections } = load(config);
    const err = writeFileAtomic(`/etc/config/${config}`, formatUciFile(sections));
    if (err) die(err);
    removeFile(`/tmp/.uci/${config}`);
    break;
  }
  case 'revert': {
    const { config } = splitPath(argv[1] ?? '');
    removeFile(`/tmp/.uci/${config}`);
    break;
  }
  default:
    die(`unknown command ${cmd ?? ''}`);
}
std.out.flush();
