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
};

/** The document list and the ingest run that feeds it. */
export function useLibrary(ready: boolean) {
  const [documents, setDocuments] = useState<DocumentSummary[]>([]);
  const [ingest, setIngest] = useState<IngestView>(IDLE);
  const [version, setVersion] = useState(0);
  const running = useRef(false);

  const refresh = useCallback(async () => {
    setDocuments(await getEngine().listDocuments());
    setVersion((v) => v + 1);
  }, []);

  useEffect(() => {
    if (ready) void refresh();
  }, [ready, refresh]);

  const onProgress = useCallback(
    (p: IngestProgress) => {
      setIngest((view) => reduceProgress(view, p));
      if (p.status === 'file-done' || p.status === 'done') void refresh();
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
      void run(() => getEngine().ingest(files, callback(onProgress)));
    },
    [run, onProgress],
  );

  const resume = useCallback(() => void run(() => getEngine().resume(callback(onProgress))), [run, onProgress]);

  const cancel = useCallback(() => void getEngine().cancelIngest(), []);

  const remove = useCallback(
    async (id: number) => {
      await getEngine().deleteDocument(id);
      await refresh();
    },
    [refresh],
  );

  return { documents, ingest, addFiles, resume, cancel, remove, version };
}

function reduceProgress(view: IngestView, p: IngestProgress): IngestView {
  switch (p.status) {
    case 'started':
      return { ...view, state: 'working', fileCount: p.fileCount, resumed: p.resumed };
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
