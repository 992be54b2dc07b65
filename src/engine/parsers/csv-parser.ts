import { DocumentBuilder } from './document-builder';
import type { ParsedDocument } from './parsed-document';
import { normalizeNewlines } from './plain-text-parser';

export interface CsvRows {
  rows: string[][];
  /** True when a quoted field ran to the end of the file. */
  unterminatedQuote: boolean;
}

/** RFC 4180 fields: quotes escape delimiters and newlines, `""` is a quote. */
export function parseCsvRows(text: string, delimiter: string): CsvRows {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || row.length > 0 || quoted) {
    row.push(field);
    rows.push(row);
  }
  return { rows, unterminatedQuote: quoted };
}

/** Picks the delimiter that splits the first lines most consistently. */
export function detectDelimiter(text: string): string {
  const sample = text.slice(0, 8192).split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 10);
  let best = ',';
  let bestScore = 0;
  for (const d of [',', ';', '\t', '|']) {
    const counts = sample.map((line) => countOutsideQuotes(line, d));
    if (counts.length === 0 || counts[0] === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length;
    const score = consistent * 1000 + counts[0];
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) count++;
  }
  return count;
}

/**
 * One record block per data row, rendered as `column: value` lines so each
 * row reads on its own (the header is repeated in every record).
 */
export function parseCsv(text: string, delimiter?: string): ParsedDocument {
  const builder = new DocumentBuilder();
  const { rows, unterminatedQuote } = parseCsvRows(normalizeNewlines(text), delimiter ?? detectDelimiter(text));
  const nonEmpty = rows.filter((r) => r.some((f) => f.trim() !== ''));
  if (nonEmpty.length === 0) return builder.build('csv');
  const header = nonEmpty[0].map((h, i) => h.trim() || `column ${i + 1}`);
  if (nonEmpty.length === 1) {
    builder.add('record', header.join(', '), { headingPath: ['Header'] });
  }
  let ragged = 0;
  for (let r = 1; r < nonEmpty.length; r++) {
    const row = nonEmpty[r];
    if (row.length !== header.length) ragged++;
    const lines: string[] = [];
    for (let c = 0; c < row.length; c++) {
      const value = row[c].trim();
      if (value !== '') lines.push(`${header[c] ?? `column ${c + 1}`}: ${value}`);
    }
    builder.add('record', lines.join('\n'), { headingPath: [`Row ${r}`] });
  }
  if (unterminatedQuote || ragged > 0) {
    const reasons = [
      unterminatedQuote ? 'a quoted field is never closed' : '',
      ragged > 0 ? `${ragged} row(s) have a different number of columns than the header` : '',
    ].filter(Boolean);
    builder.warn({ code: 'MALFORMED_ROWS', message: `The CSV is irregular: ${reasons.join('; ')}.` });
  }
  return builder.build('csv');
}
