/**
 * Keeps several tabs on one collection from writing at once, and tells the
 * others when the collection changed. The browser implementation uses Web
 * Locks and BroadcastChannel (src/worker/tab-coordinator.ts); this in-process
 * one serves a single tab, Node tools and tests.
 */
export type CollectionSignal = 'busy' | 'changed';

export interface WriteCoordinator {
  /** Runs `task` as the only writer. `onWait` is called first if another writer holds the lock. */
  exclusive<T>(task: () => Promise<T>, onWait?: () => void): Promise<T>;
  /** Tells other tabs: indexing started ('busy'), or the collection changed. */
  announce(signal: CollectionSignal): void;
  subscribe(listener: (signal: CollectionSignal) => void): () => void;
}

export function createLocalCoordinator(): WriteCoordinator {
  let tail: Promise<unknown> = Promise.resolve();
  let held = false;
  return {
    exclusive<T>(task: () => Promise<T>, onWait?: () => void): Promise<T> {
      if (held) onWait?.();
      const run = tail.then(async () => {
        held = true;
        try {
          return await task();
        } finally {
          held = false;
        }
      });
      tail = run.catch(() => {});
      return run;
    },
    announce() {},
    subscribe: () => () => {},
  };
}
