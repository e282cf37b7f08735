/**
 * Entry point of /usr/libexec/rpcd/luci.offload under QuickJS.
 * rpcd runs it as `luci.offload list` or `luci.offload call METHOD` with the
 * arguments on stdin; it prints exactly one JSON object.
 */
import * as std from 'std';
import { parseInvocation, serialize, errorResult } from './protocol';
import { dispatch } from './methods/index';

function main(): void {
  let output: unknown;
  try {
    const inv = parseInvocation(scriptArgs.slice(1), () => std.in.readAsString());
    if (inv.kind === 'call') output = dispatch(inv.method, inv.args);
    else output = inv.output;
  } catch (e) {
    output = errorResult('internal', `internal error: ${String((e as Error)?.message ?? e)}`);
  }
  std.out.puts(serialize(output));
  std.out.puts('\n');
  std.out.flush();
}

main();
