/** Subscribe a component to a model's store. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Store } from '../models/store';

export function useStore<T extends object>(store: Store<T>): T {
  const state = store.get();
  const [, force] = useState(0);
  const seen = useRef(state);
  seen.current = state;
  useLayoutEffect(() => {
    const check = (): void => {
      if (store.get() !== seen.current) force((n) => n + 1);
    };
    // The store may have changed between render and subscription.
    check();
    return store.subscribe(check);
  }, [store]);
  return state;
}
