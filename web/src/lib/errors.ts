/** One sentence for any error a call can end with. Pure apart from translation. */
import {
  isHandlerError, isHttpError, isJsonRpcError, isTimeoutError, isUbusError, JSONRPC, UBUS_STATUS_TEXT,
} from '../client';
import { t, fmt } from './i18n';

export function describeError(e: unknown): string {
  if (isHandlerError(e)) {
    if (e.code === 'busy') return fmt(t('Another change is still being applied: %s'), e.detail);
    return e.detail;
  }
  if (isTimeoutError(e)) return fmt(t('No answer from the router within %d s.'), Math.round(e.timeoutMs / 1000));
  if (isUbusError(e)) {
    // rpcd kills an exec plugin at its timeout and answers 5 (no data: nothing was parsed); 7 comes
    // from ubus itself. Our handler always prints an object, so 5 from it means the time limit.
    if (e.status === 7 || (e.status === 5 && e.object === 'luci.offload')) {
      return fmt(t('The router stopped the request after its time limit (ubus code %d). The state shown below is re-read.'), e.status);
    }
    if (e.status === 6) return t('Permission denied by the router (ubus code 6).');
    return fmt(t('The router answered with ubus code %d: %s.'), e.status, UBUS_STATUS_TEXT[e.status] ?? t('Unknown error'));
  }
  if (isJsonRpcError(e)) {
    if (e.code === JSONRPC.ACCESS_DENIED) return t('Access denied: the session has expired or this user lacks the permission.');
    if (e.code === JSONRPC.OBJECT_NOT_FOUND) return t('The luci.offload service is missing on the router. Is the package installed and rpcd restarted?');
    if (e.code === JSONRPC.TIMEOUT) return t('The router gave up waiting for the command (uhttpd timeout).');
    return fmt(t('The router rejected the request (JSON-RPC %d).'), e.code);
  }
  if (isHttpError(e)) {
    return e.status === 0 ? t('The router cannot be reached (network error).') : fmt(t('The router answered with HTTP status %d.'), e.status);
  }
  return e instanceof Error && e.message ? e.message : String(e);
}
