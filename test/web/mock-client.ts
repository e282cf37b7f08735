/**
 * createMockClient(overrides): an OffloadClient whose luci.offload methods,
 * raw calls, batches and login are vi.fn spies. Override a method with a
 * function of its args (return a value or throw a typed error).
 */
import { vi } from 'vitest';
import type { Api, MethodName } from '../../rpcd/src/api/contract';
import type { CallSpec, LoginResult } from '../../web/src/client';
import type { OffloadClient } from '../../web/src/models/types';
import { statusFixture, statsFixture } from './fixtures';

type Handlers = { [M in MethodName]?: (args: Api[M]['args']) => Api[M]['result'] | Promise<Api[M]['result']> };

export interface MockOverrides extends Handlers {
  callRaw?: (spec: CallSpec) => Record<string, unknown> | null | Promise<Record<string, unknown> | null>;
  batch?: (specs: CallSpec[]) => PromiseSettledResult<Record<string, unknown> | null>[] | Promise<PromiseSettledResult<Record<string, unknown> | null>[]>;
  login?: (u: string, p: string) => LoginResult | Promise<LoginResult>;
}

export type MockClient = OffloadClient & {
  call: ReturnType<typeof vi.fn>;
  callRaw: ReturnType<typeof vi.fn>;
  batch: ReturnType<typeof vi.fn>;
  login: ReturnType<typeof vi.fn>;
};

export const SID = '0123456789abcdef0123456789abcdef';

export function createMockClient(o: MockOverrides = {}): MockClient {
  let t = 1_000_000;
  const defaults: Handlers = {
    status: () => statusFixture(),
    stats: () => statsFixture((t += 1000)),
  };
  const client = {
    sid: SID,
    call: vi.fn(async (method: MethodName, args: unknown) => {
      const h = (o[method] ?? defaults[method]) as ((a: unknown) => unknown) | undefined;
      if (!h) throw new Error(`mock client: no handler for ${method}`);
      return h(args);
    }),
    callRaw: vi.fn(async (spec: CallSpec) => (o.callRaw ? o.callRaw(spec) : { access: true })),
    batch: vi.fn(async (specs: CallSpec[]) => (o.batch ? o.batch(specs) : specs.map(() => ({ status: 'rejected' as const, reason: new Error('no batch handler') })))),
    login: vi.fn(async (u: string, p: string) => {
      const r = o.login ? await o.login(u, p) : { ubus_rpc_session: SID, timeout: 300, expires: 300, acls: { ubus: { 'luci.offload': ['*'] } }, data: { username: u } };
      client.sid = r.ubus_rpc_session;
      return r;
    }),
  };
  return client as unknown as MockClient;
}

/** A fulfilled batch entry with `file.read` data. */
export const fileData = (data: string): PromiseFulfilledResult<Record<string, unknown>> => ({ status: 'fulfilled', value: { data } });
export const rejected = (reason: unknown): PromiseRejectedResult => ({ status: 'rejected', reason });

/** Let pending promise callbacks run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}
