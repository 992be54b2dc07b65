import type { Block, BlockKind, DocumentFormat, ParsedDocument, ParseWarning } from './parsed-document';

/** Blocks are separated by a blank line, so the viewer shows paragraphs apart. */
export const BLOCK_SEPARATOR = '\n\n';

export interface BlockOptions {
  level?: number;
  page?: number;
  /** Records set their own path instead of inheriting the heading stack. */
  headingPath?: string[];
}

/**
 * Accumulates blocks into one normalised text while tracking offsets and the
 * heading stack, so every parser produces consistent offsets the same way.
 */
export class DocumentBuilder {
  readonly warnings: ParseWarning[] = [];
  private readonly parts: string[] = [];
  private readonly blocks: Block[] = [];
  private length = 0;
  private readonly headings: { level: number; text: string }[] = [];
  private firstHeading?: { level: number; text: string };

  /** Adds a block; blank text is ignored. `text` is trimmed, not otherwise changed. */
  add(kind: BlockKind, rawText: string, options: BlockOptions = {}): void {
    const text = kind === 'code' ? trimBlankLines(rawText) : rawText.trim();
    if (text.trim().length === 0) return;
    if (this.blocks.length > 0) this.push(BLOCK_SEPARATOR);
    const start = this.length;
    this.push(text);
    const block: Block = { kind, text, start, end: this.length, headingPath: [] };
    if (options.page !== undefined) block.page = options.page;
    if (kind === 'heading') {
      const level = clampLevel(options.level ?? 1);
      block.level = level;
      while (this.headings.length > 0 && this.headings[this.headings.length - 1].level >= level) this.headings.pop();
      const label = text.replace(/\s+/g, ' ');
      this.headings.push({ level, text: label });
      if (!this.firstHeading || level < this.firstHeading.level) this.firstHeading = { level, text: label };
    }
    block.headingPath = options.headingPath ? [...options.headingPath] : this.headings.map((h) => h.text);
    this.blocks.push(block);
  }

  warn(warning: ParseWarning): void {
    this.warnings.push(warning);
  }

  get blockCount(): number {
    return this.blocks.length;
  }

  build(format: DocumentFormat, extra: { title?: string; pages?: number } = {}): ParsedDocument {
    const doc: ParsedDocument = { format, text: this.parts.join(''), blocks: this.blocks, warnings: this.warnings };
    const title = extra.title?.trim() || this.firstHeading?.text;
    if (title) doc.title = title;
    if (extra.pages !== undefined) doc.pages = extra.pages;
    return doc;
  }

  private push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }
}

function clampLevel(level: number): number {
  return Math.min(6, Math.max(1, Math.round(level)));
}

/** Code keeps its indentation, so only whole blank lines and trailing space go. */
function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}
