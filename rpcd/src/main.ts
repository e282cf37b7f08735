/**
 * Entry point of /usr/libexec/rpcd/luci.offload under QuickJS.
 * rpcd runs it as `luci.offload list` or `luci.offload call METHOD` with the
 * arguments on stdin; it prints exactly one JSON object.
 *
 * `stats` is compiled with this module; the other methods — and the slow path
 * of `stats` (methods/stats-slow.ts) — travel as source text in a comment at
 * the end of this file (scripts/build-handler.ts, parse/embedded.ts) and are
 * compiled only when a call needs them, so the frequent call does not pay for
 * parsing the rest.
 */
import * as std from 'std';
import * as os from 'os';
import { parseInvocation, serialize, errorResult } from './protocol';
import { stats, type StatsSlowPath } from './methods/stats';
import type { MethodName } from './api/contract';

import { readMethodsSource } from './sys/self';

type Dispatch = (method: MethodName, args: Record<string, unknown>) => object;
interface Methods {
  dispatch: Dispatch;
  statsSlow: StatsSlowPath;
}

let loaded: Methods | null = null;
function loadMethods(): Methods {
  if (loaded) return loaded;
  const g = globalThis as unknown as { require?: (name: string) => unknown; __luciOffloadMethods?: Methods };
  g.require = (name) => (name === 'std' ? std : name === 'os' ? os : undefined);
  std.evalScript(readMethodsSource(scriptArgs[0] ?? ''));
  const m = g.__luciOffloadMethods;
  if (!m) throw new Error('method table did not load');
  return (loaded = m);
}

/** The slow path of `stats`, compiled on its first use in this call. */
const lazySlow: StatsSlowPath = {
  freshRoles: (key, devices) => loadMethods().statsSlow.freshRoles(key, devices),
  hwCounters: (ports, atMs) => loadMethods().statsSlow.hwCounters(ports, atMs),
  countTable: (count) => loadMethods().statsSlow.countTable(count),
};

function main(): void {
  let output: unknown;
  try {
    const inv = parseInvocation(scriptArgs.slice(1), () => std.in.readAsString());
    if (inv.kind === 'call') output = inv.method === 'stats' ? stats(inv.args, lazySlow) : loadMethods().dispatch(inv.method, inv.args);
    else output = inv.output;
  } catch (e) {
    output = errorResult('internal', `internal error: ${String((e as Error)?.message ?? e)}`);
  }
  std.out.puts(serialize(output));
  std.out.puts('\n');
  std.out.flush();
}

main();
