/** The stand-ins' own command runner (QuickJS): argv only, output through temp files, a deadline. */
import * as std from 'std';
import * as os from 'os';
import { rooted, isExecutable } from './fs';

export interface Ran {
  /** Exit status, or null when the command is missing, was killed or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The command was not found in the root's PATH directories. */
  missing: boolean;
}

const DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function which(name: string): string | null {
  if (name.startsWith('/')) return isExecutable(name) ? name : null;
  for (const d of DIRS) if (isExecutable(`${d}/${name}`)) return `${d}/${name}`;
  return null;
}

export function run(argv: string[], opts: { input?: string; timeoutMs?: number } = {}): Ran {
  const path = argv[0] ? which(argv[0]) : null;
  if (!path) return { code: null, stdout: '', stderr: `${argv[0]}: not found\n`, missing: true };
  const out = std.tmpfile();
  const err = std.tmpfile();
  const inp = std.tmpfile();
  if (!out || !err || !inp) return { code: null, stdout: '', stderr: 'no temporary files\n', missing: false };
  inp.puts(opts.input ?? '');
  inp.flush();
  inp.seek(0, std.SEEK_SET);
  const pid = os.exec([rooted(path), ...argv.slice(1)], { block: false, usePath: false, stdin: inp.fileno(), stdout: out.fileno(), stderr: err.fileno() });
  const deadline = Date.now() + (opts.timeoutMs ?? 60000);
  let status: number | null = null;
  for (;;) {
    const [ret, st] = os.waitpid(pid, os.WNOHANG);
    if (ret === pid) {
      status = st;
      break;
    }
    if (ret < 0) break;
    if (Date.now() > deadline) {
      os.kill(pid, 9);
      os.waitpid(pid, 0);
      break;
    }
    os.sleep(2);
  }
  const slurp = (f: std.FILE): string => {
    f.seek(0, std.SEEK_SET);
    const s = f.readAsString();
    f.close();
    return s;
  };
  inp.close();
  const code = status !== null && (status & 0x7f) === 0 ? (status >> 8) & 0xff : null;
  return { code, stdout: slurp(out), stderr: slurp(err), missing: false };
}
