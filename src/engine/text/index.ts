export { analyze, analyzeWithOffsets, queryTerms, createAnalyzer } from './analyzer';
export type { AnalyzedTerm, Analyzer, AnalyzerOptions } from './analyzer';
export { porterStem } from './porter-stemmer';
export { ENGLISH_STOPWORDS } from './stopwords';
export { Bm25Index } from './bm25-index';
export type { Bm25Options, Bm25SearchResult } from './bm25-index';
export { BM25_MAGIC, BM25_FORMAT_VERSION } from './bm25-format';
export { reciprocalRankFusion, weightedScoreFusion } from './fusion';
export type { RankedList, RrfOptions, WeightedFusionOptions } from './fusion';
