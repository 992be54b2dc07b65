/** Argument checks shared by every index, so they all fail the same way. */
import { createError } from '../errors';

export function checkDim(dim: number): void {
  if (!Number.isInteger(dim) || dim <= 0) throw createError('INVALID_ARGUMENT', `Bad dimension ${dim}.`, { dim });
}

export function checkBatch(ids: Uint32Array, vectors: Float32Array, dim: number): void {
  if (vectors.length !== ids.length * dim) {
    throw createError('DIMENSION_MISMATCH', `Expected ${ids.length} x ${dim} values, got ${vectors.length}.`, {
      ids: ids.length,
      dim,
      values: vectors.length,
    });
  }
}

export function checkVectors(vectors: Float32Array, dim: number): number {
  if (vectors.length % dim !== 0) {
    throw createError('DIMENSION_MISMATCH', `${vectors.length} values is not a multiple of ${dim}.`, { dim });
  }
  return vectors.length / dim;
}

export function checkQuery(query: Float32Array, k: number, dim: number): void {
  if (query.length !== dim) {
    throw createError('DIMENSION_MISMATCH', `Query has ${query.length} values, expected ${dim}.`, {
      expected: dim,
      actual: query.length,
    });
  }
  if (!Number.isInteger(k) || k < 0) throw createError('INVALID_ARGUMENT', `Bad k ${k}.`, { k });
}

export function notTrained(kind: string): Error {
  return createError('NOT_TRAINED', `The ${kind} index must be trained before vectors are added.`, { kind });
}
