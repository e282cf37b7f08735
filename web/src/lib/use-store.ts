/** Subscribe a component to a model's store. */
import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../models/store';

export function useStore<T extends object>(store: Store<T>): T {
  const [, force] = useState(0);
  useEffect(() => store.subscribe(() => force((n) => n + 1)), [store]);
  return store.get();
}
