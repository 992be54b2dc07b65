/**
 * Retrieval quality floors on the shared evaluation data, so a change that
 * makes BM25 worse fails CI. Each floor sits a little below what was measured
 * when it was set (default BM25, k1 1.2, b 0.75, stemming + stopwords):
 *   adi 0.4814, cranfield 0.3665, scifact 0.6827 nDCG@10.
 * Skips cleanly when the data is not on this machine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDatasets, loadDataset } from '../../../scripts/eval-data';
import { evaluateRun } from './metrics';
import { bm25System } from './retrieval-systems';

const DATA = process.env.SIFT_EVAL_DATA ?? '/work/shared/data';

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
