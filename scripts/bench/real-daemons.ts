/**
 * `make bench`, section 7: the same figures on the real daemons of the platform
 * tier (test/platform/router.sh: ubusd, rpcd, uhttpd, uci, fw4, netifd built from
 * the pinned sources, in private namespaces), over HTTP to real uhttpd `/ubus`.
 *
 * CPU is read from /proc/PID/stat of the router's processes: every process of its
 * pid namespace, including what each has reaped (rpcd reaps the exec plugins, so
 * QuickJS's start-up and the handler's work are in rpcd's cutime). The router's
 * idle CPU over the same wall time is measured and subtracted.
 */
import { spawnSync } from 'node:child_process';
import { request, Agent } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

type Say = (s?: string) => void;
type Table = (head: string[], rows: string[][]) => void;
interface Stats {
  median(xs: number[]): number;
  spread(xs: number[]): string;
  f2(n: number): string;
  ratio(a: number, b: number): string;
}

const NULL_SID = '0'.repeat(32);
const TICK_MS = 10; // USER_HZ 100 on Debian's kernels

interface RealRouter {
  dir: string;
  url: string;
  pid: number;
  exec(argv: string[]): { status: number | null; stdout: string };
  stop(): void;
}

function startRouter(repo: string): RealRouter {
  mkdirSync(join(repo, 'build/platform'), { recursive: true });
  const dir = mkdtempSync(join(repo, 'build/platform/bench-'));
  // The floor: an exec plugin that starts QuickJS and prints {} — what every plugin call costs at least.
  const plugin = join(dir, 'usr/libexec/rpcd/bench.empty');
  mkdirSync(join(plugin, '..'), { recursive: true });
  writeFileSync(plugin, "#!/usr/bin/qjs\nimport * as std from 'std';\nstd.out.puts(scriptArgs[1] === 'list' ? '{\"noop\":{}}' : '{}');\n", { mode: 0o755 });
  const acl = join(dir, 'usr/share/rpcd/acl.d/bench.json');
  mkdirSync(join(acl, '..'), { recursive: true });
  writeFileSync(acl, JSON.stringify({ 'bench-empty': { read: { ubus: { 'bench.empty': ['noop'] } } } }));
  const sh = (args: string[]) => spawnSync(join(repo, 'test/platform/router.sh'), args, { encoding: 'utf8', timeout: 120000 });
  const r = sh(['start', dir, '--pkg', join(repo, 'luci-app-offload')]);
  if (r.status !== 0) throw new Error(`router.sh start failed: ${r.stdout}${r.stderr}`);
  const info = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return {
    dir,
    url: info['url'] as string,
    pid: Number(info['pid']),
    exec: (argv) => {
      const x = sh(['exec', dir, ...argv]);
      return { status: x.status, stdout: x.stdout };
    },
    stop: () => {
      sh(['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every process below `pid` (its pid namespace), from /proc/PID/task/TID/children. */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return out;
}

/** CPU ms of one process including its reaped children, by command name. */
function cpuOf(pid: number): { comm: string; ms: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { comm, ms: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU ms of the router's daemons (by name) and in total, children included. */
function daemonCpu(r: RealRouter): Record<string, number> {
  const by: Record<string, number> = { total: 0 };
  for (const p of tree(r.pid)) {
    if (p === r.pid) continue; // the router's init shell: its sleeps are not the router's work
    const c = cpuOf(p);
    if (!c) continue;
    by[c.comm] = (by[c.comm] ?? 0) + c.ms;
    by['total'] = (by['total'] ?? 0) + c.ms;
  }
  return by;
}

export async function realDaemons(repo: string, say: Say, table: Table, st: Stats): Promise<void> {
  say('## 7. On the real daemons (platform tier: real ubusd, rpcd, uhttpd over HTTP)');
  say();
  if (process.getuid?.() !== 0 || !existsSync(join(repo, '.cache/platform/stage'))) {
    say('Not measured: needs root and the platform stage (`make platform-build`).');
    say();
    return;
  }
  const r = startRouter(repo);
  try {
    // A fresh TCP connection per request: on a kept-alive one, uhttpd's separate header and body
    // writes meet Nagle + the client's delayed ACK and every answer waits ~40 ms (measured; see 7b).
    const fresh = new Agent({ keepAlive: false });
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    const postWith = (agent: Agent, body: unknown): Promise<any> =>
      new Promise((res, rej) => {
        const data = JSON.stringify(body);
        const q = request(r.url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (a) => {
          let t = '';
          a.on('data', (d: Buffer) => (t += d));
          a.on('end', () => res(JSON.parse(t)));
        });
        q.on('error', rej);
        q.end(data);
      });
    const post = (body: unknown): Promise<any> => postWith(fresh, body);
    const login = await post({ jsonrpc: '2.0', id: 1, method: 'call', params: [NULL_SID, 'session', 'login', { username: 'root', password: 'root' }] });
    const sid = login.result[1].ubus_rpc_session as string;
    const call = (o: string, m: string, a: object, id = 1): object => ({ jsonrpc: '2.0', id, method: 'call', params: [sid, o, m, a] });
    const runs = Number(process.env.BENCH_REAL_RUNS ?? 100);

    /** wall per request (ms) and router CPU per request (ms), net of idle over the same wall time. */
    const measure = async (body: () => unknown, n = runs, via: Agent = fresh): Promise<{ wall: number[]; cpu: number }> => {
      const wall: number[] = [];
      const c0 = daemonCpu(r).total as number;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const a = await postWith(via, body());
        wall.push(performance.now() - t);
        if (i === 0) for (const x of [a].flat()) if (x.error || x.result?.[0] !== 0 || x.result?.[1]?.code) throw new Error(`bench call failed: ${JSON.stringify(x).slice(0, 300)}`);
      }
      const spent = (daemonCpu(r).total as number) - c0;
      const elapsed = performance.now() - t0;
      return { wall, cpu: Math.max(0, spent - idlePerMs * elapsed) / n };
    };

    // The router's own idle CPU (netifd, IPv6 chatter on the veths), per ms of wall time.
    const i0 = daemonCpu(r).total as number;
    const it0 = performance.now();
    await new Promise((res) => setTimeout(res, 3000));
    const idlePerMs = ((daemonCpu(r).total as number) - i0) / (performance.now() - it0);

    // 7a. call cost
    const floor = await measure(() => call('bench.empty', 'noop', {}));
    const rows: [string, { wall: number[]; cpu: number }][] = [
      ['floor: empty QuickJS exec plugin (`bench.empty noop`)', floor],
      ['`luci.offload stats {flows:false}`', await measure(() => call('luci.offload', 'stats', { flows: false }))],
      ['`luci.offload stats`', await measure(() => call('luci.offload', 'stats', {}))],
      ['`luci.offload status`', await measure(() => call('luci.offload', 'status', {}), Math.min(runs, 30))],
    ];
    const fw = st.median(floor.wall);
    table(
      ['call over real uhttpd → rpcd → exec plugin', 'wall ms (median)', 'p10–p90', 'router CPU ms per call', 'wall vs floor', 'CPU vs floor'],
      rows.map(([label, m]) => [label, st.f2(st.median(m.wall)), st.spread(m.wall), st.f2(m.cpu), st.ratio(st.median(m.wall), fw), st.ratio(m.cpu, floor.cpu)]),
    );
    say(`${runs} calls each (status: ${Math.min(runs, 30)}), one after another from the host; router CPU is every process of the router's pid namespace with reaped children, net of its idle rate (${st.f2(idlePerMs * 60000)} ms/min). Goal: \`stats\` ≤ 1.3× the floor.`);
    say();

    // 7b. the panel's per-second poll: the batch of 7 file.read its LiveModel sends
    const paths = ['/proc/uptime', '/proc/stat', '/proc/sys/net/netfilter/nf_conntrack_count', '/sys/class/net/wan/statistics/rx_bytes', '/sys/class/net/wan/statistics/tx_bytes', '/sys/class/net/lan1/statistics/rx_bytes', '/sys/class/net/lan1/statistics/tx_bytes'];
    const batch = await measure(() => paths.map((path, i) => call('file', 'read', { path }, i + 1)));
    const single = await measure(() => [call('file', 'read', { path: '/proc/uptime' })]);
    const keptBatch = await measure(() => paths.map((path, i) => call('file', 'read', { path }, i + 1)), runs, kept);
    const stats5 = rows[1]![1];
    const perMin = 60 * batch.cpu + 12 * stats5.cpu;
    table(['per-second poll', 'wall ms (median)', 'p10–p90', 'router CPU ms'], [
      ['JSON-RPC batch of 7 `file.read` (the panel\'s poll)', st.f2(st.median(batch.wall)), st.spread(batch.wall), st.f2(batch.cpu)],
      ['batch of 1 `file.read`', st.f2(st.median(single.wall)), st.spread(single.wall), st.f2(single.cpu)],
      ['the batch of 7 on a kept-alive connection (as a browser keeps it)', st.f2(st.median(keptBatch.wall)), st.spread(keptBatch.wall), st.f2(keptBatch.cpu)],
    ]);
    say(`One open panel per minute (60 batches + 12 \`stats {flows:false}\`): **${st.f2(perMin)} ms of router CPU per minute** (the sum of the two measured costs). uhttpd starts each batch member on a 1 ms uloop timer, which is most of the batch's wall time. Goal: per-second poll ≤ 3 ms wall. Not yet measured here: LuCI's own Realtime Graphs page as the anchor (needs real LuCI in the platform tier).`);
    say();

    // 7c. flow counting at scale on the real daemons: real kernel conntrack entries, loaded with
    // `conntrack -R` into the router's network namespace (no traffic needed, ~20 ms per 1000).
    const ctRows: string[][] = [];
    const host = mkdtempSync(join(repo, 'build/platform/bench-ct-'));
    try {
      let loaded = 0;
      for (const n of [0, 1000, 16384, 65536]) {
        const lines: string[] = [];
        for (let i = loaded; i < n; i++) {
          lines.push(`-I -p tcp -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} -d 192.0.2.${10 + (i % 200)} --sport ${1024 + (i % 60000)} --dport 443 -t 3600 --state ESTABLISHED -u ASSURED`);
        }
        if (lines.length) {
          writeFileSync(join(r.dir, 'tmp/bench-ct.load'), lines.join('\n') + '\n');
          const l = r.exec(['conntrack', '-R', '/tmp/bench-ct.load']);
          if (l.status !== 0) throw new Error(`conntrack -R failed (${l.status})`);
          loaded = n;
        }
        const count = r.exec(['sh', '-c', 'cat /proc/net/nf_conntrack > /tmp/bench-ct.txt; wc -l < /tmp/bench-ct.txt']).stdout.trim();
        const m = await measure(() => call('luci.offload', 'stats', {}), Math.min(runs, n >= 65536 ? 20 : 50));
        const cat: number[] = [];
        for (let i = 0; i < 20; i++) {
          const t = performance.now();
          spawnSync('cat', [join(r.dir, 'tmp/bench-ct.txt')], { maxBuffer: 64 << 20 });
          cat.push(performance.now() - t);
        }
        // The kernel's own cost of producing the listing: cat of the proc file inside the router,
        // 20 times in one shell, minus the same shell doing nothing (nsenter + chroot + sh start).
        const timed = (script: string): number => {
          const t = performance.now();
          r.exec(['sh', '-c', script]);
          return performance.now() - t;
        };
        const loop = (body: string): string => `i=0; while [ $i -lt 20 ]; do ${body}; i=$((i+1)); done`;
        const procCat = Math.max(0, (timed(loop('cat /proc/net/nf_conntrack >/dev/null')) - timed(loop(':'))) / 20);
        ctRows.push([`${n} (${count} in the kernel)`, String(readFileSync(join(r.dir, 'tmp/bench-ct.txt')).length), st.f2(st.median(m.wall)), st.spread(m.wall), st.f2(m.cpu), st.f2(st.median(cat)), st.ratio(st.median(m.wall), st.median(cat)), st.f2(procCat), st.ratio(st.median(m.wall), procCat)]);
      }
      r.exec(['conntrack', '-F']);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
    table(['entries', 'bytes', '`stats` over /ubus wall ms', 'p10–p90', 'router CPU ms', 'floor `cat` of a copy (host) ms', 'stats vs copy', 'floor `cat /proc/net/nf_conntrack` in the router ms', 'stats vs proc read'], ctRows);
    say('Real kernel conntrack entries (ESTABLISHED TCP, none offloaded: this kernel has no flowtables, so the offload markers cannot be set), counted by the handler from /proc/net/nf_conntrack as on a router (from 2048 entries with the router\'s grep, below it read into the handler); floors: `cat` of a copy of the same listing on the host, and `cat` of the kernel\'s proc file inside the router (which includes the kernel formatting the table). Goal: ≤ 1.5× the read floor at 64k entries.');
    say();
  } finally {
    r.stop();
  }
}

/**
 * Section 8: first meaningful render of the app page in real LuCI beside LuCI's own
 * Network → Firewall page, in real Chromium, in the same run. The measurement is the
 * platform tier's own (test/platform/luci-themes.test.ts writes build/platform/luci-render.json);
 * the benchmark runs that one test and reports its figures.
 */
export function luciRender(repo: string, say: Say, table: Table): void {
  say('## 8. First meaningful render in real LuCI (bootstrap, 1280 px, real Chromium)');
  say();
  const file = join(repo, 'build/platform/luci-render.json');
  rmSync(file, { force: true });
  if (process.getuid?.() !== 0) {
    say('Not measured: needs root (the platform tier).');
    say();
    return;
  }
  const r = spawnSync('npx', ['vitest', 'run', 'test/platform/luci-themes.test.ts', '-t', 'first meaningful render'], {
    cwd: repo,
    env: { ...process.env, PLATFORM_TIER: '1' },
    encoding: 'utf8',
    timeout: 600000,
  });
  if (!existsSync(file)) {
    say(`Not measured: the render test did not finish (exit ${r.status}).`);
    say();
    return;
  }
  const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { median: number; all: number[]; until: string } | string | number>;
  const row = (label: string, k: string): string[] => {
    const v = j[k] as { median: number; all: number[]; until: string };
    return [label, v.until, String(v.median), v.all.join(', ')];
  };
  table(['page', 'until', `ms from navigation start (median of ${j['runs']})`, 'all runs'], [
    row('the app (Network → Flow Offloading)', 'app'),
    row('the app, first live figure', 'app_first_figure'),
    row('LuCI\'s Network → Firewall', 'firewall'),
  ]);
  say('Warm cache, logged in, one navigation per run; the live figure needs two samples 1 s apart.');
  say();
}
