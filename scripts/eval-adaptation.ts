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
 * SIFT_ADAPT_EPOCHS overrides the training epochs (default: the app's),
 * SIFT_ADAPT_LR the starting learning rate, SIFT_ADAPT_WEIGHT the adapted
 * share of the vector (default: the app's), and SIFT_ADAPT_RANDOM_INIT=1
 * starts from random vectors instead of the static model's (the old design).
 * SIFT_ADAPT_DENSE_WEIGHT overrides the fusion weight of `default+adapt`.
 * SIFT_ADAPT_SIF_A sets the adapted part's SIF a (0 = unweighted mean).
 * SIFT_ADAPT_CACHE=DIR keeps trained tables there, keyed by dataset, model
 * and training settings, so pooling and fusion settings can be compared
 * without retraining.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../src/engine/embedding/embedder';
import { deserializeAdapted, serializeAdapted } from '../src/engine/adaptation/adapted-format';
import { AdaptedEmbedder } from '../src/engine/adaptation/adapted-embedder';
import { trainCorpusVectors, type AdaptationOptions } from '../src/engine/adaptation/corpus-trainer';
import { documentText, type RetrievalDataset } from '../src/engine/eval/dataset';
import { DenseRetriever, denseSystem, hybridSystem, type RetrievalSystem } from '../src/engine/eval/retrieval-systems';
import { feedbackFor } from '../src/engine/embedding/model-registry';
import type { EmbedderEntry } from './eval-embedders';

const STATIC_DEFAULT = 'sift-static-en-v1';

export function adaptationSystems(
  entry: EmbedderEntry,
  base: Embedder,
  wants: { dense: boolean },
  log: (message: string) => void,
): RetrievalSystem[] {
  if (!entry.isDefault || entry.name !== STATIC_DEFAULT) return [];
  const env = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
  // As the app does: training continues from the static model's own word vectors.
  const options: AdaptationOptions = process.env.SIFT_ADAPT_RANDOM_INIT === '1' ? {} : { base };
  const epochs = env('SIFT_ADAPT_EPOCHS');
  if (epochs !== undefined) options.epochs = epochs;
  const learningRate = env('SIFT_ADAPT_LR');
  if (learningRate !== undefined) options.learningRate = learningRate;
  const weight = env('SIFT_ADAPT_WEIGHT');
  const sifA = env('SIFT_ADAPT_SIF_A');
  const cacheDir = process.env.SIFT_ADAPT_CACHE;
  let current: { name: string; retriever: Promise<DenseRetriever> } | undefined;

  const retrieverFor = (dataset: RetrievalDataset): Promise<DenseRetriever> => {
    if (current?.name !== dataset.name) {
      current = { name: dataset.name, retriever: train(dataset) };
    }
    return current.retriever;
  };
  const train = async (dataset: RetrievalDataset): Promise<DenseRetriever> => {
    const t0 = performance.now();
    const key = [dataset.name, base.info.modelId, base.info.dim, options.base ? 'init' : 'random', epochs ?? 'auto', learningRate ?? 'lr'];
    const cached = cacheDir ? join(cacheDir, `${key.join('-').replace(/[^\w.-]+/g, '_')}.sadp`) : undefined;
    let adapted;
    if (cached && existsSync(cached)) {
      adapted = deserializeAdapted(readFileSync(cached));
    } else {
      adapted = await trainCorpusVectors(dataset.docs.map(documentText), options);
      if (cached) {
        mkdirSync(cacheDir!, { recursive: true });
        writeFileSync(cached, serializeAdapted(adapted));
      }
    }
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    log(`${dataset.name}: adapted ${adapted.words.length} words (${adapted.dim}-d) on ${adapted.tokens} tokens in ${seconds}s`);
    return new DenseRetriever(new AdaptedEmbedder(base, adapted, { id: dataset.name, weight, sifA }), { log });
  };
  const lazy = (name: string, make: (retriever: DenseRetriever) => RetrievalSystem): RetrievalSystem => ({
    name,
    async retrieve(dataset, depth) {
      return make(await retrieverFor(dataset)).retrieve(dataset, depth);
    },
  });

  const denseWeight = env('SIFT_ADAPT_DENSE_WEIGHT') ?? entry.denseWeight;
  // The app applies the base model's feedback preset to an adapted model too.
  const feedback = feedbackFor(STATIC_DEFAULT);
  const systems = [lazy('default+adapt', (r) => hybridSystem('default+adapt', r, { denseWeight, feedback }))];
  if (wants.dense) systems.push(lazy('dense:default+adapt', (r) => denseSystem('dense:default+adapt', r)));
  return systems;
}
