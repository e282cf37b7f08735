/**
 * Build /usr/libexec/rpcd/luci.offload: ONE ES module for QuickJS that imports
 * only `std` and `os`.
 *
 * QuickJS compiles a whole module before running it, so every call pays for
 * parsing every method. `stats` — the call the panel may make every few
 * seconds — should not: the module holds the protocol and the per-poll path of
 * `stats` as code, and every other method (and the slow path of `stats`) as
 * text in a block comment at the end of the file (parse/embedded.ts), read back
 * and compiled (std.evalScript) only when a call needs it. Measured: a cold
 * `stats` dropped from ~9 ms to ~5 ms on the build machine when the methods
 * became a string (empty qjs module: ~1.7 ms); with the slow path moved out
 * (the module 20 → 9.6 KB) and the string turned into a comment, the CPU of a
 * `stats` call 6.2–7.0 → see docs/benchmarks.md §2.
 */
import { build, type BuildOptions } from 'esbuild';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { METHODS_MARK, escapeMethods, methodsFromFile } from '../rpcd/src/parse/embedded';

const out = process.argv[2] ?? 'luci-app-offload/root/usr/libexec/rpcd/luci.offload';
const common: BuildOptions = { bundle: true, platform: 'neutral', target: 'es2020', external: ['std', 'os'], legalComments: 'none', minify: true, write: false, logLevel: 'warning' };

// The rarely called methods, as a classic script: `require('std'|'os')` is answered by main.ts.
const rest = await build({ ...common, entryPoints: ['rpcd/src/methods/index.ts'], format: 'iife', globalName: '__luciOffloadMethods' });
const restSource = rest.outputFiles?.[0]?.text ?? '';
if (!restSource) throw new Error('the method bundle is empty');

const main = await build({
  ...common,
  entryPoints: ['rpcd/src/main.ts'],
  format: 'esm',
  banner: { js: '#!/usr/bin/qjs' },
  outfile: out,
  write: true,
});
if (main.errors.length) process.exit(1);
mkdirSync(dirname(out), { recursive: true });
const moduleBytes = statSync(out).size;
appendFileSync(out, `\n${METHODS_MARK}${escapeMethods(restSource)}*/\n`);
if (methodsFromFile(readFileSync(out, 'utf8')) !== restSource) throw new Error('the methods do not read back from the handler as written');
chmodSync(out, 0o755);
// what a `stats` call compiles (the module before the comment): test/rpcd/handler-size.test.ts
mkdirSync('build', { recursive: true });
writeFileSync('build/handler-size.json', JSON.stringify({ module_bytes: moduleBytes, methods_bytes: restSource.length }) + '\n');
