/**
 * Turns text into index terms: Unicode word runs, compatibility-decomposed
 * (NFKD) with combining marks dropped so "café" and "cafe" meet, lower-cased,
 * stopwords removed, Porter-stemmed. This is close to Lucene's
 * EnglishAnalyzer (what Anserini's BM25 baselines use) so our numbers can be
 * compared with theirs.
 *
 * Chinese and Japanese script has no spaces, so each such character becomes
 * its own term, as Lucene's StandardTokenizer does.
 */
import { porterStem } from './porter-stemmer';
import { ENGLISH_STOPWORDS } from './stopwords';

export interface AnalyzedTerm {
  term: string;
  /** Offsets of the word in the original string, for highlighting. */
  start: number;
  end: number;
}

export interface AnalyzerOptions {
  /** Porter stemming (default true). */
  stem?: boolean;
  /** Words to drop after case folding (default ENGLISH_STOPWORDS; an empty set keeps all). */
  stopwords?: ReadonlySet<string>;
}

export interface Analyzer {
  analyze(text: string): string[];
  analyzeWithOffsets(text: string): AnalyzedTerm[];
  /** The distinct terms of a query, in first-seen order. */
  queryTerms(text: string): string[];
}

/** Letters, marks and digits, joined across inner apostrophes ("don't", "patient's"). */
const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:['\u2019\uFF07][\p{L}\p{M}\p{N}]+)*/gu;
const MARKS_RE = /\p{M}+/gu;
const SPLIT_RE = /[^\p{L}\p{N}]+/u;
const CJK_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const CJK_SPLIT_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{N}])+/gu;
/** Longer "words" are base64, hashes or markup debris: noise in the dictionary. */
const MAX_TERM_CHARS = 64;
const STEM_CACHE_LIMIT = 50_000;

type TermSink = (term: string, start: number, end: number) => void;

export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const stem = options.stem ?? true;
  const stopwords = options.stopwords ?? ENGLISH_STOPWORDS;
  const stemCache = new Map<string, string>();

  const emit = (word: string, start: number, end: number, sink: TermSink): void => {
    if (word.length === 0 || word.length > MAX_TERM_CHARS || stopwords.has(word)) return;
    if (!stem) {
      sink(word, start, end);
      return;
    }
    let stemmed = stemCache.get(word);
    if (stemmed === undefined) {
      stemmed = porterStem(word);
      if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
      stemCache.set(word, stemmed);
    }
    sink(stemmed, start, end);
  };

  const tokenize = (text: string, sink: TermSink): void => {
    WORD_RE.lastIndex = 0;
    for (let match = WORD_RE.exec(text); match !== null; match = WORD_RE.exec(text)) {
      let raw = match[0];
      const start = match.index;
      let len = raw.length;
      // Possessive 's (straight, curly or fullwidth apostrophe).
      if (len > 2) {
        const last = raw.charCodeAt(len - 1);
        const quote = raw.charCodeAt(len - 2);
        if ((last === 115 || last === 83) && (quote === 39 || quote === 0x2019 || quote === 0xff07)) {
          len -= 2;
          raw = raw.slice(0, len);
        }
      }
      const end = start + len;
      let ascii = true;
      let apostrophe = false;
      for (let i = 0; i < len; i++) {
        const c = raw.charCodeAt(i);
        if (c > 127) {
          ascii = false;
          break;
        }
        if (c === 39) apostrophe = true;
      }
      if (ascii) {
        const lower = raw.toLowerCase();
        if (apostrophe) splitParts(lower, start, end, true, sink);
        else emit(lower, start, end, sink);
        continue;
      }
      const folded = raw.normalize('NFKD').replace(MARKS_RE, '').toLowerCase();
      splitParts(folded, start, end, folded.length === raw.length, sink);
    }
  };

  /**
   * Splits a folded word on anything that is not a letter or digit (the
   * apostrophes kept by WORD_RE, or debris NFKD produced, such as the
   * fraction slash in "½"). When folding kept the length, character offsets
   * still line up; otherwise every part points at the whole word.
   */
  const splitParts = (folded: string, start: number, end: number, aligned: boolean, sink: TermSink): void => {
    if (CJK_RE.test(folded)) {
      CJK_SPLIT_RE.lastIndex = 0;
      for (let m = CJK_SPLIT_RE.exec(folded); m !== null; m = CJK_SPLIT_RE.exec(folded)) {
        const s = aligned ? start + m.index : start;
        emit(m[0], s, aligned ? s + m[0].length : end, sink);
      }
      return;
    }
    const parts = folded.split(SPLIT_RE);
    if (parts.length === 1) {
      emit(folded, start, end, sink);
      return;
    }
    let at = 0;
    for (const part of parts) {
      if (part === '') continue;
      const index = folded.indexOf(part, at);
      at = index + part.length;
      if (aligned) emit(part, start + index, start + at, sink);
      else emit(part, start, end, sink);
    }
  };

  return {
    analyze(text) {
      const terms: string[] = [];
      tokenize(text, (term) => terms.push(term));
      return terms;
    },
    analyzeWithOffsets(text) {
      const terms: AnalyzedTerm[] = [];
      tokenize(text, (term, start, end) => terms.push({ term, start, end }));
      return terms;
    },
    queryTerms(text) {
      const seen = new Set<string>();
      tokenize(text, (term) => seen.add(term));
      return [...seen];
    },
  };
}

const defaultAnalyzer = createAnalyzer();

export function analyze(text: string): string[] {
  return defaultAnalyzer.analyze(text);
}

export function analyzeWithOffsets(text: string): AnalyzedTerm[] {
  return defaultAnalyzer.analyzeWithOffsets(text);
}

export function queryTerms(text: string): string[] {
  return defaultAnalyzer.queryTerms(text);
}
