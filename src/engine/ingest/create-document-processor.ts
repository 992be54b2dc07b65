import { DEFAULT_CHUNK_OPTIONS, chunkDocument, type CountTokens } from '../chunking';
import { parseDocument, type PdfOptions } from '../parsers';
import type { ProcessDocument } from './document-processor';

export interface DocumentProcessorOptions {
  /** The active model's token counter; chunk sizes are measured in its tokens. */
  countTokens?: CountTokens;
  maxTokens?: number;
  overlapTokens?: number;
  maxBytes?: number;
  pdf?: PdfOptions;
}

/** Parses a file by its type, then chunks it along its structure (headings, pages, records). */
export function createDocumentProcessor(options: DocumentProcessorOptions = {}): ProcessDocument {
  return async ({ name, bytes }, sizing = {}) => {
    const doc = await parseDocument({ name, bytes }, { pdf: options.pdf, maxBytes: options.maxBytes });
    const countTokens = sizing.countTokens ?? options.countTokens;
    const maxTokens = Math.min(sizing.maxTokens ?? Infinity, options.maxTokens ?? DEFAULT_CHUNK_OPTIONS.maxTokens);
    const chunks = chunkDocument(doc, {
      ...(countTokens ? { countTokens } : {}),
      maxTokens,
      ...(options.overlapTokens !== undefined ? { overlapTokens: options.overlapTokens } : {}),
    });
    return {
      text: doc.text,
      pages: doc.pages,
      warnings: doc.warnings.map((w) => w.message),
      chunks: chunks.map(({ text, start, end, headingPath, page }) => ({ text, start, end, headingPath, page })),
    };
  };
}
