/** Run the BUILT handler under the real QuickJS binary, exactly as rpcd runs it (argv + stdin). */
import { execFileSync, spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// from the string (under happy-dom the global URL is the DOM's, which fileURLToPath refuses)
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HANDLER = join(REPO, 'luci-app-offload/root/usr/libexec/rpcd/luci.offload');
export const TOOLS_DIR = join(REPO, 'build/sim-tools');

let qjsPath: string | null = null;
/** $QJS, qjs on PATH, or the one scripts/ensure-qjs.sh builds from Debian's source package. */
export function qjs(): string {
  if (!qjsPath) qjsPath = execFileSync(join(REPO, 'scripts/ensure-qjs.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return qjsPath;
}

export function requireBuild(): void {
  if (!existsSync(HANDLER) || !existsSync(join(TOOLS_DIR, 'fw4.js'))) throw new Error('run `make build` first (handler or simulator tools missing)');
}

export interface HandlerRun {
  stdout: string;
  stderr: string;
  status: number | null;
  json: Record<string, unknown>;
  ms: number;
}

/** `luci.offload <argv…>` with `stdin` (undefined = closed empty stdin), in scenario root `root`. */
export function runHandler(argv: string[], stdin?: string, root?: string, timeoutMs = 30000): HandlerRun {
  const t = Date.now();
  const r = spawnSync(qjs(), [HANDLER, ...argv], {
    input: stdin ?? '',
    env: { PATH: process.env.PATH, ...(root ? { OFFLOAD_ROOT: root } : {}) },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = { __unparsable: r.stdout };
  }
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, json, ms: Date.now() - t };
}

/** The same, asynchronously (for concurrency drills). */
export function runHandlerAsync(argv: string[], stdin: string, root: string): Promise<HandlerRun> {
  const t = Date.now();
  return new Promise((res) => {
    const c = spawn(qjs(), [HANDLER, ...argv], { env: { PATH: process.env.PATH, OFFLOAD_ROOT: root } });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (status) => {
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(out);
      } catch {
        json = { __unparsable: out };
      }
      res({ stdout: out, stderr: err, status, json, ms: Date.now() - t });
    });
    c.stdin.end(stdin);
  });
}
