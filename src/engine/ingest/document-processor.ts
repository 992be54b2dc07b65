
/** A chunk as the processor produces it: offsets point into `ProcessedDocument.text`. */
export interface ProcessedChunk {
  text: string;
  start: number;
  end: number;
  headingPath: string[];
  page?: number;
}

export interface ProcessedDocument {
  text: string;
  pages?: number;
  /** Human-readable notes, e.g. "pages 3-4 have no text layer". */
  warnings: string[];
  chunks: ProcessedChunk[];
}

/**
 * Turns a file into text and chunks. Injected into the collection, so the
 * parsers and chunker can change (or be faked in tests) without touching
 * ingest. Throws a coded EngineError naming the file when it cannot.
 */
export type ProcessDocument = (
  file: { name: string; path: string; bytes: Uint8Array },
  sizing?: ChunkSizing,
) => Promise<ProcessedDocument>;

/** How chunks are measured: in the active model's tokens, within what it reads. */
export interface ChunkSizing {
  countTokens?: (text: string) => number;
  maxTokens?: number;
}
