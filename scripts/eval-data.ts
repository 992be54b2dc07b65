/**
 * Node-side loading of evaluation datasets from a folder laid out like
 * /work/shared/data: one subfolder per dataset, retrieval sets with
 * corpus.jsonl (or corpus.jsonl.gz), queries.jsonl and qrels.tsv, and
 * similarity sets with pairs.tsv.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseCorpus, parsePairs, parseQrels, parseQueries } from '../src/engine/eval/dataset';
import type { EvalDataset } from '../src/engine/eval/dataset';

function readText(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Dataset folders under `root`, sorted by name; folders of neither kind are skipped. */
export function listDatasets(root: string): string[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .filter((name) => datasetKind(join(root, name)) !== undefined)
    .sort();
}

export function datasetKind(dir: string): 'retrieval' | 'similarity' | undefined {
  if (existsSync(join(dir, 'pairs.tsv'))) return 'similarity';
  const corpus = existsSync(join(dir, 'corpus.jsonl')) || existsSync(join(dir, 'corpus.jsonl.gz'));
  if (corpus && existsSync(join(dir, 'queries.jsonl')) && existsSync(join(dir, 'qrels.tsv'))) return 'retrieval';
  return undefined;
}

export function loadDataset(dir: string, name: string): EvalDataset {
  const kind = datasetKind(dir);
  if (kind === 'similarity') return { kind, name, pairs: parsePairs(readText(join(dir, 'pairs.tsv'))) };
  if (kind === 'retrieval') {
    const plain = join(dir, 'corpus.jsonl');
    return {
      kind,
      name,
      docs: parseCorpus(readText(existsSync(plain) ? plain : `${plain}.gz`)),
      queries: parseQueries(readText(join(dir, 'queries.jsonl'))),
      qrels: parseQrels(readText(join(dir, 'qrels.tsv'))),
    };
  }
  throw new Error(`${dir} is not a dataset folder (no pairs.tsv, or corpus/queries/qrels missing)`);
}
