export { chunkDocument, DEFAULT_CHUNK_OPTIONS, type Chunk, type ChunkOptions } from './chunker';
export { approximateTokenCount, type CountTokens } from './token-count';
