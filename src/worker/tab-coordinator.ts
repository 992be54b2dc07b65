import type { CollectionSignal, WriteCoordinator } from '../engine/collection/write-coordinator';

/**
 * One writer per collection across every tab of this origin (Web Locks),
 * and a shout to the other tabs when the collection changes
 * (BroadcastChannel), so they reload their indexes and their lists.
 */
export function createTabCoordinator(databaseName: string): WriteCoordinator {
  const lockName = `sift-write:${databaseName}`;
  const channel = new BroadcastChannel(`sift:${databaseName}`);
  return {
    async exclusive<T>(task: () => Promise<T>, onWait?: () => void): Promise<T> {
      const immediate = await navigator.locks.request(lockName, { ifAvailable: true }, async (lock) =>
        lock ? { value: await task() } : undefined,
      );
      if (immediate) return immediate.value;
      onWait?.();
      return navigator.locks.request(lockName, () => task());
    },
    announce(signal: CollectionSignal) {
      channel.postMessage({ signal });
    },
    subscribe(listener: (signal: CollectionSignal) => void) {
      const onMessage = (event: MessageEvent<{ signal?: CollectionSignal }>) => {
        if (event.data?.signal) listener(event.data.signal);
      };
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
  };
}
