/**
 * `npm run bench:index:browser [-- --json FILE] [--n 20000] [--nq 200]
 *  [--dim 384] [--real | --gaussian | --vectors FILE.f32] [--m 16] [--efc 200] [--no-peer]
 *  [--no-load] [--load-n 100000] [--load-m 32]`
 *
 * Only the browser half of bench:index (see bench/index-browser.ts), on the
 * same data flags; `npm run bench:index` runs it too unless --no-browser.
 */
import { writeFileSync } from 'node:fs';
import { fileEmbeddings, gaussianEmbeddings, realEmbeddings, syntheticEmbeddings, type BenchData } from './index-data';
import { ensureRealVectors } from './make-real-vectors';
import { runBrowserIndexBench } from './index-browser';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};

const n = Number(option('n', '20000'));
const nq = Number(option('nq', '200'));
const dim = Number(option('dim', '384'));
const vectors = option('vectors', '');
async function loadData(): Promise<BenchData> {
  if (flag('real')) return realEmbeddings(await ensureRealVectors(n, nq));
  if (flag('gaussian')) return gaussianEmbeddings(n, nq, dim);
  return vectors ? fileEmbeddings(vectors, dim, n, nq) : syntheticEmbeddings(n, nq, dim);
}
const data = await loadData();
console.error(`data (${data.label}): ${data.name}; n=${data.n}, queries=${data.nq}, dim=${data.dim}`);
const out = await runBrowserIndexBench({
  data,
  m: Number(option('m', '16')),
  efConstruction: Number(option('efc', '200')),
  // The same sweep as bench/index-bench.ts.
  efSweep: [10, 16, 24, 32, 48, 64, 96, 128, 256, 512],
  peer: !flag('no-peer'),
  load: flag('no-load') ? false : { n: Number(option('load-n', '100000')), m: Number(option('load-m', '32')) },
});
const report = { ...out, dataset: { label: data.label, name: data.name, n: data.n, nq: data.nq, dim: data.dim } };
console.log(JSON.stringify({ ratios: out.ratios, figures: out.figures, notes: out.notes }, null, 2));
const json = option('json', '');
if (json) writeFileSync(json, JSON.stringify(report, null, 2));
