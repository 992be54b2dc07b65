import type { ProcessDocument } from './document-processor';
import { paragraphProcessor } from '../testing/paragraph-processor';

export interface DocumentProcessorOptions {
  countTokens?: (text: string) => number;
}

// Placeholder until the format parsers land: plain UTF-8 text, one chunk per paragraph.
export function createDocumentProcessor(_options: DocumentProcessorOptions): ProcessDocument {
  return paragraphProcessor;
}
