import * as std from 'std';
import * as os from 'os';
import { rooted, BIN_DIRS } from './root';
import { isExecutable } from './fs';

const SIGKILL = 9;

/** What a command did. `code` is null when it did not run or was killed. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why the command could not be run at all (missing binary, no temp file). */
  error: string | null;
  ms: number;
  /** The time limit this command ran under (its own, or less when the call's deadline was nearer). */
  limitMs: number;
}

export interface RunOptions {
  /** Kill the command after this many milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Text written to the command's stdin. */
  input?: string;
}

/** Every command of this call ends by this os.now() instant (see {@link limitCommandsTo}). */
let ceiling = Infinity;

/**
 * Bound every later command of this call: a command's time limit is cut to
 * what is left before `at` (an os.now() instant, monotonic ms); Infinity lifts
 * the bound. This is how `set` keeps the sum of its steps under rpcd's limit.
 */
export function limitCommandsTo(at: number): void {
  ceiling = at;
}

/** Find a command the way the router's PATH would, inside the root. */
export function which(name: string): string | null {
  if (name.startsWith('/')) return isExecutable(name) ? name : null;
  for (const dir of BIN_DIRS) {
    if (isExecutable(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return null;
}

/**
 * Run a command from an argv array — never through a shell, so no argument is
 * ever interpreted (no `$(…)`, quotes or `;`). stdout and stderr go to
 * anonymous temporary files, which cannot deadlock the way a full pipe can,
 * and the child is killed when it outlives its deadline.
 */
export function run(argv: string[], opts: RunOptions = {}): RunResult {
  // Monotonic: a wall clock set by NTP during a reload must not stretch or cut a deadline.
  const started = os.now();
  const limitMs = Math.max(0, Math.floor(Math.min(opts.timeoutMs ?? 10000, ceiling - started)));
  const fail = (error: string, timedOut = false): RunResult => ({ code: null, stdout: '', stderr: '', timedOut, error, ms: Math.round(os.now() - started), limitMs });
  const cmd = argv[0];
  if (!cmd) return fail('empty command');
  const path = which(cmd);
  if (!path) return fail(`${cmd}: command not found`);
  if (limitMs <= 0) return fail(`${cmd} was not started: the time limit of this call is used up`, true);
  // A session leader of its own (setsid execs in place: the child of os.exec
  // leads no group), so a timeout kills fw4 together with the nft it started.
  const setsid = which('setsid');

  const out = std.tmpfile();
  const errf = std.tmpfile();
  const inf = opts.input !== undefined ? std.tmpfile() : null;
  if (!out || !errf || (opts.input !== undefined && !inf)) return fail('cannot create temporary files');
  if (inf) {
    inf.puts(opts.input ?? '');
    inf.flush();
    inf.seek(0, std.SEEK_SET);
  }
  const devnull = inf ? -1 : os.open('/dev/null', os.O_RDONLY);
  const pid = os.exec([...(setsid ? [rooted(setsid)] : []), rooted(path), ...argv.slice(1)], {
    block: false,
    usePath: false,
    stdin: inf ? inf.fileno() : devnull,
    stdout: out.fileno(),
    stderr: errf.fileno(),
  });
  if (devnull >= 0) os.close(devnull);

  const deadline = started + limitMs;
  let status: number | null = null;
  let timedOut = false;
  let nap = 1;
  for (;;) {
    const [ret, st] = os.waitpid(pid, os.WNOHANG);
    if (ret === pid) {
      status = st;
      break;
    }
    if (ret < 0) break;
    if (os.now() >= deadline) {
      // quickjs-libc exports no SIGKILL constant; 9 is SIGKILL on every Linux architecture.
      // The whole group (-pid) when the command leads one, so no grandchild outlives it.
      if (setsid) os.kill(-pid, SIGKILL);
      os.kill(pid, SIGKILL);
      os.waitpid(pid, 0);
      timedOut = true;
      break;
    }
    os.sleep(nap);
    nap = Math.min(nap * 2, 20);
  }
  const slurp = (f: std.FILE): string => {
    f.seek(0, std.SEEK_SET);
    const s = f.readAsString();
    f.close();
    return s;
  };
  const stdout = slurp(out);
  const stderr = slurp(errf);
  inf?.close();
  let code: number | null = null;
  if (status !== null && (status & 0x7f) === 0) code = (status >> 8) & 0xff;
  // os.exec's child exits 127 when execve fails.
  const error = timedOut ? `${cmd} did not finish within ${seconds(limitMs)} and was stopped` : null;
  return { code, stdout, stderr, timedOut, error, ms: Math.round(os.now() - started), limitMs };
}

/** A time limit in words: `10 s`, `2.5 s`, `300 ms`. */
export function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** First line of a command's stderr (or stdout), for error messages. */
export function firstLine(r: RunResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}
