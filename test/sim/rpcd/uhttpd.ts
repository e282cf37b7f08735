/**
 * uhttpd's legacy JSON-RPC endpoint `POST /ubus` (contracts §3.3): batches,
 * the 64 KiB body limit, the check order (object lookup → -32000, then
 * session.access → -32002), `result:[status(,data)]` for every ubus status.
 */
import { blobJson } from './blob-json';
import { UBUS, type Bus } from './bus';
import type { Sessions } from './session';

export const MAX_POST_SIZE = 65536;

/** uloop_timeout_set(&du->timeout, 1). */
export const BATCH_TIMER_MS = 1;
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, BATCH_TIMER_MS));

const ERRORS = {
  PARSE: [-32700, 'Parse error'],
  REQUEST: [-32600, 'Invalid request'],
  METHOD: [-32601, 'Method not found'],
  PARAMS: [-32602, 'Invalid parameters'],
  INTERNAL: [-32603, 'Internal error'],
  OBJECT: [-32000, 'Object not found'],
  SESSION: [-32001, 'Session not found'],
  ACCESS: [-32002, 'Access denied'],
  TIMEOUT: [-32003, 'ubus request timed out'],
} as const;

function errorReply(id: unknown, e: readonly [number, string]): string {
  return `{"jsonrpc":"2.0","id":${blobJson(id ?? null)},"error":{"code":${e[0]},"message":"${e[1]}"}}`;
}

export interface EndpointOptions {
  /** uhttpd -t: script timeout (60 s on OpenWrt). */
  scriptTimeoutMs: number;
  /** Observer hook for tests and benchmarks. */
  onCall?: (object: string, method: string, status: number) => void;
}

export class UbusEndpoint {
  constructor(private bus: Bus, private sessions: Sessions, private opts: EndpointOptions) {}

  /** Handle one POST body; returns the response body (always HTTP 200, application/json). */
  async handle(body: Buffer): Promise<string> {
    if (body.length > MAX_POST_SIZE) return errorReply(null, ERRORS.PARSE);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return errorReply(null, ERRORS.PARSE);
    }
    if (Array.isArray(parsed)) {
      const out: string[] = [];
      // uhttpd (ubus.c uh_ubus_next_batched_request) starts each member on a 1 ms uloop timer
      // once the previous one has answered, and completes the batch on one more: n + 1 timers.
      for (const item of parsed) {
        await tick();
        out.push(await this.one(item));
      }
      await tick();
      return `[${out.join(',')}]`;
    }
    return this.one(parsed);
  }

  private async one(req: unknown): Promise<string> {
    if (!req || typeof req !== 'object' || Array.isArray(req)) return errorReply(null, ERRORS.PARSE);
    const r = req as Record<string, unknown>;
    const id = r.id ?? null;
    if (r.jsonrpc !== '2.0' || typeof r.method !== 'string') return errorReply(id, ERRORS.REQUEST);
    if (r.method === 'list') return this.list(id, r.params);
    if (r.method !== 'call') return errorReply(id, ERRORS.METHOD);
    const p = r.params;
    if (!Array.isArray(p) || typeof p[0] !== 'string' || typeof p[1] !== 'string' || typeof p[2] !== 'string' ||
      !p[3] || typeof p[3] !== 'object' || Array.isArray(p[3])) {
      return errorReply(id, ERRORS.PARSE);
    }
    const [sid, objName, method, args] = p as [string, string, string, Record<string, unknown>];
    if ('ubus_rpc_session' in args) return errorReply(id, ERRORS.PARAMS);
    const obj = this.bus.get(objName);
    if (!obj) return errorReply(id, ERRORS.OBJECT);
    if (!this.sessions.allowed(sid, 'ubus', objName, method)) return errorReply(id, ERRORS.ACCESS);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), this.opts.scriptTimeoutMs)));
    const result = await Promise.race([obj.call(method, args, { sid }), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') return errorReply(id, ERRORS.TIMEOUT);
    this.opts.onCall?.(objName, method, result.status);
    const res = result.data ? `[${result.status},${blobJson(result.data)}]` : `[${result.status}]`;
    return `{"jsonrpc":"2.0","id":${blobJson(id)},"result":${res}}`;
  }

  private list(id: unknown, params: unknown): string {
    if (!Array.isArray(params)) return `{"jsonrpc":"2.0","id":${blobJson(id)},"result":${blobJson(this.bus.names())}}`;
    const out: Record<string, unknown> = {};
    for (const pat of params) {
      if (typeof pat !== 'string') continue;
      const re = new RegExp('^' + pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
      for (const name of this.bus.names()) if (re.test(name)) out[name] = this.bus.get(name)?.signature;
    }
    return `{"jsonrpc":"2.0","id":${blobJson(id)},"result":${blobJson(out)}}`;
  }
}

export { UBUS };
