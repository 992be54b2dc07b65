import { createError, isEngineError, type EngineError } from '../errors';
import { parseCsv } from './csv-parser';
import { parseDocx } from './docx-parser';
import { parseHtml } from './html-parser';
import { parseJson, parseJsonLines } from './json-parser';
import { parseMarkdown } from './markdown-parser';
import type { DocumentFormat, ParsedDocument } from './parsed-document';
import { parsePdf, type PdfOptions } from './pdf-parser';
import { parsePlainText } from './plain-text-parser';
import { findPdfHeader, startsWith } from './sniff';
import { decodeText, NotTextError } from './text-decoding';
import { DEFAULT_ZIP_LIMITS, readZipDirectory, zipBombReason, type ZipLimits } from './zip-inspector';

export interface ParseInput {
  name: string;
  bytes: Uint8Array;
  mimeType?: string;
}

export interface ParseOptions {
  /** Larger files are refused with FILE_TOO_LARGE. */
  maxBytes?: number;
  pdf?: PdfOptions;
  zip?: Partial<ZipLimits>;
}

export const DEFAULT_MAX_PARSE_BYTES = 64 * 1024 * 1024;

type Handler = (input: ParseInput, options: ParseOptions) => Promise<ParsedDocument>;

const EXTENSIONS: Record<string, Handler> = {
  txt: text((t) => parsePlainText(t)),
  text: text((t) => parsePlainText(t)),
  log: text((t) => parsePlainText(t)),
  md: text((t) => parseMarkdown(t)),
  markdown: text((t) => parseMarkdown(t)),
  mdown: text((t) => parseMarkdown(t)),
  html: text((t) => parseHtml(t)),
  htm: text((t) => parseHtml(t)),
  xhtml: text((t) => parseHtml(t)),
  csv: text((t) => parseCsv(t)),
  tsv: text((t) => parseCsv(t, '\t')),
  json: text((t, name) => withSyntax(name, 'JSON', () => parseJson(t))),
  jsonl: text((t, name) => withSyntax(name, 'JSON Lines', () => parseJsonLines(t))),
  ndjson: text((t, name) => withSyntax(name, 'JSON Lines', () => parseJsonLines(t))),
  pdf: parsePdfInput,
  docx: parseDocxInput,
};

/** Extensions we can read, for file pickers (`accept`) and messages. */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

/** Formats people commonly try, with what to do instead. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  doc: 'old Word .doc files are not supported; save it as .docx',
  rtf: 'RTF files are not supported; save it as .docx or .txt',
  odt: 'OpenDocument files are not supported; save it as .docx',
  pages: 'Apple Pages files are not supported; export it as .docx or .pdf',
  xls: 'spreadsheets are not supported; export the sheet as .csv',
  xlsx: 'spreadsheets are not supported; export the sheet as .csv',
  pptx: 'presentations are not supported; export it as .pdf',
  epub: 'e-books are not supported',
  zip: 'archives are not supported; unzip it and add the files inside',
};

/**
 * Parses one file into normalised text and blocks, choosing the parser from
 * the extension and checking the bytes agree with it. Every failure is an
 * EngineError whose message starts with the file name and says why in plain
 * words; `details.file` carries the name.
 */
export async function parseDocument(input: ParseInput, options: ParseOptions = {}): Promise<ParsedDocument> {
  const { name, bytes } = input;
  const extension = extensionOf(name);
  const handler = EXTENSIONS[extension];
  if (!handler) {
    const reason = KNOWN_UNSUPPORTED[extension] ?? (extension ? `.${extension} files are not supported` : 'files without an extension are not supported');
    throw createError('UNSUPPORTED_FILE_TYPE', `${name}: ${reason}.`, { file: name, extension, supported: SUPPORTED_EXTENSIONS });
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PARSE_BYTES;
  if (bytes.byteLength > maxBytes) {
    throw createError('FILE_TOO_LARGE', `${name}: the file is ${formatBytes(bytes.byteLength)}, over the ${formatBytes(maxBytes)} limit.`, {
      file: name,
      size: bytes.byteLength,
      limit: maxBytes,
    });
  }
  if (bytes.byteLength === 0) throw createError('EMPTY_FILE', `${name}: the file is empty (0 bytes).`, { file: name });

  let doc: ParsedDocument;
  try {
    doc = await handler(input, options);
  } catch (error) {
    throw asParseError(name, error);
  }
  if (doc.text.trim() === '') {
    throw createError('EMPTY_FILE', `${name}: the file contains no text.`, { file: name });
  }
  return doc;
}

export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Maps an extension to the format a parser reports, or undefined when unsupported. */
export function formatOf(name: string): DocumentFormat | undefined {
  const ext = extensionOf(name);
  if (!EXTENSIONS[ext]) return undefined;
  if (ext === 'tsv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'json';
  if (ext === 'htm' || ext === 'xhtml') return 'html';
  if (ext === 'text' || ext === 'log') return 'txt';
  if (ext === 'markdown' || ext === 'mdown') return 'md';
  return ext as DocumentFormat;
}

function text(parse: (decoded: string, name: string) => ParsedDocument): Handler {
  return async ({ name, bytes }) => {
    let decoded;
    try {
      decoded = decodeText(bytes);
    } catch (error) {
      if (error instanceof NotTextError) {
        throw createError('UNSUPPORTED_FILE_TYPE', `${name}: ${error.message}, so it cannot be read as .${extensionOf(name)}.`, {
          file: name,
          extension: extensionOf(name),
        });
      }
      throw error;
    }
    const doc = parse(decoded.text, name);
    doc.warnings.unshift(...decoded.warnings);
    return doc;
  };
}

function withSyntax(name: string, what: string, parse: () => ParsedDocument): ParsedDocument {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw createError('PARSE_FAILED', `${name}: this is not valid ${what} (${error.message}).`, { file: name, cause: error.message });
    }
    throw error;
  }
}

async function parsePdfInput({ name, bytes }: ParseInput, options: ParseOptions): Promise<ParsedDocument> {
  if (findPdfHeader(bytes) < 0) {
    throw createError('PARSE_FAILED', `${name}: this is not a PDF (the contents do not match the .pdf extension).`, { file: name });
  }
  return parsePdf(name, bytes, options.pdf);
}

async function parseDocxInput({ name, bytes }: ParseInput, options: ParseOptions): Promise<ParsedDocument> {
  // Password-protected Office files are an OLE container holding the encrypted ZIP.
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw createError(
      'ENCRYPTED_FILE',
      `${name}: this Word document is password-protected (or is an old .doc renamed to .docx). Remove the password and save as .docx.`,
      { file: name },
    );
  }
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    throw createError('PARSE_FAILED', `${name}: this is not a Word .docx file (the contents do not match the extension).`, { file: name });
  }
  let reason: string | undefined;
  try {
    reason = zipBombReason(readZipDirectory(bytes), bytes.byteLength, { ...DEFAULT_ZIP_LIMITS, ...options.zip });
  } catch (error) {
    throw createError('PARSE_FAILED', `${name}: this .docx is damaged (${(error as Error).message}).`, { file: name });
  }
  if (reason) throw createError('PARSE_FAILED', `${name}: refused to open: ${reason}.`, { file: name, reason: 'zip-bomb' });
  const { document, messages } = await parseDocx(bytes);
  const errors = messages.filter((m) => /error/i.test(m));
  if (errors.length > 0) document.warnings.push({ code: 'PARSER_MESSAGE', message: `Word conversion notes: ${errors.slice(0, 3).join('; ')}` });
  return document;
}

function asParseError(name: string, error: unknown): EngineError {
  if (isEngineError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return createError('PARSE_FAILED', `${name}: the file could not be read (${detail}).`, { file: name, cause: detail });
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
