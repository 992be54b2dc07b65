import { joinChunks } from '../indexes/serialization';
import type { Store } from '../storage/store';
import type { IngestFile } from './ingest-progress';

/**
 * The ingest queue lives in storage: every dropped file's bytes are saved
 * before indexing starts and removed once the file is done. A tab killed at
 * any moment leaves exactly the unfinished files here, and the next load can
 * finish the job as if nothing had happened.
 */
const PREFIX = 'queue:';

export interface QueuedFile extends IngestFile {
  queueKey: string;
}

interface QueueMeta extends Record<string, unknown> {
  name: string;
  path: string;
  size: number;
  lastModified: number;
}

export async function enqueueFiles(store: Store, files: readonly IngestFile[]): Promise<(QueuedFile | IngestFile)[]> {
  const queued: (QueuedFile | IngestFile)[] = [];
  if (files.length === 0) return queued;
  const first = await store.allocateIds('queue', files.length);
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    // Zero-padded, so name order is queue order.
    const queueKey = `${PREFIX}${String(first + i).padStart(12, '0')}`;
    let bytes: Uint8Array;
    try {
      bytes = await file.read();
    } catch {
      // Unreadable now: left out of the queue, so the run reports it by name like any other failure.
      queued.push(file as QueuedFile);
      continue;
    }
    const meta: QueueMeta = { name: file.name, path: file.path ?? file.name, size: bytes.byteLength, lastModified: file.lastModified ?? 0 };
    await store.putBlob(queueKey, [bytes], meta);
    // Indexing reads the original file again; the saved copy is only for resuming.
    queued.push({ ...file, size: bytes.byteLength, queueKey });
  }
  return queued;
}

/** Files still waiting from an earlier run (a closed tab, a full disk), oldest first. */
export async function pendingFiles(store: Store): Promise<QueuedFile[]> {
  const files: QueuedFile[] = [];
  for (const queueKey of await store.listBlobNames(PREFIX)) {
    const blob = await store.getBlob(queueKey);
    if (!blob) continue;
    const meta = blob.meta as QueueMeta;
    files.push({
      name: meta.name,
      path: meta.path,
      size: meta.size,
      lastModified: meta.lastModified,
      queueKey,
      read: () => readQueued(store, queueKey),
    });
  }
  return files;
}

export async function dequeue(store: Store, queueKey: string): Promise<void> {
  await store.deleteBlob(queueKey);
}

export async function clearQueue(store: Store): Promise<number> {
  const keys = await store.listBlobNames(PREFIX);
  for (const key of keys) await store.deleteBlob(key);
  return keys.length;
}

async function readQueued(store: Store, queueKey: string): Promise<Uint8Array> {
  const blob = await store.getBlob(queueKey);
  if (!blob) return new Uint8Array(0);
  return joinChunks(blob.parts);
}
