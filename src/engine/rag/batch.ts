/**
 * Many questions at once: one retrieval call for the whole list (so the
 * embedder batches the queries), then optional answers one by one (a local
 * LLM serves one request at a time anyway), and CSV/JSON export.
 */
import { cancelledError } from './llm-errors';
import { answerQuestion, type RetrievedSource } from './answer-pipeline';
import type { LlmClient } from './llm-client';

export interface BatchAnswerOptions {
  client: LlmClient;
  countTokens: (text: string) => number;
  tokenBudget: number;
  template?: string;
  systemPrompt?: string;
}

export interface BatchOptions<S extends RetrievedSource = RetrievedSource> {
  queries: readonly string[];
  /** Returns one best-first list per query, in query order. */
  retrieveMany: (queries: string[], signal?: AbortSignal) => Promise<S[][]>;
  /** Hits kept per query. */
  k?: number;
  /** When given, each query is also answered. */
  answer?: BatchAnswerOptions;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: 'retrieve' | 'answer'; done: number; total: number }) => void;
}

export interface BatchQueryResult<S extends RetrievedSource = RetrievedSource> {
  query: string;
  sources: S[];
  answer?: { text: string; citedSources: number[]; error?: { code: string; message: string } };
}

export async function runBatch<S extends RetrievedSource>(options: BatchOptions<S>): Promise<BatchQueryResult<S>[]> {
  const queries = options.queries.map((q) => q.trim()).filter((q) => q.length > 0);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw cancelledError();
  onProgress?.({ phase: 'retrieve', done: 0, total: queries.length });
  const lists = queries.length ? await options.retrieveMany(queries, signal) : [];
  onProgress?.({ phase: 'retrieve', done: queries.length, total: queries.length });
  const results: BatchQueryResult<S>[] = queries.map((query, i) => ({
    query,
    sources: (lists[i] ?? []).slice(0, options.k ?? Infinity),
  }));
  if (!options.answer) return results;

  const answer = options.answer;
  for (let i = 0; i < results.length; i++) {
    if (signal?.aborted) throw cancelledError();
    const row = results[i];
    const outcome = await answerQuestion<S>({
      question: row.query,
      retrieve: async () => row.sources,
      client: answer.client,
      countTokens: answer.countTokens,
      tokenBudget: answer.tokenBudget,
      template: answer.template,
      systemPrompt: answer.systemPrompt,
      signal,
    });
    if (outcome.error?.code === 'CANCELLED') throw outcome.error;
    row.answer = outcome.error
      ? { text: outcome.text, citedSources: outcome.citedSources, error: { code: outcome.error.code, message: outcome.error.message } }
      : { text: outcome.text, citedSources: outcome.citedSources };
    onProgress?.({ phase: 'answer', done: i + 1, total: results.length });
  }
  return results;
}

export type BatchRow = Record<string, string | number | undefined>;

/**
 * `hits`: one row per (query, hit), for judging retrieval.
 * `answers`: one row per query, with the answer and the sources it cited.
 */
export function batchRows(results: readonly BatchQueryResult[], layout: 'hits' | 'answers' = 'hits'): BatchRow[] {
  if (layout === 'answers') {
    return results.map((r) => ({
      query: r.query,
      answer: r.answer?.text ?? '',
      cited: (r.answer?.citedSources ?? []).join(' '),
      sources: r.sources.map((s, i) => `[${i + 1}] ${describe(s)}`).join('; '),
      error: r.answer?.error ? `${r.answer.error.code}: ${r.answer.error.message}` : '',
    }));
  }
  const rows: BatchRow[] = [];
  for (const r of results) {
    r.sources.forEach((s, i) =>
      rows.push({
        query: r.query,
        rank: i + 1,
        document: s.docName,
        path: s.docPath,
        page: s.page,
        section: s.headingPath?.join(' > '),
        score: s.score,
        text: s.text,
      }),
    );
  }
  return rows;
}

function describe(source: RetrievedSource): string {
  return source.page !== undefined ? `${source.docName} (p. ${source.page})` : source.docName;
}

export interface CsvOptions {
  /** Column order; defaults to every key, in order of first appearance. */
  columns?: readonly string[];
  /**
   * Prefix text cells starting with = + - @ (or tab/CR) with `'`, so a
   * spreadsheet shows them instead of running them as formulas.
   */
  neutraliseFormulas?: boolean;
}

export function csvCell(value: unknown, neutraliseFormulas = true): string {
  if (value === undefined || value === null) return '';
  let text: string;
  if (typeof value === 'string') {
    text = neutraliseFormulas && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    text = String(value);
  } else if (Array.isArray(value)) {
    return csvCell(value.join('; '), neutraliseFormulas);
  } else {
    return csvCell(JSON.stringify(value), neutraliseFormulas);
  }
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: CRLF line ends, fields with `"`, `,` or line breaks quoted, quotes doubled. */
export function toCsv(rows: readonly Record<string, unknown>[], options: CsvOptions = {}): string {
  const columns = options.columns ?? columnsOf(rows);
  const neutralise = options.neutraliseFormulas ?? true;
  const lines = [columns.map((c) => csvCell(c, neutralise)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c], neutralise)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(rows: readonly unknown[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}
