import type { ChunkRecord, DocumentRecord } from '../storage/records';
import type { Store } from '../storage/store';
import {
  writeCollectionFile,
  type CollectionFileHeader,
  type ExportedChunk,
  type ExportedDocument,
} from './collection-file-format';

export interface ExportOptions {
  /**
   * The open collection's vector space. Documents in it keep their vectors
   * even when most stored vectors come from another space (mid-migration).
   */
  vectorSpace?: string;
  /** Clock for `exportedAt`, for tests. */
  now?: () => number;
}

/**
 * Writes every ready document of the store, with its chunks and vectors, to
 * one collection file (see collection-file-format.ts). Documents still being
 * indexed are left out: their ingest resumes in the browser they started in.
 *
 * A file holds vectors of one space only. Documents from any other space,
 * or with vectors of the wrong length, are exported with `vectors: false`
 * (text and chunks only) and are re-embedded where they are imported.
 */
export async function exportCollection(store: Store, options: ExportOptions = {}): Promise<Uint8Array> {
  const documents = latestByPath((await store.listDocuments()).filter((doc) => doc.status === 'ready'));
  const chunksByDoc = new Map<number, ChunkRecord[]>(documents.map((doc) => [doc.id, []]));
  await store.forEachChunk((chunk) => chunksByDoc.get(chunk.docId)?.push(chunk));
  for (const chunks of chunksByDoc.values()) chunks.sort((a, b) => a.index - b.index);

  const space = chooseSpace(documents, chunksByDoc, options.vectorSpace);
  const dim = space?.dim ?? 0;
  const exportedDocs: ExportedDocument[] = [];
  const exportedChunks: ExportedChunk[] = [];
  const rows: (Float32Array | undefined)[] = [];
  for (const doc of documents) {
    const chunks = chunksByDoc.get(doc.id)!;
    const vectors = space !== undefined && spaceOf(doc, chunks) === space.key;
    exportedDocs.push({ ...doc, status: 'ready', chunkCount: chunks.length, vectors });
    for (const { vector, ...chunk } of chunks) {
      exportedChunks.push(chunk);
      rows.push(vectors ? vector : undefined);
    }
  }

  const matrix = new Float32Array(exportedChunks.length * dim);
  rows.forEach((row, i) => {
    if (row) matrix.set(row, i * dim);
  });
  const header: CollectionFileHeader = {
    exportedAt: new Date((options.now ?? Date.now)()).toISOString(),
    app: 'sift',
    vectorSpace: space?.vectorSpace ?? '',
    dim,
    documentCount: exportedDocs.length,
    chunkCount: exportedChunks.length,
    documents: exportedDocs,
    chunks: exportedChunks,
  };
  return writeCollectionFile(header, matrix);
}

interface Space {
  key: string;
  vectorSpace: string;
  dim: number;
}

/** The space (vector-space key and actual vector length) most chunks are in, or the preferred one. */
function chooseSpace(
  documents: readonly DocumentRecord[],
  chunksByDoc: ReadonlyMap<number, ChunkRecord[]>,
  preferred: string | undefined,
): Space | undefined {
  const tally = new Map<string, Space & { chunks: number }>();
  for (const doc of documents) {
    const chunks = chunksByDoc.get(doc.id)!;
    const key = spaceOf(doc, chunks);
    if (key === undefined) continue;
    const entry = tally.get(key) ?? { key, vectorSpace: doc.vectorSpace, dim: chunks[0].vector.length, chunks: 0 };
    entry.chunks += chunks.length;
    tally.set(key, entry);
  }
  let best: (Space & { chunks: number }) | undefined;
  for (const entry of tally.values()) {
    if (preferred !== undefined && entry.vectorSpace === preferred) return entry;
    if (!best || entry.chunks > best.chunks) best = entry;
  }
  return best;
}

/** A document's space key, or undefined when its vectors cannot be exported as they are. */
function spaceOf(doc: DocumentRecord, chunks: readonly ChunkRecord[]): string | undefined {
  if (doc.vectorSpace === '' || chunks.length === 0) return undefined;
  const dim = chunks[0].vector.length;
  if (dim === 0 || chunks.some((chunk) => chunk.vector.length !== dim)) return undefined;
  return `${dim}\n${doc.vectorSpace}`;
}

/**
 * While a changed file is being replaced, its new and old versions are both
 * briefly ready under one path; the newer (higher id) is the one that stays.
 */
function latestByPath(documents: readonly DocumentRecord[]): DocumentRecord[] {
  const byPath = new Map<string, DocumentRecord>();
  for (const doc of documents) {
    const seen = byPath.get(doc.path);
    if (!seen || doc.id > seen.id) byPath.set(doc.path, doc);
  }
  return [...byPath.values()].sort((a, b) => a.id - b.id);
}
