/**
 * The Porter (1980) stemmer, following Martin Porter's reference C
 * implementation (tartarus.org/martin/PorterStemmer), which is also what
 * Lucene's PorterStemFilter ports. That keeps our terms the same as
 * Anserini's BM25 baselines, so their published numbers are comparable.
 *
 * It includes the reference code's two departures from the paper: step 2
 * maps "bli" to "ble" (not "abli" to "able") and adds "logi" to "log".
 *
 * Input must already be lower case ASCII letters for the rules to apply;
 * anything else passes through the rules harmlessly (non-letters count as
 * consonants), and words of one or two characters are returned unchanged.
 */

const VOWELS = 'aeiou';

class PorterWord {
  b: string;
  /** Index of the last character of the current word. */
  k: number;
  /** End of the stem when a suffix has just matched. */
  j = 0;

  constructor(word: string) {
    this.b = word;
    this.k = word.length - 1;
  }

  cons(i: number): boolean {
    const ch = this.b[i];
    if (VOWELS.includes(ch)) return false;
    if (ch === 'y') return i === 0 ? true : !this.cons(i - 1);
    return true;
  }

  /** Number of consonant-vowel sequences in b[0..j]: [C](VC){m}[V]. */
  m(): number {
    let n = 0;
    let i = 0;
    const j = this.j;
    for (;;) {
      if (i > j) return n;
      if (!this.cons(i)) break;
      i++;
    }
    i++;
    for (;;) {
      for (;;) {
        if (i > j) return n;
        if (this.cons(i)) break;
        i++;
      }
      i++;
      n++;
      for (;;) {
        if (i > j) return n;
        if (!this.cons(i)) break;
        i++;
      }
      i++;
    }
  }

  vowelInStem(): boolean {
    for (let i = 0; i <= this.j; i++) if (!this.cons(i)) return true;
    return false;
  }

  doubleC(j: number): boolean {
    if (j < 1) return false;
    if (this.b[j] !== this.b[j - 1]) return false;
    return this.cons(j);
  }

  /** consonant-vowel-consonant ending at i, where the last is not w, x or y. */
  cvc(i: number): boolean {
    if (i < 2 || !this.cons(i) || this.cons(i - 1) || !this.cons(i - 2)) return false;
    const ch = this.b[i];
    return ch !== 'w' && ch !== 'x' && ch !== 'y';
  }

  ends(s: string): boolean {
    const len = s.length;
    if (len > this.k + 1) return false;
    if (this.b.substring(this.k - len + 1, this.k + 1) !== s) return false;
    this.j = this.k - len;
    return true;
  }

  setTo(s: string): void {
    this.b = this.b.substring(0, this.j + 1) + s + this.b.substring(this.k + 1);
    this.k = this.j + s.length;
  }

  r(s: string): void {
    if (this.m() > 0) this.setTo(s);
  }

  /** Plurals and -ed / -ing. */
  step1ab(): void {
    if (this.b[this.k] === 's') {
      if (this.ends('sses')) this.k -= 2;
      else if (this.ends('ies')) this.setTo('i');
      else if (this.k > 0 && this.b[this.k - 1] !== 's') this.k--;
    }
    if (this.ends('eed')) {
      if (this.m() > 0) this.k--;
    } else if ((this.ends('ed') || this.ends('ing')) && this.vowelInStem()) {
      this.k = this.j;
      if (this.ends('at')) this.setTo('ate');
      else if (this.ends('bl')) this.setTo('ble');
      else if (this.ends('iz')) this.setTo('ize');
      else if (this.doubleC(this.k)) {
        this.k--;
        const ch = this.b[this.k];
        if (ch === 'l' || ch === 's' || ch === 'z') this.k++;
      } else if (this.m() === 1 && this.cvc(this.k)) this.setTo('e');
    }
  }

  /** Terminal y to i when there is another vowel in the stem. */
  step1c(): void {
    if (this.ends('y') && this.vowelInStem()) {
      this.b = this.b.substring(0, this.k) + 'i' + this.b.substring(this.k + 1);
    }
  }

  /** Applies the first rule of `rules` whose suffix matches, if the stem allows. */
  private firstRule(rules: readonly (readonly [string, string])[]): void {
    for (const [suffix, replacement] of rules) {
      if (this.ends(suffix)) {
        this.r(replacement);
        return;
      }
    }
  }

  step2(): void {
    if (this.k < 1) return;
    const rules = STEP2[this.b[this.k - 1]];
    if (rules) this.firstRule(rules);
  }

  step3(): void {
    const rules = STEP3[this.b[this.k]];
    if (rules) this.firstRule(rules);
  }

  /** Drops -ant, -ence etc. when the remaining stem has m > 1. */
  step4(): void {
    if (this.k < 1) return;
    const suffixes = STEP4[this.b[this.k - 1]];
    if (!suffixes) return;
    let matched = false;
    for (const suffix of suffixes) {
      if (!this.ends(suffix)) continue;
      if (suffix === 'ion') {
        const ch = this.j >= 0 ? this.b[this.j] : '';
        if (ch !== 's' && ch !== 't') continue;
      }
      matched = true;
      break;
    }
    if (matched && this.m() > 1) this.k = this.j;
  }

  /** Final -e, and -ll to -l. */
  step5(): void {
    this.j = this.k;
    if (this.b[this.k] === 'e') {
      const a = this.m();
      if (a > 1 || (a === 1 && !this.cvc(this.k - 1))) this.k--;
    }
    if (this.b[this.k] === 'l' && this.doubleC(this.k) && this.m() > 1) this.k--;
  }
}

const STEP2: Record<string, readonly (readonly [string, string])[]> = {
  a: [['ational', 'ate'], ['tional', 'tion']],
  c: [['enci', 'ence'], ['anci', 'ance']],
  e: [['izer', 'ize']],
  l: [['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous']],
  o: [['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate']],
  s: [['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous']],
  t: [['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble']],
  g: [['logi', 'log']],
};

const STEP3: Record<string, readonly (readonly [string, string])[]> = {
  e: [['icate', 'ic'], ['ative', ''], ['alize', 'al']],
  i: [['iciti', 'ic']],
  l: [['ical', 'ic'], ['ful', '']],
  s: [['ness', '']],
};

const STEP4: Record<string, readonly string[]> = {
  a: ['al'],
  c: ['ance', 'ence'],
  e: ['er'],
  i: ['ic'],
  l: ['able', 'ible'],
  n: ['ant', 'ement', 'ment', 'ent'],
  o: ['ion', 'ou'],
  s: ['ism'],
  t: ['ate', 'iti'],
  u: ['ous'],
  v: ['ive'],
  z: ['ize'],
};

export function porterStem(word: string): string {
  if (word.length <= 2) return word;
  const w = new PorterWord(word);
  w.step1ab();
  if (w.k > 0) {
    w.step1c();
    w.step2();
    w.step3();
    w.step4();
    w.step5();
  }
  return w.b.substring(0, w.k + 1);
}
