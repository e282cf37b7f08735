// Samples one connection's conntrack entry in the router namespace as fast as is sensible
// (qjs, no process per sample), until STOP_FILE exists. Runs under the guest's qjs.
//
//   ip netns exec router qjs ct-sampler.js SPORT STOP_FILE [PAUSE_MS]
//
// One line per sample: "<uptime> <C>" where C is O ([OFFLOAD]), H ([HW_OFFLOAD]), S (slow
// path: the entry without an offload flag) or A (absent); whenever C changes, the whole
// conntrack line follows after " | ". SPORT is the connection's original source port.
import * as std from 'std';
import * as os from 'os';

const [sportArg, stop, pauseArg] = scriptArgs.slice(1);
const needle = ` sport=${Number(sportArg)} `;
const pause = Number(pauseArg ?? 5);
const slurp = (p) => {
  const f = std.open(p, 'r');
  if (!f) return '';
  const s = f.readAsString();
  f.close();
  return s;
};
let last = '';
let n = 0;
std.out.puts(`# ct-sampler sport=${Number(sportArg)} pause_ms=${pause}\n`);
while (os.stat(stop)[1] !== 0) {
  const up = slurp('/proc/uptime').split(' ')[0];
  let line = null;
  for (const l of slurp('/proc/net/nf_conntrack').split('\n')) {
    // the first sport= is the original direction's
    const at = l.indexOf(' sport=');
    if (at !== -1 && l.startsWith(needle, at)) {
      line = l;
      break;
    }
  }
  const c = line === null ? 'A' : line.includes('[HW_OFFLOAD]') ? 'H' : line.includes('[OFFLOAD]') ? 'O' : 'S';
  std.out.puts(c === last ? `${up} ${c}\n` : `${up} ${c} | ${line ?? ''}\n`);
  last = c;
  n++;
  os.sleep(pause);
}
std.out.puts(`# end samples=${n}\n`);
