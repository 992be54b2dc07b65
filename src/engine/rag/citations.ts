/**
 * Finds `[n]` citations in an answer. Models write them many ways: `[1]`,
 * `[1, 2]`, `[1][2]`, `[1-3]`, `[Source 2]`; all are accepted. Numbers that
 * name no source are dropped, since a model can invent them.
 */

export interface Citation {
  /** Source number, 1-based. */
  n: number;
  /** Span of the whole bracket group in the answer; numbers from one group share it. */
  start: number;
  end: number;
}

export type AnswerSegment =
  | { kind: 'text'; text: string }
  | { kind: 'citation'; text: string; sources: number[] };

const ITEM = String.raw`(?:sources?\s*:?\s*)?\d{1,4}(?:\s*[-–]\s*\d{1,4})?`;
// A bracket group of items; not followed by `(`, which would make it a markdown link.
const GROUP = new RegExp(String.raw`\[\s*(${ITEM}(?:\s*[,;]\s*${ITEM})*)\s*\](?!\()`, 'gi');
const MAX_RANGE = 20;

function groupNumbers(inner: string, sourceCount: number): number[] {
  const out: number[] = [];
  for (const rawItem of inner.split(/[,;]/)) {
    const item = rawItem.replace(/sources?\s*:?/i, '').trim();
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(item);
    const numbers: number[] = [];
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (hi >= lo && hi - lo <= MAX_RANGE) for (let n = lo; n <= hi; n++) numbers.push(n);
    } else if (/^\d+$/.test(item)) numbers.push(Number(item));
    for (const n of numbers) if (n >= 1 && n <= sourceCount && !out.includes(n)) out.push(n);
  }
  return out;
}

export function parseCitations(answerText: string, sourceCount: number): Citation[] {
  const citations: Citation[] = [];
  GROUP.lastIndex = 0;
  for (let match = GROUP.exec(answerText); match; match = GROUP.exec(answerText)) {
    const start = match.index;
    const end = start + match[0].length;
    for (const n of groupNumbers(match[1], sourceCount)) citations.push({ n, start, end });
  }
  return citations;
}

/** Each cited source once, in order of first citation. */
export function citedSources(answer: { citations: readonly Citation[] } | readonly Citation[]): number[] {
  const list = 'citations' in answer ? answer.citations : answer;
  const seen: number[] = [];
  for (const { n } of list) if (!seen.includes(n)) seen.push(n);
  return seen;
}

/**
 * Splits the answer into plain text and citation groups, so the UI can render
 * citations as elements and everything else as text (never as HTML).
 */
export function segmentAnswer(answerText: string, sourceCount: number): AnswerSegment[] {
  const segments: AnswerSegment[] = [];
  let at = 0;
  let group: { start: number; end: number; sources: number[] } | undefined;
  const flush = () => {
    if (!group) return;
    if (group.start > at) segments.push({ kind: 'text', text: answerText.slice(at, group.start) });
    segments.push({ kind: 'citation', text: answerText.slice(group.start, group.end), sources: group.sources });
    at = group.end;
    group = undefined;
  };
  for (const citation of parseCitations(answerText, sourceCount)) {
    if (group && group.start === citation.start) group.sources.push(citation.n);
    else {
      flush();
      group = { start: citation.start, end: citation.end, sources: [citation.n] };
    }
  }
  flush();
  if (at < answerText.length) segments.push({ kind: 'text', text: answerText.slice(at) });
  return segments;
}
