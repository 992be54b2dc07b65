import type { DenseFeedback } from './dense-feedback';
import type { LexicalFeedback } from './lexical-feedback';

/** Pseudo-relevance feedback from the fused first pass (hybrid mode only). */
export interface SearchFeedback {
  /** Rocchio: the query vector moves toward the top hits and the dense side runs again. */
  dense?: DenseFeedback;
  /** RM3: the top hits' frequent terms expand the BM25 query. */
  lexical?: LexicalFeedback;
}

export type SearchMode = 'hybrid' | 'lexical' | 'dense';

export interface SearchOptions {
  k?: number;
  mode?: SearchMode;
  /** Candidates each retriever contributes before fusion. */
  candidates?: number;
  /** Weight of the dense side in weighted fusion (0..1). */
  denseWeight?: number;
  /** Restrict to these documents (metadata filter). */
  docIds?: readonly number[];
  /** Restrict to these file types, e.g. ['pdf', 'md']. */
  types?: readonly string[];
  /** Only documents added at or after this time (ms since epoch). */
  addedAfter?: number;
  /** Per-query vector-index parameters (efSearch, nprobe, kFactor). */
  indexParams?: { efSearch?: number; nprobe?: number; kFactor?: number };
  /** A query vector computed beforehand (batched with others); skips embedding the query. */
  queryVector?: Float32Array;
  /** Pseudo-relevance feedback (hybrid mode only); off when absent. */
  feedback?: SearchFeedback;
}

export interface Highlight {
  start: number;
  end: number;
}

export interface StageScore {
  stage: 'bm25' | 'dense' | 'fused' | 'bi-encoder' | 'cross-encoder';
  score: number;
  rank: number;
}

export interface SearchHit {
  chunkId: number;
  docId: number;
  docName: string;
  docPath: string;
  text: string;
  start: number;
  end: number;
  headingPath: string[];
  page?: number;
  /** The score that produced the final order. */
  score: number;
  /** Every stage's score, for display. */
  stages: StageScore[];
  snippet: { text: string; highlights: Highlight[] };
}
