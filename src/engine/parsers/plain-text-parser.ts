import { DocumentBuilder } from './document-builder';
import type { ParsedDocument } from './parsed-document';

/** Line endings become `\n`, and a leftover BOM or NULs are dropped. */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\u0000/g, '');
}

/** Plain text: one paragraph block per run of non-blank lines. */
export function parsePlainText(text: string): ParsedDocument {
  const builder = new DocumentBuilder();
  for (const paragraph of normalizeNewlines(text).split(/\n[ \t\f\v]*\n/)) {
    builder.add('paragraph', paragraph.replace(/[ \t]+$/gm, ''));
  }
  return builder.build('txt');
}
