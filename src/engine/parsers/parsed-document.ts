/**
 * What every parser returns. `text` is the normalised full text the document
 * viewer shows; block and chunk offsets index into it, so a citation can
 * highlight exactly the passage it came from.
 */
export type BlockKind = 'heading' | 'paragraph' | 'record' | 'code' | 'list';

export interface Block {
  kind: BlockKind;
  /** Always `ParsedDocument.text.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** Heading level 1-6, for headings only. */
  level?: number;
  /** 1-based page number (PDF only). */
  page?: number;
  /**
   * The headings this block sits under, outermost first. A heading's own path
   * ends with itself. Records carry their row label (e.g. `Row 3`).
   */
  headingPath: string[];
}

export type ParseWarningCode =
  | 'NO_TEXT_LAYER'
  | 'DECODED_AS_WINDOWS_1252'
  | 'INVALID_UTF8_REPLACED'
  | 'PARSER_MESSAGE'
  | 'MALFORMED_ROWS';

export interface ParseWarning {
  code: ParseWarningCode;
  /** Plain-language sentence, safe to show as is. */
  message: string;
  /** 1-based pages the warning is about (NO_TEXT_LAYER). */
  pages?: number[];
}

export type DocumentFormat = 'txt' | 'md' | 'html' | 'pdf' | 'docx' | 'csv' | 'json';

export interface ParsedDocument {
  format: DocumentFormat;
  text: string;
  blocks: Block[];
  /** HTML `<title>`, or the first top-level heading when there is one. */
  title?: string;
  /** Page count (PDF only). */
  pages?: number;
  warnings: ParseWarning[];
}
