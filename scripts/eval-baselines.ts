/**
 * Published reference numbers, copied from /work/shared/data/README.md
 * ("Published baselines"), which cites each one: the BEIR paper (Thakur et
 * al. 2021, Table 2), Anserini's regression configs and MTEB's results
 * repository. They are shown beside our results, never treated as results.
 */
export interface Baseline {
  system: string;
  dataset: string;
  metric: 'ndcg@10' | 'recall@100' | 'spearman';
  value: number;
  source: string;
}

const BEIR = 'BEIR paper, Table 2';
const ANSERINI_FLAT = 'Anserini beir-v1.0.0-scifact.flat.yaml';
const ANSERINI_MF = 'Anserini beir-v1.0.0-scifact.multifield.yaml';
const MTEB = 'MTEB results';

export const BASELINES: readonly Baseline[] = [
  { system: 'BM25 (BEIR, multifield)', dataset: 'scifact', metric: 'ndcg@10', value: 0.665, source: BEIR },
  { system: 'BM25+CE (BEIR)', dataset: 'scifact', metric: 'ndcg@10', value: 0.688, source: BEIR },
  { system: 'BM25 flat (Anserini)', dataset: 'scifact', metric: 'ndcg@10', value: 0.6789, source: ANSERINI_FLAT },
  { system: 'BM25 flat (Anserini)', dataset: 'scifact', metric: 'recall@100', value: 0.9253, source: ANSERINI_FLAT },
  { system: 'BM25 multifield (Anserini)', dataset: 'scifact', metric: 'ndcg@10', value: 0.6647, source: ANSERINI_MF },
  { system: 'BM25 multifield (Anserini)', dataset: 'scifact', metric: 'recall@100', value: 0.9076, source: ANSERINI_MF },
  { system: 'BGE-base-en-v1.5 (Anserini)', dataset: 'scifact', metric: 'ndcg@10', value: 0.7408, source: 'Anserini bge-base-en-v1.5 flat onnx' },
  { system: 'all-MiniLM-L6-v2', dataset: 'scifact', metric: 'ndcg@10', value: 0.6451, source: MTEB },
  { system: 'bge-small-en-v1.5', dataset: 'scifact', metric: 'ndcg@10', value: 0.7127, source: MTEB },
  { system: 'e5-small-v2', dataset: 'scifact', metric: 'ndcg@10', value: 0.6885, source: MTEB },
  { system: 'gte-small', dataset: 'scifact', metric: 'ndcg@10', value: 0.727, source: MTEB },
  { system: 'all-MiniLM-L6-v2', dataset: 'stsb', metric: 'spearman', value: 0.8203, source: MTEB },
  { system: 'bge-small-en-v1.5', dataset: 'stsb', metric: 'spearman', value: 0.8586, source: MTEB },
  { system: 'e5-small-v2', dataset: 'stsb', metric: 'spearman', value: 0.8492, source: MTEB },
  { system: 'gte-small', dataset: 'stsb', metric: 'spearman', value: 0.8557, source: MTEB },
  { system: 'all-MiniLM-L6-v2', dataset: 'sick-r-all', metric: 'spearman', value: 0.7758, source: MTEB },
  { system: 'bge-small-en-v1.5', dataset: 'sick-r-all', metric: 'spearman', value: 0.7941, source: MTEB },
  { system: 'e5-small-v2', dataset: 'sick-r-all', metric: 'spearman', value: 0.7925, source: MTEB },
  { system: 'gte-small', dataset: 'sick-r-all', metric: 'spearman', value: 0.7793, source: MTEB },
];

/**
 * Not a published baseline: the data README's own plain BM25 sanity check
 * (k1 0.9, b 0.4, short stopword list, no stemming). Cranfield and ADI have
 * no verified published number, so this is the only reference for them.
 */
export const README_SANITY_CHECK: readonly Baseline[] = [
  { system: 'data README BM25, no stemming', dataset: 'scifact', metric: 'ndcg@10', value: 0.6612, source: 'data README sanity check' },
  { system: 'data README BM25, no stemming', dataset: 'cranfield', metric: 'ndcg@10', value: 0.3277, source: 'data README sanity check' },
  { system: 'data README BM25, no stemming', dataset: 'adi', metric: 'ndcg@10', value: 0.4211, source: 'data README sanity check' },
];
