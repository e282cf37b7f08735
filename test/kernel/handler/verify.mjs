#!/usr/bin/env node
// Host side of `make test-kernel`: the guest judged itself (checks.txt, exit-code); this
// re-checks the key evidence from the raw captures it sent back, independently of the guest's
// helpers, and prints the flush finding. Usage: node test/kernel/handler/verify.mjs RESULTS_DIR
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'test-results/kernel/handler';
const FALLBACK = 'Hardware flow offloading unavailable, falling back to software offloading';
const IPERF = /src=192\.168\.1\.2 dst=10\.0\.2\.2 sport=\d+ dport=5201 /;
const problems = [];
const text = (f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : (problems.push(`${f} missing`), ''));
const json = (f) => {
  try {
    return JSON.parse(text(f));
  } catch {
    problems.push(`${f} is not JSON`);
    return {};
  }
};
const check = (ok, what) => {
  if (!ok) problems.push(what);
};
const lines = (f) => text(f).split('\n').filter((l) => l.trim() !== '');

const checks = text('checks.txt');
check(text('exit-code').trim() === '0', 'guest exit-code is not 0');
check(!/^FAIL/m.test(checks), `failed guest checks:\n${checks.split('\n').filter((l) => l.startsWith('FAIL')).join('\n')}`);

// 1. set software -> status
const sw = json('status_software.json');
check(sw.effective?.state === 'software', `status after set software: state ${sw.effective?.state}`);
check([...(sw.effective?.flowtable?.devices ?? [])].sort().join() === 'rlan,rwan', 'software flowtable devices are not rlan,rwan');
check(sw.effective?.rule === true, 'software: offload rule missing');
check(/devices = \{ rlan, rwan \}/.test(text('nft_ruleset_software.txt')), 'nft_ruleset_software.txt has no flowtable on rlan, rwan');

// 2. stats/flows vs the raw table of the same moment (counted here, not by the guest)
const raw = lines('nf_conntrack_software.txt');
const nOff = raw.filter((l) => l.includes('[OFFLOAD]')).length;
const iperfRaw = raw.filter((l) => IPERF.test(l));
check(nOff > 0, 'no [OFFLOAD] line in nf_conntrack_software.txt');
check(raw.some((l) => /^ipv4 +2 +tcp +6 +src=.*\[OFFLOAD\]/.test(l)), 'no offloaded line without a timeout column');
check(raw.some((l) => !l.includes('OFFLOAD') && / (icmp|udp) /.test(l)), 'no non-offloaded ICMP/UDP line next to the offloaded ones');
const st = json('stats_software.json');
check(st.conntrack?.offloaded === nOff && st.conntrack?.scanned === raw.length, `stats conntrack ${JSON.stringify(st.conntrack)} vs raw ${raw.length} entries / ${nOff} [OFFLOAD]`);
const fl = json('flows_software.json');
check(fl.total === raw.length && fl.offloaded === nOff, `flows total/offloaded ${fl.total}/${fl.offloaded} vs raw ${raw.length}/${nOff}`);
const iperfFlows = (fl.flows ?? []).filter((f) => f.src === '192.168.1.2' && f.dst === '10.0.2.2' && f.dport === 5201);
check(iperfFlows.length === iperfRaw.length, `flows lists ${iperfFlows.length} iperf3 flows, raw has ${iperfRaw.length}`);
for (const f of iperfFlows) {
  const r = iperfRaw.find((l) => l.includes(` sport=${f.sport} dport=5201 `));
  const want = r && r.includes('[OFFLOAD]') ? 'software' : 'none';
  check(f.offload === want, `flow sport ${f.sport}: offload ${f.offload}, raw says ${want}`);
}
check(iperfFlows[0]?.offload === 'software', 'the largest iperf3 flow is not marked software');

const fwdSw = /forwarded_slow_path=(\d+) iperf_packets~(\d+)/.exec(text('forward_path_software.txt'));
check(fwdSw && Number(fwdSw[1]) < 100 && Number(fwdSw[2]) > 10000, `software: iperf3 packets did not bypass ip_forward (${fwdSw?.[0]})`);

// 3. flush
const fa = json('flush_analysis.json');
check(fa.entry_kept === true && fa.offloaded_at_end === true, 'flush: conntrack entry lost or not offloaded again');
check(fa.iperf?.error === null && text('iperf3_flush.exit').trim() === '0', 'flush: iperf3 did not survive');

// 4. hardware on veth -> fallback with fw4's exact warning
check(json('set_hardware.json').warning === FALLBACK, "set hardware: warning is not fw4's text");
check(json('status_hardware.json').effective?.state === 'hardware-fallback', 'status after set hardware is not hardware-fallback');

// 5. off
check(json('status_off.json').effective?.state === 'off', 'status after set off is not off');
check(!/flowtable/.test(text('nft_ruleset_off.txt')) && /table inet fw4/.test(text('nft_ruleset_off.txt')), 'nft_ruleset_off.txt: fw4 table missing or flowtable present');
check(!lines('nf_conntrack_off.txt').some((l) => IPERF.test(l) && l.includes('OFFLOAD')), 'an iperf3 flow was offloaded with offloading off');
const fwdOff = /forwarded_slow_path=(\d+) iperf_packets~(\d+)/.exec(text('forward_path_off.txt'));
check(fwdOff && Number(fwdOff[1]) > Number(fwdOff[2]) / 2, `off: iperf3 packets did not take ip_forward (${fwdOff?.[0]})`);
check(/new_iperf_flows=[1-9]\d* new_iperf_offloaded=0/.test(text('nf_conntrack_off_counts.txt')), 'off: no new iperf3 flow seen, or one was offloaded');

if (problems.length) {
  console.error(`kernel handler: evidence check FAILED in ${dir}:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
const pass = checks.split('\n').filter((l) => l.startsWith('PASS')).length;
console.log(`kernel handler: OK (${pass} guest checks; evidence re-checked on the host; ${text('summary.txt').split('\n').slice(0, 4).join(', ')})`);
console.log(`  ip_forward: software ${fwdSw[1]} of ~${fwdSw[2]} packets, off ${fwdOff[1]} of ~${fwdOff[2]}`);
console.log(text('flush_finding.txt').trimEnd());
