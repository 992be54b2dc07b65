/**
 * RM3-style pseudo-relevance feedback on the lexical side. The static dense
 * model is too weak to bridge vocabulary gaps itself, but the top fused hits
 * name the terms relevant documents use: their most frequent terms become a
 * weighted expansion query. BM25 is linear in query-term weights, so the
 * interpolated query model is scored exactly as
 * (1 - λ) · BM25(q) / |q| + λ · Σ p(w|R) · BM25(w).
 * A small λ matters: on SciFact larger ones lose to plain BM25.
 */
import { analyze } from '../text/analyzer';
import type { RankedList } from '../text/fusion';

export interface LexicalFeedback {
  /** How many top fused hits feed back (r). */
  docs: number;
  /** How many expansion terms are kept. */
  terms: number;
  /** Interpolation weight λ of the expansion terms (0..1). */
  weight: number;
}

export interface ExpansionTerm {
  term: string;
  weight: number;
}

/**
 * The top `count` terms of p(w|R) = mean over the feedback documents of
 * tf(w, d) / |d| (each document counts equally), renormalised to sum to 1.
 * `docs` are already-analyzed term lists; `accept` can drop terms (the app
 * drops stems that would not survive being analyzed again as a query). Ties break by term so the result
 * does not depend on document order.
 */
export function expansionTerms(
  docs: readonly (readonly string[])[],
  count: number,
  accept: (term: string) => boolean = () => true,
): ExpansionTerm[] {
  const weights = new Map<string, number>();
  const used = docs.filter((terms) => terms.length > 0);
  for (const terms of used) {
    const share = 1 / terms.length / used.length;
    for (const term of terms) weights.set(term, (weights.get(term) ?? 0) + share);
  }
  const top = [...weights]
    .filter(([term]) => accept(term))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, count));
  const total = top.reduce((sum, [, w]) => sum + w, 0);
  return total > 0 ? top.map(([term, w]) => ({ term, weight: w / total })) : [];
}

/**
 * Expansion terms of raw feedback texts with the default analyzer (the one
 * BM25 indexes with). A stem analyzed again may stem further, so only terms
 * a query search would find as themselves are kept.
 */
export function feedbackTerms(texts: readonly string[], count: number): ExpansionTerm[] {
  const stable = (term: string): boolean => {
    const again = analyze(term);
    return again.length === 1 && again[0] === term;
  };
  return expansionTerms(texts.map((text) => analyze(text)), count, stable);
}

/**
 * The expanded lexical list: `search(text, k)` is a BM25 search (exhaustive
 * enough that every scored document comes back, so the sums are exact),
 * `queryLength` the number of analyzed query terms.
 */
export function expandedLexicalList(
  search: (text: string) => RankedList,
  original: RankedList,
  queryLength: number,
  expansion: readonly ExpansionTerm[],
  weight: number,
  k: number,
): RankedList {
  const acc = new Map<number, number>();
  const scale = (1 - weight) / Math.max(1, queryLength);
  for (let i = 0; i < original.ids.length; i++) acc.set(original.ids[i], scale * original.scores[i]);
  for (const { term, weight: w } of expansion) {
    const found = search(term);
    for (let i = 0; i < found.ids.length; i++) {
      const id = found.ids[i];
      acc.set(id, (acc.get(id) ?? 0) + weight * w * found.scores[i]);
    }
  }
  const order = [...acc].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  return { ids: Uint32Array.from(order, ([id]) => id), scores: Float32Array.from(order, ([, s]) => s) };
}
