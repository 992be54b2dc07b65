/**
 * Retrieval metrics with trec_eval semantics, so our numbers compare with
 * BEIR, MTEB and Anserini (which all score with trec_eval / pytrec_eval):
 *
 * - A run is ordered by score, best first; equal scores are ordered by
 *   document id, descending by string comparison, as trec_eval does.
 * - Relevant means a qrel score > 0. nDCG uses the qrel score itself as the
 *   gain (trec_eval's ndcg_cut, not 2^rel - 1) with a log2(rank + 1)
 *   discount; the ideal ranking is built from every judged document, not
 *   just the retrieved ones.
 * - MAP is average precision over all relevant documents of the query
 *   (unretrieved ones add 0), over the whole run.
 * - Only queries with judgements are scored. A judged query the run has no
 *   answer for scores 0 (trec_eval -c), so a system cannot gain by skipping.
 */

/** query id → document id → graded relevance. */
export type Qrels = Map<string, Map<string, number>>;

export interface ScoredDoc {
  docId: string;
  score: number;
}

/** query id → retrieved documents (any order; sorted by `rankRun`). */
export type Run = Map<string, ScoredDoc[]>;

export interface RetrievalMetrics {
  'ndcg@10': number;
  'recall@100': number;
  map: number;
}

export interface QueryMetrics extends RetrievalMetrics {
  queryId: string;
}

/** Best first; ties broken by docId descending, as trec_eval does. */
export function rankRun(docs: readonly ScoredDoc[]): ScoredDoc[] {
  return [...docs].sort((a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0));
}

export function ndcgAt(ranked: readonly ScoredDoc[], judged: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) {
    const gain = judged.get(ranked[i].docId) ?? 0;
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  }
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i] / Math.log2(i + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

export function recallAt(ranked: readonly ScoredDoc[], judged: ReadonlyMap<string, number>, k: number): number {
  const relevant = countRelevant(judged);
  if (relevant === 0) return 0;
  let found = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if ((judged.get(ranked[i].docId) ?? 0) > 0) found++;
  return found / relevant;
}

export function averagePrecision(ranked: readonly ScoredDoc[], judged: ReadonlyMap<string, number>): number {
  const relevant = countRelevant(judged);
  if (relevant === 0) return 0;
  let found = 0;
  let sum = 0;
  for (let i = 0; i < ranked.length; i++) {
    if ((judged.get(ranked[i].docId) ?? 0) > 0) {
      found++;
      sum += found / (i + 1);
    }
  }
  return sum / relevant;
}

function countRelevant(judged: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const g of judged.values()) if (g > 0) n++;
  return n;
}

/** Per-query metrics for every judged query, in qrels order. */
export function evaluateQueries(qrels: Qrels, run: Run): QueryMetrics[] {
  const out: QueryMetrics[] = [];
  for (const [queryId, judged] of qrels) {
    const ranked = rankRun(run.get(queryId) ?? []);
    out.push({
      queryId,
      'ndcg@10': ndcgAt(ranked, judged, 10),
      'recall@100': recallAt(ranked, judged, 100),
      map: averagePrecision(ranked, judged),
    });
  }
  return out;
}

/** Means over the judged queries. */
export function evaluateRun(qrels: Qrels, run: Run): RetrievalMetrics {
  const perQuery = evaluateQueries(qrels, run);
  const mean = (key: keyof RetrievalMetrics): number =>
    perQuery.length === 0 ? 0 : perQuery.reduce((s, q) => s + q[key], 0) / perQuery.length;
  return { 'ndcg@10': mean('ndcg@10'), 'recall@100': mean('recall@100'), map: mean('map') };
}
