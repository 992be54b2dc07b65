import { useEffect, useState } from 'react';
import { registerServiceWorker, type UpdateHandle } from '../../client/service-worker';

let pending: UpdateHandle | undefined;
const listeners = new Set<(update: UpdateHandle) => void>();
let registered = false;

/** A waiting new version of the app, if there is one. */
export function useAppUpdate(): UpdateHandle | undefined {
  const [update, setUpdate] = useState<UpdateHandle | undefined>(pending);
  useEffect(() => {
    listeners.add(setUpdate);
    if (!registered) {
      registered = true;
      registerServiceWorker((u) => {
        pending = u;
        listeners.forEach((l) => l(u));
      });
    }
    return () => {
      listeners.delete(setUpdate);
    };
  }, []);
  return update;
}
