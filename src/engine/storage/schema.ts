import type { DBSchema } from 'idb';
import type { ChunkRecord, DocumentRecord } from './records';

export const SCHEMA_VERSION = 1;

export interface BlobPartRecord {
  name: string;
  part: number;
  bytes: Uint8Array;
}

export interface BlobHeaderRecord {
  name: string;
  partCount: number;
  meta: Record<string, unknown>;
}

export interface SiftSchema extends DBSchema {
  documents: {
    key: number;
    value: DocumentRecord;
    indexes: { byPath: string; byHash: string };
  };
  chunks: {
    key: number;
    value: ChunkRecord;
    indexes: { byDoc: number };
  };
  meta: { key: string; value: unknown };
  blobHeaders: { key: string; value: BlobHeaderRecord };
  blobParts: { key: [string, number]; value: BlobPartRecord };
}
