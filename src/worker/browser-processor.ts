import pdfWorkerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';
import type { ProcessDocument } from '../engine/ingest/document-processor';
import { createDocumentProcessor } from '../engine/ingest/create-document-processor';

/** The engine's parsers and chunker, with the browser-only part filled in: pdf.js's own worker, served from our bundle. */
export function createBrowserProcessor(options: { maxBytes?: number } = {}): ProcessDocument {
  return createDocumentProcessor({ pdf: { workerSrc: pdfWorkerUrl }, maxBytes: options.maxBytes });
}
