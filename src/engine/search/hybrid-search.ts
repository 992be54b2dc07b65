import type { CollectionState } from '../collection/collection-state';
import { searchVectors } from '../collection/vector-search';
import { similarityFromDistance } from '../indexes/vector-index';
import { weightedScoreFusion, type RankedList } from '../text/fusion';
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
  if (mode !== 'lexical') {
    const queryVector = options.queryVector ?? (await state.embedder.embed([query], 'query'));
    const found = await searchVectors(state, queryVector, candidates, { ...options.indexParams, ...(filter ? { filter } : {}) });
    const scores = new Float32Array(found.ids.length);
    for (let i = 0; i < scores.length; i++) scores[i] = similarityFromDistance(state.vectors.metric, found.distances[i]);
    dense = { ids: found.ids, scores };
    lists.push(dense);
    weights.push(mode === 'hybrid' ? options.denseWeight ?? DEFAULT_DENSE_WEIGHT : 1);
  }
  const fused = lists.length === 1 ? lists[0] : weightedScoreFusion(lists, { weights, normalization: 'minmax' });

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
