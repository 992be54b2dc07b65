import { Fragment, type ReactNode } from 'react';

/**
 * Renders a model's answer as a safe subset of Markdown. Output is built from
 * React elements and text nodes only, never from HTML strings, so any markup
 * or script the model emits shows as literal text. Links become plain text:
 * an answer's URLs are untrusted, and `javascript:` must never be clickable.
 *
 * `renderCitation` turns each `[n]` into an element (the caller's button).
 */
export function AnswerMarkdown({ text, renderCitation }: { text: string; renderCitation: (n: number, key: string) => ReactNode }) {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return (
    <>
      {blocks.map((block, b) => {
        const lines = block.split('\n');
        if (lines.every((l) => /^\s*([-*+]|\d+[.)])\s+/.test(l))) {
          const ordered = /^\s*\d/.test(lines[0]);
          const items = lines.map((l, i) => <li key={i}>{inline(l.replace(/^\s*([-*+]|\d+[.)])\s+/, ''), `${b}.${i}`, renderCitation)}</li>);
          return ordered ? <ol key={b}>{items}</ol> : <ul key={b}>{items}</ul>;
        }
        const heading = /^(#{1,4})\s+(.*)$/.exec(lines[0]);
        if (heading && lines.length === 1) return <p key={b} className="answer-heading">{inline(heading[2], `${b}`, renderCitation)}</p>;
        if (block.startsWith('```')) return <pre key={b}>{block.replace(/^```\w*\n?|```$/g, '')}</pre>;
        return (
          <p key={b}>
            {lines.map((line, i) => (
              <Fragment key={i}>
                {i > 0 && <br />}
                {inline(line, `${b}.${i}`, renderCitation)}
              </Fragment>
            ))}
          </p>
        );
      })}
    </>
  );
}

const INLINE = /(\*\*[^*]+\*\*|__[^_]+__|`[^`]+`|\*[^*\s][^*]*\*|\[[^\]]*\]\([^)]*\)|\[(?:\d+(?:\s*[-–,;]\s*\d+)*)\])/g;

function inline(text: string, keyBase: string, renderCitation: (n: number, key: string) => ReactNode): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  let i = 0;
  for (const match of text.matchAll(INLINE)) {
    const token = match[0];
    const start = match.index ?? 0;
    if (start > at) out.push(text.slice(at, start));
    const key = `${keyBase}.${i++}`;
    if (token.startsWith('**') || token.startsWith('__')) out.push(<strong key={key}>{token.slice(2, -2)}</strong>);
    else if (token.startsWith('`')) out.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (token.startsWith('*')) out.push(<em key={key}>{token.slice(1, -1)}</em>);
    else if (token.includes('](')) out.push(token.slice(1, token.indexOf('](')));
    else out.push(...citationGroup(token, key, renderCitation));
    at = start + token.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function citationGroup(token: string, key: string, renderCitation: (n: number, key: string) => ReactNode): ReactNode[] {
  const numbers: number[] = [];
  for (const part of token.slice(1, -1).split(/\s*[,;]\s*/)) {
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      for (let n = from; n <= to && n - from < 20; n++) numbers.push(n);
    } else if (/^\d+$/.test(part)) numbers.push(Number(part));
  }
  return numbers.map((n, j) => renderCitation(n, `${key}.${j}`));
}
