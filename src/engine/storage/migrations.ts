import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { SiftSchema } from './schema';

/**
 * Cumulative migrations: a database at any older version walks every step
 * after it, in order. Steps only add or transform; none clears user data.
 */
export function migrate(
  db: IDBPDatabase<SiftSchema>,
  oldVersion: number,
  newVersion: number | null,
  tx: IDBPTransaction<SiftSchema, StoreNames<SiftSchema>[], 'versionchange'>,
): void {
  // A step runs when the database is older than it and the target includes it.
  const step = (version: number) => oldVersion < version && (newVersion ?? version) >= version;
  if (step(1)) {
    const documents = db.createObjectStore('documents', { keyPath: 'id' });
    documents.createIndex('byPath', 'path');
    documents.createIndex('byHash', 'hash');
    const chunks = db.createObjectStore('chunks', { keyPath: 'id' });
    chunks.createIndex('byDoc', 'docId');
    db.createObjectStore('meta');
    db.createObjectStore('blobHeaders', { keyPath: 'name' });
    db.createObjectStore('blobParts', { keyPath: ['name', 'part'] });
  }
  if (step(2)) {
    tx.objectStore('chunks').createIndex('byDocPosition', ['docId', 'index']);
    // Chunks written before v2 could lack a heading path; give every chunk one.
    void backfillHeadingPaths(tx);
  }
}

async function backfillHeadingPaths(tx: IDBPTransaction<SiftSchema, StoreNames<SiftSchema>[], 'versionchange'>): Promise<void> {
  for (let cursor = await tx.objectStore('chunks').openCursor(); cursor; cursor = await cursor.continue()) {
    if (!Array.isArray(cursor.value.headingPath)) await cursor.update({ ...cursor.value, headingPath: [] });
  }
}
