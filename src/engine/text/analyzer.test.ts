import { describe, expect, it } from 'vitest';
import { analyze, analyzeWithOffsets, createAnalyzer, queryTerms } from './analyzer';

describe('analyze', () => {
  it('case-folds, drops stopwords and stems', () => {
    expect(analyze('The Cats are RUNNING into the gardens')).toEqual(['cat', 'run', 'garden']);
  });

  it('folds accents and compatibility forms', () => {
    expect(analyze('Café naïve ﬁle')).toEqual(analyze('cafe naive file'));
    expect(analyze('Ｆｕｌｌｗｉｄｔｈ')).toEqual(['fullwidth']);
  });

  it('splits on anything that is not a letter or digit', () => {
    expect(analyze('covid-19, e-mail;x.y')).toEqual(['covid', '19', 'e', 'mail', 'x', 'y']);
  });

  it('drops the English possessive', () => {
    expect(analyze("the patient's doctor’s")).toEqual(['patient', 'doctor']);
  });

  it('makes each CJK character a term', () => {
    expect(analyze('東京タワー abc')).toEqual(['東', '京', 'タ', 'ワ', 'ー', 'abc']);
  });

  it('keeps non-Latin words whole', () => {
    expect(analyze('Привет мир')).toEqual(['привет', 'мир']);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(analyze('')).toEqual([]);
    expect(analyze(' ... !!! ')).toEqual([]);
    expect(analyze('\u0301 \u0301\u0302')).toEqual([]); // lone combining marks
  });

  it('can turn off stemming and stopwords', () => {
    const plain = createAnalyzer({ stem: false, stopwords: new Set() });
    expect(plain.analyze('The running cats')).toEqual(['the', 'running', 'cats']);
  });
});

describe('analyzeWithOffsets', () => {
  it('points into the original string', () => {
    const text = 'Indexing the Café’s menus';
    const terms = analyzeWithOffsets(text);
    expect(terms.map((t) => t.term)).toEqual(['index', 'cafe', 'menu']);
    expect(terms.map((t) => text.slice(t.start, t.end))).toEqual(['Indexing', 'Café', 'menus']);
  });

  it('gives offsets of each part of a split word', () => {
    const text = "x don't-stop";
    const terms = analyzeWithOffsets(text);
    expect(terms.map((t) => [t.term, text.slice(t.start, t.end)])).toEqual([
      ['x', 'x'],
      ['don', 'don'],
      ['t', 't'],
      ['stop', 'stop'],
    ]);
  });

  it('covers the whole word when folding changed its length', () => {
    const text = 'e\u0301te\u0301 ok'; // decomposed "été"
    const [first] = analyzeWithOffsets(text);
    expect(first.term).toBe(analyze('ete')[0]);
    expect(text.slice(first.start, first.end)).toBe('e\u0301te\u0301');
  });
});

describe('queryTerms', () => {
  it('returns distinct terms in order', () => {
    expect(queryTerms('index the indexes, then Index')).toEqual(['index']);
    expect(queryTerms('dogs and cats and dogs')).toEqual(['dog', 'cat']);
  });
});
