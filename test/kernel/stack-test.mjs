#!/usr/bin/env node
// Host side of the kernel tier's real stack (test/kernel/stack): boots the guest with the real
// OpenWrt userland (ubusd, netifd, rpcd + the unchanged handler, uci, ucode + fw4, uhttpd) over
// Debian's 6.1 kernel, forwards two host loopback ports into it (uhttpd :80, the control CGI
// :8081) and asserts through real uhttpd /ubus, as the panel calls it:
//   set software  -> the flowtable really loads; iperf3 flows are [OFFLOAD] (flows/stats)
//   flush         -> during an offloaded transfer: the flowtable is recreated, the flow is
//                    offloaded again, the transfer survives
//   set hardware  -> fw4's real fallback warning, state hardware-fallback
//   rejected      -> a user include nft refuses: the previous config restored byte for byte
//                    and still running
//   set off       -> no flowtable; a new flow is not offloaded
// The control CGI only does test scaffolding (iperf3 clients, raw conntrack, nft listings).
//
// Usage: node test/kernel/stack-test.mjs --stage DIR [--out DIR] [--timeout S] [--demo [--port N]]
//   --demo  make demo-kernel (--mbps N: the iperf3 rate, default 40): iperf3 runs in a loop inside the guest, the panel is served on
//           http://127.0.0.1:PORT/ (default 8090) — inside real LuCI when the platform stage has
//           it (--no-luci: the standalone page only); runs until Ctrl-C (or --timeout, 4 h).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { luciInGuest } from './stack-luci.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const DEMO = argv.includes('--demo');
const STAGE = opt('--stage', process.env.PLATFORM_STAGE);
const OUT = resolve(opt('--out', join(REPO, DEMO ? 'test-results/kernel/demo' : 'test-results/kernel/stack')));
const TIMEOUT = Number(opt('--timeout', DEMO ? 4 * 3600 : 420));
const FALLBACK = 'Hardware flow offloading unavailable, falling back to software offloading';
const LAN = '192.168.1.2', WAN = '10.0.2.2', PORT = 5201;
const t0 = Date.now();
const el = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (m) => process.stderr.write(`kernel-stack[${el()}s]: ${m}\n`);
if (!STAGE || !existsSync(join(STAGE, 'sbin/rpcd'))) {
  log(`no platform stage (--stage DIR or PLATFORM_STAGE; scripts/platform/build.sh): '${STAGE}'`);
  process.exit(2);
}

const freePort = () =>
  new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const webPort = DEMO ? Number(opt('--port', 8090)) : await freePort();
const ctlPort = await freePort();
const UBUS = `http://127.0.0.1:${webPort}/ubus`;
const CTL = `http://127.0.0.1:${ctlPort}/cgi-bin/ctl`;

// ---- the guest -------------------------------------------------------------------------------
mkdirSync(join(REPO, 'build/kernel'), { recursive: true });
const adds = [
  `${REPO}/luci-app-offload/root/.=/`,
  `${REPO}/luci-app-offload/htdocs/.=/www`,
  `${HERE}/stack/root/.=/`,
  // firewall4's own default config (lan: network lan, wan: network wan/wan6 with masq)
  `${STAGE}/usr/share/platform/defaults/firewall=/etc/config/firewall`,
];
// real LuCI (the platform tier's staging, scripts/platform/luci.sh) when it is there: the demo
// serves it, the test drives it in Chromium (stack-luci.mjs); a stage without it fails the test
const HAS_LUCI = existsSync(join(STAGE, 'usr/share/platform/luci/www'));
const LUCI = HAS_LUCI && !argv.includes('--no-luci');
if (DEMO) {
  writeFileSync(join(REPO, 'build/kernel/kt-demo'), `${Number(opt('--mbps', 40))}\n`);
  adds.push(`${REPO}/build/kernel/kt-demo=/etc/kt-demo`);
}
// LuCI's scratch files of the platform tier: /etc/config/system and the rpcd stand-in for
// procd's `system` object (board/info), which LuCI's header and Status page call
if (LUCI) adds.push(`${REPO}/test/platform/luci-root/.=/`);
const args = ['--stage', STAGE, '--host-bin', '/usr/bin/flock=/usr/bin/flock'];
if (LUCI) args.push('--luci');
for (const a of adds) args.push('--add', a);
args.push('--hostfwd', `tcp:127.0.0.1:${webPort}-:80`, '--hostfwd', `tcp:127.0.0.1:${ctlPort}-:8081`);
args.push('--out', OUT, join(HERE, 'stack'), String(TIMEOUT));
// its own process group: a Ctrl-C in the terminal reaches this script, which then lets the guest
// power off cleanly, instead of killing QEMU mid-run; if this script dies, the guest goes too
const guest = spawn(join(HERE, 'run-guest.sh'), args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
let guestRc = null;
const guestDone = new Promise((ok) => guest.on('exit', (c, s) => ok((guestRc = c ?? (s ? 2 : 2)))));
process.on('exit', () => {
  if (guestRc !== null) return;
  try { process.kill(-guest.pid, 'SIGTERM'); } catch { /* gone */ }
  try { process.kill(Number(readFileSync(join(OUT, '.qemu.pid'), 'utf8')), 'SIGTERM'); } catch { /* gone */ }
});
if (!DEMO) for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

/** a shell snippet in the guest (control CGI); resolves to { out, rc } */
async function sh(script, timeoutMs = 120000) {
  const r = await fetch(CTL, { method: 'POST', body: script, signal: AbortSignal.timeout(timeoutMs) });
  const t = await r.text();
  const m = t.match(/__rc=(\d+)\s*$/);
  return { out: m ? t.slice(0, m.index) : t, rc: m ? Number(m[1]) : -1 };
}
let rpcId = 0;
/** JSON-RPC through uhttpd's /ubus (the panel's path) */
async function ubus(sid, obj, method, args = {}, timeoutMs = 120000) {
  const r = await fetch(UBUS, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method: 'call', params: [sid, obj, method, args] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return r.json();
}
const NOSID = '00000000000000000000000000000000';
async function offload(sid, method, args = {}) {
  const a = await ubus(sid, 'luci.offload', method, args);
  if (!a.result || a.result[0] !== 0) throw new Error(`luci.offload ${method}: ${JSON.stringify(a)}`);
  return a.result[1];
}

// ---- checks --------------------------------------------------------------------------------------
const results = [];
const evidence = {};
const keep = (name, v) => ((evidence[name] = v), v);
function check(name, ok, detail = '') {
  results.push(`${ok ? 'PASS' : 'FAIL'} ${name}${ok ? '' : ` — ${detail}`}`);
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${ok ? '' : ` — ${detail}`}`);
  return ok;
}
const eq = (name, got, want) => check(name, JSON.stringify(got) === JSON.stringify(want), `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
const isIperf = (f) => f.proto === 'tcp' && f.src === LAN && f.dst === WAN && f.dport === PORT;
async function waitFor(what, fn, tries = 60, ms = 1000) {
  for (let i = 0; i < tries; i++) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (guestRc !== null) throw new Error(`guest exited while waiting for ${what}`);
    await sleep(ms);
  }
  return null;
}
// the router's Ip ForwDatagrams: packets that took ip_forward (offloaded ones bypass it)
const fwd = async () => Number((await sh("ks_router cat /proc/net/snmp | awk '/^Ip: [A-Z]/ { for (i = 1; i <= NF; i++) if ($i == \"ForwDatagrams\") c = i } /^Ip: [0-9]/ { print $c }'")).out.trim());
/** the iperf3 data connection in a raw conntrack table: the lan -> wan flow with the most bytes
 * (or the one from `sport`); its original-direction counters and whether it is [OFFLOAD] */
function dataFlow(ct, sport) {
  let best = null;
  for (const l of ct.split('\n')) {
    const m = l.match(/src=192\.168\.1\.2 dst=10\.0\.2\.2 sport=(\d+) dport=5201 packets=(\d+) bytes=(\d+)/);
    if (!m || (sport !== undefined && Number(m[1]) !== sport)) continue;
    const f = { sport: Number(m[1]), packets: Number(m[2]), bytes: Number(m[3]), offloaded: /\[OFFLOAD\]/.test(l) };
    if (!best || f.bytes > best.bytes) best = f;
  }
  return best;
}
/** over ~3 s of a running transfer: packets of the data connection (its conntrack counter,
 * which the flowtable's `counter` keeps for offloaded packets) vs the router's ForwDatagrams */
async function forwardPath() {
  const flows = (ct) => new Map(ct.split('\n').map((l) => [dataFlow(l), l]).filter(([f]) => f).map(([f]) => [f.sport, f]));
  const a = flows(await rawCt());
  const fa = await fwd();
  await sleep(3000);
  const fb = await fwd();
  const b = flows(await rawCt());
  // the data connection: the flow whose packet counter grew most (older, closed flows linger)
  let best = null;
  for (const [sport, f] of b) {
    const g = a.get(sport);
    if (g && (!best || f.packets - g.packets > best.packets)) best = { sport, packets: f.packets - g.packets, offloaded: f.offloaded && g.offloaded };
  }
  return { sport: best?.sport ?? null, packets: best?.packets ?? 0, forwarded: fb - fa, offloaded: !!best?.offloaded };
}
const ruleset = async () => (await sh('ks_router nft -s list ruleset')).out;
const rawCt = async () => (await sh('ks_ct')).out;
const ftHandle = async () => ((await sh('ks_router nft -a list flowtables')).out.match(/flowtable ft \{ # handle (\d+)/) || [])[1] ?? null;
/** poll flows over /ubus until an iperf3 flow with more than minBytes is `software`-offloaded
 * (the data connection: the control connection is offloaded too, with a few hundred bytes) */
const waitOffloaded = (sid, tries = 60, minBytes = 1e5) =>
  waitFor('an offloaded iperf3 flow', async () => {
    const f = await offload(sid, 'flows', { limit: 500, mask: false });
    return f.flows.some((x) => isIperf(x) && x.offload === 'software' && x.bytes > minBytes) ? f : null;
  }, tries, 500);

async function ready() {
  log(`booting the guest (web 127.0.0.1:${webPort}, control 127.0.0.1:${ctlPort})`);
  const ok = await waitFor('the guest', async () => (await sh('test -f /tmp/kt-ready', 5000)).rc === 0, 600, 1000);
  if (!ok) throw new Error('the guest did not become ready');
}

async function finish() {
  await sh('touch /tmp/kt-finish', 10000).catch(() => {});
  const t = setTimeout(() => guest.kill('SIGTERM'), 60000);
  await guestDone;
  clearTimeout(t);
}

// ---- the scenario ----------------------------------------------------------------------------------
async function scenario() {
  const login = async (u, p) => (await ubus(NOSID, 'session', 'login', { username: u, password: p })).result?.[1]?.ubus_rpc_session;
  const sid = await login('root', 'root');
  if (!check('login root through /ubus', !!sid)) throw new Error('no session');
  const rsid = await login('reader', 'reader');
  check('login reader through /ubus', !!rsid);
  const page = await fetch(`http://127.0.0.1:${webPort}/offload.html`).then((r) => r.text());
  check('uhttpd serves the standalone panel page', page.includes('offload-root') && page.includes('/luci-static/resources/offload/app.js'));
  const js = await fetch(`http://127.0.0.1:${webPort}/luci-static/resources/offload/app.js`);
  check('uhttpd serves the package htdocs', js.status === 200);

  const s0 = keep('status_initial', await offload(sid, 'status'));
  eq('status: firewall fw4', s0.system.firewall, 'fw4');
  eq('status: initial state off', s0.effective.state, 'off');
  eq('status: nft_flow_offload loaded', s0.module.nft_flow_offload, true);
  eq('status: software offload available', s0.capabilities.software.available, true);
  eq('status: the zones\' devices from netifd (br-lan is the bridge netifd made)', s0.devices.map((d) => `${d.device}:${d.role}`).sort(), ['br-lan:lan', 'rwan:wan']);
  const denied = await ubus(rsid, 'luci.offload', 'set', { mode: 'software' });
  eq('reader: set denied by rpcd (-32002)', denied.error?.code, -32002);

  // set software
  const set1 = keep('set_software', await offload(sid, 'set', { mode: 'software' }));
  check('set software: no error, no warning', !set1.error && set1.warning === null, JSON.stringify(set1));
  const s1 = keep('status_software', await offload(sid, 'status'));
  eq('status: software', s1.effective.state, 'software');
  // fw4 lists the zones' l3 devices from netifd: the bridge itself, whose ingress hook sees what
  // it passes up to the router
  eq('status: flowtable on br-lan and rwan (from netifd via fw4)', s1.effective.flowtable?.devices.slice().sort(), ['br-lan', 'rwan']);
  eq('status: both devices in the flowtable', s1.devices.map((d) => `${d.device}:${d.role}:${d.in_flowtable}`).sort(), ['br-lan:lan:true', 'rwan:wan:true']);
  eq('status: flowtable not hw, rule present', [s1.effective.flowtable?.hw, s1.effective.rule], [false, true]);
  const rs1 = keep('nft_software', await ruleset());
  check('nft: flowtable ft loaded by real fw4', /flowtable ft \{/.test(rs1) && /flow add @ft/.test(rs1), rs1.slice(0, 400));

  // an offloaded transfer, then flush during it
  // (a long transfer, stopped once checked: on a loaded host a short one may end before the checks)
  await sh('ks_iperf_bg 90 sw');
  const fl = keep('flows_software', await waitOffloaded(sid));
  check('flows (via /ubus): an iperf3 flow is software-offloaded', !!fl, 'none within 30 s');
  if (fl) {
    const d = fl.flows.filter((x) => isIperf(x) && x.offload === 'software');
    check('flows: offloaded count > 0, the data flow has bytes', fl.offloaded > 0 && d.some((x) => x.bytes > 1e5), JSON.stringify(d[0]));
  }
  // the parser against the raw table of the same moment: the raw file before and after the two
  // calls must agree (entries, [OFFLOAD] lines), else take it again
  const counts = (t) => {
    const l = t.split('\n').filter((x) => x.trim() !== '');
    return [l.length, l.filter((x) => /\[OFFLOAD\]/.test(x)).length, l.filter((x) => /\[HW_OFFLOAD\]/.test(x)).length];
  };
  let ct1, fl1, st, n;
  for (let i = 0; i < 5; i++) {
    ct1 = await rawCt();
    fl1 = await offload(sid, 'flows', { limit: 500, mask: false });
    st = await offload(sid, 'stats');
    n = counts(ct1);
    if (JSON.stringify(n) === JSON.stringify(counts(await rawCt()))) break;
  }
  keep('nf_conntrack_software', ct1);
  keep('flows_software_same_moment', fl1);
  keep('stats_software', st);
  check('stats (via /ubus): conntrack.offloaded > 0', st.conntrack.offloaded > 0, JSON.stringify(st.conntrack));
  check('raw conntrack: the iperf3 flow is [OFFLOAD]', ct1.split('\n').some((l) => /src=192\.168\.1\.2 dst=10\.0\.2\.2 sport=\d+ dport=5201 .*\[OFFLOAD\]/.test(l)));
  eq('flows/stats == the raw table (entries, [OFFLOAD], [HW_OFFLOAD]; stats scanned, offloaded)',
    [fl1.total, fl1.offloaded, fl1.hw_offloaded, st.conntrack.scanned, st.conntrack.offloaded], [n[0], n[1], n[2], n[0], n[1]]);
  const h0 = await ftHandle();
  const d0 = dataFlow(await rawCt());
  const fr = keep('flush', await offload(sid, 'flush'));
  check('flush: reload done, offloaded flows seen before', !fr.error && typeof fr.reload_ms === 'number' && fr.offloaded_before >= 1, JSON.stringify(fr));
  const h1 = await ftHandle();
  check('flush: fw4 recreated flowtable ft (new handle)', h0 !== null && h1 !== null && h0 !== h1, `${h0} -> ${h1}`);
  // the same connection goes on, offloaded again, its counters growing
  const again = await waitFor('the data connection offloaded again', async () => {
    const d = dataFlow(await rawCt(), d0?.sport);
    return d && d.offloaded && d.bytes > d0.bytes ? d : null;
  }, 40, 500);
  check('flush: the same connection survives and is [OFFLOAD] again, bytes growing', !!(d0 && again), `${JSON.stringify(d0)} -> ${JSON.stringify(again)}`);
  const fa = await offload(sid, 'flows', { limit: 500, mask: false });
  check('flush: flows (via /ubus) report it software again', fa.flows.some((x) => isIperf(x) && x.sport === d0?.sport && x.offload === 'software'));
  await sh('ks_iperf_stop sw');
  keep('iperf_software', (await sh('cat /tmp/iperf-sw.json')).out);

  // set hardware: fw4's real probe fails on veth, falls back
  const set2 = keep('set_hardware', await offload(sid, 'set', { mode: 'hardware' }));
  eq('set hardware: fw4\'s fallback warning', set2.warning, FALLBACK);
  const s2 = keep('status_hardware', await offload(sid, 'status'));
  eq('status: hardware-fallback', s2.effective.state, 'hardware-fallback');
  eq('status: fallback flowtable is software', s2.effective.flowtable?.hw, false);
  eq('status: last_warning is fw4\'s', s2.last_warning?.text, FALLBACK);
  const rs2 = keep('nft_hardware', await ruleset());
  check('nft: no `flags offload`, no probe table left', /flowtable ft \{/.test(rs2) && !/flags offload/.test(rs2) && !/fw4-hw-offload-test/.test(rs2));
  await sh('ks_iperf_bg 90 hw');
  check('hardware-fallback: iperf3 flow offloaded in software', !!(await waitOffloaded(sid)));
  let fp = await forwardPath();
  keep('forward_path_hardware_fallback', fp);
  check(`offloaded packets bypass ip_forward (${fp.forwarded} of the data flow's ${fp.packets} via Ip ForwDatagrams)`, fp.offloaded && fp.forwarded < 100 && fp.packets > 1000, JSON.stringify(fp));
  check('hardware-fallback: no [HW_OFFLOAD] entries', !/HW_OFFLOAD/.test(await rawCt()));
  await sh('ks_iperf_stop hw');

  // a ruleset nft rejects: a broken user include (fw4 includes /etc/nftables.d/*.nft)
  const snap = async () => {
    const r = await sh('sha256sum /etc/config/firewall; stat -c %a /etc/config/firewall; cat /etc/config/firewall');
    return { file: r.out, rules: await ruleset() };
  };
  const before = await snap();
  await sh("printf 'chain kt_reject {\\n\\tthis is not nft;\\n}\\n' >/etc/nftables.d/99-kt-reject.nft");
  const direct = await sh('ks_router fw4 -q reload; echo "exit=$?"');
  keep('fw4_reload_rejected', direct.out);
  check('premise: real fw4 reload exits 0 while nft prints Error:', /Error:/.test(direct.out) && /exit=0/.test(direct.out), direct.out);
  const rej = keep('set_off_rejected', await offload(sid, 'set', { mode: 'off' }));
  check('set off with a ruleset nft rejects: apply_failed, restored', rej.code === 'apply_failed' && /restored/.test(rej.error ?? '') && /nft rejected/.test(rej.error ?? ''), JSON.stringify(rej));
  const after = await snap();
  eq('rejected: /etc/config/firewall byte for byte (and mode) as before', after.file, before.file);
  eq('rejected: the running ruleset as before (the fallback flowtable)', after.rules, before.rules);
  const s3 = keep('status_rejected', await offload(sid, 'status'));
  eq('rejected: status still hardware-fallback', [s3.configured.mode, s3.effective.state], ['hardware', 'hardware-fallback']);
  await sh('rm -f /etc/nftables.d/99-kt-reject.nft');

  // set off
  const set3 = keep('set_off', await offload(sid, 'set', { mode: 'off' }));
  check('set off: no error, no warning', !set3.error && set3.warning === null, JSON.stringify(set3));
  const s4 = keep('status_off', await offload(sid, 'status'));
  eq('status: off, no flowtable, no rule', [s4.effective.state, s4.effective.flowtable, s4.effective.rule], ['off', null, false]);
  const rs4 = keep('nft_off', await ruleset());
  check('nft: fw4 table loaded without flowtable', /table inet fw4/.test(rs4) && !/flowtable/.test(rs4) && !/flow add/.test(rs4));
  await sh('ks_iperf_bg 90 off');
  await sleep(2000);
  const f4 = keep('flows_off', await offload(sid, 'flows', { limit: 500, mask: false }));
  const it = f4.flows.filter(isIperf);
  check('off: new iperf3 flows not offloaded (offloading is off)', it.length > 0 && it.every((x) => x.offload === 'none'), JSON.stringify(it.slice(0, 2)));
  check('off: no [OFFLOAD] in the raw table', !/OFFLOAD/.test(await rawCt()));
  fp = await forwardPath();
  keep('forward_path_off', fp);
  check(`off: the packets take ip_forward (${fp.forwarded} for the data flow's ${fp.packets})`, !fp.offloaded && fp.forwarded > fp.packets / 2 && fp.packets > 1000, JSON.stringify(fp));
  await sh('ks_iperf_stop off');

  // real LuCI in the guest, in Chromium: its own offload selector, the app page inside it
  if (!check('the platform stage has real LuCI (scripts/platform/luci.sh)', LUCI, `${STAGE}/usr/share/platform/luci/www missing, or --no-luci`)) return;
  const t = Date.now();
  await luciInGuest({
    base: `http://127.0.0.1:${webPort}`,
    repo: REPO,
    check,
    sh,
    iperfStart: (tag) => sh(`ks_iperf_bg 120 ${tag} -b 20M`), // a fixed rate: unlimited, TCP starves the emulated CPUs LuCI runs on
    iperfStop: (tag) => sh(`ks_iperf_stop ${tag}`),
    log,
  });
  log(`LuCI checks took ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function demo() {
  const base = `http://127.0.0.1:${webPort}`;
  const url = LUCI ? `${base}/cgi-bin/luci/admin/network/offload` : `${base}/offload.html`;
  log(`READY after ${el()} s`);
  process.stdout.write(
    `\nmake demo-kernel: the panel on real uhttpd + rpcd + fw4 + netifd${LUCI ? ' + LuCI' : ''} over Debian's 6.1 kernel (QEMU, ${process.env.KT_ACCEL || 'TCG unless stock KVM'})\n` +
      `  open   ${url}${LUCI ? `\n         (in LuCI: Network → Flow Offloading; the standalone page: ${base}/offload.html)` : ''}\n` +
      `  login  root / root${LUCI ? '' : '   (read-only: reader / reader)'}\n` +
      `  iperf3 lan -> wan runs in a loop inside the guest at ${Number(opt('--mbps', 40))} Mbit/s; switch the mode and watch the flows go [OFFLOAD] and the softirq share drop.\n` +
      `  Figures come from an emulated CPU: only ratios (off vs software) mean anything.\n  Ctrl-C stops the guest.\n\n`,
  );
  writeFileSync(join(REPO, 'build/kernel/demo-ready.txt'), `ready_s=${el()}\nurl=${url}\n`);
  await new Promise((ok) => {
    process.once('SIGINT', ok);
    process.once('SIGTERM', ok);
    guestDone.then(ok);
  });
}

let failed = false;
try {
  await ready();
  log(`guest ready after ${el()} s`);
  if (DEMO) await demo();
  else await scenario();
} catch (e) {
  failed = true;
  check('scenario ran to the end', false, e?.stack ?? String(e));
}
await finish();
if (!DEMO) {
  mkdirSync(join(OUT, 'host'), { recursive: true });
  writeFileSync(join(OUT, 'host/checks.txt'), results.join('\n') + '\n');
  for (const [k, v] of Object.entries(evidence)) writeFileSync(join(OUT, 'host', `${k}.${typeof v === 'string' ? 'txt' : 'json'}`), typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  const nfail = results.filter((r) => r.startsWith('FAIL')).length;
  const npass = results.length - nfail;
  if (guestRc !== 0) log(`the guest reported failure (run-guest exit ${guestRc}; ${OUT}/checks.txt, console.log)`);
  log(`${npass} host checks passed, ${nfail} failed, ${el()} s in all; results in ${OUT}`);
  process.exit(failed || nfail || guestRc !== 0 ? 1 : 0);
}
process.exit(guestRc === 0 || guestRc === null ? 0 : guestRc);
