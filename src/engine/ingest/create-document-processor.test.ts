import { describe, expect, it } from 'vitest';
import { createDocumentProcessor } from './create-document-processor';

const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} talks about topic ${i % 7}.`).join(' ');
const bytes = new TextEncoder().encode(text);

describe('document processor', () => {
  it("sizes chunks in the model's tokens and within what it reads", async () => {
    const process = createDocumentProcessor();
    // A "model" whose tokens are characters and which reads at most 120 of them.
    const sized = await process({ name: 'a.txt', path: 'a.txt', bytes }, { countTokens: (t) => t.length, maxTokens: 120 });
    expect(sized.chunks.length).toBeGreaterThan(10);
    for (const chunk of sized.chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(120);
      expect(sized.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    }
    const unsized = await process({ name: 'a.txt', path: 'a.txt', bytes });
    expect(unsized.chunks.length).toBeLessThan(sized.chunks.length);
  });
});
