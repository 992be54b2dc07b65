/**
 * Evaluation datasets in the layout of `/work/shared/data` (BEIR-style
 * corpus.jsonl / queries.jsonl / qrels.tsv, and pairs.tsv for similarity),
 * parsed from strings so this stays free of Node built-ins; reading the
 * files is the caller's job (scripts/eval-data.ts).
 */
import { createError } from '../errors';
import type { Qrels } from './metrics';

export interface EvalDocument {
  id: string;
  title: string;
  text: string;
}

export interface EvalQuery {
  id: string;
  text: string;
}

export interface RetrievalDataset {
  kind: 'retrieval';
  name: string;
  docs: EvalDocument[];
  queries: EvalQuery[];
  qrels: Qrels;
}

export interface SimilarityPair {
  a: string;
  b: string;
  score: number;
}

export interface SimilarityDataset {
  kind: 'similarity';
  name: string;
  pairs: SimilarityPair[];
}

export type EvalDataset = RetrievalDataset | SimilarityDataset;

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}

function parseJsonl(text: string, what: string): Record<string, unknown>[] {
  return lines(text).map((line, i) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw createError('PARSE_FAILED', `${what}: line ${i + 1} is not JSON.`);
    }
  });
}

export function parseCorpus(text: string): EvalDocument[] {
  return parseJsonl(text, 'corpus').map((row) => ({
    id: String(row._id),
    title: typeof row.title === 'string' ? row.title : '',
    text: typeof row.text === 'string' ? row.text : '',
  }));
}

export function parseQueries(text: string): EvalQuery[] {
  return parseJsonl(text, 'queries').map((row) => ({ id: String(row._id), text: String(row.text ?? '') }));
}

/** `query-id TAB corpus-id TAB score`, with a header line; no quoting. */
export function parseQrels(text: string): Qrels {
  const qrels: Qrels = new Map();
  const rows = lines(text);
  for (let i = 0; i < rows.length; i++) {
    const [queryId, docId, score] = rows[i].split('\t');
    if (i === 0 && queryId === 'query-id') continue;
    const value = Number(score);
    if (docId === undefined || !Number.isFinite(value)) throw createError('PARSE_FAILED', `qrels: bad line ${i + 1}.`);
    let judged = qrels.get(queryId);
    if (!judged) qrels.set(queryId, (judged = new Map()));
    judged.set(docId, value);
  }
  return qrels;
}

/** `sentence1 TAB sentence2 TAB score`, with a header line; no quoting, no trimming. */
export function parsePairs(text: string): SimilarityPair[] {
  const pairs: SimilarityPair[] = [];
  const rows = lines(text);
  for (let i = 0; i < rows.length; i++) {
    const [a, b, score] = rows[i].split('\t');
    if (i === 0 && a === 'sentence1') continue;
    const value = Number(score);
    if (b === undefined || !Number.isFinite(value)) throw createError('PARSE_FAILED', `pairs: bad line ${i + 1}.`);
    pairs.push({ a, b, score: value });
  }
  return pairs;
}

/** The text a document is indexed and embedded as: BEIR's `title + " " + text`. */
export function documentText(doc: EvalDocument): string {
  return doc.title ? `${doc.title} ${doc.text}` : doc.text;
}
