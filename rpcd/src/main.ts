/**
 * Entry point of /usr/libexec/rpcd/luci.offload under QuickJS.
 * rpcd runs it as `luci.offload list` or `luci.offload call METHOD` with the
 * arguments on stdin; it prints exactly one JSON object.
 *
 * `stats` is compiled with this module; the other methods arrive as source
 * text (METHODS_SOURCE, see scripts/build-handler.ts) and are compiled only
 * when called, so the frequent call does not pay for parsing the rest.
 */
import * as std from 'std';
import * as os from 'os';
import { parseInvocation, serialize, errorResult } from './protocol';
import { stats } from './methods/stats';
import type { MethodName } from './api/contract';

declare const METHODS_SOURCE: string;

type Dispatch = (method: MethodName, args: Record<string, unknown>) => object;

function loadMethods(): Dispatch {
  const g = globalThis as unknown as { require?: (name: string) => unknown; __luciOffloadMethods?: { dispatch: Dispatch } };
  g.require = (name) => (name === 'std' ? std : name === 'os' ? os : undefined);
  std.evalScript(METHODS_SOURCE);
  const m = g.__luciOffloadMethods;
  if (!m) throw new Error('method table did not load');
  return m.dispatch;
}

function main(): void {
  let output: unknown;
  try {
    const inv = parseInvocation(scriptArgs.slice(1), () => std.in.readAsString());
    if (inv.kind === 'call') output = inv.method === 'stats' ? stats(inv.args) : loadMethods()(inv.method, inv.args);
    else output = inv.output;
  } catch (e) {
    output = errorResult('internal', `internal error: ${String((e as Error)?.message ?? e)}`);
  }
  std.out.puts(serialize(output));
  std.out.puts('\n');
  std.out.flush();
}

main();
