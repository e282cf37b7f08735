/**
 * The simulator is an independent oracle: nothing under test/sim (stand-ins,
 * scenario, rpcd model, tests) nor the helpers that build its roots may import
 * the handler's parsers (rpcd/src/parse) or derivations (rpcd/src/calc), or an
 * agreement between simulator and handler would prove nothing. Type-only
 * imports of rpcd/src/api/contract.ts are fine.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../helpers/qjs';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|mjs|js)$/.test(n) ? [p] : [];
  });
}

/** Module specifiers of import/export-from statements and dynamic imports. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g)) {
    out.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return out;
}

describe('the simulator shares no parser or derivation with the handler', () => {
  it('finds the imports it looks for', () => {
    const handlerParser = ['..', '..', 'rpcd', 'src', 'parse', 'nft'].join('/');
    const sample = `import { a } from '${handlerParser}';\nimport type { Mode } from "x";\nconst m = await import('../y');`;
    expect(specifiers(sample)).toEqual([handlerParser, 'x', '../y']);
  });

  it('no file under test/sim or the sim helpers imports rpcd/src/parse or rpcd/src/calc', () => {
    const targets = [...files(join(REPO, 'test/sim')), join(REPO, 'test/helpers/sim.ts'), join(REPO, 'test/helpers/scenario.ts')];
    expect(targets.length).toBeGreaterThan(20);
    const bad: string[] = [];
    for (const f of targets) {
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        if (/(^|\/)rpcd\/src\/(parse|calc)(\/|$)/.test(s)) bad.push(`${relative(REPO, f)}: ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
