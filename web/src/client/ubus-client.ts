/**
 * A small fetch-based client for uhttpd's legacy JSON-RPC endpoint (`/ubus`),
 * typed from the API contract. Batches go out as one JSON array.
 */
import { OBJECT, type Api, type MethodName } from '../../../rpcd/src/api/contract';
import { HttpError, JsonRpcError, UbusError, HandlerError, TimeoutError, RpcError } from './errors';
import { withTimeout } from './timeout';

export const DEFAULT_SID = '00000000000000000000000000000000';
/** LuCI's rpc.js default (L.env.rpctimeout ?? 20 s). */
export const DEFAULT_TIMEOUT_MS = 20000;

export interface CallSpec {
  object: string;
  method: string;
  args?: Record<string, unknown>;
}

export interface ClientOptions {
  url: string;
  sid?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface LoginResult {
  ubus_rpc_session: string;
  timeout: number;
  expires: number;
  acls: Record<string, Record<string, string[]>>;
  data: { username?: string };
}

type Envelope = { id?: unknown; result?: unknown; error?: { code: number; message: string } };

/** Turn one JSON-RPC envelope into data or a typed error. */
export function unwrap(env: Envelope, spec: CallSpec): Record<string, unknown> | null {
  if (env.error) throw new JsonRpcError(env.error.code, env.error.message, spec.object, spec.method);
  const r = env.result;
  if (!Array.isArray(r) || typeof r[0] !== 'number') throw new RpcError(`Malformed reply from ${spec.object}.${spec.method}`, spec.object, spec.method);
  if (r[0] !== 0) throw new UbusError(r[0], spec.object, spec.method);
  const data = (r[1] ?? null) as Record<string, unknown> | null;
  if (data && typeof data.error === 'string' && typeof data.code === 'string' && spec.object === OBJECT) {
    throw new HandlerError(data.code, data.error, spec.object, spec.method);
  }
  return data;
}

export class UbusClient {
  sid: string;
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private nextId = 1;

  constructor(o: ClientOptions) {
    this.url = o.url;
    this.sid = o.sid ?? DEFAULT_SID;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchFn = o.fetch ?? ((...a) => fetch(...a));
  }

  private async post(body: unknown, first: CallSpec, timeoutMs: number): Promise<unknown> {
    return withTimeout(
      timeoutMs,
      async (signal) => {
        let res: Response;
        try {
          res = await this.fetchFn(this.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
            credentials: 'same-origin',
            signal,
          });
        } catch (e) {
          if (signal.aborted) throw e;
          throw new HttpError(0, first.object, first.method, { cause: e });
        }
        if (res.status !== 200) throw new HttpError(res.status, first.object, first.method);
        try {
          return await res.json();
        } catch (e) {
          if (signal.aborted) throw e;
          throw new RpcError(`Reply to ${first.object}.${first.method} is not JSON`, first.object, first.method, { cause: e });
        }
      },
      () => new TimeoutError(timeoutMs, first.object, first.method),
    );
  }

  private envelope(spec: CallSpec): object {
    return { jsonrpc: '2.0', id: this.nextId++, method: 'call', params: [this.sid, spec.object, spec.method, spec.args ?? {}] };
  }

  /** Call any ubus object; resolves to its data object (null when it returned none). */
  async callRaw(spec: CallSpec, opts: { timeoutMs?: number } = {}): Promise<Record<string, unknown> | null> {
    const env = (await this.post(this.envelope(spec), spec, opts.timeoutMs ?? this.timeoutMs)) as Envelope;
    return unwrap(env, spec);
  }

  /** Call a `luci.offload` method, typed by the contract. */
  async call<M extends MethodName>(method: M, args: Api[M]['args'], opts: { timeoutMs?: number } = {}): Promise<Api[M]['result']> {
    const spec = { object: OBJECT, method, args: args as Record<string, unknown> };
    const data = await this.callRaw(spec, opts);
    if (!data) throw new UbusError(5, OBJECT, method);
    return data as unknown as Api[M]['result'];
  }

  /**
   * Several calls in one HTTP request (uhttpd runs them in order). Each entry
   * settles on its own: data, or the typed error of that call.
   */
  async batch(specs: CallSpec[], opts: { timeoutMs?: number } = {}): Promise<PromiseSettledResult<Record<string, unknown> | null>[]> {
    if (!specs.length) return [];
    const first = specs[0] as CallSpec;
    const reply = await this.post(specs.map((s) => this.envelope(s)), first, opts.timeoutMs ?? this.timeoutMs);
    if (!Array.isArray(reply)) {
      // uhttpd answers a batch with one error object when the whole body failed.
      const env = reply as Envelope;
      const err = env.error ? new JsonRpcError(env.error.code, env.error.message, first.object, first.method) : new RpcError('Malformed batch reply', first.object, first.method);
      return specs.map(() => ({ status: 'rejected', reason: err }));
    }
    return specs.map((s, i) => {
      try {
        return { status: 'fulfilled', value: unwrap(reply[i] as Envelope, s) };
      } catch (e) {
        return { status: 'rejected', reason: e };
      }
    });
  }

  /** session.login with the default session; on success the client uses the new session. */
  async login(username: string, password: string): Promise<LoginResult> {
    const saved = this.sid;
    this.sid = DEFAULT_SID;
    try {
      const data = await this.callRaw({ object: 'session', method: 'login', args: { username, password } });
      const r = data as unknown as LoginResult;
      this.sid = r.ubus_rpc_session;
      return r;
    } catch (e) {
      this.sid = saved;
      throw e;
    }
  }
}
