/** The ubus objects the simulated router exposes, and the status codes of ubus (ubusmsg.h). */
export const UBUS = {
  OK: 0,
  INVALID_COMMAND: 1,
  INVALID_ARGUMENT: 2,
  METHOD_NOT_FOUND: 3,
  NOT_FOUND: 4,
  NO_DATA: 5,
  PERMISSION_DENIED: 6,
  TIMEOUT: 7,
  NOT_SUPPORTED: 8,
  UNKNOWN_ERROR: 9,
  CONNECTION_FAILED: 10,
} as const;

export interface Reply {
  status: number;
  /** Present only when the callee returned a non-empty object. */
  data?: Record<string, unknown>;
}

export interface CallContext {
  /** The session the call runs in (uhttpd appended it as ubus_rpc_session). */
  sid: string;
}

export interface UbusObject {
  name: string;
  /** method → argument → type name, as uhttpd's `list` renders it. */
  signature: Record<string, Record<string, string>>;
  call(method: string, args: Record<string, unknown>, ctx: CallContext): Promise<Reply>;
}

export class Bus {
  private objects = new Map<string, UbusObject>();
  add(o: UbusObject): void {
    this.objects.set(o.name, o);
  }
  get(name: string): UbusObject | undefined {
    return this.objects.get(name);
  }
  names(): string[] {
    return [...this.objects.keys()].sort();
  }
}

export function reply(status: number, data?: Record<string, unknown>): Reply {
  return data && Object.keys(data).length ? { status, data } : { status };
}
