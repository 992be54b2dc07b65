import { analyzeWithOffsets, queryTerms } from '../text/analyzer';
import type { Highlight } from './search-types';

const SNIPPET_CHARS = 320;

/**
 * A window of the passage around its densest run of query terms, with the
 * matching words marked. Matching is on analysed terms (stemmed, case-folded),
 * so "indexing" in the passage lights up for a query about "index".
 */
export function buildSnippet(text: string, query: string): { text: string; highlights: Highlight[] } {
  const wanted = new Set(queryTerms(query));
  const matches = analyzeWithOffsets(text).filter((t) => wanted.has(t.term));
  if (text.length <= SNIPPET_CHARS) {
    return { text, highlights: matches.map(({ start, end }) => ({ start, end })) };
  }
  let bestStart = 0;
  let bestCount = -1;
  for (let i = 0; i < matches.length; i++) {
    let count = 0;
    for (let j = i; j < matches.length && matches[j].end - matches[i].start <= SNIPPET_CHARS; j++) count++;
    if (count > bestCount) {
      bestCount = count;
      bestStart = matches[i].start;
    }
  }
  let start = Math.max(0, bestStart - 60);
  const wordBreak = text.lastIndexOf(' ', start);
  if (start > 0 && wordBreak >= 0 && start - wordBreak < 30) start = wordBreak + 1;
  const end = Math.min(text.length, start + SNIPPET_CHARS);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const highlights = matches
    .filter((m) => m.start >= start && m.end <= end)
    .map((m) => ({ start: m.start - start + prefix.length, end: m.end - start + prefix.length }));
  return { text: prefix + text.slice(start, end) + suffix, highlights };
}
