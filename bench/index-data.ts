/**
 * Benchmark data. Real sentence embeddings are unit vectors whose variance
 * lives in a few dozen directions and which cluster by topic. Without the
 * project's embedding model at hand, this makes a labelled stand-in with the
 * same traits: a Gaussian mixture in a low latent dimension, projected to
 * `dim` by a random matrix, plus isotropic noise, then normalized.
 * `--vectors FILE` (raw little-endian float32, `--dim` columns) uses real ones.
 */
import { readFileSync } from 'node:fs';
import { normalizeRows } from '../src/engine/vectors/distances';
import { gaussianMixture } from '../src/engine/vectors/gaussian-mixture';
import { createRandom } from '../src/engine/vectors/random';

export interface BenchData {
  /** Short label carried by every row: `real-static-100k`, `gaussian`, `synthetic-mixture`. */
  label: string;
  name: string;
  dim: number;
  base: Float32Array;
  queries: Float32Array;
  n: number;
  nq: number;
}

export interface SyntheticShape {
  latent?: number;
  clusters?: number;
  spread?: number;
  noise?: number;
}

export function syntheticEmbeddings(n: number, nq: number, dim: number, seed = 42, shape: SyntheticShape = {}): BenchData {
  const latent = shape.latent ?? 64;
  const clusters = shape.clusters ?? 100;
  const mix = gaussianMixture({ n: n + nq, dim: latent, clusters, spread: shape.spread ?? 1.5, seed });
  const random = createRandom(seed + 1);
  const proj = new Float32Array(latent * dim);
  for (let i = 0; i < proj.length; i++) proj[i] = random.nextGaussian() / Math.sqrt(latent);
  const all = new Float32Array((n + nq) * dim);
  const noise = shape.noise ?? 0.2;
  for (let r = 0; r < n + nq; r++) {
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let l = 0; l < latent; l++) s += mix.vectors[r * latent + l] * proj[l * dim + j];
      all[r * dim + j] = s + noise * random.nextGaussian();
    }
  }
  normalizeRows(all, dim);
  return {
    label: 'synthetic-mixture',
    name: `synthetic: ${latent}-d Gaussian mixture (${clusters} clusters) projected to ${dim}-d + noise ${noise}, normalized`,
    dim,
    base: all.subarray(0, n * dim),
    queries: all.subarray(n * dim),
    n,
    nq,
  };
}

export function fileEmbeddings(path: string, dim: number, n: number, nq: number): BenchData {
  const buf = readFileSync(path);
  const all = new Float32Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 4));
  const rows = Math.floor(all.length / dim);
  const total = Math.min(rows, n + nq);
  const useQ = Math.min(nq, Math.floor(total / 10));
  const copy = all.slice(0, total * dim);
  normalizeRows(copy, dim);
  return {
    label: 'file',
    name: `file ${path}`,
    dim,
    base: copy.subarray(0, (total - useQ) * dim),
    queries: copy.subarray((total - useQ) * dim),
    n: total - useQ,
    nq: useQ,
  };
}

/** Isotropic Gaussian vectors, normalized: no structure at all, the labelled worst case for every index. */
export function gaussianEmbeddings(n: number, nq: number, dim: number, seed = 42): BenchData {
  const random = createRandom(seed);
  const all = new Float32Array((n + nq) * dim);
  for (let i = 0; i < all.length; i++) all[i] = random.nextGaussian();
  normalizeRows(all, dim);
  return {
    label: 'gaussian',
    name: `random Gaussian, ${dim}-d, normalized (worst case)`,
    dim,
    base: all.subarray(0, n * dim),
    queries: all.subarray(n * dim),
    n,
    nq,
  };
}

/** Vectors from `make-real-vectors.ts`: `n` base rows then `nq` held-out query rows. */
export function realEmbeddings(real: { path: string; dim: number; n: number; nq: number; label: string; description: string }): BenchData {
  const buf = readFileSync(real.path);
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (all.length !== (real.n + real.nq) * real.dim) throw new Error(`${real.path}: expected ${(real.n + real.nq) * real.dim} floats`);
  normalizeRows(all, real.dim);
  return {
    label: real.label,
    name: real.description,
    dim: real.dim,
    base: all.subarray(0, real.n * real.dim),
    queries: all.subarray(real.n * real.dim),
    n: real.n,
    nq: real.nq,
  };
}
