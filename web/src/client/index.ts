export { UbusClient, DEFAULT_SID, DEFAULT_TIMEOUT_MS, unwrap, type CallSpec, type ClientOptions, type LoginResult } from './ubus-client';
export {
  RpcError, HttpError, TimeoutError, JsonRpcError, UbusError, HandlerError, UBUS_STATUS_TEXT, JSONRPC,
  isHttpError, isTimeoutError, isJsonRpcError, isUbusError, isHandlerError, isAccessDenied,
} from './errors';
