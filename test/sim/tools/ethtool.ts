/** Stand-in for `ethtool -k DEV`: prints /sim/ethtool/DEV.k as the real tool prints features. */
import * as std from 'std';
import { readText } from './lib/fs';

const [flag, dev] = scriptArgs.slice(1);
if (flag !== '-k' || !dev) {
  std.err.puts('ethtool: bad command line argument(s)\n');
  std.exit(1);
}
const t = readText(`/sim/ethtool/${dev}.k`);
if (t === null) {
  std.err.puts('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n');
  std.exit(1);
}
std.out.puts(t);
std.out.flush();
