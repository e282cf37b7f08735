/** Start the built simulator as a child process on a free port; resolves once it prints READY. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO, qjs, requireBuild } from './qjs';

export interface RunningSim {
  url: string;
  root: string;
  proc: ChildProcess;
  stop(): Promise<void>;
  /** POST to a test hook. */
  hook(path: string, body: unknown): Promise<unknown>;
  /** JSON-RPC POST of a raw body string to /ubus. */
  raw(body: string): Promise<{ status: number; headers: Headers; text: string }>;
}

export async function startSim(extra: string[] = []): Promise<RunningSim> {
  requireBuild();
  const proc = spawn(process.execPath, [join(REPO, 'build/sim/server.mjs'), '--port', '0', '--test-hooks', ...extra], {
    env: { ...process.env, QJS: qjs() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}${err}`)), 30000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => reject(new Error(`simulator exited ${code}: ${out}${err}`)));
  });
  const root = /scenario root:\s+(\S+)/.exec(out)?.[1] ?? '';
  return {
    url,
    root,
    proc,
    stop: () =>
      new Promise((res) => {
        proc.once('exit', () => res());
        proc.kill('SIGTERM');
      }),
    hook: async (path, body) => (await fetch(url + path, { method: 'POST', body: JSON.stringify(body) })).json(),
    raw: async (body) => {
      const r = await fetch(url + '/ubus', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      return { status: r.status, headers: r.headers, text: await r.text() };
    },
  };
}

/** Log in over JSON-RPC; returns the session id. */
export async function login(sim: RunningSim, username = 'root', password = 'offload-demo'): Promise<string> {
  const r = await sim.raw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: ['00000000000000000000000000000000', 'session', 'login', { username, password }] }));
  const j = JSON.parse(r.text) as { result: [number, { ubus_rpc_session: string }] };
  if (j.result[0] !== 0) throw new Error(`login failed: ${r.text}`);
  return j.result[1].ubus_rpc_session;
}

export async function call(sim: RunningSim, sid: string, object: string, method: string, args: object = {}): Promise<{ result?: unknown[]; error?: { code: number; message: string } }> {
  const r = await sim.raw(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'call', params: [sid, object, method, args] }));
  return JSON.parse(r.text);
}
