/**
 * Stand-in for firewall4's `fw4` in the simulated router and the kernel
 * guest, following root/sbin/fw4 and main.uc:
 * - `start` refuses when /var/run/fw4.state exists ("The fw4 firewall appears
 *   to be already loaded."), `reload` when it does not ("The fw4 firewall does
 *   not appear to be loaded.") — fw4's only exit 1 on start/reload; reload
 *   removes the state file, load() writes it again before nft runs;
 * - the ruleset goes to `nft -f /dev/stdin`; nft's `Error:` lines pass through
 *   to stderr, but the exit status is the includes step's (0): **`fw4 reload`
 *   exits 0 when nft rejects the ruleset**, the previous ruleset staying loaded;
 * - `restart` checks first (`nft -c`, "The rendered ruleset contains errors,
 *   not doing firewall restart."), `check` exits with nft's status;
 * - a firewall config uci cannot load gives a ruleset without zones or offload
 *   (cursor.load fails silently), still exit 0;
 * - networks come from netifd (`ubus call network.interface dump`, devtypes
 *   from `network.device status`); when ubus answers with an error there are
 *   none. Where no `ubus` command exists at all (the kernel guest, which has no
 *   ubusd), the stand-in plays netifd itself from /etc/config/network.
 * The hardware probe is fw4.uc's nft_try_hw_offload (`nft -c`), the warning
 * its `[!] …` line unless -q. Fault: /sim/faults/fw4-hang.
 */
import * as std from 'std';
import * as os from 'os';
import { readText, exists, listDir, writeFileAtomic, removeFile } from './lib/fs';
import { run } from './lib/exec';
import { sectionsOf } from './uci-parse';
import { flowtables } from './nft-text';
import { renderRuleset, type Rendered } from './fw4-render';
import { netifdState, type NetifdInterface } from '../scenario/netifd';

const STATE = '/var/run/fw4.state';
const argv = scriptArgs.slice(1);
let quiet = !!std.getenv('QUIET');
while (argv[0] === '-q' || argv[0] === '-v') if (argv.shift() === '-q') quiet = true;
const action = argv[0] ?? '';

function warn(msg: string): void {
  if (quiet) return;
  std.err.puts(std.getenv('TTY') ? `\u001b[33m${msg}\u001b[m\n` : `[!] ${msg}\n`);
}

function die(msg: string): never {
  if (!quiet) std.err.puts(msg + '\n');
  std.err.flush();
  std.exit(1);
}

function lower(dev: string): string[] {
  return listDir(`/sys/class/net/${dev}`).filter((n) => n.startsWith('lower_')).map((n) => n.slice(6));
}

function probeHw(devices: string[]): boolean {
  const probe =
    '\n\t\tadd table inet fw4-hw-offload-test;\n\t\tadd flowtable inet fw4-hw-offload-test ft {\n\t\t\thook ingress priority 0;\n' +
    `\t\t\tdevices = { "${devices.join('", "')}" };\n\t\t\tflags offload;\n\t\t}\n\t`;
  return run(['nft', '-c', '-f', '/dev/stdin'], { input: probe }).code === 0;
}

/** netifd's answers over ubus: interfaces and device types, or null when netifd does not answer. */
function netifd(): { interfaces: NetifdInterface[] | null; devtype: (d: string) => string | undefined } {
  const dump = run(['ubus', 'call', 'network.interface', 'dump']);
  if (dump.missing) {
    const s = netifdState(readText('/etc/config/network'), (d) => exists(`/sys/class/net/${d}`));
    return { interfaces: s.dump.interface, devtype: (d) => s.devices[d]?.devtype };
  }
  let interfaces: NetifdInterface[] | null = null;
  let types: Record<string, { devtype?: string }> = {};
  try {
    if (dump.code === 0) interfaces = (JSON.parse(dump.stdout) as { interface?: NetifdInterface[] }).interface ?? null;
    const st = run(['ubus', 'call', 'network.device', 'status']);
    if (st.code === 0) types = JSON.parse(st.stdout) as typeof types;
  } catch {
    interfaces = null;
  }
  return { interfaces: Array.isArray(interfaces) ? interfaces : null, devtype: (d) => types[d]?.devtype };
}

function render(useStatefile: boolean): Rendered {
  const cur = run(['nft', '--terse', '--json', 'list', 'flowtables', 'inet']);
  let ftExists = false;
  try {
    const items = (JSON.parse(cur.stdout) as { nftables?: { flowtable?: { table?: string; name?: string } }[] }).nftables ?? [];
    ftExists = items.some((x) => x.flowtable?.table === 'fw4' && x.flowtable?.name === 'ft');
  } catch {
    ftExists = cur.code === 0 && flowtables(cur.stdout).some((f) => f.table === 'fw4' && f.name === 'ft');
  }
  const n = netifd();
  const r = renderRuleset({
    firewall: sectionsOf(readText('/etc/config/firewall')),
    interfaces: n.interfaces,
    devtype: n.devtype,
    exists: (d) => exists(`/sys/class/net/${d}`),
    lower,
    probeHw,
    flowtableExists: ftExists,
  });
  if (useStatefile) writeFileAtomic(STATE, JSON.stringify({ zones: [], networks: n.interfaces ?? [], flowtable: { devices: r.devices, hw: r.hw } }) + '\n');
  return r;
}

function passThrough(r: { stdout: string; stderr: string }): void {
  std.out.puts(r.stdout);
  std.err.puts(r.stderr);
}

/** start(): state checks, render, `nft -f /dev/stdin`, includes; the status is the includes step's. */
function start(which: string): number {
  if (which === 'start' && exists(STATE)) die('The fw4 firewall appears to be already loaded.');
  if (which === 'reload') {
    if (!exists(STATE)) die('The fw4 firewall does not appear to be loaded.');
    removeFile(STATE);
  }
  const r = render(true);
  const extra = readText('/sim/fw4-extra-warning');
  if (extra) warn(extra.trim());
  for (const w of r.warnings) warn(w);
  if (exists('/sim/faults/fw4-hang')) os.sleep(120000);
  passThrough(run(['nft', '-f', '/dev/stdin'], { input: r.text }));
  return 0;
}

function stop(): number {
  passThrough(run(['nft', 'delete', 'table', 'inet', 'fw4']));
  removeFile(STATE);
  return 0;
}

let code = 0;
switch (action) {
  case 'start':
  case 'reload':
    code = start(action);
    break;
  case 'stop':
    code = stop();
    break;
  case 'flush': {
    const t = run(['nft', 'list', 'tables']);
    for (const line of t.stdout.split('\n')) {
      const [, family, table] = line.trim().split(/\s+/);
      if (family && table) passThrough(run(['nft', 'delete', 'table', family, table]));
    }
    removeFile(STATE);
    break;
  }
  case 'restart': {
    const saved = quiet;
    quiet = true;
    const r = render(false);
    quiet = saved;
    const c = run(['nft', '-c', '-f', '/dev/stdin'], { input: r.text });
    passThrough(c);
    if (c.code !== 0) die('The rendered ruleset contains errors, not doing firewall restart.');
    stop();
    code = start('');
    break;
  }
  case 'check': {
    const r = render(false);
    for (const w of r.warnings) warn(w);
    const c = run(['nft', '-c', '-f', '/dev/stdin'], { input: r.text });
    if (!quiet) passThrough(c);
    code = c.code ?? 1;
    if (code === 0 && !quiet) std.out.puts('Ruleset passes nftables check.\n');
    break;
  }
  case 'print': {
    const r = render(false);
    for (const w of r.warnings) warn(w);
    std.out.puts(r.text);
    break;
  }
  default:
    std.out.puts(`Usage:\n\n  ${'/sbin/fw4'} [-v] [-q] start|stop|flush|restart|reload\n\n    Start, stop, flush, restart or reload the firewall respectively.\n\n`);
}
std.out.flush();
std.err.flush();
std.exit(code);
