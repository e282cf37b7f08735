// Proves the real QuickJS runs in the guest: reads /proc/stat with the std module
// (as the rpcd handler does) and prints one JSON line.
// NB: std.loadFile() returns "" for /proc files (it sizes the file with ftell, and proc
// files report size 0); std.open() + readAsString() reads them. Both lengths are printed.
import * as std from 'std';

const f = std.open('/proc/stat', 'r');
if (f === null) throw new Error('cannot open /proc/stat');
const text = f.readAsString();
f.close();
const viaLoadFile = std.loadFile('/proc/stat');
const lines = text.split('\n');
const cpu = lines[0].trim().split(/\s+/);
const cpus = lines.filter((l) => /^cpu\d+ /.test(l)).length;
// cpu user nice system idle iowait irq softirq steal ...
const nums = cpu.slice(1).map(Number);
const total = nums.reduce((a, b) => a + b, 0);
std.out.puts(
	JSON.stringify({
		label: cpu[0],
		cpus,
		softirq: nums[6],
		total,
		readAsStringLength: text.length,
		loadFileLength: viaLoadFile === null ? null : viaLoadFile.length,
	}) + '\n',
);
