// jx — the kernel tier's tiny JSON query tool (no jq in the guest); runs under the guest's qjs.
// Installed at /usr/share/kt/jx.js.
//
//   qjs /usr/share/kt/jx.js FILE EXPR
//
// Parses FILE ('-' = stdin) as JSON and prints the value of the JavaScript expression EXPR,
// in which `j` is the parsed document: strings raw, everything else as JSON (true, 3, null,
// [..]). Exit status 2 when FILE is not JSON or EXPR throws (message on stderr).
// Example: qjs /usr/share/kt/jx.js status.json 'j.effective.flowtable.devices.join(",")'
import * as std from 'std';

const [file, expr] = scriptArgs.slice(1);
if (!file || !expr) {
  std.err.puts('usage: jx FILE EXPR\n');
  std.exit(2);
}
const fail = (msg) => {
  std.err.puts(`jx: ${msg}\n`);
  std.exit(2);
};
let text;
if (file === '-') text = std.in.readAsString();
else {
  const f = std.open(file, 'r');
  if (!f) fail(`${file}: cannot open`);
  text = f.readAsString();
  f.close();
}
let j;
try {
  j = JSON.parse(text);
} catch (e) {
  fail(`${file}: not JSON (${e.message}): ${text.slice(0, 120)}`);
}
let v;
try {
  v = new Function('j', `return (${expr});`)(j);
} catch (e) {
  fail(`${file}: ${expr}: ${e.message}`);
}
std.out.puts((typeof v === 'string' ? v : JSON.stringify(v)) + '\n');
