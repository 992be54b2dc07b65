/**
 * Pseudo-relevance feedback sweep for `default` (not part of `npm run eval`):
 *   npx tsx scripts/eval-prf.ts [--data DIR] [--datasets a,b]
 * Prints nDCG@10 of bm25, default without feedback, with Rocchio on the
 * dense side (r docs, weight β) and with RM3 on the lexical side (r docs,
 * 10 terms, λ) on every retrieval set, through the engine's feedback code,
 * so one setting can be chosen on SciFact and checked on the others.
 * Each corpus is embedded once. Judgements are used for scoring only.
 */
import { join, resolve } from 'node:path';
import { evaluateRun } from '../src/engine/eval/metrics';
import { DenseRetriever, bm25System, hybridSystem } from '../src/engine/eval/retrieval-systems';
import type { RetrievalDataset } from '../src/engine/eval/dataset';
import type { SearchFeedback } from '../src/engine/search/search-types';
import { availableEmbedders } from './eval-embedders';
import { listDatasets, loadDataset } from './eval-data';

const arg = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const root = resolve(arg('--data') ?? join('..', 'shared', 'data'));
const only = arg('--datasets')?.split(',');
const log = (m: string): void => void process.stderr.write(`[prf] ${m}\n`);

const entry = (await availableEmbedders(log)).find((e) => e.isDefault);
if (!entry) throw new Error('no default embedding model');
const embedder = await entry.create();
const grid: [string, SearchFeedback][] = [['default (no feedback)', {}]];
for (const docs of [3, 5, 10]) for (const weight of [0.5, 1, 2]) grid.push([`+prf r=${docs} b=${weight}`, { dense: { docs, weight } }]);
for (const docs of [3, 5, 10]) for (const weight of [0.1, 0.2, 0.3]) grid.push([`+rm3 r=${docs} l=${weight}`, { lexical: { docs, terms: 10, weight } }]);

console.log(['dataset', 'system', 'nDCG@10', 'R@100'].join('\t'));
for (const name of listDatasets(root).filter((n) => !only || only.includes(n))) {
  const dataset = loadDataset(join(root, name), name);
  if (dataset.kind !== 'retrieval') continue;
  const set: RetrievalDataset = dataset;
  const retriever = new DenseRetriever(embedder, { log });
  const row = async (label: string, run: Awaited<ReturnType<ReturnType<typeof bm25System>['retrieve']>>): Promise<void> => {
    const m = evaluateRun(set.qrels, run);
    console.log([name, label, m['ndcg@10'].toFixed(4), m['recall@100'].toFixed(4)].join('\t'));
  };
  await row('bm25', await bm25System().retrieve(set, 1000));
  for (const [label, feedback] of grid) {
    await row(label, await hybridSystem(label, retriever, { denseWeight: entry.denseWeight, feedback }).retrieve(set, 1000));
  }
}
await embedder.dispose();
