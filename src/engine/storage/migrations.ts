import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { SiftSchema } from './schema';

/**
 * Cumulative migrations: a database at any older version walks every step
 * after it, in order. Steps only add or transform; none clears user data.
 */
export function migrate(
  db: IDBPDatabase<SiftSchema>,
  oldVersion: number,
  _newVersion: number | null,
  _tx: IDBPTransaction<SiftSchema, StoreNames<SiftSchema>[], 'versionchange'>,
): void {
  if (oldVersion < 1) {
    const documents = db.createObjectStore('documents', { keyPath: 'id' });
    documents.createIndex('byPath', 'path');
    documents.createIndex('byHash', 'hash');
    const chunks = db.createObjectStore('chunks', { keyPath: 'id' });
    chunks.createIndex('byDoc', 'docId');
    db.createObjectStore('meta');
    db.createObjectStore('blobHeaders', { keyPath: 'name' });
    db.createObjectStore('blobParts', { keyPath: ['name', 'part'] });
  }
}
