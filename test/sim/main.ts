/**
 * `node build/sim/server.mjs [--port N] [--host H] [--scenario NAME] ...`
 * Starts the simulated router: scenario root, live kernel files, rpcd-style
 * sessions/ACLs/exec plugins behind uhttpd's /ubus, the LuCI-shaped page and
 * the standalone panel. Prints the URLs and the demo logins.
 */
import { mkdirSync, writeFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { buildScenarioRoot, resolveScenario } from './scenario/build';
import { startSim } from './server';
import type { Login } from './rpcd/session';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : dflt;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const list = (name: string): string[] => process.argv.flatMap((a, i) => (a === `--${name}` && process.argv[i + 1] ? [process.argv[i + 1] as string] : []));

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(arg('repo', join(here, '../..')));
const scenario = resolveScenario(arg('scenario', 'mt7621'));
const port = Number(arg('port', '8080'));
const host = arg('host', '127.0.0.1');
const root = resolve(arg('root', port === 0 ? mkdtempSync(join(tmpdir(), `offload-sim-${scenario.name}-`)) : join(repo, '.cache/sim', `${scenario.name}-${port}`)));
const qjs = process.env.QJS || execFileSync(join(repo, 'scripts/ensure-qjs.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const password = arg('password', 'offload-demo');

/** Demo logins, as /etc/config/rpcd `config login` sections would grant them. */
const loginsFile = arg('logins', '');
const logins: Login[] = loginsFile ? (JSON.parse(readFileSync(loginsFile, 'utf8')) as Login[]) : [
  { username: 'root', password, read: ['*'], write: ['*'] },
  // a read-only LuCI login needs LuCI's own `unauthenticated` and `luci-base` read groups besides
  // the app's (without them real LuCI's own uci/luci calls are denied and it shows its
  // session-expired dialog; test/platform/luci.test.ts); the simulator, like rpcd, ignores a
  // group no acl.d file defines
  { username: 'viewer', password: arg('viewer-password', 'viewer-demo'), read: ['unauthenticated', 'luci-base', 'luci-app-offload'], write: [] },
];

buildScenarioRoot(scenario, root, { qjs, toolsDir: join(repo, 'build/sim-tools') });
const simAcl = join(root, '.sim-acl');
mkdirSync(simAcl, { recursive: true });
// rpcd's own unauthenticated.json: the default session may only log in and check access.
writeFileSync(join(simAcl, 'unauthenticated.json'), JSON.stringify({
  unauthenticated: { description: 'Access controls for unauthenticated requests', read: { ubus: { session: ['access', 'login'] } } },
}));

const sim = await startSim(
  {
    repo,
    root,
    spec: scenario,
    qjs,
    logins,
    // --no-package: only the extra ACL/plugin dirs (the capture testbed of the conformance test).
    aclDirs: [simAcl, ...(flag('no-package') ? [] : [join(repo, 'luci-app-offload/root/usr/share/rpcd/acl.d')]), ...list('acl-dir')],
    pluginDirs: [...(flag('no-package') ? [] : [join(repo, 'luci-app-offload/root/usr/libexec/rpcd')]), ...list('plugin-dir')],
    execTimeoutMs: Number(arg('exec-timeout', '30')) * 1000,
    testHooks: flag('test-hooks'),
  },
  port,
  host,
);
const addr = sim.server.address();
const actualPort = typeof addr === 'object' && addr ? addr.port : port;
const base = `http://${host}:${actualPort}`;
process.stdout.write(
  `luci-app-offload simulated router (${scenario.description})\n` +
    `  panel (standalone): ${base}/\n` +
    `  LuCI-shaped page:   ${base}/cgi-bin/luci/admin/network/offload\n` +
    `  login:              root / ${password}   (read-only: viewer / ${arg('viewer-password', 'viewer-demo')})\n` +
    `  scenario root:      ${root}\n` +
    `READY ${base}\n`,
);
const tempRoot = port === 0 && !process.argv.includes('--root');
const stop = (): void => {
  sim.server.close();
  // A root the simulator made for itself (port 0: tests, benchmarks) goes with it.
  if (tempRoot) rmSync(root, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
