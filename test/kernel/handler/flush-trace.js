// What `flush` did to a running, offloaded TCP flow — from the guest's evidence (runs under qjs).
//
//   qjs flush-trace.js TRACE MONITOR T_FLUSH_START T_FLUSH_END IPERF_JSON T_CLIENT_START
//
// TRACE: ct-sampler.js output for the iperf3 data connection; MONITOR: `nft monitor` in the
// router, each line prefixed with /proc/uptime seconds (when the reload's batch was committed); T_*: /proc/uptime seconds around the handler's `flush` call and at the iperf3
// client's start; IPERF_JSON: the client's -J output (0.5 s intervals). Prints one JSON object.
import * as std from 'std';

const [tracePath, monPath, t0Arg, t1Arg, iperfPath, tcArg] = scriptArgs.slice(1);
const t0 = Number(t0Arg);
const t1 = Number(t1Arg);
const tClient = Number(tcArg);
const read = (p) => {
  const f = std.open(p, 'r');
  if (!f) return '';
  const s = f.readAsString();
  f.close();
  return s;
};
const ms = (s) => (s === null ? null : Math.round(s * 1000));
const CLOSING = /\s(FIN_WAIT|CLOSE_WAIT|LAST_ACK|TIME_WAIT|CLOSE)\s/;

// ---- the reload's nft transaction, as `nft monitor` saw it ------------------------------------
// nft 1.0.6's monitor prints no flowtable events, but the batch's rule/chain events and its
// "# new generation N" line arrive right after the kernel committed it; the old flowtable is
// destroyed (its flows torn down) just after the commit.
const events = read(monPath)
  .split('\n')
  .map((l) => /^(\d+\.\d+) (.*)$/.exec(l))
  .filter(Boolean)
  .map((m) => ({ t: Number(m[1]), ev: m[2] }));
const first = events.find((e) => e.t >= t0) ?? null;
const generation = events.find((e) => e.t >= t0 && /^# new generation/.test(e.ev)) ?? null;
const tSwap = first?.t ?? null;

// ---- conntrack samples of the data connection ---------------------------------------------
const samples = [];
let line = null;
let header = '';
for (const l of read(tracePath).split('\n')) {
  if (l.startsWith('#')) {
    if (!header) header = l;
    continue;
  }
  const m = /^(\d+\.\d+) ([OHSA])(?: \| (.*))?$/.exec(l);
  if (!m) continue;
  if (m[3] !== undefined) line = m[3] || null;
  samples.push({ t: Number(m[1]), c: m[2], line });
}
const pivot = tSwap ?? t0;
const tally = (list) => ['O', 'S', 'A'].map((c) => list.filter((s) => s.c === c).length);
const before = samples.filter((s) => s.t < pivot);
const after = samples.filter((s) => s.t >= pivot);
// slow-path windows after the call started that are not the connection closing
const windows = [];
let open = null;
for (const s of samples) {
  if (s.t < t0) continue;
  const slow = (s.c === 'S' || s.c === 'A') && !(s.line && CLOSING.test(s.line));
  if (slow && !open) open = { from: s.t, to: null, shape: s.c === 'A' ? 'absent' : shape(s.line) };
  if (!slow && open) {
    open.to = s.t;
    windows.push(open);
    open = null;
  }
}
if (open) windows.push(open);
function shape(l) {
  const m = /^\S+\s+\d+\s+\S+\s+\d+\s+(\d+\s+)?([A-Z_]+\s+)?src=/.exec(l ?? '');
  const flags = ((l ?? '').match(/\[[A-Z_]+\]/g) ?? []).join(' ');
  return [m && m[1] ? `timeout ${m[1].trim()}` : 'no timeout', m && m[2] ? m[2].trim() : 'no state', flags].filter(Boolean).join(', ');
}
const gaps = samples.slice(1).map((s, i) => s.t - samples[i].t).sort((a, b) => a - b);
const lastBefore = before.length ? before[before.length - 1] : null;
const firstAfter = after.length ? after[0] : null;
const open_ = samples.filter((s) => !(s.line && CLOSING.test(s.line)));
const lastOpen = open_.length ? open_[open_.length - 1] : null;

// ---- iperf3: did the connection survive, what did the flush cost in throughput -------------
let iperf;
try {
  const j = JSON.parse(read(iperfPath));
  const iv = (j.intervals ?? []).map((x) => ({ start: tClient + x.sum.start, end: tClient + x.sum.end, mbps: x.sum.bits_per_second / 1e6 }));
  const at = pivot;
  const hit = iv.filter((x) => x.start <= at + 0.5 && x.end >= at - 0.5);
  const others = iv.filter((x) => !hit.includes(x) && x.start >= tClient + 1).map((x) => x.mbps).sort((a, b) => a - b);
  iperf = {
    error: j.error ?? null,
    intervals: iv.length,
    min_interval_mbps: iv.length ? Math.round(Math.min(...iv.map((x) => x.mbps)) * 10) / 10 : null,
    swap_intervals_mbps: hit.map((x) => Math.round(x.mbps)),
    other_intervals_median_mbps: others.length ? Math.round(others[Math.floor(others.length / 2)]) : null,
    received_mbps: j.end?.sum_received ? Math.round(j.end.sum_received.bits_per_second / 1e6) : null,
    retransmits: j.end?.sum_sent?.retransmits ?? null,
  };
} catch (e) {
  iperf = { error: `iperf3 JSON unreadable: ${e.message}` };
}

std.out.puts(
  JSON.stringify({
    sampler: header,
    flush_call_ms: ms(t1 - t0),
    // the reload's committed nft batch: first event and its "new generation" line, from the call's start
    batch_first_event_ms: first ? ms(first.t - t0) : null,
    batch_generation_ms: generation ? ms(generation.t - t0) : null,
    batch_generation: generation ? generation.ev : null,
    batch_events: events.filter((e) => e.t >= t0 && (generation === null || e.t <= generation.t)).length,
    samples: samples.length,
    sample_gap_ms_median: gaps.length ? ms(gaps[Math.floor(gaps.length / 2)]) : null,
    sample_gap_ms_max: gaps.length ? ms(gaps[gaps.length - 1]) : null,
    // [offloaded, slow path, absent] sample counts before / after the flowtable swap
    before_swap: tally(before),
    after_swap: tally(after),
    last_before_swap: lastBefore ? { ms_before: ms(pivot - lastBefore.t), state: lastBefore.c } : null,
    first_after_swap: firstAfter ? { ms_after: ms(firstAfter.t - pivot), state: firstAfter.c, line: firstAfter.line } : null,
    // slow-path windows after the call started (the connection's own close excluded)
    slow_windows: windows.map((w) => ({ from_ms: ms(w.from - pivot), to_ms: w.to === null ? null : ms(w.to - pivot), shape: w.shape })),
    entry_kept: samples.length > 0 && samples.every((s) => s.c !== 'A'),
    offloaded_at_end: lastOpen ? lastOpen.c === 'O' : null,
    iperf,
  }) + '\n',
);
