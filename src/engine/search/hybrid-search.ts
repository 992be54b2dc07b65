import type { CollectionState } from '../collection/collection-state';
import { searchVectors } from '../collection/vector-search';
import { similarityFromDistance } from '../indexes/vector-index';
import { weightedScoreFusion, type RankedList } from '../text/fusion';
import { analyze } from '../text/analyzer';
import { feedbackQueryVector } from './dense-feedback';
import { expandedLexicalList, feedbackTerms } from './lexical-feedback';
import { buildSnippet } from './snippet';
import type { SearchHit, SearchOptions, StageScore } from './search-types';

export const DEFAULT_DENSE_WEIGHT = 0.3;

/**
 * BM25 and dense retrieval fused by a weighted sum of min-max normalised
 * scores. Plain RRF lets a weak dense side drag good lexical hits down; a
 * weight per model keeps fusion from ever hurting much (see the eval harness).
 */
export async function hybridSearch(state: CollectionState, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const k = options.k ?? 10;
  const mode = options.mode ?? 'hybrid';
  const candidates = Math.max(k, options.candidates ?? 100);
  const filter = buildFilter(state, options);
  if (query.trim() === '' || state.vectors.size === 0) return [];

  const lists: RankedList[] = [];
  const weights: number[] = [];
  let lexical: RankedList | undefined;
  let dense: RankedList | undefined;
  if (mode !== 'dense') {
    lexical = state.lexical.search(query, candidates, filter);
    lists.push(lexical);
    weights.push(mode === 'hybrid' ? 1 - (options.denseWeight ?? DEFAULT_DENSE_WEIGHT) : 1);
  }
  let queryVector: Float32Array | undefined;
  const searchDense = async (vector: Float32Array): Promise<RankedList> => {
    const found = await searchVectors(state, vector, candidates, { ...options.indexParams, ...(filter ? { filter } : {}) });
    const scores = new Float32Array(found.ids.length);
    for (let i = 0; i < scores.length; i++) scores[i] = similarityFromDistance(state.vectors.metric, found.distances[i]);
    return { ids: found.ids, scores };
  };
  if (mode !== 'lexical') {
    queryVector = options.queryVector ?? (await state.embedder.embed([query], 'query'));
    dense = await searchDense(queryVector);
    lists.push(dense);
    weights.push(mode === 'hybrid' ? options.denseWeight ?? DEFAULT_DENSE_WEIGHT : 1);
  }
  const fuse = (): RankedList => (lists.length === 1 ? lists[0] : weightedScoreFusion(lists, { weights, normalization: 'minmax' }));
  let fused = fuse();
  const feedback = mode === 'hybrid' && fused.ids.length > 0 ? options.feedback : undefined;
  const denseFeedback = feedback?.dense && feedback.dense.docs > 0 ? feedback.dense : undefined;
  const lexicalFeedback = feedback?.lexical && feedback.lexical.docs > 0 && feedback.lexical.terms > 0 ? feedback.lexical : undefined;
  if (lexical && dense && queryVector && (denseFeedback || lexicalFeedback)) {
    // Both sides learn from the same fused first pass; then fuse again.
    const top = Array.from(fused.ids.subarray(0, Math.max(denseFeedback?.docs ?? 0, lexicalFeedback?.docs ?? 0)));
    const chunks = await state.store.getChunks(top);
    if (lexicalFeedback) {
      const texts = chunks.slice(0, lexicalFeedback.docs).flatMap((chunk) => (chunk ? [chunk.text] : []));
      const expansion = feedbackTerms(texts, lexicalFeedback.terms);
      // Exhaustive lists so the interpolated scores are exact sums.
      const all = Math.max(candidates, state.lexical.size);
      const original = state.lexical.search(query, all, filter);
      lexical = expandedLexicalList(
        (term) => state.lexical.search(term, all, filter),
        original,
        analyze(query).length,
        expansion,
        lexicalFeedback.weight,
        candidates,
      );
      lists[0] = lexical;
    }
    if (denseFeedback) {
      const dim = queryVector.length;
      const rows = new Float32Array(denseFeedback.docs * dim);
      let count = 0;
      for (const chunk of chunks.slice(0, denseFeedback.docs)) {
        if (chunk && chunk.vector.length === dim) rows.set(chunk.vector, count++ * dim);
      }
      dense = await searchDense(feedbackQueryVector(queryVector, rows, count, denseFeedback.weight));
      lists[1] = dense;
    }
    fused = fuse();
  }

  const top = Array.from(fused.ids.subarray(0, k));
  const chunks = await state.store.getChunks(top);
  const hits: SearchHit[] = [];
  top.forEach((id, rank) => {
    const chunk = chunks[rank];
    const doc = chunk && state.documents.get(chunk.docId);
    if (!chunk || !doc) return;
    const stages: StageScore[] = [];
    addStage(stages, 'bm25', lexical, id);
    addStage(stages, 'dense', dense, id);
    if (lists.length > 1) stages.push({ stage: 'fused', score: fused.scores[rank], rank: rank + 1 });
    hits.push({
      chunkId: id,
      docId: chunk.docId,
      docName: doc.name,
      docPath: doc.path,
      text: chunk.text,
      start: chunk.start,
      end: chunk.end,
      headingPath: chunk.headingPath,
      page: chunk.page,
      score: fused.scores[rank],
      stages,
      snippet: buildSnippet(chunk.text, query),
    });
  });
  return hits;
}

function addStage(stages: StageScore[], stage: 'bm25' | 'dense', list: RankedList | undefined, id: number): void {
  if (!list) return;
  const at = list.ids.indexOf(id);
  if (at >= 0) stages.push({ stage, score: list.scores[at], rank: at + 1 });
}

function buildFilter(state: CollectionState, options: SearchOptions): ((id: number) => boolean) | undefined {
  const { docIds, types, addedAfter } = options;
  if (!docIds?.length && !types?.length && addedAfter === undefined) return undefined;
  const allowed = new Set<number>();
  for (const doc of state.documents.values()) {
    if (docIds?.length && !docIds.includes(doc.id)) continue;
    if (types?.length && !types.includes(doc.type)) continue;
    if (addedAfter !== undefined && doc.addedAt < addedAfter) continue;
    allowed.add(doc.id);
  }
  return (id) => {
    const docId = state.chunkToDoc.get(id);
    return docId !== undefined && allowed.has(docId);
  };
}
