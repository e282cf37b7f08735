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

/**
 * LuCI's poll loop (`L.Poll`, the object `'require poll'` gives): registered
 * functions run on its 1 s step while it is active; its "Refreshing / Paused"
 * indicator stops and starts it, announced by `poll-stop` / `poll-start`
 * events on the document.
 */
export interface PollControl {
  add(fn: () => unknown, intervalSeconds: number): unknown;
  remove(fn: () => unknown): unknown;
  active(): boolean;
}

/** What the panel needs of the document: Page Visibility and events (LuCI's poll-start/-stop). */
export type DocumentLike = Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'> | (EventTarget & { hidden: boolean });

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
  /** LuCI: its poll loop, so LuCI's "pause polling" pauses the panel too. */
  poll?: PollControl;
}
