import { deserializeIndex, joinChunks, splitIntoChunks } from '../indexes/serialization';
import { Bm25Index } from '../text/bm25-index';
import type { CollectionState } from './collection-state';
import { servesDescription } from './index-policy';

const VECTOR_BLOB = 'index:vectors';
const LEXICAL_BLOB = 'index:bm25';
// IndexedDB rejects single values over ~255 MB and large values are slow to
// clone; 8 MiB pieces sit in the measured sweet spot.
const PIECE_BYTES = 8 * 1024 * 1024;

interface SnapshotMeta extends Record<string, unknown> {
  version: number;
  vectorSpace: string;
  count: number;
  /** The faiss-style description of the saved vector index. */
  description: string;
}

/** Writes the vector and lexical indexes, so the next load needs no rebuild. */
export async function saveSnapshot(state: CollectionState, vectorSpace: string, description: string): Promise<void> {
  const meta: SnapshotMeta = { version: state.version, vectorSpace, count: state.vectors.size, description };
  const vectorBytes = state.vectors.serialize();
  const lexicalBytes = state.lexical.serialize();
  await state.store.putBlob(VECTOR_BLOB, splitIntoChunks(vectorBytes, PIECE_BYTES), meta);
  await state.store.putBlob(LEXICAL_BLOB, splitIntoChunks(lexicalBytes, PIECE_BYTES), meta);
  await state.store.putMeta('collection:version', state.version);
}

/**
 * Identifies what is stored now. Every persist writes a new one, so another
 * tab can tell its in-memory indexes are stale by comparing it.
 */
export async function stampGeneration(state: Pick<CollectionState, 'store'>): Promise<string> {
  const generation = crypto.randomUUID();
  await state.store.putMeta('collection:generation', generation);
  return generation;
}

export function storedGeneration(state: Pick<CollectionState, 'store'>): Promise<string | undefined> {
  return state.store.getMeta<string>('collection:generation');
}

/**
 * Loads the saved indexes when they match what is stored now. Returns
 * undefined when there is no usable snapshot, and the caller rebuilds from
 * the stored chunk vectors instead (no re-embedding).
 */
export async function loadSnapshot(
  state: Pick<CollectionState, 'store'>,
  expected: { version: number; vectorSpace: string; chunkCount: number; description: string },
): Promise<{ vectors: CollectionState['vectors']; lexical: Bm25Index; description: string } | undefined> {
  try {
    const [vectorBlob, lexicalBlob] = await Promise.all([
      state.store.getBlob(VECTOR_BLOB),
      state.store.getBlob(LEXICAL_BLOB),
    ]);
    if (!vectorBlob || !lexicalBlob) return undefined;
    const vectorMeta = vectorBlob.meta as SnapshotMeta;
    const lexicalMeta = lexicalBlob.meta as SnapshotMeta;
    if (
      vectorMeta.version !== expected.version ||
      lexicalMeta.version !== expected.version ||
      vectorMeta.vectorSpace !== expected.vectorSpace ||
      vectorMeta.count !== expected.chunkCount ||
      // Settings changed (or the collection crossed a size threshold): build the right kind instead.
      !servesDescription(vectorMeta.description, expected.description)
    ) {
      return undefined;
    }
    const vectors = deserializeIndex(joinChunks(vectorBlob.parts));
    const lexical = Bm25Index.deserialize(joinChunks(lexicalBlob.parts));
    if (vectors.size !== expected.chunkCount || lexical.size !== expected.chunkCount) return undefined;
    return { vectors, lexical, description: vectorMeta.description };
  } catch {
    // A corrupt snapshot is only a cache: the chunks are the source of truth.
    return undefined;
  }
}
