/**
 * The simulated router's web server: uhttpd's /ubus endpoint, the static
 * LuCI resources of the package, a LuCI-shaped page that loads the package's
 * view the way LuCI does, and the standalone panel page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { UbusEndpoint, MAX_POST_SIZE } from './rpcd/uhttpd';
import { Bus } from './rpcd/bus';
import { Sessions, DEFAULT_SID, type Login } from './rpcd/session';
import { sessionObject, fileObject, uciObject } from './rpcd/builtin';
import { loadExecPlugin, type PluginHost } from './rpcd/exec-plugin';
import { RouterModel } from './scenario/model';
import { setFault, type Fault } from './scenario/build';
import type { ScenarioSpec } from './scenario/scenarios';
import { luciPage, loginPage, standalonePage, type MenuEntry } from './luci/pages';

export interface SimOptions {
  repo: string;
  root: string;
  spec: ScenarioSpec;
  qjs: string;
  logins: Login[];
  aclDirs: string[];
  pluginDirs: string[];
  execTimeoutMs: number;
  testHooks: boolean;
}

const MIME: Record<string, string> = {
  '.js': 'application/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

export interface Sim {
  server: Server;
  sessions: Sessions;
  model: RouterModel;
  /** Plugin calls seen, for tests and the benchmark. */
  calls: { object: string; method: string; status: number }[];
  pluginRuns: { method: string; ms: number; status: number }[];
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit + 1) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

function cookie(req: IncomingMessage, name: string): string | null {
  const m = new RegExp(`(?:^|;\\s*)${name}=([0-9a-f]{32})`).exec(req.headers.cookie ?? '');
  return m ? (m[1] as string) : null;
}

function menuEntries(repo: string): MenuEntry[] {
  const dir = join(repo, 'luci-app-offload/root/usr/share/luci/menu.d');
  const out: MenuEntry[] = [];
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const menu = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, { title?: string; action?: { path?: string }; depends?: { acl?: string[] } }>;
    for (const [path, node] of Object.entries(menu)) out.push({ path, title: node.title ?? path, view: node.action?.path ?? '', acl: node.depends?.acl ?? [] });
  }
  return out;
}

export function startSim(o: SimOptions, port: number, host: string): Promise<Sim> {
  const sessions = new Sessions(o.aclDirs, o.logins);
  const model = new RouterModel(o.root, o.spec);
  const bus = new Bus();
  const calls: Sim['calls'] = [];
  const pluginRuns: Sim['pluginRuns'] = [];
  bus.add(sessionObject(sessions));
  bus.add(fileObject(o.root, sessions, () => model.refresh()));
  bus.add(uciObject(o.root, sessions));
  const hostCfg: PluginHost = {
    qjs: o.qjs,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', OFFLOAD_ROOT: o.root },
    timeoutMs: o.execTimeoutMs,
    beforeCall: () => model.refresh(),
    onExit: (r) => pluginRuns.push(r),
  };
  for (const dir of o.pluginDirs) {
    for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
      const obj = loadExecPlugin(join(dir, name), name, hostCfg);
      if (obj && !bus.get(name)) bus.add(obj);
    }
  }
  const endpoint = new UbusEndpoint(bus, sessions, { scriptTimeoutMs: 60000, onCall: (object, method, status) => calls.push({ object, method, status }) });
  const menu = menuEntries(o.repo);
  const resources = join(o.repo, 'luci-app-offload/htdocs/luci-static/resources');
  const shim = join(o.repo, 'test/sim/luci/static');

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
    res.end(body);
  };
  const serveFile = (res: ServerResponse, base: string, rel: string): void => {
    const p = normalize(join(base, rel));
    if (!p.startsWith(base) || !existsSync(p) || !statSync(p).isFile()) return send(res, 404, 'text/plain', 'Not found\n');
    send(res, 200, MIME[extname(p)] ?? 'application/octet-stream', readFileSync(p));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://router');
    const path = url.pathname;
    try {
      if (req.method === 'POST' && (path === '/ubus' || path === '/ubus/' || path.startsWith('/ubus/'))) {
        const body = await readBody(req, MAX_POST_SIZE);
        const out = await endpoint.handle(body);
        // uhttpd answers in chunks and closes the connection.
        res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
        res.write(out);
        res.end();
        return;
      }
      if (path === '/' || path === '/index.html') return send(res, 200, MIME['.html'] as string, standalonePage(o.spec));
      if (path.startsWith('/luci-static/resources/')) {
        const rel = path.slice('/luci-static/resources/'.length);
        if (existsSync(join(shim, rel))) return serveFile(res, shim, rel);
        return serveFile(res, resources, rel);
      }
      if (path.startsWith('/cgi-bin/luci')) {
        if (req.method === 'POST') {
          const form = new URLSearchParams((await readBody(req, 8192)).toString('utf8'));
          const r = sessions.login(form.get('luci_username'), form.get('luci_password'), 3600);
          if (r.status !== 0) return send(res, 403, MIME['.html'] as string, loginPage('Invalid username and/or password! Please try again.'));
          const sid = (r.data as { ubus_rpc_session: string }).ubus_rpc_session;
          res.writeHead(302, { Location: path, 'Set-Cookie': `sysauth_http=${sid}; path=/cgi-bin/luci; SameSite=strict; HttpOnly` });
          return res.end();
        }
        const sid = cookie(req, 'sysauth_http');
        if (!sid || !sessions.get(sid)) return send(res, 403, MIME['.html'] as string, loginPage(null));
        const visible = menu.filter((m) => m.acl.length === 0 || m.acl.some((g) => sessions.allowed(sid, 'access-group', g, 'read')));
        const writable = menu.map((m) => m.acl.some((g) => sessions.allowed(sid, 'access-group', g, 'write')));
        const node = visible.find((m) => path.endsWith('/' + m.path)) ?? null;
        const readonly = node ? !writable[menu.indexOf(node)] : true;
        return send(res, node || path === '/cgi-bin/luci' || path === '/cgi-bin/luci/' ? 200 : 404, MIME['.html'] as string,
          luciPage({ sid, menu: visible, node, readonly, scenario: o.spec, theme: url.searchParams.get('theme') ?? 'bootstrap', dark: url.searchParams.get('dark') }));
      }
      if (o.testHooks && path.startsWith('/__sim/')) {
        const body = req.method === 'POST' ? JSON.parse((await readBody(req, 8192)).toString('utf8') || '{}') as Record<string, unknown> : {};
        if (path === '/__sim/fault') {
          setFault(o.root, body.fault as Fault, body.on === true);
          return send(res, 200, 'application/json', '{}');
        }
        if (path === '/__sim/expire') {
          sessions.expire(String(body.sid));
          return send(res, 200, 'application/json', '{}');
        }
        if (path === '/__sim/demand') {
          // The WAN demand in Mbit/s (0: the traffic stops), or null for the steady default.
          model.demandMbit = typeof body.mbit === 'number' ? body.mbit : null;
          return send(res, 200, 'application/json', '{}');
        }
        if (path === '/__sim/state') {
          model.refresh();
          return send(res, 200, 'application/json', JSON.stringify({ rates: model.rates, calls, pluginRuns }));
        }
      }
      send(res, 404, 'text/plain', 'Not found\n');
    } catch (e) {
      send(res, 500, 'text/plain', `simulator error: ${(e as Error).message}\n`);
    }
  });
  void DEFAULT_SID;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, sessions, model, calls, pluginRuns }));
  });
}
