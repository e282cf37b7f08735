import { readFileSync } from 'node:fs';

/**
 * Reads the few things the standalone builder needs from the OpenWrt package
 * Makefile (luci-app-offload/Makefile), so the SDK recipe stays the single
 * source of the package metadata and maintainer scripts: simple `NAME:=value`
 * assignments and `define NAME … endef` blocks. This is not a make
 * interpreter: values may only reference other simple variables (`$(NAME)`),
 * and anything else (`$(shell …)`, functions) is refused when read as a literal.
 */
export interface Recipe {
  /** Raw right-hand sides of simple assignments, continuation lines joined. Last one wins. */
  vars: Map<string, string>;
  /** Raw bodies of `define` blocks (without the define/endef lines). */
  defines: Map<string, string>;
  /** The file's lines, for checks on ordering. */
  lines: string[];
}

const ASSIGN = /^([A-Za-z0-9_./-]+)\s*(?::=|\?=|\+=|=)\s*(.*)$/;
const DEFINE = /^define\s+(\S+)\s*$/;

/** Parse the Makefile text. */
export function parseRecipe(text: string): Recipe {
  const lines = text.split('\n');
  const vars = new Map<string, string>();
  const defines = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const def = DEFINE.exec(line);
    if (def) {
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !/^endef\s*$/.test(lines[j] ?? '')) body.push(lines[j++] ?? '');
      if (j >= lines.length) throw new Error(`Makefile: 'define ${def[1]}' has no endef`);
      defines.set(def[1] as string, body.join('\n'));
      i = j;
      continue;
    }
    if (/^\s*#/.test(line) || line.startsWith('\t')) continue;
    let logical = line;
    while (logical.endsWith('\\') && i + 1 < lines.length) logical = logical.slice(0, -1) + ' ' + (lines[++i] ?? '').trim();
    const m = ASSIGN.exec(logical);
    if (m) vars.set(m[1] as string, (m[2] as string).replace(/\s+/g, ' ').trim());
  }
  return { vars, defines, lines };
}

export function readRecipe(path: string): Recipe {
  return parseRecipe(readFileSync(path, 'utf8'));
}

/**
 * The literal value of a variable: `$(NAME)` references to other simple
 * variables (or to the `known` values, e.g. PKG_VERSION from package.json) are substituted, `$$` becomes `$`; any other expansion is an error.
 */
export function literal(recipe: Recipe, name: string, seen: string[] = [], known: Record<string, string> = {}): string {
  if (Object.hasOwn(known, name)) return known[name] as string;
  const raw = recipe.vars.get(name);
  if (raw === undefined) throw new Error(`Makefile: ${name} is not set`);
  if (seen.includes(name)) throw new Error(`Makefile: ${name} refers to itself`);
  return raw.replace(/\$\$|\$\(([^)]*)\)|\$(.)/g, (all, ref: string | undefined) => {
    if (all === '$$') return '$';
    if (ref !== undefined && /^[A-Za-z0-9_]+$/.test(ref)) return literal(recipe, ref, [...seen, name], known);
    throw new Error(`Makefile: ${name} uses '${all}', which the standalone builder cannot expand`);
  });
}

/** A `define` body as the shell will see it: make's `$$` becomes `$`; other make expansions are refused. */
export function script(recipe: Recipe, name: string): string {
  const body = recipe.defines.get(name);
  if (body === undefined) throw new Error(`Makefile: no 'define ${name}'`);
  const out = body.replace(/\$\$|\$[^$]/g, (all) => {
    if (all === '$$') return '$';
    throw new Error(`Makefile: ${name} uses '${all}…', which the standalone builder cannot expand (write $$ for a shell $)`);
  });
  return out.endsWith('\n') ? out : out + '\n';
}
