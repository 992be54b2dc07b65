import { createError } from '../errors';
import type { Block } from '../parsers/parsed-document';
import { approximateTokenCount, type CountTokens } from './token-count';
import { isSentenceStart, safeCut, splitAt, splitSentences, trimSpan, wordStartsBackward, type Span } from './text-spans';

export interface Chunk {
  /** Always `doc.text.slice(start, end)`, so a citation can highlight it exactly. */
  text: string;
  start: number;
  end: number;
  headingPath: string[];
  /** Page the chunk starts on (PDF only); chunks never cross pages. */
  page?: number;
  index: number;
}

export interface ChunkOptions {
  /** Upper bound on a chunk's tokens, as measured by `countTokens`. */
  maxTokens: number;
  /** Tokens repeated from the end of one chunk at the start of the next, within a section. */
  overlapTokens: number;
  countTokens: CountTokens;
}

export const DEFAULT_CHUNK_OPTIONS: Readonly<ChunkOptions> = {
  maxTokens: 256,
  overlapTokens: 32,
  countTokens: approximateTokenCount,
};

interface Unit extends Span {
  tokens: number;
}

interface Section {
  blocks: Block[];
  headingPath: string[];
  page?: number;
}

/**
 * Structure-aware recursive chunking. Blocks are grouped into sections
 * (a heading and what follows it, one page, or one record); a section is
 * packed into chunks of at most `maxTokens`, splitting over-long blocks by
 * paragraph, line, sentence, word and finally character. Consecutive chunks
 * of one section share about `overlapTokens` of text, snapped to a sentence
 * start when one is near. Records (CSV rows, JSON items) are never merged.
 */
export function chunkDocument(doc: { text: string; blocks: readonly Block[] }, options: Partial<ChunkOptions> = {}): Chunk[] {
  const opts = resolveOptions(options);
  const chunks: Chunk[] = [];
  for (const section of sections(doc.blocks)) {
    const units: Unit[] = [];
    for (const block of section.blocks) splitToUnits(doc.text, block.start, block.end, 0, opts, units);
    pack(doc.text, units, section, opts, chunks);
  }
  return chunks;
}

function resolveOptions(options: Partial<ChunkOptions>): ChunkOptions {
  const opts: ChunkOptions = {
    maxTokens: options.maxTokens ?? DEFAULT_CHUNK_OPTIONS.maxTokens,
    overlapTokens: options.overlapTokens ?? DEFAULT_CHUNK_OPTIONS.overlapTokens,
    countTokens: options.countTokens ?? DEFAULT_CHUNK_OPTIONS.countTokens,
  };
  if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1) {
    throw createError('INVALID_ARGUMENT', `maxTokens must be a positive integer, got ${opts.maxTokens}.`);
  }
  if (!Number.isInteger(opts.overlapTokens) || opts.overlapTokens < 0 || opts.overlapTokens >= opts.maxTokens) {
    throw createError('INVALID_ARGUMENT', `overlapTokens must be an integer in [0, maxTokens), got ${opts.overlapTokens}.`);
  }
  return opts;
}

/**
 * A heading starts a section (a run of headings with nothing between them
 * stays together), so does a new page, and every record is its own section.
 */
function sections(blocks: readonly Block[]): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  let onlyHeadings = false;
  for (const block of blocks) {
    const isRecord = block.kind === 'record';
    const startsNew =
      !current ||
      isRecord ||
      current.blocks[current.blocks.length - 1].kind === 'record' ||
      block.page !== current.page ||
      (block.kind === 'heading' && !onlyHeadings);
    if (startsNew) {
      current = { blocks: [], headingPath: block.headingPath, page: block.page };
      out.push(current);
      onlyHeadings = true;
    }
    current!.blocks.push(block);
    if (onlyHeadings) current!.headingPath = block.headingPath;
    if (block.kind !== 'heading') onlyHeadings = false;
  }
  return out;
}

const PARAGRAPHS = /\n[ \t]*\n/g;
const LINES = /\n/g;
const WHITESPACE = /\s+/g;

/** Appends units of at most maxTokens covering the non-blank text of `[start, end)`. */
function splitToUnits(text: string, start: number, end: number, level: number, opts: ChunkOptions, out: Unit[]): void {
  const span = trimSpan(text, start, end);
  if (!span) return;
  const tokens = opts.countTokens(text.slice(span.start, span.end));
  if (tokens <= opts.maxTokens) {
    out.push({ ...span, tokens });
    return;
  }
  if (level >= 4) {
    splitByCharacters(text, span, opts, out);
    return;
  }
  const pieces =
    level === 0
      ? splitAt(text, span.start, span.end, PARAGRAPHS)
      : level === 1
        ? splitAt(text, span.start, span.end, LINES)
        : level === 2
          ? splitSentences(text, span.start, span.end)
          : splitAt(text, span.start, span.end, WHITESPACE);
  if (pieces.length <= 1) {
    splitToUnits(text, span.start, span.end, level + 1, opts, out);
    return;
  }
  for (const piece of pieces) splitToUnits(text, piece.start, piece.end, level + 1, opts, out);
}

/** Last resort for one "word" longer than the limit (a URL, base64, a long CJK run). */
function splitByCharacters(text: string, span: Span, opts: ChunkOptions, out: Unit[]): void {
  let pos = span.start;
  while (pos < span.end) {
    let lo = 1;
    let hi = span.end - pos;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (opts.countTokens(text.slice(pos, pos + mid)) <= opts.maxTokens) lo = mid;
      else hi = mid - 1;
    }
    let end = safeCut(text, pos + lo);
    if (end <= pos) end = Math.min(span.end, pos + 2);
    out.push({ start: pos, end, tokens: opts.countTokens(text.slice(pos, end)) });
    pos = end;
  }
}

/** Greedy packing of a section's units, with overlap between consecutive chunks. */
function pack(text: string, units: readonly Unit[], section: Section, opts: ChunkOptions, chunks: Chunk[]): void {
  let i = 0;
  let overlap = -1;
  let overlapTokens = 0;
  while (i < units.length) {
    const first = i;
    let start = overlap >= 0 ? overlap : units[i].start;
    let tokens = overlap >= 0 ? overlapTokens : 0;
    // The first unit always goes in: units never exceed maxTokens, and the overlap was sized to leave room.
    while (i < units.length && (i === first || tokens + units[i].tokens <= opts.maxTokens)) tokens += units[i++].tokens;
    // Token counts of parts need not add up (separators may cost tokens): confirm on the real text.
    while (opts.countTokens(text.slice(start, units[i - 1].end)) > opts.maxTokens) {
      if (i - 1 > first) i--;
      else if (start !== units[first].start) start = units[first].start;
      else break;
    }
    const end = units[i - 1].end;
    emit(text, start, end, section, chunks);
    if (i >= units.length) break;
    overlap = overlapStart(text, start, end, Math.min(opts.overlapTokens, opts.maxTokens - units[i].tokens), opts);
    overlapTokens = overlap < end ? opts.countTokens(text.slice(overlap, end)) : 0;
    if (overlap >= end) overlap = -1;
  }
}

function emit(text: string, start: number, end: number, section: Section, chunks: Chunk[]): void {
  const chunk: Chunk = { text: text.slice(start, end), start, end, headingPath: [...section.headingPath], index: chunks.length };
  if (section.page !== undefined) chunk.page = section.page;
  chunks.push(chunk);
}

/**
 * Where the next chunk should begin so that it repeats at most `budget`
 * tokens from the end of `[chunkStart, chunkEnd)`; `chunkEnd` means none.
 */
function overlapStart(text: string, chunkStart: number, chunkEnd: number, budget: number, opts: ChunkOptions): number {
  if (budget <= 0) return chunkEnd;
  // Never restart at the chunk's own start: each chunk must move forward.
  const starts = wordStartsBackward(text, chunkStart, chunkEnd, budget * 4 + 8);
  let lo = -1;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = Math.max(0, Math.ceil((lo + hi) / 2));
    if (opts.countTokens(text.slice(starts[mid], chunkEnd)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  if (lo < 0) return chunkEnd;
  // Prefer beginning on a sentence: the earliest sentence start inside the window.
  for (let k = lo; k >= 0; k--) {
    if (isSentenceStart(text, starts[k], chunkStart)) return starts[k];
  }
  return starts[lo];
}
