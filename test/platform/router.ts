/**
 * A real OpenWrt userland router for the platform tier: test/platform/router.sh
 * (ubusd, netifd, rpcd, uhttpd, uci, fw4 built from the pinned sources, in private
 * mount/net/pid namespaces) with the unchanged package installed. OFFLOAD_ROOT
 * stays unset: the handler uses the real paths, as on a router.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/qjs';

const ROUTER_SH = join(REPO, 'test/platform/router.sh');
export const PKG = join(REPO, 'luci-app-offload');
export const NULL_SID = '00000000000000000000000000000000';

export interface RouterOptions {
  /** rpcd's exec timeout (-t), seconds. */
  rpcdTimeout?: number;
  /** Files to put into the root before start, e.g. `{ 'etc/config/firewall': '…' }`. */
  files?: Record<string, string>;
  /** Start without `fw4 start` (the firewall "not loaded"). */
  noFw4?: boolean;
}

export interface ExecResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Router {
  dir: string;
  url: string;
  /** A command inside the router (namespaces + chroot), from an argv array. */
  exec(argv: string[], input?: string): ExecResult;
  /** One JSON-RPC request body to /ubus; the parsed reply. */
  post(body: unknown): Promise<unknown>;
  /** `call` with a session: the `result` array, or the JSON-RPC error object. */
  call(sid: string, object: string, method: string, args?: object): Promise<{ result?: [number, unknown?]; error?: { code: number; message: string } }>;
  login(user?: string, password?: string): Promise<string>;
  /** A file of the router, by its path on the router. */
  read(path: string): string;
  mode(path: string): number;
  write(path: string, text: string): void;
  stop(): void;
}

function sh(args: string[], input?: string, timeoutMs = 120000): ExecResult {
  const r = spawnSync(ROUTER_SH, args, { input: input ?? '', encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Whether this machine can run the tier: root and the handler built. */
export function platformReady(): string | null {
  if (process.getuid?.() !== 0) return 'the platform tier needs root (unshare -m -n -p)';
  if (!existsSync(join(PKG, 'root/usr/libexec/rpcd/luci.offload'))) return 'run `make handler` first';
  return null;
}

export function startRouter(opts: RouterOptions = {}): Router {
  mkdirSync(join(REPO, 'build/platform'), { recursive: true });
  const dir = mkdtempSync(join(REPO, 'build/platform/router-'));
  for (const [p, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const args = ['start', dir, '--pkg', PKG, '--timeout', String(opts.rpcdTimeout ?? 30)];
  if (opts.noFw4) args.push('--no-fw4');
  const r = sh(args);
  if (r.status !== 0) {
    sh(['stop', dir]);
    throw new Error(`router.sh start failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  const info = Object.fromEntries(
    r.stdout.trim().split('\n').map((l) => {
      const i = l.indexOf('=');
      return [l.slice(0, i), l.slice(i + 1)];
    }),
  );
  const url = info['url'];
  if (!url) throw new Error(`router.sh start printed no url: ${r.stdout}`);
  let id = 0;
  const router: Router = {
    dir,
    url,
    exec: (argv, input) => sh(['exec', dir, ...argv], input),
    post: async (body) => {
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return JSON.parse(await res.text());
    },
    call: async (sid, object, method, args = {}) =>
      (await router.post({ jsonrpc: '2.0', id: ++id, method: 'call', params: [sid, object, method, args] })) as {
        result?: [number, unknown?];
        error?: { code: number; message: string };
      },
    login: async (user = 'root', password = user) => {
      const r = await router.call(NULL_SID, 'session', 'login', { username: user, password });
      const sid = (r.result?.[1] as { ubus_rpc_session?: string } | undefined)?.ubus_rpc_session;
      if (!sid) throw new Error(`login ${user} failed: ${JSON.stringify(r)}`);
      return sid;
    },
    read: (p) => readFileSync(join(dir, p), 'utf8'),
    mode: (p) => statSync(join(dir, p)).mode & 0o7777,
    write: (p, text) => {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    },
    stop: () => {
      sh(['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return router;
}

/** The running ruleset without counters (they move on their own: IPv6 chatter on the veths). */
export function ruleset(r: Router): string {
  return r.exec(['nft', '-s', 'list', 'ruleset']).stdout;
}
