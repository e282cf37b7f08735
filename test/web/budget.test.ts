/**
 * What the panel adds to a LuCI page (offload/app.js + app.css, gzip) stays
 * within 35 KB, and the output directory holds exactly what the view loads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '../..');
const DIR = join(REPO, 'luci-app-offload/htdocs/luci-static/resources/offload');
export const BUDGET_BYTES = 35 * 1024;

function built(name: string): Buffer {
  const p = join(DIR, name);
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`make build\` first`);
  return readFileSync(p);
}

describe('panel bundle', () => {
  it(`app.js + app.css gzip ≤ ${BUDGET_BYTES / 1024} KB`, () => {
    const js = gzipSync(built('app.js'), { level: 9 }).length;
    const css = gzipSync(built('app.css'), { level: 9 }).length;
    expect(js + css, `app.js ${js} B + app.css ${css} B (gzip)`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('is exactly app.js and app.css: no hashes, maps or HTML', () => {
    built('app.js');
    expect(readdirSync(DIR).sort()).toEqual(['app.css', 'app.js']);
  });

  it('is a classic script that defines window.LuciOffload (no ES module syntax)', () => {
    const js = built('app.js').toString('utf8');
    expect(js).toContain('window.LuciOffload=');
    expect(js).not.toMatch(/^\s*(import|export)\s/m);
    expect(js).not.toContain('sourceMappingURL');
  });

  it('is what the LuCI view loads', () => {
    const view = readFileSync(join(REPO, 'luci-app-offload/htdocs/luci-static/resources/view/offload.js'), 'utf8');
    expect(view).toContain("L.resource('offload/app.js')");
    expect(view).toContain("L.resource('offload/app.css')");
  });
});
