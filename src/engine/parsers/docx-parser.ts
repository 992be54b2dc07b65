import { parseHtml } from './html-parser';
import type { ParsedDocument } from './parsed-document';

export interface DocxOutcome {
  document: ParsedDocument;
  /** Mammoth's own notes (unrecognised styles and the like). */
  messages: string[];
}

/**
 * Word via mammoth's HTML output, so headings (Heading 1-6 styles) keep their
 * levels, then the HTML path. The ZIP has already been checked for bombs.
 * Images are replaced by nothing rather than inlined as base64.
 */
export async function parseDocx(bytes: Uint8Array): Promise<DocxOutcome> {
  const mammothModule = await import('mammoth');
  const mammoth = (mammothModule as unknown as { default?: typeof mammothModule }).default ?? mammothModule;
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  // Node's mammoth reads `buffer`, its browser build reads `arrayBuffer`; JSZip takes either.
  const input = { arrayBuffer, buffer: arrayBuffer } as unknown as Parameters<typeof mammoth.convertToHtml>[0];
  const result = await mammoth.convertToHtml(input, {
    externalFileAccess: false,
    convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
  });
  return {
    document: parseHtml(result.value, 'docx'),
    messages: result.messages.map((m) => m.message),
  };
}
