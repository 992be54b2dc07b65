import type { ReactNode } from 'react';

/**
 * Renders untrusted document text with some ranges marked. Only text nodes
 * and <mark> elements are ever created, so markup inside a document shows
 * as literal characters and can never run.
 */
export function HighlightedText({ text, highlights, markProps }: {
  text: string;
  highlights: readonly { start: number; end: number }[];
  markProps?: Record<string, string>;
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  const sorted = [...highlights].sort((a, b) => a.start - b.start);
  sorted.forEach((h, i) => {
    if (h.start < at) return;
    if (h.start > at) parts.push(text.slice(at, h.start));
    parts.push(
      <mark key={i} {...markProps}>
        {text.slice(h.start, h.end)}
      </mark>,
    );
    at = h.end;
  });
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
