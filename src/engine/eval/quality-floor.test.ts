/**
 * Retrieval quality floors on the shared evaluation data, so a change that
 * makes BM25 worse fails CI. Each floor sits a little below what was measured
 * when it was set (default BM25, k1 1.2, b 0.75, stemming + stopwords):
 *   adi 0.4814, cranfield 0.3665, scifact 0.6827 nDCG@10.
 * Skips cleanly when the data is not on this machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listDatasets, loadDataset } from '../../../scripts/eval-data';
import { evaluateRun } from './metrics';
import { DenseRetriever, bm25System, hybridSystem } from './retrieval-systems';
import { StaticEmbedder } from '../embedding/static-embedder';
import { feedbackFor, fusionWeightFor } from '../embedding/model-registry';
import { configureTransformers } from '../embedding/transformers-env';

// ../shared/data beside the repository (where CI puts it), unless told otherwise.
const DATA = process.env.SIFT_EVAL_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));

const FLOORS: Record<string, { ndcg: number; recall: number }> = {
  adi: { ndcg: 0.46, recall: 0.88 },
  cranfield: { ndcg: 0.35, recall: 0.71 },
  scifact: { ndcg: 0.67, recall: 0.91 },
};

describe.skipIf(!existsSync(DATA))('BM25 quality floor', () => {
  const present = existsSync(DATA) ? listDatasets(DATA) : [];
  for (const [name, floor] of Object.entries(FLOORS)) {
    it.skipIf(!present.includes(name))(`${name}: nDCG@10 >= ${floor.ndcg}, recall@100 >= ${floor.recall}`, async () => {
      const dataset = loadDataset(join(DATA, name), name);
      if (dataset.kind !== 'retrieval') throw new Error(`${name} is not a retrieval set`);
      const metrics = evaluateRun(dataset.qrels, await bm25System().retrieve(dataset, 100));
      expect(metrics['ndcg@10']).toBeGreaterThanOrEqual(floor.ndcg);
      expect(metrics['recall@100']).toBeGreaterThanOrEqual(floor.recall);
    }, 60_000);
  }
});

describe.skipIf(!existsSync(join(DATA, 'adi')))('the default system never falls below BM25', () => {
  it('adi: default (hybrid with the embedded model) >= bm25 on nDCG@10', async () => {
    const dataset = loadDataset(join(DATA, 'adi'), 'adi');
    if (dataset.kind !== 'retrieval') throw new Error('adi is not a retrieval set');
    configureTransformers({ localModelPath: fileURLToPath(new URL('../../../public/models/', import.meta.url)), allowLocalModels: true, allowRemoteModels: false });
    const embedder = await StaticEmbedder.create();
    const retriever = new DenseRetriever(embedder);
    const bm25 = evaluateRun(dataset.qrels, await bm25System().retrieve(dataset, 100));
    const hybrid = evaluateRun(
      dataset.qrels,
      await hybridSystem('default', retriever, {
        denseWeight: fusionWeightFor(embedder.info.modelId),
        feedback: feedbackFor(embedder.info.modelId),
      }).retrieve(dataset, 100),
    );
    expect(hybrid['ndcg@10']).toBeGreaterThanOrEqual(bm25['ndcg@10']);
    await embedder.dispose();
  }, 120_000);
});
