/**
 * Stand-in for `ethtool -k DEV` and `ethtool -S DEV`: prints /sim/ethtool/DEV.k (features) or
 * /sim/ethtool/DEV.S (driver statistics; switch ports only) as the real tool prints them.
 */
import * as std from 'std';
import { readText } from './lib/fs';

const [flag, dev] = scriptArgs.slice(1);
if ((flag !== '-k' && flag !== '-S') || !dev) {
  std.err.puts('ethtool: bad command line argument(s)\n');
  std.exit(1);
}
const t = readText(`/sim/ethtool/${dev}.${flag === '-S' ? 'S' : 'k'}`);
if (t === null && flag === '-S' && readText(`/sim/ethtool/${dev}.k`) !== null) {
  // A device ethtool knows whose driver has no statistics (a bridge, a PPP link).
  std.err.puts('no stats available\n');
  std.exit(94);
}
if (t === null) {
  std.err.puts('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n');
  std.exit(1);
}
std.out.puts(t);
std.out.flush();
