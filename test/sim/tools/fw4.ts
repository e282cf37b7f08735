/**
 * Stand-in for firewall4's `fw4` in the simulated router and the kernel
 * guest. `fw4 [-q] start|reload|restart|print|check` renders the fw4-shaped
 * ruleset from /etc/config/firewall and /etc/config/network, probes hardware
 * offload with `nft -c` exactly like fw4.uc's nft_try_hw_offload, prints fw4's
 * warning on stderr unless -q, and loads the ruleset with `nft -f` (the real
 * nft in the kernel guest, the nft stand-in in the simulator).
 * Faults: /sim/faults/fw4-fail (nft rejects the ruleset), /sim/faults/fw4-hang.
 */
import * as std from 'std';
import * as os from 'os';
import { readText, exists, listDir, writeFileAtomic, removeFile } from '../../../rpcd/src/sys/fs';
import { run } from '../../../rpcd/src/sys/exec';
import { parseUciFile } from '../../../rpcd/src/parse/uci';
import { parseFlowtablesText } from '../../../rpcd/src/parse/nft';
import { renderRuleset } from './fw4-render';

const args = scriptArgs.slice(1);
const quiet = args.includes('-q') || !!std.getenv('QUIET');
const action = args.filter((a) => !a.startsWith('-'))[0] ?? 'start';

function warn(msg: string): void {
  if (quiet) return;
  std.err.puts(std.getenv('TTY') ? `\u001b[33m${msg}\u001b[m\n` : `[!] ${msg}\n`);
}

function lower(dev: string): string[] {
  return listDir(`/sys/class/net/${dev}`).filter((n) => n.startsWith('lower_')).map((n) => n.slice(6));
}

function probeHw(devices: string[]): boolean {
  const probe =
    'add table inet fw4-hw-offload-test;\nadd flowtable inet fw4-hw-offload-test ft {\n\thook ingress priority 0;\n' +
    `\tdevices = { ${devices.map((d) => `"${d}"`).join(', ')} };\n\tflags offload;\n}\n`;
  const tmp = `/tmp/fw4-probe-${os.getpid()}.nft`;
  writeFileAtomic(tmp, probe);
  const r = run(['nft', '-c', '-f', rootedArg(tmp)]);
  removeFile(tmp);
  return r.code === 0;
}

/** nft takes a real path: the root prefix applies. */
function rootedArg(p: string): string {
  return (std.getenv('OFFLOAD_ROOT') ?? '').replace(/\/+$/, '') + p;
}

function render(): ReturnType<typeof renderRuleset> {
  const cur = run(['nft', 'list', 'flowtables', 'inet']);
  const ftExists = cur.code === 0 && parseFlowtablesText(cur.stdout).some((f) => f.table === 'fw4' && f.name === 'ft');
  return renderRuleset({
    firewall: parseUciFile(readText('/etc/config/firewall') ?? ''),
    network: parseUciFile(readText('/etc/config/network') ?? ''),
    exists: (d) => exists(`/sys/class/net/${d}`),
    lower,
    probeHw,
    flowtableExists: ftExists,
  });
}

function load(text: string, check: boolean): number {
  if (exists('/sim/faults/fw4-hang')) os.sleep(120000);
  const tmp = `/tmp/fw4-ruleset-${os.getpid()}.nft`;
  writeFileAtomic(tmp, text);
  const argv = check ? ['nft', '-c', '-f', rootedArg(tmp)] : ['nft', '-f', rootedArg(tmp)];
  const r = exists('/sim/faults/fw4-fail')
    ? { code: 1, stdout: '', stderr: `${rootedArg(tmp)}:12:3-20: Error: Could not process rule: Invalid argument\n` }
    : run(argv, { timeoutMs: 60000 });
  removeFile(tmp);
  std.out.puts(r.stdout);
  std.err.puts(r.stderr);
  return r.code ?? 1;
}

let code = 0;
switch (action) {
  case 'print': {
    const r = render();
    for (const w of r.warnings) warn(w);
    std.out.puts(r.text);
    break;
  }
  case 'check': {
    const r = render();
    for (const w of r.warnings) warn(w);
    code = load(r.text, true);
    if (code === 0) std.out.puts('Ruleset passes nftables check.\n');
    break;
  }
  case 'start':
  case 'reload':
  case 'restart': {
    if (action === 'reload' && !exists('/var/run/fw4.state')) {
      std.err.puts('The fw4 firewall does not appear to be loaded.\n');
      code = 1;
      break;
    }
    const r = render();
    const extra = readText('/sim/fw4-extra-warning');
    if (extra) warn(extra.trim());
    for (const w of r.warnings) warn(w);
    code = load(r.text, false);
    if (code === 0) writeFileAtomic('/var/run/fw4.state', JSON.stringify({ devices: r.devices, hw: r.hw }));
    break;
  }
  case 'flush':
  case 'stop':
    code = run(['nft', 'delete', 'table', 'inet', 'fw4']).code ?? 1;
    removeFile('/var/run/fw4.state');
    break;
  default:
    std.err.puts(`Usage: fw4 [-q] {start|stop|flush|restart|reload|check|print}\n`);
    code = 1;
}
std.out.flush();
std.err.flush();
std.exit(code);
