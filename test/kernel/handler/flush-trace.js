// What `flush` did to a running, offloaded TCP flow — from the guest's evidence (runs under qjs).
//
//   qjs flush-trace.js TRACE DATA_SPORT T_FLUSH_START T_FLUSH_END IPERF_JSON T_CLIENT_START
//
// TRACE: samples of the router's conntrack lines of the iperf3 flows, each sample headed by
// "@ <uptime>"; DATA_SPORT: the client port of the iperf3 data connection; T_*: /proc/uptime
// seconds around the handler's `flush` call and at the iperf3 client's start; IPERF_JSON: the
// client's -J output (interval throughput). Prints one JSON object (see the fields below).
import * as std from 'std';

const [tracePath, sportArg, t0Arg, t1Arg, iperfPath, tcArg] = scriptArgs.slice(1);
const sport = Number(sportArg);
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

// ---- conntrack samples of the data connection -------------------------------------
const samples = [];
let cur = null;
for (const line of read(tracePath).split('\n')) {
  if (line.startsWith('@ ')) {
    cur = { t: Number(line.slice(2)), line: null };
    samples.push(cur);
  } else if (cur) {
    // the first sport= is the original direction's (lan client port)
    const m = / sport=(\d+) /.exec(line);
    if (m && Number(m[1]) === sport) cur.line = line.trim();
  }
}
const shape = (l) => {
  if (l === null) return 'absent';
  const m = /^\S+\s+\d+\s+tcp\s+6\s+(\d+\s+)?([A-Z_]+\s+)?src=/.exec(l);
  const flags = (l.match(/\[[A-Z_]+\]/g) ?? []).join(' ');
  return `${m && m[1] ? 'timeout ' : ''}${m && m[2] ? m[2].trim() + ' ' : ''}${flags}`.trim() || 'plain';
};
const offloaded = (s) => s.line !== null && s.line.includes('[OFFLOAD]');
const phase = (s) => (s.t < t0 ? 'before' : s.t <= t1 ? 'during' : 'after');
const tally = { before: [0, 0, 0], during: [0, 0, 0], after: [0, 0, 0] }; // offloaded, slow path, absent
const shapes = {};
let firstSlow = null;
let backOffloaded = null;
for (const s of samples) {
  const p = phase(s);
  const k = s.line === null ? 2 : offloaded(s) ? 0 : 1;
  tally[p][k]++;
  if (k === 1) {
    const sh = shape(s.line);
    shapes[sh] = (shapes[sh] ?? 0) + 1;
    if (firstSlow === null && s.t >= t0) firstSlow = s.t;
  }
  if (k === 0 && firstSlow !== null && backOffloaded === null) backOffloaded = s.t;
}
const gaps = samples.slice(1).map((s, i) => s.t - samples[i].t).sort((a, b) => a - b);
const medianGap = gaps.length ? gaps[Math.floor(gaps.length / 2)] : null;
const lastBefore = [...samples].reverse().find((s) => s.t < t0) ?? null;
const firstAfter = samples.find((s) => s.t > t1) ?? null;
const pkts = (s) => (s && s.line ? [...s.line.matchAll(/packets=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0) : null);

// ---- iperf3: did the connection survive, and what did the flush cost in throughput --------
let iperf = null;
try {
  const j = JSON.parse(read(iperfPath));
  const iv = (j.intervals ?? []).map((x) => ({ start: tClient + x.sum.start, end: tClient + x.sum.end, mbps: x.sum.bits_per_second / 1e6 }));
  const overlapping = iv.filter((x) => x.end >= t0 && x.start <= t1 + 0.5);
  const others = iv.filter((x) => !overlapping.includes(x) && x.start > tClient + 0.9).map((x) => x.mbps).sort((a, b) => a - b);
  iperf = {
    error: j.error ?? null,
    intervals: iv.length,
    min_interval_mbps: iv.length ? Math.min(...iv.map((x) => x.mbps)) : null,
    flush_interval_mbps: overlapping.map((x) => Math.round(x.mbps)),
    other_intervals_median_mbps: others.length ? Math.round(others[Math.floor(others.length / 2)]) : null,
    received_mbps: j.end?.sum_received ? Math.round(j.end.sum_received.bits_per_second / 1e6) : null,
    retransmits: j.end?.sum_sent?.retransmits ?? null,
  };
} catch (e) {
  iperf = { error: `iperf3 JSON unreadable: ${e.message}` };
}

std.out.puts(
  JSON.stringify({
    data_sport: sport,
    flush_ms: Math.round((t1 - t0) * 1000),
    samples: samples.length,
    sample_interval_ms: medianGap === null ? null : Math.round(medianGap * 1000),
    // [offloaded, on the slow path, entry absent] sample counts per phase
    before: tally.before,
    during: tally.during,
    after: tally.after,
    // shapes of the entry while on the slow path ("timeout ESTABLISHED [ASSURED]" …)
    slow_path_shapes: shapes,
    slow_path_seen: firstSlow !== null,
    first_slow_path_s: firstSlow === null ? null : Math.round((firstSlow - t0) * 1000) / 1000,
    back_offloaded_s: backOffloaded === null ? null : Math.round((backOffloaded - t0) * 1000) / 1000,
    entry_kept: samples.every((s) => s.line !== null),
    last_before: lastBefore?.line ?? null,
    first_after: firstAfter?.line ?? null,
    packets_last_before: pkts(lastBefore),
    packets_first_after: pkts(firstAfter),
    last_sample_offloaded: samples.length ? offloaded(samples[samples.length - 1]) : null,
    iperf,
  }) + '\n',
);
