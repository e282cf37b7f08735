#!/usr/bin/env node
// Host side of `make bench-kernel`: turns the guest's raw per-run files (runs.tsv, iperf3 -J,
// the handler's `stats` before/after each run, raw /proc/stat next to each call, conntrack
// mid-run) into RESULTS_DIR/table.md and prints it.
// Usage: node test/kernel/bench/table.mjs RESULTS_DIR
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';

const dir = process.argv[2] ?? 'test-results/kernel/bench';
const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];
const die = (msg) => {
  console.error(`bench-kernel: ${msg}`);
  process.exit(1);
};
const read = (f) => readFileSync(join(dir, f), 'utf8');
if (!existsSync(join(dir, 'runs.tsv'))) die(`no runs.tsv in ${dir}`);
if (read('exit-code').trim() !== '0') die(`the guest reported failures (${dir}/checks.txt)`);
const params = Object.fromEntries(read('params.txt').trim().split(/\s+/).map((kv) => kv.split('=')));

const sum = (t) => FIELDS.reduce((a, f) => a + (t[f] ?? 0), 0);
const delta = (a, b) => Object.fromEntries(FIELDS.map((f) => [f, b[f] - a[f]]));
/** /proc/stat "cpu" line → the same fields as the handler's CpuTimes. */
const procTotal = (text) => {
  const n = text.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(FIELDS.map((f, i) => [f, n[i]]));
};

const runs = read('runs.tsv')
  .trim()
  .split('\n')
  .map((l) => {
    const [rep, mode, prefix, rc, off] = l.split('\t');
    const iperf = JSON.parse(read(`${prefix}_iperf.json`));
    const sb = JSON.parse(read(`${prefix}_stats_before.json`));
    const sa = JSON.parse(read(`${prefix}_stats_after.json`));
    if (!sb.cpu || !sa.cpu) die(`${prefix}: stats answer without cpu: ${JSON.stringify(sb).slice(0, 200)}`);
    const d = delta(sb.cpu.total, sa.cpu.total);
    const total = sum(d);
    const bytes = iperf.end.sum_received.bytes;
    const gb = bytes / 1e9;
    const raw = delta(procTotal(read(`${prefix}_procstat_before.txt`)), procTotal(read(`${prefix}_procstat_after.txt`)));
    // /proc/stat converts the aggregate and each CPU from nanoseconds separately, so the
    // "cpu" line may differ from the sum of the per-CPU lines by rounding (≤ 1 per CPU)
    const coresOk = [sb, sa].every((s) => FIELDS.every((f) => Math.abs(s.cpu.cores.reduce((a, c) => a + c[f], 0) - s.cpu.total[f]) <= s.cpu.cores.length));
    const dev = (s, name) => s.devices.find((x) => x.device === name);
    const fwd = (f) => {
      if (!existsSync(join(dir, f))) return null;
      const ip = read(f).split('\n').filter((l) => l.startsWith('Ip: '));
      const i = ip[0].split(/\s+/).indexOf('ForwDatagrams');
      return Number(ip[1].split(/\s+/)[i]);
    };
    // packets the router received on rlan + rwan (the guest's own device counters): every packet
    // it forwarded, by either path, so softirq per packet is the router's per-packet cost
    const rxpk = (f) => (existsSync(join(dir, f)) ? read(f).trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) : null);
    const pb = rxpk(`${prefix}_rxpk_before.txt`);
    const pa = rxpk(`${prefix}_rxpk_after.txt`);
    const fb = fwd(`${prefix}_snmp_before.txt`);
    const fa = fwd(`${prefix}_snmp_after.txt`);
    const wanTx = dev(sa, 'rwan') && dev(sb, 'rwan') ? dev(sa, 'rwan').tx_bytes - dev(sb, 'rwan').tx_bytes : null;
    return {
      rep: Number(rep),
      mode,
      rc: Number(rc),
      offloaded: Number(off) > 0,
      mbps: iperf.end.sum_received.bits_per_second / 1e6,
      softirqPct: (100 * d.softirq) / total,
      softirqPerGB: d.softirq / gb,
      busyPerGB: (total - d.idle - d.iowait) / gb,
      windowS: (sa.uptime_ms - sb.uptime_ms) / 1000,
      jiffiesPerS: total / ((sa.uptime_ms - sb.uptime_ms) / 1000),
      softirq: d.softirq,
      rawSoftirqDiff: Math.abs(raw.softirq - d.softirq),
      rawTotalDiff: Math.abs(sum(raw) - total),
      coresOk,
      wanTxPerByte: wanTx === null ? null : wanTx / bytes,
      retransmits: iperf.end.sum_sent?.retransmits ?? null,
      // packets that took the router's normal forward path (ip_forward); offloaded ones do not
      forwarded: fb === null || fa === null ? null : fa - fb,
      packets: (iperf.end.sum_received.bytes / 1448) | 0,
      routerPackets: pb === null || pa === null ? null : pa - pb,
      softirqPerMpk: pb === null || pa === null || pa === pb ? null : d.softirq / ((pa - pb) / 1e6),
    };
  });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, d = 0) => x.toFixed(d);
const cell = (xs, d = 0) => `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})`;
const modes = ['off', 'software'];
const by = Object.fromEntries(modes.map((m) => [m, runs.filter((r) => r.mode === m)]));
for (const m of modes) if (by[m].length === 0) die(`no ${m} runs`);

const kver = existsSync(join(dir, 'uname.txt')) ? read('uname.txt').trim() : '?';
const ratio = (k) => median(by.software.map((r) => r[k])) / median(by.off.map((r) => r[k]));
const L = [];
L.push('# Kernel benchmark: flow offload off vs software, driven through the handler', '');
L.push('TCG emulation: absolute numbers are meaningless, only the ratio between modes counts.', '');
L.push(
  `Debian kernel ${kver} in QEMU (TCG, ${params.cpus} vCPUs), one VM run: iperf3 TCP lan -> router -> wan (masquerade), ` +
    `GSO/TSO off on the end hosts (1500-byte packets through the router), ${params.reps} interleaved runs per mode of ${params.secs} s in ABBA order (off, software; software, off; …). ` +
    "Mode switched with the handler's `set`; CPU from the handler's own `stats` (`cpu.total`, all CPUs, whole VM) right before and after each run; " +
    'GB = 10^9 bytes received by iperf3. Cells: median (min–max).',
  '',
);
const perMpk = (rs) => (rs.every((r) => r.softirqPerMpk !== null) ? cell(rs.map((r) => r.softirqPerMpk)) : 'n/a');
L.push('| mode | runs | Mbit/s | softirq % | softirq jiffies/GB | softirq jiffies per M router packets | busy jiffies/GB | iperf3 flows [OFFLOAD] | router ForwDatagrams per run |');
L.push('|---|---|---|---|---|---|---|---|---|');
for (const m of modes) {
  const rs = by[m];
  L.push(
    `| ${m} | ${rs.length} | ${cell(rs.map((r) => r.mbps))} | ${cell(rs.map((r) => r.softirqPct), 1)} | ${cell(rs.map((r) => r.softirqPerGB))} | ${perMpk(rs)} | ` +
      `${cell(rs.map((r) => r.busyPerGB))} | ${rs.filter((r) => r.offloaded).length}/${rs.length} runs | ` +
      `${rs.every((r) => r.forwarded !== null) ? cell(rs.map((r) => r.forwarded)) : 'n/a'} |`,
  );
}
L.push('');
// Per-pair ratios: run i of software against run i of off (adjacent in time), which cancels
// slow drifts of the host's load better than the ratio of the two medians.
const pairs = by.software
  .map((sw) => [sw, by.off.find((o) => o.rep === sw.rep)])
  .filter(([, o]) => o)
  .map(([sw, o]) => sw.softirqPerGB / o.softirqPerGB);
const pairsPk = by.software
  .map((sw) => [sw, by.off.find((o) => o.rep === sw.rep)])
  .filter(([sw, o]) => o && sw.softirqPerMpk !== null && o.softirqPerMpk !== null)
  .map(([sw, o]) => sw.softirqPerMpk / o.softirqPerMpk);
L.push(
  `**Ratio software/off for softirq jiffies per GB: ${fmt(ratio('softirqPerGB'), 2)}** (ratio of the medians; ` +
    `per adjacent pair of runs: median ${fmt(median(pairs), 2)}, ${fmt(Math.min(...pairs), 2)}–${fmt(Math.max(...pairs), 2)}). ` +
    `Other ratios of the medians: busy jiffies per GB ${fmt(ratio('busyPerGB'), 2)}, throughput ${fmt(ratio('mbps'), 2)}, softirq share ${fmt(ratio('softirqPct'), 2)}.`,
  '',
);
L.push(
  `**Direction: ${pairs.filter((x) => x < 1).length} of ${pairs.length} adjacent pairs** had less softirq per GB with software offload than with it off` +
    (pairsPk.length
      ? `; per router packet (softirq jiffies per million packets received on rlan + rwan, the guest's own counters): ${pairsPk.filter((x) => x < 1).length} of ${pairsPk.length} pairs, ` +
        `ratio median ${fmt(median(pairsPk), 2)} (${fmt(Math.min(...pairsPk), 2)}–${fmt(Math.max(...pairsPk), 2)}), ratio of the medians ${fmt(ratio('softirqPerMpk'), 2)}.`
      : '.'),
  '',
);
// The host around the VM (run-guest.sh: _host/samples.tsv every 2 s, _host/pinning.txt with
// --pin): how much else ran while the TCG vCPUs did, which is what makes runs noisy.
const hostLines = () => {
  const out = [];
  if (existsSync(join(dir, '_host/pinning.txt'))) {
    const pins = read('_host/pinning.txt').trim().split('\n').filter(Boolean);
    out.push(`vCPU threads: ${pins.join('; ')}.`);
  } else out.push('vCPU threads: not pinned.');
  const rows = existsSync(join(dir, '_host/samples.tsv'))
    ? read('_host/samples.tsv')
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).map(Number))
        .filter((r) => r.length === 5 && r.every(Number.isFinite))
    : [];
  if (rows.length >= 2) {
    const [a, b] = [rows[0], rows[rows.length - 1]];
    const total = b[3] - a[3];
    const qemu = b[4] - a[4];
    const other = Math.max(0, b[2] - a[2] - qemu);
    const loads = rows.map((r) => r[1]);
    out.push(
      `Host during the VM's run (${rows.length} samples over ${fmt(b[0] - a[0])} s, ${availableParallelism()} host CPUs): ` +
        `load average (1 min) median ${fmt(median(loads), 2)}, max ${fmt(Math.max(...loads), 2)}; ` +
        `QEMU used ${fmt((100 * qemu) / total)} % of the host's CPU time, **all other processes ${fmt((100 * other) / total)} %**. ` +
        'Other processes competing with the TCG vCPU threads make runs noisier (and the guest loses timer ticks: see jiffies per second below); the spread columns show how much.' +
        // measured: 1 % other load gave 0.52 with 8 of 8 pairs, 54 % gave 0.90 with 6 of 8 (2026-12-06)
        (other / total > 0.2 ? ' **This run shared the host with other work: its ratio is not representative; run it again on a quiet host.**' : ''),
    );
  } else out.push('Host load: not sampled.');
  return out;
};
for (const l of hostLines()) L.push(l, '');
const maxSirq = Math.max(...runs.map((r) => r.rawSoftirqDiff));
const maxTot = Math.max(...runs.map((r) => r.rawTotalDiff));
const tx = (m) => {
  const xs = by[m].map((r) => r.wanTxPerByte).filter((x) => x !== null);
  return xs.length ? fmt(median(xs), 3) : 'n/a';
};
L.push(
  `Accounting check: the handler's Δsoftirq differs from raw /proc/stat read just after each \`stats\` call by at most ${maxSirq} jiffies ` +
    `(all jiffies: ${maxTot}); \`cpu.total\` equals the sum of \`cpu.cores\` (within /proc/stat rounding) in ${runs.filter((r) => r.coresOk).length}/${runs.length} runs; ` +
    `jiffies per second of window ${fmt(median(runs.map((r) => r.jiffiesPerS)))} (${params.cpus} CPUs × 100 Hz expected); ` +
    `router rwan tx bytes per iperf3 payload byte (handler \`stats.devices\`): off ${tx('off')}, software ${tx('software')}.`,
  '',
);
L.push('<details><summary>per run</summary>', '');
L.push('| run | mode | Mbit/s | softirq % | softirq jiffies/GB | busy jiffies/GB | [OFFLOAD] | ForwDatagrams | retransmits | window s |');
L.push('|---|---|---|---|---|---|---|---|---|---|');
for (const r of runs) {
  L.push(
    `| ${r.rep} | ${r.mode} | ${fmt(r.mbps)} | ${fmt(r.softirqPct, 1)} | ${fmt(r.softirqPerGB)} | ${fmt(r.busyPerGB)} | ${r.offloaded ? 'yes' : 'no'} | ${r.forwarded ?? ''} | ${r.retransmits ?? ''} | ${fmt(r.windowS, 1)} |`,
  );
}
L.push('', '</details>', '');
writeFileSync(join(dir, 'table.md'), L.join('\n'));
console.log(L.join('\n'));

// The benchmark is only meaningful when the modes really differed.
const bad = [];
if (!by.software.every((r) => r.offloaded)) bad.push('a software run had no [OFFLOAD] iperf3 flow');
if (by.off.some((r) => r.offloaded)) bad.push('an off run had [OFFLOAD] iperf3 flows');
if (runs.some((r) => r.rc !== 0)) bad.push('an iperf3 run failed');
if (runs.some((r) => !r.coresOk)) bad.push("the handler's cpu.total is not the sum of its cores (beyond rounding)");
if (by.software.some((r) => r.forwarded !== null && r.forwarded > r.packets / 100)) bad.push('a software run forwarded more than 1 % of its packets on the slow path');
// raw /proc/stat is read a process start after the handler's sample, so small differences are
// time passing; a wrong column or parse would be off by hundreds
const offBy = runs.filter((r) => r.rawSoftirqDiff > 10 + 0.05 * r.softirq);
if (offBy.length) bad.push(`handler softirq accounting differs from /proc/stat by up to ${maxSirq} jiffies`);
if (bad.length) die(bad.join('; '));
console.log(`bench-kernel: table written to ${join(dir, 'table.md')}`);
