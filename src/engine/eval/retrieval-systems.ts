/**
 * The configurations the eval harness can run, behind one interface so the
 * harness does not care whether a system is lexical, dense or fused:
 * `bm25`, `dense:<model>` and `hybrid:<model>`. Dense systems take any
 * Embedder and search exactly (FlatIndex, cosine), so the numbers measure
 * the model, not an approximate index.
 */
import type { Embedder } from '../embedding/embedder';
import { FlatIndex } from '../indexes/flat-index';
import { similarityFromDistance } from '../indexes/vector-index';
import { Bm25Index, type Bm25Options } from '../text/bm25-index';
import { weightedScoreFusion, type RankedList } from '../text/fusion';
import { feedbackQueryVector, type DenseFeedback } from '../search/dense-feedback';
import { expandedLexicalList, feedbackTerms } from '../search/lexical-feedback';
import type { SearchFeedback } from '../search/search-types';
import { analyze } from '../text/analyzer';
import { documentText, type RetrievalDataset } from './dataset';
import type { Run, ScoredDoc } from './metrics';

export interface RetrievalSystem {
  readonly name: string;
  /** The top `depth` documents for every query of the dataset. */
  retrieve(dataset: RetrievalDataset, depth: number): Promise<Run>;
}

export type ProgressLog = (message: string) => void;

function toRun(dataset: RetrievalDataset, lists: RankedList[]): Run {
  const run: Run = new Map();
  dataset.queries.forEach((query, q) => {
    const { ids, scores } = lists[q];
    const docs: ScoredDoc[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) docs[i] = { docId: dataset.docs[ids[i]].id, score: scores[i] };
    run.set(query.id, docs);
  });
  return run;
}

/** Only judged queries are scored, so only those are run. */
function judgedQueries(dataset: RetrievalDataset): RetrievalDataset {
  return { ...dataset, queries: dataset.queries.filter((q) => dataset.qrels.has(q.id)) };
}

function bm25Index(dataset: RetrievalDataset, options: Bm25Options): Bm25Index {
  const index = new Bm25Index(options);
  dataset.docs.forEach((doc, i) => index.add(i, documentText(doc)));
  return index;
}

function bm25Lists(dataset: RetrievalDataset, depth: number, options: Bm25Options): RankedList[] {
  const index = bm25Index(dataset, options);
  return dataset.queries.map((q) => index.search(q.text, depth));
}

export function bm25System(options: Bm25Options = {}, name = 'bm25'): RetrievalSystem {
  return {
    name,
    async retrieve(dataset, depth) {
      const judged = judgedQueries(dataset);
      return toRun(judged, bm25Lists(judged, depth, options));
    },
  };
}

/**
 * Embeds a corpus once and answers queries by exact cosine search. Shared by
 * the dense and hybrid systems of one model so the corpus is embedded once
 * per dataset.
 */
export class DenseRetriever {
  private readonly cache = new Map<string, FlatIndex>();

  constructor(
    readonly embedder: Embedder,
    private readonly options: { batchSize?: number; log?: ProgressLog } = {},
  ) {}

  async lists(dataset: RetrievalDataset, depth: number): Promise<RankedList[]> {
    const index = await this.corpusIndex(dataset);
    const queryVectors = await this.embedder.embed(dataset.queries.map((q) => q.text), 'query');
    const dim = this.embedder.info.dim;
    return dataset.queries.map((_, q) => searchList(index, queryVectors.subarray(q * dim, (q + 1) * dim), depth));
  }

  /**
   * Dense lists for queries moved toward the top `feedback.docs` documents of
   * each query's first-pass list (Rocchio), as the app's hybrid search does
   * with `SearchOptions.feedback`.
   */
  async feedbackLists(dataset: RetrievalDataset, depth: number, firstPass: RankedList[], feedback: DenseFeedback): Promise<RankedList[]> {
    const index = await this.corpusIndex(dataset);
    const queryVectors = await this.embedder.embed(dataset.queries.map((q) => q.text), 'query');
    const dim = this.embedder.info.dim;
    return dataset.queries.map((_, q) => {
      const top = firstPass[q].ids.subarray(0, feedback.docs);
      const rows = new Float32Array(top.length * dim);
      let count = 0;
      for (const id of top) {
        const vector = index.reconstruct(id);
        if (vector) rows.set(vector, count++ * dim);
      }
      const moved = feedbackQueryVector(queryVectors.subarray(q * dim, (q + 1) * dim), rows, count, feedback.weight);
      return searchList(index, moved, depth);
    });
  }

  private async corpusIndex(dataset: RetrievalDataset): Promise<FlatIndex> {
    const cached = this.cache.get(dataset.name);
    if (cached) return cached;
    const dim = this.embedder.info.dim;
    const index = new FlatIndex(dim, 'cosine', { capacity: dataset.docs.length });
    const batch = this.options.batchSize ?? 256;
    for (let start = 0; start < dataset.docs.length; start += batch) {
      const docs = dataset.docs.slice(start, start + batch);
      const vectors = await this.embedder.embed(docs.map(documentText), 'passage');
      index.add(Uint32Array.from(docs, (_, i) => start + i), vectors);
      const done = Math.min(start + batch, dataset.docs.length);
      // About ten progress lines per corpus, whatever its size.
      if (Math.floor((done * 10) / dataset.docs.length) > Math.floor((start * 10) / dataset.docs.length)) {
        this.options.log?.(`${dataset.name}: embedded ${done}/${dataset.docs.length}`);
      }
    }
    this.cache.clear(); // keep one dataset's vectors at a time
    this.cache.set(dataset.name, index);
    return index;
  }
}

function searchList(index: FlatIndex, query: Float32Array, depth: number): RankedList {
  const found = index.search(query, depth);
  const scores = new Float32Array(found.ids.length);
  for (let i = 0; i < scores.length; i++) scores[i] = similarityFromDistance(index.metric, found.distances[i]);
  return { ids: found.ids, scores };
}

export function denseSystem(name: string, retriever: DenseRetriever): RetrievalSystem {
  return {
    name,
    async retrieve(dataset, depth) {
      const judged = judgedQueries(dataset);
      return toRun(judged, await retriever.lists(judged, depth));
    },
  };
}

export interface HybridOptions {
  /** Weight of the dense list; BM25 gets 1 - denseWeight. */
  denseWeight: number;
  /** How each list's scores are normalised before the weighted sum. Default 'minmax', as the app does. */
  normalization?: 'minmax' | 'zscore';
  /** Candidates taken from each side before fusing (the app uses 100). */
  candidates?: number;
  bm25?: Bm25Options;
  /** Pseudo-relevance feedback from the fused first pass, then a second fusion (as `SearchOptions.feedback`). */
  feedback?: SearchFeedback;
}

/** BM25 and dense fused by weighted min-max scores, as the app's hybrid search does. */
export function hybridSystem(name: string, retriever: DenseRetriever, options: HybridOptions): RetrievalSystem {
  return {
    name,
    async retrieve(dataset, depth) {
      const judged = judgedQueries(dataset);
      const candidates = Math.max(depth, options.candidates ?? 100);
      const index = bm25Index(judged, options.bm25 ?? {});
      let lexical = judged.queries.map((q) => index.search(q.text, candidates));
      const weights = [1 - options.denseWeight, options.denseWeight];
      const normalization = options.normalization ?? 'minmax';
      let dense = await retriever.lists(judged, candidates);
      const fuse = (): RankedList[] => lexical.map((list, q) => weightedScoreFusion([list, dense[q]], { weights, normalization }));
      let fused = fuse();
      const lexicalFeedback = options.feedback?.lexical;
      const denseFeedback = options.feedback?.dense;
      if (lexicalFeedback && lexicalFeedback.docs > 0 && lexicalFeedback.terms > 0) {
        const all = judged.docs.length;
        // A custom analyzer would not match the app's feedback terms; the default one does.
        lexical = judged.queries.map((q, i) => {
          const top = fused[i].ids.subarray(0, lexicalFeedback.docs);
          const expansion = feedbackTerms(Array.from(top, (id) => documentText(judged.docs[id])), lexicalFeedback.terms);
          const original = index.search(q.text, all);
          const queryLength = analyze(q.text).length;
          return expandedLexicalList((term) => index.search(term, all), original, queryLength, expansion, lexicalFeedback.weight, candidates);
        });
      }
      if (denseFeedback && denseFeedback.docs > 0) dense = await retriever.feedbackLists(judged, candidates, fused, denseFeedback);
      if (lexicalFeedback || denseFeedback) fused = fuse();
      return toRun(judged, fused.map((all) => ({ ids: all.ids.subarray(0, depth), scores: all.scores.subarray(0, depth) })));
    },
  };
}
