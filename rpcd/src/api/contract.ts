/**
 * The typed API contract of the `luci.offload` ubus object.
 *
 * One module, shared by the rpcd handler (which implements every method and
 * generates its `list` answer from {@link METHODS}) and by the panel (which
 * imports the argument and result types). A contract test checks that the
 * handler's `list` output, the package's ACL file and this module name the
 * same methods.
 *
 * Pure: no I/O, no QuickJS or browser globals.
 */

/** ubus object name; equals the handler's file name in /usr/libexec/rpcd. */
export const OBJECT = 'luci.offload';

/** The three offload modes LuCI's firewall page offers (zones.js). */
export type Mode = 'off' | 'software' | 'hardware';
export const MODES: readonly Mode[] = ['off', 'software', 'hardware'];

/**
 * The effective state read from the running ruleset.
 * - `off`: no flowtable and no offload rule.
 * - `software` / `hardware`: flowtable `ft` in `inet fw4` with the forward rule; `hardware` has `flags offload`.
 * - `hardware-fallback`: hardware configured, but the running flowtable lacks `flags offload` (fw4 fell back).
 * - `misconfigured`: offload enabled but no flowtable (no devices), a rule without a flowtable, or a
 *   flowtable without the rule, or offload running while the config says off.
 * - `unsupported`: not an fw4/nftables system (fw3/iptables) or no nft binary.
 * - `unknown`: the running ruleset could not be read.
 */
export type EffectiveState =
  | 'off'
  | 'software'
  | 'hardware'
  | 'hardware-fallback'
  | 'misconfigured'
  | 'unsupported'
  | 'unknown';

/** Argument schema of one method: the handler validates against it; `list` prints its type hints. */
export type ArgSpec =
  | { type: 'string'; required: boolean; enum?: readonly string[]; maxLength: number }
  | { type: 'boolean'; required: boolean }
  | { type: 'integer'; required: boolean; min: number; max: number };

export interface MethodSpec {
  /** ACL group part: `read` methods go in the read group, `write` methods in the write group. */
  access: 'read' | 'write';
  args: Readonly<Record<string, ArgSpec>>;
  /** One line for docs and the diagnostics report. */
  summary: string;
}

/** Upper bound for `flows.limit`. */
export const FLOWS_LIMIT_MAX = 500;

/** Every method of `luci.offload`, its access class and its arguments. */
export const METHODS = {
  status: {
    access: 'read',
    args: {},
    summary: 'configured and effective offload state, devices, module, conflicts, system facts',
  },
  stats: {
    access: 'read',
    args: { flows: { type: 'boolean', required: false } },
    summary: 'cumulative CPU jiffies, device counters and conntrack/offload counts with a monotonic timestamp',
  },
  flows: {
    access: 'read',
    args: {
      limit: { type: 'integer', required: false, min: 1, max: FLOWS_LIMIT_MAX },
      mask: { type: 'boolean', required: false },
    },
    summary: 'top flows by bytes with their offload state and why a flow is not offloaded',
  },
  diagnostics: {
    access: 'read',
    args: { mask: { type: 'boolean', required: false } },
    summary: 'a Markdown report for forum helpers',
  },
  set: {
    access: 'write',
    args: { mode: { type: 'string', required: true, enum: ['off', 'software', 'hardware'], maxLength: 16 } },
    summary: 'write the offload mode to uci, commit, reload the firewall and return the verified state',
  },
  flush: {
    access: 'write',
    args: {},
    summary: 'recreate the flowtable so offloaded flows return to the normal path and meet current rules',
  },
} as const satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof METHODS;
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/* ------------------------------------------------------------------ */
/* Arguments                                                           */
/* ------------------------------------------------------------------ */

export interface StatusArgs {}
export interface StatsArgs {
  /** Count offloaded flows by scanning the conntrack table (default true). */
  flows?: boolean;
}
export interface FlowsArgs {
  /** How many flows, largest first (default 50). */
  limit?: number;
  /** Mask public addresses (default true). */
  mask?: boolean;
}
export interface DiagnosticsArgs {
  /** Mask public addresses and MAC addresses (default true). */
  mask?: boolean;
}
export interface SetArgs {
  mode: Mode;
}
export interface FlushArgs {}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

/** Every error answer of the handler: one object, one clear sentence. */
export interface ErrorResult {
  error: string;
  /** Stable machine-readable code. */
  code: ErrorCode;
}
export type ErrorCode =
  | 'unknown_method'
  | 'invalid_request'
  | 'invalid_argument'
  | 'unsupported'
  | 'busy'
  | 'apply_failed'
  | 'internal';

/** CPU jiffies (USER_HZ ticks) from /proc/stat, in the kernel's column order. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export type DeviceRole = 'wan' | 'lan';

export interface DeviceCounters {
  device: string;
  role: DeviceRole;
  rx_bytes: number;
  tx_bytes: number;
  rx_packets: number;
  tx_packets: number;
}

export interface ConntrackCounts {
  /** nf_conntrack_count, or null when unreadable. */
  count: number | null;
  max: number | null;
  /** Flows marked [OFFLOAD] (software) — null when the table was not scanned or is unreadable. */
  offloaded: number | null;
  /** Flows marked [HW_OFFLOAD]. */
  hw_offloaded: number | null;
  /**
   * Entries seen while scanning; for a table counted by grep (from 2048 entries, sys/conntrack.ts)
   * the kernel's nf_conntrack_count of the moment.
   */
  scanned: number | null;
  source: 'proc' | 'conntrack-cli' | 'none' | 'skipped';
  /** Why the table could not be read, when it could not. */
  error: string | null;
}

export interface StatsResult {
  /** Monotonic time of the sample in milliseconds (from /proc/uptime). */
  uptime_ms: number;
  /** Jiffies per second of /proc/stat (USER_HZ, 100 on Linux). */
  hz: number;
  cpu: { total: CpuTimes; cores: CpuTimes[] };
  devices: DeviceCounters[];
  conntrack: ConntrackCounts;
  /** Which counters the throughput figures come from, and what they cannot see. */
  counters: CountersInfo;
}

/**
 * Throughput counters. `netdev` = the kernel's per-device software counters
 * (/proc/net/dev). Packets a hardware engine forwards never reach the kernel,
 * so with flows in hardware (`[HW_OFFLOAD]`) those counters miss that traffic
 * (real-programs.md §5: openwrt/openwrt#11957, LEDE #9881).
 */
export interface CountersInfo {
  source: 'netdev';
  /** Hardware-offloaded flows exist: their traffic is not in these counters. */
  misses_hw: boolean;
  /** Where the devices' roles came from. */
  roles: TopologySource;
  /**
   * The WAN ports' own switch counters (`ethtool -S`, the MIB), which also count what the
   * hardware forwards; read only while hardware-offloaded flows exist (misses_hw), and null
   * when no WAN port has such counters (a MAC without a switch, no ethtool, another driver).
   */
  hw: HwCounters | null;
}

export interface HwCounters {
  source: 'switch-mib';
  /** The ports read, e.g. ["wan"]. */
  ports: string[];
  /** The driver's counter names, e.g. `RxBytes/TxBytes` (mt7530). */
  counters: string;
  /** Sums over the ports: received from the wire (download) and sent to it (upload). */
  rx_bytes: number;
  tx_bytes: number;
  /** Rates since the previous reading of the same ports, or null on the first one (or after a counter reset). */
  rx_bps: number | null;
  tx_bps: number | null;
  /** The time between the two readings. */
  interval_ms: number | null;
}

/** netifd's `network.interface dump` (what fw4 uses), or the uci configs when netifd could not be asked. */
export type TopologySource = 'netifd' | 'uci';

export interface FlowtableInfo {
  family: string;
  table: string;
  name: string;
  devices: string[];
  /** `flags offload` present (text listing only: nft -j never shows it). */
  hw: boolean;
  counter: boolean;
}

export type DeviceProblem =
  | 'missing-from-flowtable'
  | 'not-present'
  | 'pppoe-l3-device'
  | 'not-in-any-zone'
  | 'no-hw-tc-offload';

export interface DeviceInfo {
  device: string;
  role: DeviceRole | 'other';
  /** Which firewall zones name this device through their networks. */
  zones: string[];
  exists: boolean;
  in_flowtable: boolean;
  /** The flowtables of `inet fw4` that cover it (fw4's `ft`, or one a user added). */
  flowtables: string[];
  /**
   * A PPPoE-type L3 device that is not itself in a flowtable, but whose underlying device is and whose
   * flows are seen offloaded: the flows are offloaded through that device (nothing to change).
   */
  carried_by: string | null;
  /** `hw-tc-offload` from `ethtool -k`: true/false, or null when unknown. */
  hw_tc_offload: boolean | null;
  hw_tc_offload_fixed: boolean;
  problems: DeviceProblem[];
}

export type ConflictId = 'sqm' | 'qosify' | 'nft-qos' | 'wireguard-hw';

export interface Conflict {
  id: ConflictId;
  severity: 'warning' | 'info';
  /** What is wrong, in plain words. */
  text: string;
  /** What to do about it. */
  advice: string;
}

export interface SystemFacts {
  board: string | null;
  model: string | null;
  release: string | null;
  target: string | null;
  arch: string | null;
  kernel: string | null;
  firewall: 'fw4' | 'fw3' | 'none';
}

/**
 * A sentence for the user, translatable: `text` is the English (CLI, report); each part's
 * `template` is its catalogue msgid (extracted from the handler's msg('…') calls by
 * scripts/gen-pot.ts) with `%s` for its `params`, in order; the panel renders
 * fmt(_(template), ...params) for each part, joined by a space.
 */
export interface Message {
  text: string;
  parts: { template: string; params: string[] }[];
}

export interface Capability {
  available: boolean;
  /** Why not, or what limits it. */
  reason: string | null;
  /** The same, translatable (absent from handlers before it; the panel then shows `reason`). */
  reason_msg?: Message | null;
}

export interface StatusResult {
  configured: {
    mode: Mode;
    flow_offloading: boolean;
    flow_offloading_hw: boolean;
    /** Could the firewall config be read at all. */
    error: string | null;
  };
  effective: {
    state: EffectiveState;
    /** The mode really running (off when nothing is offloaded). */
    mode: Mode;
    /** One sentence saying why the state is what it is. */
    reason: string;
    /** The same, translatable (absent from handlers before it; the panel then shows `reason`). */
    reason_msg?: Message;
    flowtable: FlowtableInfo | null;
    /** The `flow add|offload @ft` rule in chain forward. */
    rule: boolean;
    /** Other flowtables in `table inet fw4` (from a user's include), which fw4's state does not cover. */
    other_flowtables: FlowtableInfo[];
    /** The conntrack table at the time of this call: the evidence that flows are offloaded. */
    flows: FlowEvidence | null;
    /** When hardware offload is requested: does the hardware really carry flows. */
    hardware: HardwareProof | null;
  };
  devices: DeviceInfo[];
  /** Where the zone devices came from; with `uci`, `topology_error` says why netifd could not be asked. */
  topology: { source: TopologySource; error: string | null };
  module: {
    nft_flow_offload: boolean;
    refcnt: number | null;
  };
  capabilities: { software: Capability; hardware: Capability };
  conflicts: Conflict[];
  system: SystemFacts;
  /** The last fw4 warning this app captured (e.g. the hardware fallback), with when. */
  last_warning: { text: string; at: number } | null;
  warnings: string[];
  /** An apply that did not finish (the handler was killed mid-apply), as found by this call. */
  interrupted: InterruptedApply | null;
}

export interface InterruptedApply {
  requested: Mode;
  previous: Mode;
  /** Unix time (ms) the apply started. */
  at: number;
  /** Whether the firewall config on disk still equals the one saved before that apply. */
  config_restorable: boolean;
  /** What happened and what the next `set` will do, in one sentence. */
  detail: string;
}

export interface SetResult {
  changed: boolean;
  previous: Mode;
  requested: Mode;
  /** The fw4 warning printed during the reload, if any (the hardware fallback). */
  warning: string | null;
  reload_ms: number;
  /** Set when this call first repaired an interrupted earlier apply. */
  recovered: string | null;
  status: StatusResult;
}

export interface FlowEvidence {
  total: number;
  /** [OFFLOAD] entries: in the software fast path only (the kernel prints one marker per entry). */
  offloaded: number;
  /** [HW_OFFLOAD] entries: in the hardware engine (not counted in `offloaded`). */
  hw_offloaded: number;
  source: 'proc' | 'conntrack-cli';
}

/**
 * - `in-hardware`: flows are in the hardware engine (`[HW_OFFLOAD]`);
 * - `none-in-hardware`: the flowtable has `flags offload` and flows are offloaded, but none is in hardware
 *   (the ipq40xx case, openwrt/openwrt#14365: `flags offload` is not proof);
 * - `no-offloaded-flows`: nothing offloaded yet, so nothing to judge by;
 * - `unknown`: the conntrack table could not be read.
 */
export type HardwareVerdict = 'in-hardware' | 'none-in-hardware' | 'no-offloaded-flows' | 'unknown';

export interface HardwareProof {
  verdict: HardwareVerdict;
  /** The hardware engine's own view (MediaTek PPE debugfs), or null: no engine view on this target. */
  engine: EngineView | null;
}

export interface EngineView {
  /** e.g. `mtk_ppe` */
  name: string;
  /** The debugfs file read. */
  path: string;
  /** Entries bound in hardware (state BND). */
  bound: number;
  total: number;
  /** Entries per state (bound, unbound, invalid, fin, unknown). */
  by_state: Record<string, number>;
  /** Why the engine's table could not be read, when it could not (the figures are then 0). */
  error: string | null;
}

export type FlowState = 'hardware' | 'software' | 'none';

export interface FlowEntry {
  l3: 'ipv4' | 'ipv6' | string;
  proto: string;
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  bytes: number;
  packets: number;
  tcp_state: string | null;
  offload: FlowState;
  /** Why the flow is not offloaded, when it is not. */
  why_not: string | null;
  /** The same, translatable (absent from handlers before it; the panel then shows `why_not`). */
  why_not_msg?: Message | null;
}

export interface FlowsResult {
  flows: FlowEntry[];
  total: number;
  offloaded: number;
  hw_offloaded: number;
  source: ConntrackCounts['source'];
  error: string | null;
  masked: boolean;
}

export interface DiagnosticsResult {
  markdown: string;
  generated_at: number;
}

/** The app's version as the report names it; a test keeps it equal to package.json's (the package version). */
export const APP_VERSION = '1.0.0';

export interface FlushResult {
  /** Offloaded flows before and after recreating the flowtable. */
  offloaded_before: number | null;
  offloaded_after: number | null;
  reload_ms: number;
  warning: string | null;
  /** What the flush did, in one sentence. */
  detail: string;
}

/** Argument and result type of every method; the panel's client is typed from this map. */
export interface Api {
  status: { args: StatusArgs; result: StatusResult };
  stats: { args: StatsArgs; result: StatsResult };
  flows: { args: FlowsArgs; result: FlowsResult };
  diagnostics: { args: DiagnosticsArgs; result: DiagnosticsResult };
  set: { args: SetArgs; result: SetResult };
  flush: { args: FlushArgs; result: FlushResult };
}

/* ------------------------------------------------------------------ */
/* Pure helpers shared by handler and tests                            */
/* ------------------------------------------------------------------ */

/**
 * The `list` answer: method → example values whose JSON types rpcd turns into
 * blobmsg type hints (string → STRING, boolean → BOOL, 32 → INT32).
 */
export function listSignature(): Record<string, Record<string, string | boolean | number>> {
  const out: Record<string, Record<string, string | boolean | number>> = {};
  for (const name of METHOD_NAMES) {
    const sig: Record<string, string | boolean | number> = {};
    for (const [arg, spec] of Object.entries(METHODS[name].args) as [string, ArgSpec][]) {
      sig[arg] = spec.type === 'string' ? 'str' : spec.type === 'boolean' ? true : 32;
    }
    out[name] = sig;
  }
  return out;
}

/** Key rpcd/uhttpd add to every call made over HTTP; accepted and ignored. */
export const SESSION_KEY = 'ubus_rpc_session';

/**
 * Validate a call's arguments against the contract.
 * Returns the cleaned arguments (session key dropped) or an error sentence.
 */
export function validateArgs(
  method: MethodName,
  input: unknown,
): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, error: `arguments of ${method} must be a JSON object` };
  }
  const specs = METHODS[method].args as Readonly<Record<string, ArgSpec>>;
  // No prototype: a key such as `__proto__` is stored as data, never inherited from (issue 14).
  const args = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key === SESSION_KEY) {
      if (typeof value !== 'string') return { ok: false, error: `${SESSION_KEY} must be a string` };
      continue;
    }
    // Own keys only: `constructor`, `toString` or `__proto__` are not arguments.
    const spec = hasOwn(specs, key) ? specs[key] : undefined;
    if (!spec) {
      const known = Object.keys(specs);
      return {
        ok: false,
        error: `unknown argument "${printable(key)}" for ${method}` +
          (known.length ? ` (accepted: ${known.join(', ')})` : ' (it takes no arguments)'),
      };
    }
    const bad = checkValue(key, value, spec);
    if (bad) return { ok: false, error: `${method}: ${bad}` };
    args[key] = value;
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.required && !hasOwn(args, key)) return { ok: false, error: `${method}: missing required argument "${key}"` };
  }
  return { ok: true, args };
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function checkValue(key: string, value: unknown, spec: ArgSpec): string | null {
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') return `"${key}" must be a string, got ${typeName(value)}`;
      if (value.length > spec.maxLength) return `"${key}" is too long (${value.length} characters, at most ${spec.maxLength})`;
      if (spec.enum && !spec.enum.includes(value)) {
        return `"${key}" must be one of ${spec.enum.join(', ')}, got "${printable(value)}"`;
      }
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `"${key}" must be true or false, got ${typeName(value)}`;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `"${key}" must be an integer, got ${typeName(value)}`;
      if (value < spec.min || value > spec.max) return `"${key}" must be between ${spec.min} and ${spec.max}, got ${value}`;
      return null;
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Quote user text safely in messages: control characters escaped, length capped. */
export function printable(s: string, max = 40): string {
  const cut = s.length > max ? s.slice(0, max) + '…' : s;
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** Map the two uci options to a mode the way LuCI's zones.js does. */
export function modeFromOptions(flowOffloading: boolean, flowOffloadingHw: boolean): Mode {
  return flowOffloading ? (flowOffloadingHw ? 'hardware' : 'software') : 'off';
}
