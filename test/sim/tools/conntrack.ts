/**
 * Stand-in for `conntrack -L` (conntrack-tools 1.4.7): lists the simulated
 * table without the /proc l3 columns and prints the summary line on stderr.
 */
import * as std from 'std';
import { readText } from './lib/fs';

const args = scriptArgs.slice(1);
if (args[0] !== '-L' && args[0] !== '--dump') {
  std.err.puts('conntrack v1.4.7 (conntrack-tools): Operation not supported\n');
  std.exit(1);
}
const table = readText('/sim/conntrack.txt') ?? '';
let n = 0;
for (const line of table.split('\n')) {
  if (!line) continue;
  // /proc lines start with "ipv4     2 "; conntrack -L drops those two columns.
  std.out.puts(line.replace(/^ipv[46]\s+\d+\s+/, '') + '\n');
  n++;
}
std.err.puts(`conntrack v1.4.7 (conntrack-tools): ${n} flow entries have been shown.\n`);
std.out.flush();
