/**
 * Generate luci-app-offload/po/templates/offload.pot from the sources:
 *   - `t('…')` calls in web/src (the panel; `t` forwards to LuCI's `_()`),
 *   - `_('…')` calls in the LuCI view under luci-app-offload/htdocs,
 *   - menu titles in luci-app-offload/root/usr/share/luci/menu.d/*.json.
 * Only string literals are extracted, so every call must pass one literal;
 * `nonLiteralCalls()` finds the ones that do not (a test fails on them).
 *
 * Usage: `make pot` (bundles this file with esbuild and runs it with node).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PotEntry {
  msgid: string;
  refs: string[];
}

/** `t('…')` / `_('…')` with one single- or double-quoted literal (no template literals). */
const CALL = (fn: string, params = false): RegExp =>
  new RegExp(`(?<![\\w.$])${fn}\\(\\s*(['"])((?:\\\\.|(?!\\1)[^\\\\\\n])*)\\1\\s*${params ? '[),]' : '\\)'}`, 'g');
/** Any call of `fn`, to spot ones whose argument is not a lone literal. */
const ANY_CALL = (fn: string): RegExp => new RegExp(`(?<![\\w.$])${fn}\\(`, 'g');

function walk(dir: string, exts: string[]): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

/** Decode the escapes a JS string literal may contain. */
export function unescapeJs(s: string): string {
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** Quote a string for a .po/.pot file. */
export function poQuote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

/** Whether `index` lies in a comment (block, or after `//` on its line): examples in docs are not strings. */
function inComment(text: string, index: number): boolean {
  if (text.lastIndexOf('/*', index) > text.lastIndexOf('*/', index)) return true;
  const lineStart = text.lastIndexOf('\n', index) + 1;
  return /(^|[^:'"])\/\//.test(text.slice(lineStart, index));
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

interface Source {
  file: string;
  fn: string;
  /** Its calls pass parameters after the literal (the handler's msg('…%s', x)). */
  params?: boolean;
}

function sources(repo: string): Source[] {
  const web = walk(join(repo, 'web/src'), ['.ts', '.tsx']).map((file) => ({ file, fn: 't' }));
  const view = walk(join(repo, 'luci-app-offload/htdocs/luci-static/resources/view'), ['.js']).map((file) => ({ file, fn: '_' }));
  // the handler's sentences (calc/message.ts msg()): the panel renders them with LuCI's _()
  const handler = walk(join(repo, 'rpcd/src'), ['.ts']).map((file) => ({ file, fn: 'msg', params: true }));
  return [...web, ...view, ...handler];
}

/** Every translatable string with where it is used, in order of first use. */
export function collectStrings(repo: string): PotEntry[] {
  const map = new Map<string, PotEntry>();
  const add = (msgid: string, ref: string): void => {
    const e = map.get(msgid);
    if (e) {
      if (!e.refs.includes(ref)) e.refs.push(ref);
    } else map.set(msgid, { msgid, refs: [ref] });
  };
  for (const { file, fn, params } of sources(repo)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL(fn, params))) if (!inComment(text, m.index ?? 0)) add(unescapeJs(m[2] as string), `${relative(repo, file)}:${lineOf(text, m.index ?? 0)}`);
  }
  const menuDir = join(repo, 'luci-app-offload/root/usr/share/luci/menu.d');
  for (const name of readdirSync(menuDir).sort()) {
    if (!name.endsWith('.json')) continue;
    const menu = JSON.parse(readFileSync(join(menuDir, name), 'utf8')) as Record<string, { title?: string }>;
    for (const node of Object.values(menu)) if (node.title) add(node.title, relative(repo, join(menuDir, name)));
  }
  return [...map.values()];
}

/** Calls of `t`/`_` whose argument is not one string literal (they would escape extraction). */
export function nonLiteralCalls(repo: string): string[] {
  const bad: string[] = [];
  for (const { file, fn, params } of sources(repo)) {
    const text = readFileSync(file, 'utf8');
    const ok = new Set([...text.matchAll(CALL(fn, params))].map((m) => m.index));
    for (const m of text.matchAll(ANY_CALL(fn))) {
      if (ok.has(m.index) || inComment(text, m.index ?? 0)) continue;
      // The definition itself: `function t(s: string)`.
      if (/function\s+$/.test(text.slice(Math.max(0, (m.index ?? 0) - 9), m.index))) continue;
      bad.push(`${relative(repo, file)}:${lineOf(text, m.index ?? 0)}`);
    }
  }
  return bad;
}

export function renderPot(entries: PotEntry[]): string {
  const out = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"', ''];
  for (const e of entries) {
    for (const r of e.refs) out.push(`#: ${r}`);
    out.push(`msgid ${poQuote(e.msgid)}`, 'msgstr ""', '');
  }
  return out.join('\n');
}

/** Parse a .po/.pot file into msgid → msgstr (the header entry excluded). */
export function parsePo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const str = (s: string): string => JSON.parse(s.replace(/\\t/g, '\\t')) as string;
  let cur: { id: string; str: string } | null = null;
  let field: 'id' | 'str' | null = null;
  const done = (): void => {
    if (cur && cur.id !== '') out.set(cur.id, cur.str);
    cur = null;
    field = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      if (line === '') done();
      continue;
    }
    const m = /^(msgid|msgstr)\s+(".*")$/.exec(line);
    if (m) {
      if (m[1] === 'msgid') {
        done();
        cur = { id: str(m[2] as string), str: '' };
        field = 'id';
      } else if (cur) {
        cur.str = str(m[2] as string);
        field = 'str';
      }
    } else if (line.startsWith('"') && cur && field) {
      cur[field] += str(line);
    }
  }
  done();
  return out;
}

export const POT_PATH = 'luci-app-offload/po/templates/offload.pot';

function main(): void {
  const repo = resolve(process.argv[2] ?? process.cwd());
  const bad = nonLiteralCalls(repo);
  if (bad.length) {
    process.stderr.write(`gen-pot: calls without a single string literal (not extractable):\n  ${bad.join('\n  ')}\n`);
    process.exit(1);
  }
  const entries = collectStrings(repo);
  writeFileSync(join(repo, POT_PATH), renderPot(entries));
  process.stdout.write(`gen-pot: ${entries.length} strings → ${POT_PATH}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
