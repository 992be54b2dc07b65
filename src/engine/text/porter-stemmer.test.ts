import { describe, expect, it } from 'vitest';
import { porterStem } from './porter-stemmer';

// Examples from Porter, "An algorithm for suffix stripping", Program 14(3), 1980.
const PAPER_EXAMPLES: Record<string, string> = {
  // Step 1a
  caresses: 'caress', ponies: 'poni', ties: 'ti', caress: 'caress', cats: 'cat',
  // Step 1b
  feed: 'feed', agreed: 'agre', plastered: 'plaster', bled: 'bled', motoring: 'motor', sing: 'sing',
  conflated: 'conflat', troubled: 'troubl', sized: 'size', hopping: 'hop', tanned: 'tan',
  falling: 'fall', hissing: 'hiss', fizzed: 'fizz', failing: 'fail', filing: 'file',
  // Step 1c
  happy: 'happi', sky: 'sky',
  // Step 2 (followed by the later steps)
  relational: 'relat', conditional: 'condit', rational: 'ration', valenci: 'valenc',
  digitizer: 'digit', conformabli: 'conform', radicalli: 'radic', differentli: 'differ',
  vileli: 'vile', analogousli: 'analog', vietnamization: 'vietnam', predication: 'predic',
  operator: 'oper', feudalism: 'feudal', decisiveness: 'decis', hopefulness: 'hope',
  callousness: 'callous', formaliti: 'formal', sensitiviti: 'sensit', sensibiliti: 'sensibl',
  // Step 3
  triplicate: 'triplic', formative: 'form', formalize: 'formal', electriciti: 'electr',
  electrical: 'electr', hopeful: 'hope', goodness: 'good',
  // Step 4
  revival: 'reviv', allowance: 'allow', inference: 'infer', airliner: 'airlin',
  gyroscopic: 'gyroscop', adjustable: 'adjust', defensible: 'defens', irritant: 'irrit',
  replacement: 'replac', adjustment: 'adjust', dependent: 'depend', adoption: 'adopt',
  homologou: 'homolog', communism: 'commun', activate: 'activ', angulariti: 'angular',
  homologous: 'homolog', effective: 'effect', bowdlerize: 'bowdler',
  // Step 5
  probate: 'probat', rate: 'rate', cease: 'ceas', controll: 'control', roll: 'roll',
  // Multi-step examples from the paper's introduction
  generalizations: 'gener', oscillators: 'oscil',
};

describe('porterStem', () => {
  it.each(Object.entries(PAPER_EXAMPLES))('%s -> %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it('matches the reference implementation on common words', () => {
    // From the reference voc.txt/output.txt pairs (tartarus.org).
    const pairs: [string, string][] = [
      ['abandoned', 'abandon'], ['abilities', 'abil'], ['consistency', 'consist'],
      ['connections', 'connect'], ['connecting', 'connect'], ['knightly', 'knightli'],
      ['generously', 'gener'], ['archaeology', 'archaeolog'], ['sensible', 'sensibl'],
      ['running', 'run'], ['proteins', 'protein'], ['mutations', 'mutat'], ['cells', 'cell'],
    ];
    for (const [word, stem] of pairs) expect(porterStem(word), word).toBe(stem);
  });

  it('leaves words of one or two letters alone', () => {
    expect(porterStem('is')).toBe('is');
    expect(porterStem('as')).toBe('as');
    expect(porterStem('a')).toBe('a');
    expect(porterStem('')).toBe('');
  });
});
