/**
 * Typed errors of the ubus client. Every error names the object and method it
 * concerns and keeps its cause. `isX()` guards compare `name`, so they also
 * work across realms.
 */

/** ubus status codes as LuCI's rpc.js words them (getStatusText). */
export const UBUS_STATUS_TEXT: Readonly<Record<number, string>> = {
  0: 'Command OK',
  1: 'Invalid command',
  2: 'Invalid argument',
  3: 'Method not found',
  4: 'Resource not found',
  5: 'No data received',
  6: 'Permission denied',
  7: 'Request timeout',
  8: 'Not supported',
  9: 'Unspecified error',
  10: 'Connection lost',
  11: 'Out of memory',
  12: 'Parsing message data failed',
  13: 'System error',
};

/** JSON-RPC error codes uhttpd sends (ubus.c json_errors). */
export const JSONRPC = {
  PARSE: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  OBJECT_NOT_FOUND: -32000,
  SESSION_NOT_FOUND: -32001,
  ACCESS_DENIED: -32002,
  TIMEOUT: -32003,
} as const;

export class RpcError extends Error {
  override name: string = 'RpcError';
  constructor(
    message: string,
    readonly object: string,
    readonly method: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The HTTP request failed or the server answered with a non-200 status. */
export class HttpError extends RpcError {
  override name = 'HttpError' as const;
  constructor(readonly status: number, object: string, method: string, options?: { cause?: unknown }) {
    super(status === 0 ? `Network error calling ${object}.${method}` : `HTTP ${status} calling ${object}.${method}`, object, method, options);
  }
}

/** No answer within the client's deadline (the request was aborted). */
export class TimeoutError extends RpcError {
  override name = 'TimeoutError' as const;
  constructor(readonly timeoutMs: number, object: string, method: string) {
    super(`No answer from ${object}.${method} within ${Math.round(timeoutMs / 1000)} s`, object, method);
  }
}

/** A JSON-RPC error object from uhttpd (-32002 access denied, -32000 object not found, …). */
export class JsonRpcError extends RpcError {
  override name = 'JsonRpcError' as const;
  constructor(readonly code: number, serverMessage: string, object: string, method: string) {
    super(`${object}.${method} failed: ${serverMessage} (JSON-RPC ${code})`, object, method);
  }
}

/** A non-zero ubus status in `result:[status]` (7 = the handler timed out, 6 = denied inside rpcd …). */
export class UbusError extends RpcError {
  override name = 'UbusError' as const;
  constructor(readonly status: number, object: string, method: string) {
    super(`RPC call to ${object}/${method} failed with ubus code ${status}: ${UBUS_STATUS_TEXT[status] ?? 'Unknown error'}`, object, method);
  }
}

/** The handler answered with its own `{error, code}` object. */
export class HandlerError extends RpcError {
  override name = 'HandlerError' as const;
  constructor(readonly code: string, readonly detail: string, object: string, method: string) {
    super(detail, object, method);
  }
}

const is = (e: unknown, name: string): boolean => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name;
export const isHttpError = (e: unknown): e is HttpError => is(e, 'HttpError');
export const isTimeoutError = (e: unknown): e is TimeoutError => is(e, 'TimeoutError');
export const isJsonRpcError = (e: unknown): e is JsonRpcError => is(e, 'JsonRpcError');
export const isUbusError = (e: unknown): e is UbusError => is(e, 'UbusError');
export const isHandlerError = (e: unknown): e is HandlerError => is(e, 'HandlerError');

/** uhttpd answers -32002 for an expired, unknown or forged session as well as for a missing ACL. */
export const isAccessDenied = (e: unknown): boolean => isJsonRpcError(e) && e.code === JSONRPC.ACCESS_DENIED;
