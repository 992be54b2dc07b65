/** What BM25 indexes for a chunk: its heading path carries words the passage itself may lack. */
export function lexicalText(chunk: { text: string; headingPath: readonly string[] }): string {
  return chunk.headingPath.length > 0 ? `${chunk.headingPath.join(' ')}\n${chunk.text}` : chunk.text;
}
