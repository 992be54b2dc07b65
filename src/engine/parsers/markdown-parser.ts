import { DocumentBuilder } from './document-builder';
import type { BlockKind, ParsedDocument } from './parsed-document';
import { normalizeNewlines } from './plain-text-parser';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^ {0,12}(?:[-*+]|\d{1,9}[.)])[ \t]+/;
const QUOTE = /^ {0,3}> ?/;
const TABLE_RULE = /^ {0,3}\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$/;
/** Raw HTML whose content is never text: dropped with everything inside. */
const RAW_BLOCK = /<(script|style|noscript|template|iframe|object)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

/**
 * Markdown, read by lines: headings (ATX and setext), fenced code, lists and
 * paragraphs. Inline markup is stripped just enough to read well; raw HTML
 * never survives as markup, and script/style content is dropped.
 */
export function parseMarkdown(source: string): ParsedDocument {
  const builder = new DocumentBuilder();
  const lines = stripFrontMatter(normalizeNewlines(source).replace(RAW_BLOCK, '').replace(/<!--[\s\S]*?-->/g, '')).split('\n');

  let buffer: string[] = [];
  let bufferKind: BlockKind = 'paragraph';
  const flush = () => {
    if (buffer.length > 0) builder.add(bufferKind, buffer.map(stripInline).join('\n'));
    buffer = [];
    bufferKind = 'paragraph';
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1];
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      const code: string[] = [];
      for (i++; i < lines.length && !close.test(lines[i]); i++) code.push(lines[i]);
      builder.add('code', code.join('\n'));
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      builder.add('heading', stripInline(atx[2] ?? ''), { level: atx[1].length });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (buffer.length > 0 && bufferKind === 'paragraph' && (SETEXT_1.test(line) || SETEXT_2.test(line))) {
      const heading = buffer.map(stripInline).join(' ');
      buffer = [];
      builder.add('heading', heading, { level: SETEXT_1.test(line) ? 1 : 2 });
      continue;
    }
    if (THEMATIC.test(line)) {
      flush();
      continue;
    }
    if (TABLE_RULE.test(line) && line.includes('-') && buffer.length > 0) continue;
    const isItem = LIST_ITEM.test(line);
    if (isItem && bufferKind !== 'list') {
      flush();
      bufferKind = 'list';
    }
    buffer.push(line.replace(QUOTE, '').trimEnd());
  }
  flush();
  return builder.build('md');
}

function stripFrontMatter(text: string): string {
  const match = /^---\n[\s\S]*?\n(?:---|\.\.\.)\n/.exec(text);
  return match ? text.slice(match[0].length) : text;
}

/** Removes inline markup while keeping the words a reader would see. */
export function stripInline(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[A-Za-z][^<>]*>/g, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])[*_](?=\S)([^*_]*?\S)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!>|])/g, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
