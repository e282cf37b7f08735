/**
 * The rpcd exec-plugin protocol (contracts §1): pure functions from argv and
 * stdin text to the one JSON object the plugin prints.
 *
 * - `list`: the signature object, printed at once, touching no file.
 * - `call METHOD`: stdin holds one JSON object (with `ubus_rpc_session` when
 *   the call came over HTTP); exactly one JSON object is printed, an error
 *   object included. rpcd ignores the exit status.
 */
import { METHODS, listSignature, validateArgs, printable, type ErrorCode, type ErrorResult, type MethodName } from './api/contract';

export function errorResult(code: ErrorCode, error: string): ErrorResult {
  return { error, code };
}

/** A parsed invocation: which method with which validated arguments, or the error to print. */
export type Invocation =
  | { kind: 'list'; output: object }
  | { kind: 'call'; method: MethodName; args: Record<string, unknown> }
  | { kind: 'error'; output: ErrorResult };

/** Decide what to do from argv (without the script path) and the text read from stdin. */
export function parseInvocation(argv: string[], readStdin: () => string): Invocation {
  const verb = argv[0];
  if (verb === 'list') return { kind: 'list', output: listSignature() };
  if (verb !== 'call') {
    return {
      kind: 'error',
      output: errorResult('invalid_request', `usage: luci.offload list | call METHOD (got ${verb === undefined ? 'no arguments' : `"${printable(verb)}"`})`),
    };
  }
  const name = argv[1] ?? '';
  if (!Object.prototype.hasOwnProperty.call(METHODS, name)) {
    return {
      kind: 'error',
      output: errorResult('unknown_method', `unknown method "${printable(name)}" (known: ${Object.keys(METHODS).join(', ')})`),
    };
  }
  const method = name as MethodName;
  const raw = readStdin();
  let input: unknown = {};
  if (raw.trim() !== '') {
    try {
      input = JSON.parse(raw);
    } catch (e) {
      return { kind: 'error', output: errorResult('invalid_request', `arguments of ${method} are not valid JSON (${String((e as Error).message).slice(0, 80)})`) };
    }
  }
  const v = validateArgs(method, input);
  if (!v.ok) return { kind: 'error', output: errorResult('invalid_argument', v.error) };
  return { kind: 'call', method, args: v.args };
}

/**
 * Serialise a result for stdout. Always one JSON object: a value that cannot
 * be serialised becomes an internal-error object rather than partial output.
 */
export function serialize(value: unknown): string {
  try {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return JSON.stringify(errorResult('internal', 'handler produced a non-object result'));
    }
    return JSON.stringify(value);
  } catch (e) {
    return JSON.stringify(errorResult('internal', `cannot serialise result: ${String((e as Error).message)}`));
  }
}
