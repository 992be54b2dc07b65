import { useCallback, useEffect, useState } from 'react';
import { getEngine, type EngineApi } from '../../client/engine-client';

type ReadyInfo = Awaited<ReturnType<EngineApi['ready']>>;

export type EngineStatus =
  | { state: 'loading' }
  | { state: 'ready'; info: ReadyInfo }
  | { state: 'error'; message: string };

/** Opens the engine once and reports when its collection and model are loaded; `reload` re-reads the model in use. */
export function useEngineStatus(): EngineStatus & { reload: () => void } {
  const [status, setStatus] = useState<EngineStatus>({ state: 'loading' });
  const reload = useCallback(() => {
    void getEngine()
      .ready()
      .then((info) => setStatus({ state: 'ready', info }));
  }, []);
  useEffect(() => {
    let live = true;
    getEngine()
      .ready()
      .then(
        (info) => live && setStatus({ state: 'ready', info }),
        (error: Error) => live && setStatus({ state: 'error', message: error.message }),
      );
    return () => {
      live = false;
    };
  }, []);
  return { ...status, reload };
}
