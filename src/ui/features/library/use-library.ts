import { useCallback, useEffect, useRef, useState } from 'react';
import { callback, getEngine } from '../../../client/engine-client';
import type { DocumentSummary } from '../../../engine/collection/collection-state';
import type { IngestProgress } from '../../../engine/ingest/ingest-progress';
import type { DroppedFile } from '../../../worker/engine-api';

export interface FileFailure {
  name: string;
  code: string;
  message: string;
}

export interface IngestView {
  state: 'idle' | 'working' | 'done';
  fileIndex: number;
  fileCount: number;
  currentFile?: string;
  chunksDone: number;
  chunkCount: number;
  etaMs?: number;
  added: number;
  skipped: { name: string; reason: string }[];
  failures: FileFailure[];
  cancelled: boolean;
  resumed: number;
  /** Another tab holds the write lock; this run starts when it finishes. */
  waiting: boolean;
}

const IDLE: IngestView = {
  state: 'idle',
  fileIndex: 0,
  fileCount: 0,
  chunksDone: 0,
  chunkCount: 0,
  added: 0,
  skipped: [],
  failures: [],
  cancelled: false,
  resumed: 0,
  waiting: false,
};

/** The document list and the ingest run that feeds it. */
export function useLibrary(ready: boolean) {
  const [documents, setDocuments] = useState<DocumentSummary[]>([]);
  const [ingest, setIngest] = useState<IngestView>(IDLE);
  const [version, setVersion] = useState(0);
  const [interrupted, setInterrupted] = useState<{ name: string; path: string }[]>([]);
  const [elsewhere, setElsewhere] = useState(false);
  const running = useRef(false);

  const refresh = useCallback(async () => {
    const engine = getEngine();
    const [docs, pending] = await Promise.all([engine.listDocuments(), engine.interrupted()]);
    setDocuments(docs);
    if (!running.current) setInterrupted(pending);
    setVersion((v) => v + 1);
  }, []);

  useEffect(() => {
    if (!ready) return;
    void refresh();
    void getEngine().watchCollection(
      callback((signal: 'busy' | 'changed') => {
        setElsewhere(signal === 'busy' && !running.current);
        if (signal === 'changed') void refresh();
      }),
    );
  }, [ready, refresh]);

  const onProgress = useCallback(
    (p: IngestProgress) => {
      setIngest((view) => reduceProgress(view, p));
      if (p.status === 'file-done' || p.status === 'done') void refresh();
      // Once there is something worth keeping, ask the browser not to evict it under storage pressure.
      if (p.status === 'done' && p.added > 0) void navigator.storage?.persist?.().catch(() => false);
    },
    [refresh],
  );

  const run = useCallback(
    async (start: () => Promise<unknown>) => {
      running.current = true;
      setIngest({ ...IDLE, state: 'working' });
      try {
        await start();
      } catch (error) {
        const e = error as Error & { code?: string };
        setIngest((view) => ({
          ...view,
          state: 'done',
          failures: [...view.failures, { name: 'Indexing', code: e.code ?? 'ERROR', message: e.message }],
        }));
      } finally {
        running.current = false;
        await refresh();
      }
    },
    [refresh],
  );

  const addFiles = useCallback(
    (files: DroppedFile[]) => {
      if (files.length === 0) return;
      setInterrupted([]);
      void run(() => getEngine().ingest(files, callback(onProgress)));
    },
    [run, onProgress],
  );

  const resume = useCallback(() => {
    setInterrupted([]);
    void run(() => getEngine().resume(callback(onProgress)));
  }, [run, onProgress]);

  const discard = useCallback(async () => {
    await getEngine().discardInterrupted();
    await refresh();
  }, [refresh]);

  const cancel = useCallback(() => void getEngine().cancelIngest(), []);

  const remove = useCallback(
    async (id: number) => {
      await getEngine().deleteDocument(id);
      await refresh();
    },
    [refresh],
  );

  return { documents, ingest, addFiles, resume, discard, interrupted, elsewhere, cancel, remove, refresh, version };
}

function reduceProgress(view: IngestView, p: IngestProgress): IngestView {
  switch (p.status) {
    case 'waiting':
      return { ...view, waiting: true };
    case 'started':
      return { ...view, state: 'working', waiting: false, fileCount: p.fileCount, resumed: p.resumed };
    case 'file':
      return {
        ...view,
        fileIndex: p.fileIndex,
        fileCount: p.fileCount,
        currentFile: p.name,
        chunksDone: p.chunksDone,
        chunkCount: p.chunkCount,
        etaMs: p.etaMs,
      };
    case 'file-done':
      return { ...view, added: view.added + 1, chunksDone: p.chunks, chunkCount: p.chunks };
    case 'file-skipped':
      return {
        ...view,
        skipped: [...view.skipped, { name: p.name, reason: p.reason === 'unchanged' ? 'already indexed, unchanged' : `same content as ${p.duplicateOf}` }],
      };
    case 'file-error':
      return { ...view, failures: [...view.failures, { name: p.name, code: p.code, message: p.message }] };
    case 'done':
      return { ...view, state: 'done', cancelled: p.cancelled, currentFile: undefined, etaMs: undefined };
  }
}
