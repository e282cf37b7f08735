/** Abort a fetch after `ms`; the timer is always cleared once the request settles. */
export async function withTimeout<T>(ms: number, run: (signal: AbortSignal) => Promise<T>, onTimeout: () => Error): Promise<T> {
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, ms);
  try {
    return await run(ctrl.signal);
  } catch (e) {
    throw timedOut ? onTimeout() : e;
  } finally {
    clearTimeout(timer);
  }
}
