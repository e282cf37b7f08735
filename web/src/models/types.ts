/**
 * What the models need from the transport. `UbusClient` (web/src/client)
 * implements it; tests inject a mock (test/web/mock-client.ts).
 */
import type { Api, MethodName } from '../../../rpcd/src/api/contract';
import type { CallSpec, LoginResult } from '../client';

export interface OffloadClient {
  /** The rpcd session id calls are made with. */
  sid: string;
  call<M extends MethodName>(method: M, args: Api[M]['args'], opts?: { timeoutMs?: number }): Promise<Api[M]['result']>;
  callRaw(spec: CallSpec, opts?: { timeoutMs?: number }): Promise<Record<string, unknown> | null>;
  batch(specs: CallSpec[], opts?: { timeoutMs?: number }): Promise<PromiseSettledResult<Record<string, unknown> | null>[]>;
  login(username: string, password: string): Promise<LoginResult>;
}

/** Options of `LuciOffload.mount()`. */
export interface MountOptions {
  /** LuCI: `L.env.sessionid`. */
  sessionid?: string;
  /** `L.env.ubuspath` ('/ubus/') or '/ubus'. */
  ubuspath?: string;
  /** LuCI's `_()`. */
  translate?: (s: string) => unknown;
  /** LuCI: `L.hasViewPermission() === false`. */
  readonly?: boolean;
  /** LuCI: show LuCI's own session-expired dialog. */
  onSessionExpired?: () => void;
  /** The simulator's standalone page: the panel logs in itself. */
  standalone?: boolean;
  /** Live poll period in ms (default 1000). */
  pollMs?: number;
}
