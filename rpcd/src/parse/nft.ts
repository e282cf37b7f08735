/**
 * Parsers for nftables output: flowtables and the fw4 offload rule, from
 * `nft list flowtables|flowtable|chain|ruleset|tables` and from `fw4 print`.
 *
 * Text only: nft's JSON (`nft -j`) never carries a flowtable's `flags offload` or
 * `counter` (`flowtable_print_json()` does not emit them), so hardware offload can
 * only be seen in the text listing. nft lists the fw4 rule `flow offload @ft` back
 * as `flow add @ft`; both spellings are accepted.
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

/** A flowtable as listed by nft or written by fw4. */
export interface Flowtable {
  family: string;
  table: string;
  name: string;
  /** `ingress`; null when not shown. */
  hook: string | null;
  /** As written: `filter`, `0`, `filter + 10`; null when not shown. */
  priority: string | null;
  devices: string[];
  /** `flags offload` present (text only). */
  hw: boolean;
  /** `counter` present (text only). */
  counter: boolean;
}

/** Where to look for the offload rule; defaults `inet` / `fw4` / `forward` / `ft`. */
export interface OffloadRuleOptions {
  family?: string;
  table?: string;
  chain?: string;
  flowtable?: string;
}

function withDefaults(opts?: OffloadRuleOptions): Required<OffloadRuleOptions> {
  return {
    family: opts?.family ?? 'inet',
    table: opts?.table ?? 'fw4',
    chain: opts?.chain ?? 'forward',
    flowtable: opts?.flowtable ?? 'ft',
  };
}

/* ------------------------------------------------------------------ */
/* Text: tokenizer                                                     */
/* ------------------------------------------------------------------ */

/** A token of nft's text syntax: a word, a quoted string, or punctuation (`{ } ; , =` and end of line). */
interface Token {
  kind: 'word' | 'string' | 'punct';
  value: string;
}

const NL = '\n';

/**
 * Split nft text into tokens. `#` starts a comment (outside strings) up to the end
 * of the line; quoted strings keep their content, so words inside
 * `comment "…"` are never matched as syntax. Linear time.
 */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      out.push({ kind: 'punct', value: NL });
      i++;
    } else if (c <= 32) {
      i++;
    } else if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl;
    } else if (c === 34 /* " */) {
      let j = i + 1;
      let s = '';
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 34) break;
        if (d === 92 /* \ */ && j + 1 < n) {
          s += text[j + 1];
          j += 2;
          continue;
        }
        if (d === 10) break; // an unterminated string ends at the line end
        s += text[j];
        j++;
      }
      out.push({ kind: 'string', value: s });
      i = j < n && text.charCodeAt(j) === 34 ? j + 1 : j;
    } else if (c === 123 || c === 125 || c === 59 || c === 44 || c === 61) {
      // { } ; , =
      out.push({ kind: 'punct', value: text[i] as string });
      i++;
    } else {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d <= 32 || d === 123 || d === 125 || d === 59 || d === 44 || d === 61 || d === 34 || d === 35) break;
        j++;
      }
      out.push({ kind: 'word', value: text.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/* ------------------------------------------------------------------ */
/* Text: statements and blocks                                         */
/* ------------------------------------------------------------------ */

type Frame =
  | { kind: 'table'; family: string; name: string }
  | { kind: 'flowtable'; ft: Flowtable }
  | { kind: 'chain'; family: string; table: string; name: string }
  | { kind: 'other' };

/** Objects that open a block inside a table (`ct` only with helper/timeout/expectation). */
const TABLE_BLOCKS = new Set(['chain', 'flowtable', 'set', 'map', 'counter', 'quota', 'limit', 'synproxy', 'secmark', 'meter', 'tunnel']);
const CT_OBJECTS = new Set(['helper', 'timeout', 'expectation']);
const COMMANDS = new Set(['add', 'create', 'insert', 'replace']);
const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

/** A statement: its tokens (value braces included) and how it ended. */
interface Statement {
  words: Token[];
  /** `{` when the statement opens a block. */
  opens: boolean;
}

/**
 * Walk the token stream as nested blocks and call `visit` for every statement with
 * the block stack it sits in. Block openers are decided by context, so the value
 * braces of `devices = { … }`, `define x = { … }` and rule sets `{ tcp, udp }` stay
 * part of their statement even across lines. Unbalanced input never throws.
 */
function walk(text: string, visit: (stmt: Statement, stack: Frame[]) => Frame | null): void {
  if (typeof text !== 'string') return;
  const tokens = tokenize(text);
  const stack: Frame[] = [];
  let words: Token[] = [];
  let valueDepth = 0;

  const flush = (opens: boolean): void => {
    if (words.length > 0 || opens) {
      const frame = visit({ words, opens }, stack);
      if (opens) stack.push(frame ?? { kind: 'other' });
    }
    words = [];
    valueDepth = 0;
  };

  for (const tok of tokens) {
    if (tok.kind === 'punct') {
      const v = tok.value;
      if (valueDepth > 0) {
        if (v === '{') valueDepth++;
        else if (v === '}') valueDepth--;
        if (v !== NL) words.push(tok);
        continue;
      }
      if (v === NL || v === ';') {
        flush(false);
      } else if (v === '{') {
        if (opensBlock(words, stack)) flush(true);
        else {
          valueDepth = 1;
          words.push(tok);
        }
      } else if (v === '}') {
        flush(false);
        stack.pop();
      } else {
        words.push(tok);
      }
    } else {
      words.push(tok);
    }
  }
  flush(false);
}

function wordAt(words: Token[], i: number): string | null {
  const t = words[i];
  return t !== undefined && t.kind !== 'punct' ? t.value : null;
}

/** Does a `{` after these tokens open a block (table, chain, flowtable, …) rather than a value? */
function opensBlock(words: Token[], stack: Frame[]): boolean {
  if (words.some((t) => t.kind === 'punct')) return false; // `x = {` is a value
  const top = stack[stack.length - 1];
  let first = wordAt(words, 0);
  let k = 0;
  if (first !== null && COMMANDS.has(first)) first = wordAt(words, ++k);
  if (first === null) return false;
  if (top === undefined) return first === 'table' || (k > 0 && (TABLE_BLOCKS.has(first) || first === 'ct'));
  if (top.kind !== 'table') return false; // chains, flowtables, sets: braces are values
  if (first === 'ct') return CT_OBJECTS.has(wordAt(words, k + 1) ?? '');
  return TABLE_BLOCKS.has(first) && words.length <= 4;
}

/** Split `[family] table` (nft's default family is ip). */
function familyAndName(a: string | null, b: string | null): { family: string; name: string } | null {
  if (a === null) return null;
  if (b === null) return { family: 'ip', name: a };
  return FAMILIES.has(a) ? { family: a, name: b } : null;
}

/** Open a frame for a block-opening statement. */
function openFrame(words: Token[], stack: Frame[]): Frame | null {
  let k = 0;
  if (COMMANDS.has(wordAt(words, 0) ?? '')) k = 1;
  const kw = wordAt(words, k);
  const top = stack[stack.length - 1];
  const args = words.slice(k + 1).map((t) => t.value);
  if (kw === 'table') {
    const fn = familyAndName(args[0] ?? null, args[1] ?? null);
    return fn ? { kind: 'table', family: fn.family, name: fn.name } : null;
  }
  let family: string | null = null;
  let table: string | null = null;
  let name: string | null = null;
  if (top?.kind === 'table') {
    family = top.family;
    table = top.name;
    name = args[0] ?? null;
  } else if (top === undefined) {
    // `add flowtable inet fw4 ft {` / `add chain fw4 forward {`
    if (args.length >= 3 && FAMILIES.has(args[0] as string)) [family, table, name] = args as [string, string, string];
    else if (args.length === 2) [family, table, name] = ['ip', args[0] as string, args[1] as string];
  }
  if (family === null || table === null || name === null) return null;
  if (kw === 'flowtable') {
    return { kind: 'flowtable', ft: { family, table, name, hook: null, priority: null, devices: [], hw: false, counter: false } };
  }
  if (kw === 'chain') return { kind: 'chain', family, table, name };
  return null;
}

/** Apply one statement of a flowtable body (`hook … priority …`, `devices = {…}`, `flags …`, `counter`). */
function flowtableStatement(ft: Flowtable, words: Token[]): void {
  const kw = wordAt(words, 0);
  if (kw === 'hook') {
    ft.hook = wordAt(words, 1);
    const p = words.findIndex((t) => t.kind === 'word' && t.value === 'priority');
    if (p !== -1) {
      const prio = words.slice(p + 1).filter((t) => t.kind !== 'punct').map((t) => t.value);
      if (prio.length > 0) ft.priority = prio.join(' ');
    }
  } else if (kw === 'devices') {
    for (const t of words.slice(1)) {
      if (t.kind !== 'punct' && t.value !== '' && !ft.devices.includes(t.value)) ft.devices.push(t.value);
    }
  } else if (kw === 'flags') {
    if (words.some((t) => t.kind === 'word' && t.value === 'offload')) ft.hw = true;
  } else if (kw === 'counter' && words.length === 1) {
    ft.counter = true;
  }
}

/**
 * Flowtables of `nft list flowtables`, `nft list flowtable inet fw4 ft`,
 * `nft list ruleset` or `fw4 print` (semicolons, quoted or unquoted devices,
 * device lists over several lines, comments, `add flowtable …` commands).
 *
 * @returns the flowtables in order of appearance; [] when there are none
 */
export function parseFlowtablesText(text: string): Flowtable[] {
  const out: Flowtable[] = [];
  walk(text, (stmt, stack) => {
    if (stmt.opens) {
      const frame = openFrame(stmt.words, stack);
      // The body statements that follow fill in this same object.
      if (frame?.kind === 'flowtable') out.push(frame.ft);
      return frame;
    }
    const top = stack[stack.length - 1];
    if (top?.kind === 'flowtable') flowtableStatement(top.ft, stmt.words);
    return null;
  });
  return out;
}

/** Does a rule's token list carry `flow add @ft` / `flow offload @ft`? */
function isOffloadStatement(words: Token[], flowtable: string): boolean {
  for (let i = 0; i + 2 < words.length; i++) {
    const a = words[i] as Token;
    const b = words[i + 1] as Token;
    const c = words[i + 2] as Token;
    if (a.kind === 'word' && a.value === 'flow' && b.kind === 'word' && (b.value === 'add' || b.value === 'offload') &&
        c.kind === 'word' && c.value === '@' + flowtable) return true;
  }
  return false;
}

/**
 * Does the chain (default `forward` of `table inet fw4`) contain a rule
 * `… flow add @ft` or `… flow offload @ft`? Reads `nft list ruleset|chain|table` and
 * `fw4 print` text, and top-level `add rule inet fw4 forward …` commands. Words in
 * comments, comment strings, other chains and other tables do not count.
 */
export function hasOffloadRule(text: string, opts?: OffloadRuleOptions): boolean {
  const o = withDefaults(opts);
  let found = false;
  walk(text, (stmt, stack) => {
    if (stmt.opens) return openFrame(stmt.words, stack);
    if (found) return null;
    const top = stack[stack.length - 1];
    if (top?.kind === 'chain') {
      if (top.family === o.family && top.table === o.table && top.name === o.chain && isOffloadStatement(stmt.words, o.flowtable)) found = true;
    } else if (top === undefined) {
      const w = stmt.words;
      const cmd = wordAt(w, 0);
      if ((cmd === 'add' || cmd === 'insert') && wordAt(w, 1) === 'rule') {
        const hasFamily = FAMILIES.has(wordAt(w, 2) ?? '');
        const family = hasFamily ? wordAt(w, 2) : 'ip';
        const base = hasFamily ? 3 : 2;
        if (family === o.family && wordAt(w, base) === o.table && wordAt(w, base + 1) === o.chain &&
            isOffloadStatement(w.slice(base + 2), o.flowtable)) found = true;
      }
    }
    return null;
  });
  return found;
}
