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

function bm25Lists(dataset: RetrievalDataset, depth: number, options: Bm25Options): RankedList[] {
  const index = new Bm25Index(options);
  dataset.docs.forEach((doc, i) => index.add(i, documentText(doc)));
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
    return dataset.queries.map((_, q) => {
      const found = index.search(queryVectors.subarray(q * dim, (q + 1) * dim), depth);
      const scores = new Float32Array(found.ids.length);
      for (let i = 0; i < scores.length; i++) scores[i] = similarityFromDistance(index.metric, found.distances[i]);
      return { ids: found.ids, scores };
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
}

/** BM25 and dense fused by weighted min-max scores, as the app's hybrid search does. */
export function hybridSystem(name: string, retriever: DenseRetriever, options: HybridOptions): RetrievalSystem {
  return {
    name,
    async retrieve(dataset, depth) {
      const judged = judgedQueries(dataset);
      const candidates = Math.max(depth, options.candidates ?? 100);
      const lexical = bm25Lists(judged, candidates, options.bm25 ?? {});
      const dense = await retriever.lists(judged, candidates);
      const weights = [1 - options.denseWeight, options.denseWeight];
      const fused = lexical.map((list, q) => {
        const all = weightedScoreFusion([list, dense[q]], { weights, normalization: options.normalization ?? 'minmax' });
        return { ids: all.ids.subarray(0, depth), scores: all.scores.subarray(0, depth) };
      });
      return toRun(judged, fused);
    },
  };
}
