import { createError } from '../errors';
import { DocumentBuilder } from './document-builder';
import type { ParsedDocument } from './parsed-document';

export interface PdfOptions {
  /**
   * URL of pdfjs's `pdf.worker.mjs` (in the browser, a Vite `?url` import).
   * Required in browsers: pdfjs then parses in one nested module worker,
   * created on first use and reused for every PDF.
   */
  workerSrc?: string;
  /**
   * Parse on the calling thread (pdfjs's "fake worker"). Honoured in Node and
   * on a page; never inside a Web Worker, where loading pdfjs's worker module
   * would attach it to our own worker's message port.
   */
  disableWorker?: boolean;
  /** Folder URL of pdfjs's `cmaps/`, needed to read text in some CJK PDFs. */
  cMapUrl?: string;
  /** Folder URL of pdfjs's `standard_fonts/`; text extraction works without it. */
  standardFontDataUrl?: string;
}

type Pdfjs = typeof import('pdfjs-dist');

interface TextItemLike {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
  height: number;
}

let pdfjsPromise: Promise<Pdfjs> | undefined;
let workerPort: Worker | undefined;

type Runtime = 'node' | 'page' | 'worker';

function runtime(): Runtime {
  const g = globalThis as { process?: unknown; window?: unknown };
  if (typeof g.process === 'object' && String(g.process) === '[object process]') return 'node';
  return typeof g.window === 'object' ? 'page' : 'worker';
}

/**
 * Loads the legacy build lazily: it runs in Node 20 (our tests) as well as in
 * browsers, and only PDF users pay for its download.
 */
async function loadPdfjs(name: string, options: PdfOptions): Promise<Pdfjs> {
  installPromiseWithResolvers();
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs') as Promise<Pdfjs>;
  const pdfjs = await pdfjsPromise;
  const env = runtime();
  const g = globalThis as { pdfjsWorker?: unknown };
  if (env !== 'node' && options.workerSrc && !(options.disableWorker && env === 'page')) {
    // Our own port: pdfjs's own Worker setup reads `window.location`, which a worker lacks.
    if (!workerPort) {
      workerPort = new Worker(options.workerSrc, { type: 'module' });
      pdfjs.GlobalWorkerOptions.workerPort = workerPort;
    }
  } else if (!g.pdfjsWorker) {
    if (env === 'worker') {
      throw createError('PARSE_FAILED', `${name}: PDF support is not set up (the pdf.js worker URL, pdf.workerSrc, was not given).`, {
        file: name,
        reason: 'pdf-worker-missing',
      });
    }
    // With the worker's message handler on globalThis, pdfjs runs in this thread.
    g.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  }
  return pdfjs;
}

/** pdfjs 6 calls Promise.withResolvers (ES2024), which Node 20 lacks. */
function installPromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/**
 * Text per page with page numbers on every block. Pages without a text layer
 * (scans) become a warning; a PDF with no text at all is an error, since
 * there is nothing to search until it is OCR'd.
 */
export async function parsePdf(name: string, bytes: Uint8Array, options: PdfOptions = {}): Promise<ParsedDocument> {
  const pdfjs = await loadPdfjs(name, options);
  const params: Record<string, unknown> = {
    // pdfjs takes ownership of (and detaches) the buffer it is given.
    data: bytes.slice(),
    // Never compile font programs into JS (pdfjs >= 5 has no eval path at all; kept for older builds).
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
  };
  if (options.cMapUrl) Object.assign(params, { cMapUrl: options.cMapUrl, cMapPacked: true });
  if (options.standardFontDataUrl) params.standardFontDataUrl = options.standardFontDataUrl;
  const task = pdfjs.getDocument(params as Parameters<Pdfjs['getDocument']>[0]);
  try {
    let pdf: Awaited<typeof task.promise>;
    try {
      pdf = await task.promise;
    } catch (error) {
      throw pdfLoadError(name, error);
    }
    const builder = new DocumentBuilder();
    const emptyPages: number[] = [];
    const failedPages: number[] = [];
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      const before = builder.blockCount;
      try {
        const page = await pdf.getPage(pageNumber);
        const content = await page.getTextContent();
        for (const paragraph of pageParagraphs(content.items as unknown[])) {
          builder.add('paragraph', paragraph, { page: pageNumber });
        }
        page.cleanup();
      } catch {
        failedPages.push(pageNumber);
        continue;
      }
      if (builder.blockCount === before) emptyPages.push(pageNumber);
    }
    if (builder.blockCount === 0) {
      if (failedPages.length === pdf.numPages) {
        throw createError('PARSE_FAILED', `${name}: this PDF is damaged and none of its pages could be read.`, { file: name });
      }
      throw createError(
        'NO_TEXT_LAYER',
        `${name}: this PDF has no text layer (it looks scanned). Run it through OCR first, then add it again.`,
        { file: name, pages: emptyPages },
      );
    }
    if (emptyPages.length > 0) {
      builder.warn({
        code: 'NO_TEXT_LAYER',
        message: `${describePages(emptyPages)} no text layer (scanned?) and cannot be searched.`,
        pages: emptyPages,
      });
    }
    if (failedPages.length > 0) {
      builder.warn({ code: 'PARSER_MESSAGE', message: `${describePages(failedPages)} damaged and could not be read.`, pages: failedPages });
    }
    return builder.build('pdf', { pages: pdf.numPages });
  } finally {
    await task.destroy().catch(() => {});
  }
}

function pdfLoadError(name: string, error: unknown) {
  const errorName = (error as { name?: string } | null)?.name;
  if (errorName === 'PasswordException') {
    return createError('ENCRYPTED_FILE', `${name}: this PDF is password-protected. Remove the password, then add it again.`, {
      file: name,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return createError('PARSE_FAILED', `${name}: this PDF is damaged or not a valid PDF (${detail}).`, { file: name, cause: detail });
}

function describePages(pages: number[]): string {
  if (pages.length === 1) return `Page ${pages[0]} has`;
  const shown = pages.length > 12 ? `${pages.slice(0, 12).join(', ')}…` : pages.join(', ');
  return `Pages ${shown} have`;
}

/**
 * Rebuilds lines from positioned text runs, then paragraphs from the vertical
 * gaps between lines: pdfjs gives runs, not paragraphs.
 */
export function pageParagraphs(rawItems: readonly unknown[]): string[] {
  const paragraphs: string[] = [];
  let lines: string[] = [];
  let line = '';
  let lineY: number | undefined;
  let lineHeight = 0;
  let prevLineY: number | undefined;
  let prevLineHeight = 0;
  let prevEndX: number | undefined;

  const endLine = () => {
    const text = line.replace(/\s+$/, '');
    if (text.trim() !== '' && lineY !== undefined) {
      const gap = prevLineY === undefined ? 0 : prevLineY - lineY;
      const height = Math.max(lineHeight, prevLineHeight, 1);
      // A big gap, or a jump upwards (next column), starts a new paragraph.
      if (lines.length > 0 && (gap > height * 1.8 || gap < -height * 0.5)) {
        paragraphs.push(lines.join('\n'));
        lines = [];
      }
      lines.push(text.replace(/^\s+/, ''));
      prevLineY = lineY;
      prevLineHeight = lineHeight;
    }
    line = '';
    lineY = undefined;
    lineHeight = 0;
    prevEndX = undefined;
  };

  for (const raw of rawItems) {
    const item = raw as Partial<TextItemLike>;
    if (typeof item.str !== 'string' || !item.transform) continue;
    const x = item.transform[4];
    const y = item.transform[5];
    const height = item.height || Math.hypot(item.transform[2], item.transform[3]) || 10;
    if (lineY !== undefined && line.trim() !== '' && Math.abs(y - lineY) > height * 0.6) endLine();
    if (item.str !== '') {
      if (lineY === undefined) lineY = y;
      const gap = prevEndX === undefined ? 0 : x - prevEndX;
      if (line !== '' && gap > height * 0.15 && !/\s$/.test(line) && !/^\s/.test(item.str)) line += ' ';
      line += item.str;
      lineHeight = Math.max(lineHeight, height);
      prevEndX = x + (item.width ?? 0);
    }
    if (item.hasEOL) endLine();
  }
  endLine();
  if (lines.length > 0) paragraphs.push(lines.join('\n'));
  return paragraphs;
}
