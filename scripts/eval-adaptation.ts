/**
 * Eval systems for corpus adaptation (issue 6): the app's `default` hybrid,
 * but with the static model wrapped in an AdaptedEmbedder whose word vectors
 * were trained on the dataset's own corpus (title + text), as the app does
 * after ingest. Training happens inside `retrieve`, once per dataset, and is
 * shared by the hybrid and dense rows.
 *
 * Systems: `default+adapt` (same fusion weight as `default`) and, when dense
 * rows are requested, `dense:default+adapt`. Only for the static default
 * model, whose tokens the adapted vocabulary shares.
 * SIFT_ADAPT_EPOCHS overrides the training epochs (default: the app's) and
 * SIFT_ADAPT_WEIGHT the adapted share of the vector (default: the app's).
 */
import type { Embedder } from '../src/engine/embedding/embedder';
import { AdaptedEmbedder } from '../src/engine/adaptation/adapted-embedder';
import { trainCorpusVectors, type AdaptationOptions } from '../src/engine/adaptation/corpus-trainer';
import { documentText, type RetrievalDataset } from '../src/engine/eval/dataset';
import { DenseRetriever, denseSystem, hybridSystem, type RetrievalSystem } from '../src/engine/eval/retrieval-systems';
import type { EmbedderEntry } from './eval-embedders';

const STATIC_DEFAULT = 'sift-static-en-v1';

export function adaptationSystems(
  entry: EmbedderEntry,
  base: Embedder,
  wants: { dense: boolean },
  log: (message: string) => void,
): RetrievalSystem[] {
  if (!entry.isDefault || entry.name !== STATIC_DEFAULT) return [];
  const epochs = process.env.SIFT_ADAPT_EPOCHS ? Number(process.env.SIFT_ADAPT_EPOCHS) : undefined;
  const options: AdaptationOptions = epochs === undefined ? {} : { epochs };
  const weight = process.env.SIFT_ADAPT_WEIGHT ? Number(process.env.SIFT_ADAPT_WEIGHT) : undefined;
  let current: { name: string; retriever: Promise<DenseRetriever> } | undefined;

  const retrieverFor = (dataset: RetrievalDataset): Promise<DenseRetriever> => {
    if (current?.name !== dataset.name) {
      current = { name: dataset.name, retriever: train(dataset) };
    }
    return current.retriever;
  };
  const train = async (dataset: RetrievalDataset): Promise<DenseRetriever> => {
    const t0 = performance.now();
    const adapted = await trainCorpusVectors(dataset.docs.map(documentText), options);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    log(`${dataset.name}: adapted ${adapted.words.length} words (${adapted.dim}-d) on ${adapted.tokens} tokens in ${seconds}s`);
    return new DenseRetriever(new AdaptedEmbedder(base, adapted, { id: dataset.name, weight }), { log });
  };
  const lazy = (name: string, make: (retriever: DenseRetriever) => RetrievalSystem): RetrievalSystem => ({
    name,
    async retrieve(dataset, depth) {
      return make(await retrieverFor(dataset)).retrieve(dataset, depth);
    },
  });

  const systems = [lazy('default+adapt', (r) => hybridSystem('default+adapt', r, { denseWeight: entry.denseWeight }))];
  if (wants.dense) systems.push(lazy('dense:default+adapt', (r) => denseSystem('dense:default+adapt', r)));
  return systems;
}
