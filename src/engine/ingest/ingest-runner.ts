import { createError, toEngineError, type EngineError } from '../errors';
import type { Collection } from '../collection/collection';
import { summarize } from '../collection/collection';
import { sha256Hex } from '../collection/hash';
import { lexicalText } from '../collection/lexical-text';
import type { ChunkRecord, DocumentRecord } from '../storage/records';
import type { ProcessDocument, ProcessedChunk } from './document-processor';
import type { IngestFile, IngestProgress, IngestSummary } from './ingest-progress';
import { dequeue, type QueuedFile } from './ingest-queue';
import { CachingEmbedder } from '../embedding/caching-embedder';

export interface IngestOptions {
  onProgress?: (progress: IngestProgress) => void;
  signal?: AbortSignal;
  /** Files larger than this are refused with FILE_TOO_LARGE. */
  maxFileBytes?: number;
  /** Chunks embedded and committed together. */
  batchSize?: number;
  now?: () => number;
  /** How many of `files` are re-queued interrupted files (reported only). */
  resumed?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Parses, chunks, embeds and stores files in batches. Each batch commits in
 * one transaction, and a document stays `indexing` until its last batch, so
 * a killed tab leaves nothing half-visible: the next open rolls the document
 * back, and the file is still in the stored queue (see ingest-queue) until
 * it is finished, so nothing is lost either.
 */
export async function ingestFiles(
  collection: Collection,
  process: ProcessDocument,
  files: readonly (IngestFile | QueuedFile)[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const { state } = collection;
  const { store, embedder } = state;
  const emit = options.onProgress ?? (() => {});
  const now = options.now ?? (() => Date.now());
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const batchSize = options.batchSize ?? 32;
  const dim = embedder.info.dim;
  const summary: IngestSummary = { added: 0, skipped: 0, failed: 0, chunks: 0, cancelled: false, errors: [] };

  const totalBytes = files.reduce((sum, f) => sum + Math.max(1, f.size), 0);
  let bytesDone = 0;
  const started = now();
  const eta = (fraction: number): number | undefined => {
    const done = bytesDone + fraction;
    const elapsed = now() - started;
    return done > 0 && elapsed > 500 ? (elapsed * (totalBytes - done)) / done : undefined;
  };

  emit({ status: 'started', fileCount: files.length, resumed: options.resumed ?? 0 });

  const fail = (name: string, error: EngineError) => {
    summary.failed++;
    summary.errors.push({ name, code: error.code, message: error.message });
    emit({ status: 'file-error', name, code: error.code, message: error.message });
  };

  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    if (options.signal?.aborted) {
      summary.cancelled = true;
      break;
    }
    const file = files[fileIndex];
    const done = async () => {
      if ('queueKey' in file) await dequeue(store, file.queueKey);
    };
    const fileBytes = Math.max(1, file.size);
    const path = file.path ?? file.name;
    let docId: number | undefined;
    try {
      if (file.size > maxBytes) {
        throw createError(
          'FILE_TOO_LARGE',
          `${file.name}: the file is ${formatBytes(file.size)}, over the ${formatBytes(maxBytes)} limit set in Settings.`,
          { file: file.name, size: file.size, limit: maxBytes },
        );
      }
      const bytes = await file.read();
      const hash = await sha256Hex(bytes);
      const previous = await store.findDocumentByPath(path);
      if (previous && previous.hash === hash && previous.status === 'ready') {
        summary.skipped++;
        emit({ status: 'file-skipped', name: file.name, reason: 'unchanged' });
        bytesDone += fileBytes;
        await done();
        continue;
      }
      const twin = [...state.documents.values()].find((d) => d.hash === hash && d.path !== path);
      if (twin) {
        summary.skipped++;
        emit({ status: 'file-skipped', name: file.name, reason: 'duplicate', duplicateOf: twin.path });
        bytesDone += fileBytes;
        await done();
        continue;
      }

      emit(fileProgress(file.name, fileIndex, files.length, 'parsing', 0, 0, eta(0)));
      // Chunks are measured in the model's own tokens and never exceed what it reads.
      const sizing = { countTokens: embedder.countTokens?.bind(embedder), maxTokens: embedder.passageTokenBudget };
      const processed = await process({ name: file.name, path, bytes }, sizing);
      if (processed.chunks.length === 0) {
        throw createError('EMPTY_FILE', `${file.name}: no text could be found in this file.`, { file: file.name });
      }

      docId = await store.allocateIds('doc', 1);
      const doc: DocumentRecord = {
        id: docId,
        name: file.name,
        path,
        type: extensionOf(file.name),
        size: bytes.byteLength,
        hash,
        lastModified: file.lastModified ?? 0,
        addedAt: now(),
        status: 'indexing',
        chunkCount: 0,
        text: processed.text,
        pages: processed.pages,
        warnings: processed.warnings,
        vectorSpace: collection.vectorSpace,
      };
      await store.putDocument(doc);

      if (previous && previous.vectorSpace === collection.vectorSpace && embedder instanceof CachingEmbedder) {
        // An edited file: passages that did not change keep their vectors.
        const oldIds = await store.chunkIdsOfDocument(previous.id);
        const oldChunks = (await store.getChunks(oldIds)).filter((c) => c !== undefined);
        embedder.prime(oldChunks.map((c) => ({ text: c.text, vector: c.vector })));
      }
      const total = processed.chunks.length;
      for (let offset = 0; offset < total; offset += batchSize) {
        if (options.signal?.aborted) throw createError('CANCELLED', 'Cancelled.');
        const slice = processed.chunks.slice(offset, offset + batchSize);
        emit(fileProgress(file.name, fileIndex, files.length, 'embedding', offset, total, eta((fileBytes * offset) / total)));
        const vectors = await embedder.embed(slice.map((c) => c.text), 'passage');
        const firstId = await store.allocateIds('chunk', slice.length);
        const records = slice.map((chunk, i) =>
          toRecord(chunk, firstId + i, docId!, offset + i, vectors.subarray(i * dim, (i + 1) * dim)),
        );
        doc.chunkCount = offset + slice.length;
        await store.putChunkBatch(doc, records);
        // Memory follows storage: indexes change only after the batch committed.
        state.vectors.add(Uint32Array.from(records.map((r) => r.id)), vectors);
        for (const record of records) {
          state.lexical.add(record.id, lexicalText(record));
          state.chunkToDoc.set(record.id, docId);
        }
        state.documents.set(docId, summarize(doc));
        state.version++;
      }

      doc.status = 'ready';
      await store.putDocument(doc);
      state.documents.set(docId, summarize(doc));
      if (previous) {
        // A changed file replaces its old version only once the new one is complete.
        const oldChunks = await store.deleteDocument(previous.id);
        collection.forget(previous.id, oldChunks);
      }
      await done();
      summary.added++;
      summary.chunks += total;
      bytesDone += fileBytes;
      emit({ status: 'file-done', name: file.name, chunks: total });
    } catch (thrown) {
      const error = toEngineError(thrown, 'PARSE_FAILED');
      if (docId !== undefined) await rollBack(collection, docId);
      if (error.code === 'CANCELLED') {
        summary.cancelled = true;
        break;
      }
      fail(file.name, withFileName(error, file.name));
      bytesDone += fileBytes;
      // A full disk fails every later file too: stop cleanly, say why once, and
      // keep this and the remaining files queued for when space is freed.
      if (error.code === 'QUOTA_EXCEEDED') break;
      await done().catch(() => {});
    }
  }

  await collection.persist().catch(() => {
    // The snapshot is a cache; the next open rebuilds it from the chunks.
  });
  emit({ status: 'done', ...pick(summary) });
  return summary;
}

async function rollBack(collection: Collection, docId: number): Promise<void> {
  try {
    const chunkIds = await collection.state.store.deleteDocument(docId);
    collection.forget(docId, chunkIds);
  } catch {
    // If even the rollback cannot write, the document stays 'indexing' and the next open rolls it back.
  }
}

function toRecord(chunk: ProcessedChunk, id: number, docId: number, index: number, vector: Float32Array): ChunkRecord {
  return {
    id,
    docId,
    index,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
    headingPath: chunk.headingPath,
    page: chunk.page,
    vector: vector.slice(),
  };
}

function fileProgress(
  name: string,
  fileIndex: number,
  fileCount: number,
  phase: 'parsing' | 'embedding',
  chunksDone: number,
  chunkCount: number,
  etaMs: number | undefined,
): IngestProgress {
  return { status: 'file', name, fileIndex, fileCount, phase, chunksDone, chunkCount, etaMs };
}

function withFileName(error: EngineError, name: string): EngineError {
  if (error.message.includes(name)) return error;
  return createError(error.code, `${name}: ${error.message}`, { ...error.details, file: name });
}

function pick(summary: IngestSummary) {
  const { added, skipped, failed, chunks, cancelled } = summary;
  return { added, skipped, failed, chunks, cancelled };
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
