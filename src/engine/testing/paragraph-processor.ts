import type { ProcessDocument } from '../ingest/document-processor';

/** A processor for engine tests: UTF-8 text, one chunk per blank-line paragraph. */
export const paragraphProcessor: ProcessDocument = async ({ bytes }) => {
  const text = new TextDecoder().decode(bytes);
  const chunks = [];
  const re = /[^\n]+(?:\n(?!\n)[^\n]*)*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].trim()) chunks.push({ text: m[0], start: m.index, end: m.index + m[0].length, headingPath: [] });
  }
  return { text, warnings: [], chunks };
};
