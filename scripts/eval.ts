/**
 * npm run eval -- --data DIR [--json FILE] [--systems bm25,dense,hybrid,default] [--datasets a,b]
 *   [--dense-weight w] [--fusion minmax|zscore]   (both only for the hybrid: rows, for tuning)
 *
 * Runs every dataset folder in DIR (layout of /work/shared/data): retrieval
 * sets get nDCG@10, recall@100 and MAP (trec_eval semantics, over the top
 * 1000) for each system; similarity sets get the Spearman correlation of
 * cosine similarity for each embedding model. Prints a table beside the
 * published baselines and, with --json, writes the CONTRACTS.md format.
 * Exits 0 whenever the run completes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { evaluateRun } from '../src/engine/eval/metrics';
import {
  DenseRetriever,
  bm25System,
  denseSystem,
  hybridSystem,
  type RetrievalSystem,
} from '../src/engine/eval/retrieval-systems';
import { similaritySpearman } from '../src/engine/eval/similarity';
import type { Embedder } from '../src/engine/embedding/embedder';
import { feedbackFor } from '../src/engine/embedding/model-registry';
import { adaptationSystems } from './eval-adaptation';
import { BASELINES, README_SANITY_CHECK } from './eval-baselines';
import { datasetKind, listDatasets, loadDataset } from './eval-data';
import { availableEmbedders, isFixture, type EmbedderEntry } from './eval-embedders';

interface Args {
  data: string;
  json?: string;
  systems: string[];
  /** Overrides every model's fusion weight (for tuning). */
  denseWeight?: number;
  /** Score normalisation of the `hybrid:` rows (for tuning); `default` always uses the app's. */
  fusion?: 'minmax' | 'zscore';
  datasets?: string[];
  depth: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { data: '', systems: ['bm25', 'dense', 'hybrid', 'default'], depth: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--data') args.data = value();
    else if (flag === '--json') args.json = value();
    else if (flag === '--systems') args.systems = value().split(',');
    else if (flag === '--datasets') args.datasets = value().split(',');
    else if (flag === '--depth') args.depth = Number(value());
    else if (flag === '--dense-weight') args.denseWeight = Number(value());
    else if (flag === '--fusion') {
      const v = value();
      if (v !== 'minmax' && v !== 'zscore') throw new Error('--fusion is minmax or zscore');
      args.fusion = v;
    }
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: npm run eval -- --data DIR [--json FILE] [--systems bm25,dense,hybrid,default] [--datasets a,b] [--depth 1000] [--dense-weight w] [--fusion minmax|zscore]');
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.data) args.data = resolve('..', 'shared', 'data');
  return args;
}

const log = (message: string): void => {
  process.stderr.write(`[eval] ${message}\n`);
};

/** Rocchio on the dense side: best on SciFact of r ∈ {3,5,10} × β ∈ {0.5,1,2}, still below plain `default` there. */
const PRF_DENSE = { docs: 10, weight: 2 };
/** RM3 on the lexical side: best on SciFact of r ∈ {3,5,10} × λ ∈ {0.1,0.2,0.3}, 10 terms. */
const PRF_LEXICAL = { docs: 10, terms: 10, weight: 0.1 };

type Results = Record<string, Record<string, Record<string, number>>>;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(args.data);
  const names = listDatasets(root).filter((n) => !args.datasets || args.datasets.includes(n));
  const wants = (kind: string): boolean => args.systems.includes(kind);

  const embedders: EmbedderEntry[] =
    ['dense', 'hybrid', 'default', 'default+prf', 'default+rm3', 'default-nofb'].some(wants) ? await availableEmbedders(log) : [];
  const loaded = new Map<string, Embedder>();
  const embedderFor = async (entry: EmbedderEntry): Promise<Embedder | undefined> => {
    if (loaded.has(entry.name)) return loaded.get(entry.name);
    try {
      const embedder = await entry.create();
      loaded.set(entry.name, embedder);
      return embedder;
    } catch (error) {
      log(`skipping model ${entry.name}: ${(error as Error).message}`);
      return undefined;
    }
  };

  const results: Results = {};
  for (const name of names) {
    const started = performance.now();
    const dataset = loadDataset(join(root, name), name);
    results[name] = {};
    if (dataset.kind === 'retrieval') {
      for (const system of await retrievalSystems(args, embedders, embedderFor)) {
        const t0 = performance.now();
        const run = await system.retrieve(dataset, args.depth);
        results[name][system.name] = { ...evaluateRun(dataset.qrels, run) };
        log(`${name} ${system.name}: ${fmt(results[name][system.name]['ndcg@10'])} nDCG@10 (${secs(t0)})`);
      }
    } else {
      for (const entry of embedders) {
        const names = [
          ...(wants('dense') && !isFixture(entry) ? [`dense:${entry.name}`] : []),
          ...(entry.isDefault && wants('default') ? ['default'] : []),
        ];
        if (names.length === 0) continue;
        const embedder = await embedderFor(entry);
        if (!embedder) continue;
        const t0 = performance.now();
        const rho = await similaritySpearman(embedder, dataset.pairs);
        for (const systemName of names) results[name][systemName] = { spearman: rho };
        log(`${name} ${names.join(', ')}: ${fmt(rho)} Spearman (${secs(t0)})`);
      }
      if (Object.keys(results[name]).length === 0) log(`${name}: similarity set skipped (no embedding model available)`);
    }
    log(`${name} done in ${secs(started)}`);
  }
  for (const embedder of loaded.values()) await embedder.dispose();

  printTable(results, names, new Map(names.map((n) => [n, datasetKind(join(root, n))])));
  if (args.json) {
    mkdirSync(dirname(resolve(args.json)), { recursive: true });
    // Datasets no system could run (similarity sets without a model) are left out.
    const ran = Object.fromEntries(Object.entries(results).filter(([, systems]) => Object.keys(systems).length > 0));
    writeFileSync(args.json, JSON.stringify({ datasets: ran }, null, 2) + '\n');
    log(`wrote ${args.json}`);
  }
}

async function retrievalSystems(
  args: Args,
  embedders: EmbedderEntry[],
  embedderFor: (entry: EmbedderEntry) => Promise<Embedder | undefined>,
): Promise<RetrievalSystem[]> {
  const systems: RetrievalSystem[] = [];
  if (args.systems.includes('bm25')) systems.push(bm25System());
  for (const entry of embedders) {
    const embedder = await embedderFor(entry);
    if (!embedder) continue;
    const retriever = new DenseRetriever(embedder, { log });
    const real = !isFixture(entry);
    if (real && args.systems.includes('dense')) systems.push(denseSystem(`dense:${entry.name}`, retriever));
    if (real && args.systems.includes('hybrid')) {
      systems.push(
        hybridSystem(`hybrid:${entry.name}`, retriever, { denseWeight: args.denseWeight ?? entry.denseWeight, normalization: args.fusion }),
      );
    }
    if (entry.isDefault && args.systems.includes('default')) {
      systems.push(hybridSystem('default', retriever, { denseWeight: entry.denseWeight, feedback: feedbackFor(entry.name) }));
      // Issue 6: the same, after adapting word vectors to the dataset's own text.
      systems.push(...adaptationSystems(entry, embedder, { dense: args.systems.includes('dense') }, log));
    }
    // Issue 6: pseudo-relevance feedback variants of the default model (settings chosen on SciFact, scripts/eval-prf.ts).
    if (entry.isDefault && args.systems.includes('default+prf')) {
      systems.push(hybridSystem('default+prf', retriever, { denseWeight: entry.denseWeight, feedback: { dense: PRF_DENSE } }));
    }
    if (entry.isDefault && args.systems.includes('default+rm3')) {
      systems.push(hybridSystem('default+rm3', retriever, { denseWeight: entry.denseWeight, feedback: { lexical: PRF_LEXICAL } }));
    }
    if (entry.isDefault && args.systems.includes('default-nofb')) {
      systems.push(hybridSystem('default-nofb', retriever, { denseWeight: entry.denseWeight }));
    }
  }
  if (args.systems.includes('default') && !embedders.some((e) => e.isDefault)) {
    // With no embedding model the app falls back to lexical search.
    systems.push(bm25System({}, 'default'));
  }
  return systems;
}

function printTable(results: Results, names: string[], kinds: Map<string, 'retrieval' | 'similarity' | undefined>): void {
  const rows: string[][] = [['dataset', 'system', 'nDCG@10', 'R@100', 'MAP', 'Spearman', 'reference']];
  for (const name of names) {
    for (const [system, m] of Object.entries(results[name])) {
      rows.push([name, system, fmt(m['ndcg@10']), fmt(m['recall@100']), fmt(m.map), fmt(m.spearman), '']);
    }
    for (const b of [...BASELINES, ...README_SANITY_CHECK].filter((x) => x.dataset === name)) {
      const cells = [name, '', '', '', '', '', `${b.source}`];
      cells[1] = `  (${b.system})`;
      cells[b.metric === 'ndcg@10' ? 2 : b.metric === 'recall@100' ? 3 : 5] = fmt(b.value);
      rows.push(cells);
    }
    if (kinds.get(name) === 'retrieval' && !BASELINES.some((b) => b.dataset === name)) {
      rows.push([name, '  (no verified published baseline)', '', '', '', '', '']);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c >= 2 && c <= 5 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

function fmt(value: number | undefined): string {
  return value === undefined ? '' : Number.isNaN(value) ? 'NaN' : value.toFixed(4);
}

function secs(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)}s`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
