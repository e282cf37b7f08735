/**
 * A minimal observable state holder: models own one, components subscribe
 * through `useStore`. Updates are shallow merges and notify synchronously.
 */
export type Listener = () => void;

export class Store<T extends object> {
  private listeners = new Set<Listener>();
  constructor(private state: T) {}

  get(): T {
    return this.state;
  }

  /** Merge `patch` into the state (a new object, so identity changes) and notify. */
  set(patch: Partial<T>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
