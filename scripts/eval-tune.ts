/**
 * BM25 settings sweep over the retrieval sets (not part of `npm run eval`):
 *   npx tsx scripts/eval-tune.ts [--data DIR]
 * Prints nDCG@10 per dataset for each analyzer and (k1, b), to pick one
 * setting for all datasets rather than tuning per collection.
 */
import { join, resolve } from 'node:path';
import { createAnalyzer } from '../src/engine/text/analyzer';
import { bm25System } from '../src/engine/eval/retrieval-systems';
import { evaluateRun } from '../src/engine/eval/metrics';
import type { RetrievalDataset } from '../src/engine/eval/dataset';
import { listDatasets, loadDataset } from './eval-data';

const dataArg = process.argv.indexOf('--data');
const root = resolve(dataArg >= 0 ? process.argv[dataArg + 1] : join('..', 'shared', 'data'));
const sets = listDatasets(root)
  .map((name) => loadDataset(join(root, name), name))
  .filter((d): d is RetrievalDataset => d.kind === 'retrieval');

const analyzers = {
  'stem+stop': createAnalyzer(),
  'stem': createAnalyzer({ stopwords: new Set() }),
  'stop': createAnalyzer({ stem: false }),
  'plain': createAnalyzer({ stem: false, stopwords: new Set() }),
};
const grid: [number, number][] = [];
for (const k1 of [0.6, 0.9, 1.2, 1.5]) for (const b of [0.3, 0.4, 0.5, 0.6, 0.75]) grid.push([k1, b]);

console.log(['analyzer', 'k1', 'b', ...sets.map((s) => s.name), 'mean'].join('\t'));
for (const [label, analyzer] of Object.entries(analyzers)) {
  for (const [k1, b] of grid) {
    const scores: number[] = [];
    for (const set of sets) {
      const run = await bm25System({ k1, b, analyze: analyzer.analyze }).retrieve(set, 1000);
      scores.push(evaluateRun(set.qrels, run)['ndcg@10']);
    }
    const mean = scores.reduce((a, x) => a + x, 0) / scores.length;
    console.log([label, k1, b, ...scores.map((x) => x.toFixed(4)), mean.toFixed(4)].join('\t'));
  }
}
