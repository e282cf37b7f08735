/**
 * Build /usr/libexec/rpcd/luci.offload: ONE ES module for QuickJS that imports
 * only `std` and `os`.
 *
 * QuickJS compiles a whole module before running it, so every call pays for
 * parsing every method. `stats` — the call the panel may make every few
 * seconds — should not: the module holds the protocol and `stats` as code, and
 * every other method as a string that is compiled (std.evalScript) only when
 * one of them is called. Measured: a cold `stats` drops from ~9 ms to ~5 ms on
 * the build machine (empty qjs module: ~1.7 ms).
 */
import { build, type BuildOptions } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

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
  define: { METHODS_SOURCE: JSON.stringify(restSource) },
  outfile: out,
  write: true,
});
if (main.errors.length) process.exit(1);
mkdirSync(dirname(out), { recursive: true });
chmodSync(out, 0o755);
