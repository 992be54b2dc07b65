/** Public API of the vector indexes; anything not re-exported here is internal. */
export type { IndexKind, Metric, SearchParams, SearchResult, VectorIndex } from './vector-index';
export { similarityFromDistance } from './vector-index';
export { FlatIndex } from './flat-index';
export { HnswIndex } from './hnsw-index';
export type { HnswOptions } from './hnsw-index';
export { IvfIndex } from './ivf-index';
export type { IvfOptions } from './ivf-index';
export { IvfPqIndex } from './ivf-pq-index';
export type { IvfPqOptions, RefineKind } from './ivf-pq-index';
export { PqIndex } from './pq-index';
export type { PqOptions } from './pq-index';
export { Sq8Index } from './sq8-index';
export { createIndex } from './factory';
export type { IndexOptions } from './factory';
export { recallAtK } from './recall';
export { rerankExact, searchWithExactRerank } from './exact-rerank';
export {
  DEFAULT_CHUNK_BYTES,
  FORMAT_MAGIC,
  FORMAT_VERSION,
  deserializeIndex,
  joinChunks,
  splitIntoChunks,
} from './serialization';
export type { FormatHeader } from './serialization';
export { kernelBackend } from '../vectors/kernels';
