/** The persisted shapes. Everything here is structured-cloneable. */

export type DocumentStatus = 'indexing' | 'ready';

export interface DocumentRecord {
  id: number;
  name: string;
  /** Path inside a dropped folder, or the name for single files. */
  path: string;
  /** Lower-case extension without the dot: 'txt', 'md', 'pdf'... */
  type: string;
  size: number;
  /** Hex SHA-256 of the file bytes, for de-duplication. */
  hash: string;
  lastModified: number;
  addedAt: number;
  status: DocumentStatus;
  chunkCount: number;
  /** The normalised full text that chunk offsets point into. */
  text: string;
  pages?: number;
  warnings?: string[];
  /** The vector space (see `vectorSpaceKey`) its vectors belong to. */
  vectorSpace: string;
}

export interface ChunkRecord {
  id: number;
  docId: number;
  /** Position of the chunk within its document. */
  index: number;
  text: string;
  /** Character offsets into `DocumentRecord.text`. */
  start: number;
  end: number;
  headingPath: string[];
  page?: number;
  vector: Float32Array;
}

export interface StoreStats {
  documents: number;
  chunks: number;
}
