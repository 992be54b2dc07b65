/** A half-open range `[start, end)` of the document text. */
export interface Span {
  start: number;
  end: number;
}

/** Trims whitespace off both ends of a span; undefined if nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | undefined {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start < end ? { start, end } : undefined;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200b);
}

/** Splits `[start, end)` at every match of `separator` (which must be global). */
export function splitAt(text: string, start: number, end: number, separator: RegExp): Span[] {
  const spans: Span[] = [];
  const slice = text.slice(start, end);
  let from = 0;
  separator.lastIndex = 0;
  for (let m = separator.exec(slice); m !== null; m = separator.exec(slice)) {
    if (m[0].length === 0) {
      separator.lastIndex++;
      continue;
    }
    push(spans, text, start + from, start + m.index);
    from = m.index + m[0].length;
  }
  push(spans, text, start + from, end);
  return spans;
}

function push(spans: Span[], text: string, start: number, end: number): void {
  const span = trimSpan(text, start, end);
  if (span) spans.push(span);
}

let segmenter: Intl.Segmenter | null | undefined;

/** Sentence spans, using Intl.Segmenter where the runtime has it. */
export function splitSentences(text: string, start: number, end: number): Span[] {
  if (segmenter === undefined) {
    segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'sentence' }) : null;
  }
  if (!segmenter) return splitAt(text, start, end, /(?<=[.!?。！？])["'”’)\]]*\s+/g);
  const spans: Span[] = [];
  for (const s of segmenter.segment(text.slice(start, end))) {
    push(spans, text, start + s.index, start + s.index + s.segment.length);
  }
  return spans;
}

/** Word starts after `floor` and before `end`, nearest to `end` first, at most `limit`. */
export function wordStartsBackward(text: string, floor: number, end: number, limit: number): number[] {
  const starts: number[] = [];
  for (let i = end - 1; i > floor && starts.length < limit; i--) {
    if (!isSpace(text.charCodeAt(i)) && isSpace(text.charCodeAt(i - 1))) starts.push(i);
  }
  return starts;
}

/** True when a sentence (or paragraph) plausibly begins at `pos`. */
export function isSentenceStart(text: string, pos: number, floor: number): boolean {
  let i = pos - 1;
  let newlines = 0;
  while (i >= floor && isSpace(text.charCodeAt(i))) {
    if (text.charCodeAt(i) === 10) newlines++;
    i--;
  }
  if (i < floor) return true;
  return newlines >= 2 || /[.!?。！？:;"”')\]]/.test(text[i]);
}

/** Avoids cutting a surrogate pair in half when splitting inside a word. */
export function safeCut(text: string, pos: number): number {
  const code = text.charCodeAt(pos - 1);
  return code >= 0xd800 && code <= 0xdbff ? pos - 1 : pos;
}
