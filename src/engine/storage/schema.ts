import type { DBSchema } from 'idb';
import type { ChunkRecord, DocumentRecord } from './records';

declare const __SIFT_SCHEMA_CAP__: number | undefined;

/** The newest schema this code knows. */
export const LATEST_SCHEMA_VERSION = 2;

/**
 * The schema version opened. A build can be capped at an older version
 * (SIFT_SCHEMA_CAP=1) to reproduce a previous release's database, which is
 * how the update test gets real old-version data to migrate.
 */
export const SCHEMA_VERSION =
  typeof __SIFT_SCHEMA_CAP__ === 'number' ? Math.min(__SIFT_SCHEMA_CAP__, LATEST_SCHEMA_VERSION) : LATEST_SCHEMA_VERSION;

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
    /** byDocPosition (v2): a document's chunks in reading order, without sorting. */
    indexes: { byDoc: number; byDocPosition: [number, number] };
  };
  meta: { key: string; value: unknown };
  blobHeaders: { key: string; value: BlobHeaderRecord };
  blobParts: { key: [string, number]; value: BlobPartRecord };
}
