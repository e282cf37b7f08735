/**
 * Lay out a scenario root: the files and stand-in commands the handler reads
 * and runs on a router, under one directory (the handler's OFFLOAD_ROOT).
 */
import { chmodSync, mkdirSync, writeFileSync, rmSync, readFileSync, existsSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SCENARIOS, firewallConfig, type ScenarioSpec } from './scenarios';
import { netifdState } from './netifd';

export interface ToolPaths {
  qjs: string;
  /** Directory with the bundled stand-ins (uci.js, fw4.js, nft.js, conntrack.js, ethtool.js). */
  toolsDir: string;
}

/** `ethtool -k` text in the real tool's layout (shape of fixtures/kernel/ethtool_k_rlan.txt). */
export function ethtoolFeatures(dev: string, hwTc: string): string {
  return [
    `Features for ${dev}:`, 'rx-checksumming: on', 'tx-checksumming: on', '\ttx-checksum-ipv4: on', '\ttx-checksum-ip-generic: off [fixed]',
    'scatter-gather: on', '\ttx-scatter-gather: on', 'tcp-segmentation-offload: on', 'generic-segmentation-offload: on',
    'generic-receive-offload: on', 'large-receive-offload: off [fixed]', 'rx-vlan-offload: off [fixed]', 'tx-vlan-offload: off [fixed]',
    'ntuple-filters: off [fixed]', 'receive-hashing: off [fixed]', `hw-tc-offload: ${hwTc}`, 'esp-hw-offload: off [fixed]', '',
  ].join('\n');
}

/**
 * /proc/modules of the netfilter modules fw4 loads, in the kernel's layout (kernel/module/procfs.c
 * m_show: users end in ',', '-' when none; the address reads 0 without CAP_SYSLOG). Names, sizes and
 * users are those of the kernel tier's real capture (`lsmod`, Debian 6.1, shared fixtures
 * kernel/lsmod.txt); without flowtables the flow-table modules and their uses are left out.
 */
export function procModules(flowtables: boolean): string {
  const lsmod: [string, number, number, string[]][] = [
    ['nft_fib_inet', 16384, 0, []], ['nft_fib_ipv4', 16384, 1, ['nft_fib_inet']], ['nft_fib_ipv6', 16384, 1, ['nft_fib_inet']],
    ['nft_fib', 16384, 3, ['nft_fib_inet', 'nft_fib_ipv4', 'nft_fib_ipv6']], ['nft_limit', 16384, 2, []], ['nft_reject_inet', 16384, 2, []],
    ['nf_reject_ipv4', 16384, 1, ['nft_reject_inet']], ['nf_reject_ipv6', 20480, 1, ['nft_reject_inet']], ['nft_reject', 16384, 1, ['nft_reject_inet']],
    ['nft_flow_offload', 16384, 1, []], ['nf_flow_table_inet', 16384, 1, []], ['nf_flow_table', 45056, 2, ['nft_flow_offload', 'nf_flow_table_inet']],
    ['nft_nat', 16384, 0, []], ['nft_masq', 16384, 1, []], ['nft_chain_nat', 16384, 2, []], ['nf_nat', 57344, 3, ['nft_nat', 'nft_masq', 'nft_chain_nat']],
    ['nft_ct', 24576, 4, []],
    ['nf_tables', 307200, 159, ['nft_fib_inet', 'nft_fib_ipv4', 'nft_fib_ipv6', 'nft_fib', 'nft_limit', 'nft_reject_inet', 'nft_reject', 'nft_flow_offload', 'nf_flow_table_inet', 'nft_nat', 'nft_masq', 'nft_chain_nat', 'nft_ct']],
    ['nf_conntrack_netlink', 57344, 0, []], ['nfnetlink', 20480, 2, ['nf_tables', 'nf_conntrack_netlink']],
    ['nf_conntrack', 188416, 7, ['nft_flow_offload', 'nf_flow_table', 'nft_nat', 'nft_masq', 'nf_nat', 'nft_ct', 'nf_conntrack_netlink']],
    ['nf_defrag_ipv6', 24576, 1, ['nf_conntrack']], ['nf_defrag_ipv4', 16384, 1, ['nf_conntrack']], ['libcrc32c', 16384, 3, ['nf_nat', 'nf_tables', 'nf_conntrack']],
  ];
  const flow = (n: string): boolean => n === 'nft_flow_offload' || n.startsWith('nf_flow_table');
  return lsmod
    .filter(([n]) => flowtables || !flow(n))
    .map(([n, size, ref, users]) => {
      const u = flowtables ? users : users.filter((x) => !flow(x));
      return `${n} ${size} ${ref - (users.length - u.length)} ${u.length ? u.map((x) => `${x},`).join('') : '-'} Live 0x00000000\n`;
    })
    .join('');
}

function put(root: string, rel: string, text: string, mode = 0o644): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  chmodSync(p, mode);
}

function wrapper(tools: ToolPaths, tool: string): string {
  // argv[0] as invoked: uci prefixes its messages with it (cli.c appname).
  return `#!/bin/sh\nSIM_ARGV0="$0" exec '${tools.qjs}' '${join(tools.toolsDir, tool + '.js')}' "$@"\n`;
}

/**
 * The ubus CLI for netifd's two objects fw4 asks: it prints what netifd
 * answered at its last (re)load, kept in /sim/netifd/ (see netifdReload). Other
 * objects are not simulated here. With the netifd-down fault the objects are
 * gone, as when netifd is not running.
 */
function ubusWrapper(root: string): string {
  const r = root.replace(/'/g, `'\\''`);
  return `#!/bin/sh
# ubus CLI stand-in: only network.interface dump and network.device status (netifd)
R='${r}'
case "$1 $2 $3" in
"call network.interface dump") f=interface-dump.json ;;
"call network.device status") f=device-status.json ;;
*) echo "Command failed: Not found" >&2; exit 4 ;;
esac
if [ -e "$R/sim/faults/netifd-down" ] || [ ! -f "$R/sim/netifd/$f" ]; then echo "Command failed: Not found" >&2; exit 4; fi
cat "$R/sim/netifd/$f"
`;
}

/** netifd (re)reads /etc/config/network: what `ubus call network.interface dump` answers from now on. */
export function netifdReload(root: string): void {
  let text: string | null = null;
  try {
    text = readFileSync(join(root, 'etc/config/network'), 'utf8');
  } catch {
    text = null;
  }
  const s = netifdState(text, (d) => existsSync(join(root, 'sys/class/net', d)));
  put(root, 'sim/netifd/interface-dump.json', JSON.stringify(s.dump, null, '\t') + '\n');
  put(root, 'sim/netifd/device-status.json', JSON.stringify(s.devices, null, '\t') + '\n');
}

export function resolveScenario(name: string): ScenarioSpec {
  const spec = SCENARIOS[name];
  if (!spec) throw new Error(`unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return spec;
}

/** Create (or recreate) a scenario root at `root`. */
export function buildScenarioRoot(spec: ScenarioSpec, root: string, tools: ToolPaths): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  put(root, 'etc/config/firewall', firewallConfig(spec));
  put(root, 'etc/config/network', spec.network);
  for (const [name, text] of Object.entries(spec.extraConfigs ?? {})) put(root, `etc/config/${name}`, text);
  for (const [path, text] of Object.entries(spec.extraFiles ?? {})) put(root, path, text);
  put(
    root,
    'etc/openwrt_release',
    `DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='${spec.release.split(' ')[1] ?? ''}'\nDISTRIB_REVISION='${spec.release.split(' ')[2] ?? ''}'\n` +
      `DISTRIB_TARGET='${spec.target}'\nDISTRIB_ARCH='${spec.arch}'\nDISTRIB_DESCRIPTION='${spec.release}'\nDISTRIB_TAINTS=''\n`,
  );
  put(root, 'tmp/sysinfo/board_name', spec.board + '\n');
  put(root, 'tmp/sysinfo/model', spec.model + '\n');
  put(root, 'proc/sys/kernel/osrelease', spec.kernel + '\n');
  put(root, 'proc/version', `Linux version ${spec.kernel} (builder@buildhost) (mipsel-openwrt-linux-musl-gcc (OpenWrt GCC 14.3.0) 14.3.0) #0 SMP Sat Nov 1 00:00:00 2026\n`);
  put(root, 'proc/sys/net/netfilter/nf_conntrack_max', '16384\n');
  put(root, 'proc/net/route', 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
    `${spec.devices.find((d) => d.name === 'pppoe-wan') ? 'pppoe-wan' : spec.devices.find((d) => d.name === 'wan') ? 'wan' : 'eth1'}\t00000000\t01007ACB\t0003\t0\t0\t0\t00000000\t0\t0\t0\n`);
  for (const d of spec.devices) {
    mkdirSync(join(root, 'sys/class/net', d.name), { recursive: true });
    for (const l of d.lower ?? []) mkdirSync(join(root, 'sys/class/net', d.name, `lower_${l}`), { recursive: true });
    if (d.hwTc) put(root, `sim/ethtool/${d.name}.k`, ethtoolFeatures(d.name, d.hwTc));
  }
  if (spec.dsa) {
    const c = join(root, 'sys/class/net', spec.dsa.conduit);
    put(root, `sys/class/net/${spec.dsa.conduit}/dsa/tagging`, spec.dsa.tagging + '\n');
    for (const p of spec.dsa.ports) if (spec.devices.some((d) => d.name === p)) mkdirSync(join(c, `upper_${p}`), { recursive: true });
  }
  put(root, 'proc/modules', procModules(spec.firewall === 'fw4' && spec.flowtables !== false));
  put(root, 'sim/hw-offload-devices', spec.hwOffloadDevices.join('\n') + '\n');
  if (spec.nftUnquoted) put(root, 'sim/nft-unquoted', '');
  if (spec.flowtables === false) put(root, 'sim/no-flowtables', '');
  if (spec.fw4Warning) put(root, 'sim/fw4-extra-warning', spec.fw4Warning + '\n');
  mkdirSync(join(root, 'sim/faults'), { recursive: true });
  mkdirSync(join(root, 'var/run'), { recursive: true });
  mkdirSync(join(root, 'tmp/.uci'), { recursive: true });

  put(root, 'sbin/uci', wrapper(tools, 'uci'), 0o755);
  // A router's grep is busybox's (the handler counts large conntrack tables with it); GNU grep where busybox is absent.
  const grep = existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/grep';
  mkdirSync(join(root, 'bin'), { recursive: true });
  symlinkSync(grep, join(root, 'bin/grep'));
  put(root, 'bin/ubus', ubusWrapper(root), 0o755);
  netifdReload(root);
  if (spec.firewall === 'fw4') {
    if (spec.flowtables !== false) {
      put(root, 'sys/module/nft_flow_offload/refcnt', '1\n');
      put(root, `lib/modules/${spec.kernel}/nft_flow_offload.ko`, '');
    }
    put(root, 'sbin/fw4', wrapper(tools, 'fw4'), 0o755);
    put(root, 'etc/init.d/firewall', `#!/bin/sh\n# procd init script stand-in: reload_service() { fw4 reload; }\ncase "$1" in reload) exec "$(dirname "$0")/../../sbin/fw4" reload;; restart) exec "$(dirname "$0")/../../sbin/fw4" restart;; start) exec "$(dirname "$0")/../../sbin/fw4" start;; esac\n`, 0o755);
  } else {
    put(root, 'sbin/fw3', '#!/bin/sh\necho "fw3 stand-in: iptables firewall" >&2\nexit 0\n', 0o755);
  }
  if (spec.nft) put(root, 'usr/sbin/nft', wrapper(tools, 'nft'), 0o755);
  if (spec.conntrackCli) put(root, 'usr/sbin/conntrack', wrapper(tools, 'conntrack'), 0o755);
  if (spec.ethtool) put(root, 'usr/sbin/ethtool', wrapper(tools, 'ethtool'), 0o755);

  if (spec.firewall === 'fw4' && spec.nft) {
    const r = spawnSync(join(root, 'sbin/fw4'), ['-q', 'start'], { env: { ...process.env, OFFLOAD_ROOT: root }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scenario ${spec.name}: fw4 start failed: ${r.stderr}`);
  }
}

/**
 * Fault switches the stand-ins honour (see test/sim/tools):
 * - uci-commit: `uci commit` fails like a read-only overlay;
 * - fw4-fail: nft rejects the ruleset fw4 loads (fw4 still exits 0);
 * - fw4-hang: fw4 hangs before loading;
 * - netifd-down: netifd answers no ubus calls (fw4 then has no networks and no flowtable);
 * - firewall-unparsable: /etc/config/firewall gets a line libuci refuses
 *   ("invalid command"); switching it off puts the file back as it was.
 */
export type Fault = 'uci-commit' | 'fw4-fail' | 'fw4-hang' | 'netifd-down' | 'firewall-unparsable';

/** The line the firewall-unparsable fault appends: `uci: Parse error (invalid command) at line N, byte 0`. */
export const UNPARSABLE_LINE = 'this is not uci syntax\n';

export function setFault(root: string, fault: Fault, on: boolean): void {
  const p = join(root, 'sim/faults', fault);
  if (fault === 'firewall-unparsable') {
    const cfg = join(root, 'etc/config/firewall');
    if (on && !existsSync(p)) {
      const text = readFileSync(cfg, 'utf8');
      writeFileSync(p, text);
      writeFileSync(cfg, text + UNPARSABLE_LINE);
    } else if (!on && existsSync(p)) {
      writeFileSync(cfg, readFileSync(p));
      rmSync(p, { force: true });
    }
    return;
  }
  if (on) writeFileSync(p, '');
  else rmSync(p, { force: true });
}

export function readConfig(root: string, name = 'firewall'): string {
  return readFileSync(join(root, 'etc/config', name), 'utf8');
}

export { existsSync };
