/**
 * The English stopword list Lucene's EnglishAnalyzer uses by default, and so
 * Anserini's BM25 baselines. It is deliberately short: BM25's idf already
 * discounts common words, and a long list throws away words such as "not"
 * or "how" that sometimes matter in a query.
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these',
  'they', 'this', 'to', 'was', 'will', 'with',
]);
