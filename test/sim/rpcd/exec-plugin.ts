/**
 * rpcd exec plugins (contracts §1): `list` once at start, `call METHOD` per
 * request with the JSON arguments on stdin; the exit status is ignored and a
 * plugin missing at call time → 4. The answer is rpcd's plugin.c
 * rpc_plugin_call_finish_cb over json-c's tokener state, also at the exec
 * timeout: exec.c SIGKILLs the plugin and schedules UBUS_STATUS_TIMEOUT, but
 * rpc_exec_reply lets finish_cb replace that status, so a plugin killed
 * before printing anything answers 5 (NO_DATA), not 7. In full: no output →
 * 5; a first complete value that is an object → 0 with it; a complete
 * non-object, invalid JSON, an unfinished value or whitespace only → 2.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { blobJson, firstJsonValue, tokenizeFirst } from './blob-json';
import { UBUS, reply, type Reply, type UbusObject, type CallContext } from './bus';

export interface PluginHost {
  /** Interpreter for `#!/usr/bin/qjs` scripts when /usr/bin/qjs is not on this machine. */
  qjs: string;
  env: NodeJS.ProcessEnv;
  /** rpcd -t (OpenWrt ships 30 s). */
  timeoutMs: number;
  /** Called before each call, e.g. to bring the scenario's /proc up to date. */
  beforeCall?: () => void;
  /** Observer hook: the CPU time the plugin process used (for the observer-cost figure). */
  onExit?: (info: { method: string; ms: number; status: number }) => void;
}

function command(path: string, host: PluginHost): { file: string; args: string[] } {
  const head = readFileSync(path, { encoding: 'utf8', flag: 'r' }).slice(0, 64);
  const m = /^#!\s*(\S+)([^\n]*)/.exec(head);
  if (m && m[1] && /\/qjs$/.test(m[1]) && !existsSync(m[1])) return { file: host.qjs, args: [...(m[2] ?? '').trim().split(/\s+/).filter(Boolean), path] };
  return { file: path, args: [] };
}

/** Map one JSON example value of `list` to the type name uhttpd prints (plugin.c + ubus.c). */
export function hintType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'unknown';
    if (v === 8) return 'boolean';
    if (v === 16 || v === 64) return 'unknown';
    return 'number';
  }
  if (Array.isArray(v)) return 'array';
  if (v && typeof v === 'object') return 'object';
  return 'unknown';
}

export function loadExecPlugin(path: string, name: string, host: PluginHost): UbusObject | null {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st || !st.isFile() || (st.mode & 0o100) === 0) return null;
  const cmd = command(path, host);
  const r = spawnSync(cmd.file, [...cmd.args, 'list'], { env: host.env, stdio: ['ignore', 'pipe', 'ignore'], timeout: 10000, encoding: 'utf8' });
  const parsed = firstJsonValue(r.stdout ?? '');
  if (!parsed || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return null;
  const signature: Record<string, Record<string, string>> = {};
  for (const [m, sig] of Object.entries(parsed.value as Record<string, unknown>)) {
    if (!sig || typeof sig !== 'object' || Array.isArray(sig)) continue;
    signature[m] = Object.fromEntries(Object.entries(sig as Record<string, unknown>).map(([k, v]) => [k, hintType(v)]));
  }
  if (!Object.keys(signature).length) return null;
  return {
    name,
    signature,
    call: (method, args, ctx) => callPlugin(path, method, args, ctx, host, signature),
  };
}

function callPlugin(
  path: string,
  method: string,
  args: Record<string, unknown>,
  ctx: CallContext,
  host: PluginHost,
  signature: Record<string, Record<string, string>>,
): Promise<Reply> {
  if (!(method in signature)) return Promise.resolve(reply(UBUS.METHOD_NOT_FOUND));
  if (!existsSync(path)) return Promise.resolve(reply(UBUS.NOT_FOUND));
  host.beforeCall?.();
  const started = Date.now();
  return new Promise((resolve) => {
    const cmd = command(path, host);
    const child = spawn(cmd.file, [...cmd.args, 'call', method], { env: host.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let done = false;
    const finish = (r: Reply): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      host.onExit?.({ method, ms: Date.now() - started, status: r.status });
      resolve(r);
    };
    /** rpc_plugin_call_finish_cb: the tokener's state decides, whatever status was scheduled. */
    const answer = (): Reply => {
      if (out === '') return reply(UBUS.NO_DATA);
      const v = tokenizeFirst(out);
      if (v.state !== 'success' || !v.value || typeof v.value !== 'object' || Array.isArray(v.value)) return reply(UBUS.INVALID_ARGUMENT);
      return reply(UBUS.OK, v.value as Record<string, unknown>);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(answer());
    }, host.timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stderr.resume();
    child.on('error', () => finish(reply(UBUS.NOT_FOUND)));
    child.on('close', () => finish(answer()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(blobJson({ ...args, ubus_rpc_session: ctx.sid }));
  });
}
