import { createError, toEngineError } from '../errors';
import type { ChunkRecord, DocumentRecord } from '../storage/records';
import type { Store } from '../storage/store';
import { readCollectionFile, type CollectionFile, type ExportedDocument } from './collection-file-format';

export interface ImportOptions {
  /** Shown in every error message. */
  fileName: string;
  /** The open collection's vector space; vectors from another space are flagged for re-embedding. */
  currentVectorSpace?: string;
  /** Chunks written per transaction for large documents. */
  batchSize?: number;
}

export interface ImportSummary {
  /** Documents that were not in the store before. */
  added: number;
  /** Documents already stored unchanged, or stored under another path. */
  skipped: number;
  /** Documents whose stored version (same path, other content) was replaced. */
  replaced: number;
  /** Chunks written. */
  chunks: number;
  /** True when some imported vectors must be recomputed by the current model on the next open. */
  needsReembedding: boolean;
}

const DEFAULT_BATCH = 512;
// The snapshot key collection.ts and snapshot.ts share: bumping it makes the next open rebuild the indexes.
const VERSION_KEY = 'collection:version';

/**
 * Imports a collection file into a store. The whole file is validated before
 * anything is written, so a damaged file changes nothing. Documents are
 * de-duplicated against the store the way ingest does it: same path and
 * content is skipped, the same content under another path is skipped as a
 * duplicate, and a changed file replaces its stored version. Each document
 * is committed whole (one transaction, or `indexing` until its last batch
 * when large), so a closed tab never leaves a half-imported document.
 *
 * The caller must reopen the collection afterwards: its in-memory indexes do
 * not know about the import, and the saved snapshot is invalidated so the
 * reopen rebuilds them from the stored vectors (re-embedding only documents
 * from another vector space).
 */
export async function importCollection(store: Store, bytes: Uint8Array, options: ImportOptions): Promise<ImportSummary> {
  const { fileName } = options;
  const file = readCollectionFile(bytes, fileName);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const summary: ImportSummary = { added: 0, skipped: 0, replaced: 0, chunks: 0, needsReembedding: false };

  const plan = await planImport(store, file.header.documents, fileName);
  summary.skipped = file.header.documents.length - plan.length;
  if (plan.length === 0) return summary;

  const rowsByDoc = new Map<number, number[]>(plan.map(({ doc }) => [doc.id, []]));
  file.header.chunks.forEach((chunk, row) => rowsByDoc.get(chunk.docId)?.push(row));
  const chunkTotal = plan.reduce((sum, { doc }) => sum + rowsByDoc.get(doc.id)!.length, 0);

  let written = false;
  try {
    let nextDocId = await store.allocateIds('doc', plan.length);
    let nextChunkId = chunkTotal > 0 ? await store.allocateIds('chunk', chunkTotal) : 0;
    for (const { doc, replaces } of plan) {
      const rows = rowsByDoc.get(doc.id)!;
      const record = toDocument(doc, nextDocId++, rows.length, file.header.vectorSpace);
      const chunks = rows.map((row) => toChunk(file, row, record.id, nextChunkId++, doc.vectors));
      written = true;
      await writeDocument(store, record, chunks, batchSize);
      if (replaces) {
        // Like ingest: the old version goes only once the new one is complete.
        await store.deleteDocument(replaces.id);
        summary.replaced++;
      } else {
        summary.added++;
      }
      summary.chunks += chunks.length;
      if (!doc.vectors) summary.needsReembedding = true;
      else if (options.currentVectorSpace !== undefined && file.header.vectorSpace !== options.currentVectorSpace) {
        summary.needsReembedding = true;
      }
    }
  } catch (thrown) {
    const error = toEngineError(thrown, 'STORAGE_FAILED');
    throw createError(error.code, `${fileName}: the import stopped: ${error.message}`, {
      ...error.details,
      file: fileName,
      added: summary.added,
      replaced: summary.replaced,
    });
  } finally {
    if (written) await invalidateSnapshot(store);
  }
  return summary;
}

interface PlannedDocument {
  doc: ExportedDocument;
  /** The stored document this one replaces (same path, other content). */
  replaces?: DocumentRecord;
}

/** Decides, before any write, which file documents to add and which stored ones they replace. */
async function planImport(
  store: Store,
  documents: readonly ExportedDocument[],
  fileName: string,
): Promise<PlannedDocument[]> {
  let stored: DocumentRecord[];
  try {
    stored = (await store.listDocuments()).filter((doc) => doc.status === 'ready');
  } catch (thrown) {
    const error = toEngineError(thrown, 'STORAGE_FAILED');
    throw createError(error.code, `${fileName}: ${error.message}`, { ...error.details, file: fileName });
  }
  const byPath = new Map<string, { path: string; hash: string; record?: DocumentRecord }>();
  const pathsByHash = new Map<string, Set<string>>();
  const remember = (path: string, hash: string, record?: DocumentRecord) => {
    byPath.set(path, { path, hash, record });
    if (!pathsByHash.has(hash)) pathsByHash.set(hash, new Set());
    pathsByHash.get(hash)!.add(path);
  };
  for (const doc of stored) remember(doc.path, doc.hash, doc);

  const plan: PlannedDocument[] = [];
  for (const doc of documents) {
    const previous = byPath.get(doc.path);
    if (previous && previous.hash === doc.hash) continue;
    const twins = pathsByHash.get(doc.hash);
    if (twins && [...twins].some((path) => path !== doc.path)) continue;
    if (previous) pathsByHash.get(previous.hash)?.delete(previous.path);
    remember(doc.path, doc.hash);
    plan.push({ doc, replaces: previous?.record });
  }
  return plan;
}

function toDocument(doc: ExportedDocument, id: number, chunkCount: number, fileSpace: string): DocumentRecord {
  const record: DocumentRecord = {
    id,
    name: doc.name,
    path: doc.path,
    type: doc.type,
    size: doc.size,
    hash: doc.hash,
    lastModified: doc.lastModified,
    addedAt: doc.addedAt,
    status: 'ready',
    chunkCount,
    text: doc.text,
    // '' matches no embedder, so the next open re-embeds documents that came without vectors.
    vectorSpace: doc.vectors ? fileSpace : '',
  };
  if (doc.pages !== undefined) record.pages = doc.pages;
  if (doc.warnings !== undefined) record.warnings = doc.warnings;
  return record;
}

function toChunk(file: CollectionFile, row: number, docId: number, id: number, hasVector: boolean): ChunkRecord {
  const chunk = file.header.chunks[row];
  const { dim } = file.header;
  const record: ChunkRecord = {
    id,
    docId,
    index: chunk.index,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
    headingPath: chunk.headingPath,
    // A copy, not a view: structured clone would otherwise store the whole file's buffer with each chunk.
    vector: hasVector ? file.vectors.slice(row * dim, (row + 1) * dim) : new Float32Array(0),
  };
  if (chunk.page !== undefined) record.page = chunk.page;
  return record;
}

/** One transaction for a normal document; a large one stays `indexing` until its last batch. */
async function writeDocument(store: Store, doc: DocumentRecord, chunks: ChunkRecord[], batchSize: number): Promise<void> {
  if (chunks.length <= batchSize) {
    await store.putChunkBatch(doc, chunks);
    return;
  }
  const pending: DocumentRecord = { ...doc, status: 'indexing' };
  try {
    for (let offset = 0; offset < chunks.length; offset += batchSize) {
      await store.putChunkBatch(pending, chunks.slice(offset, offset + batchSize));
    }
    await store.putDocument(doc);
  } catch (error) {
    await store.deleteDocument(doc.id).catch(() => {
      // Left `indexing`, the next open rolls it back.
    });
    throw error;
  }
}

async function invalidateSnapshot(store: Store): Promise<void> {
  try {
    const version = (await store.getMeta<number>(VERSION_KEY)) ?? 0;
    await store.putMeta(VERSION_KEY, version + 1);
  } catch {
    // The snapshot also records the chunk count, which an import almost always changes.
  }
}
