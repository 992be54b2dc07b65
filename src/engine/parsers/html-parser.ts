import { Parser } from 'htmlparser2';
import { DocumentBuilder } from './document-builder';
import type { BlockKind, DocumentFormat, ParsedDocument } from './parsed-document';

/** Elements whose content is never document text. */
const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'nav', 'footer', 'aside', 'form', 'svg', 'math', 'iframe',
  'object', 'embed', 'canvas', 'button', 'select', 'textarea', 'dialog', 'audio', 'video', 'map',
]);
/** Site chrome: dropped wherever it appears. */
const SKIP_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'dialog', 'alertdialog', 'menu', 'menubar']);
/** Exact class or id tokens that mark boilerplate on real sites. */
const BOILERPLATE_TOKENS = new Set([
  'cookie-banner', 'cookie-consent', 'cookie-notice', 'cookies', 'consent', 'breadcrumb', 'breadcrumbs', 'sidebar',
  'advert', 'advertisement', 'ads', 'ad-banner', 'social-share', 'share-buttons', 'newsletter', 'skip-link',
  'site-header', 'site-footer', 'site-nav', 'navbar', 'menu', 'toc-sidebar',
]);
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'blockquote', 'figure', 'figcaption', 'address', 'details', 'summary',
  'dl', 'dt', 'dd', 'caption', 'center', 'hr', 'body', 'html', 'fieldset', 'legend', 'header', 'hgroup',
]);
const HEADING = /^h([1-6])$/;
const STRUCTURE_TAGS = new Set(['ul', 'ol', 'menu', 'table', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * HTML to blocks with a streaming tokenizer: nothing is ever rendered or
 * executed (there is no DOM), scripts and event-handler attributes are simply
 * never read, and navigation, footers and similar chrome are dropped.
 */
export function parseHtml(html: string, format: DocumentFormat = 'html'): ParsedDocument {
  const builder = new DocumentBuilder();
  const stack: string[] = [];
  let skipDepth = -1;
  let title = '';
  let inTitle = false;
  let headingLevel = 0;
  let preDepth = 0;
  let listDepth = 0;
  let tableDepth = 0;
  let cellInRow = 0;
  const orderedCounters: (number | null)[] = [];
  let buffer = '';

  const flush = (kind: BlockKind = 'paragraph', level?: number) => {
    const text = kind === 'code' ? buffer : tidy(buffer, kind === 'list');
    buffer = '';
    builder.add(kind, text, level ? { level } : {});
  };
  const insideContainer = () => listDepth > 0 || tableDepth > 0;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        stack.push(name);
        if (skipDepth >= 0) return;
        if (shouldSkip(name, attribs, stack)) {
          skipDepth = stack.length;
          return;
        }
        if (name === 'title') inTitle = true;
        if (headingLevel > 0 && STRUCTURE_TAGS.has(name)) {
          // An unclosed heading (broken markup) ends where real structure starts.
          flush('heading', headingLevel);
          headingLevel = 0;
        }
        const heading = HEADING.exec(name);
        if (heading) {
          flush(listDepth > 0 ? 'list' : 'paragraph');
          headingLevel = Number(heading[1]);
        } else if (name === 'pre') {
          if (preDepth++ === 0) flush();
        } else if (name === 'ul' || name === 'ol' || name === 'menu') {
          if (listDepth++ === 0) flush();
          orderedCounters.push(name === 'ol' ? Number(attribs.start ?? '1') || 1 : null);
        } else if (name === 'li') {
          const counter = orderedCounters[orderedCounters.length - 1];
          const marker = counter == null ? '- ' : `${counter}. `;
          if (counter != null) orderedCounters[orderedCounters.length - 1] = counter + 1;
          buffer += `\n${'  '.repeat(Math.max(0, listDepth - 1))}${marker}`;
        } else if (name === 'table') {
          if (tableDepth++ === 0 && listDepth === 0) flush();
        } else if (name === 'tr') {
          buffer += '\n';
          cellInRow = 0;
        } else if (name === 'td' || name === 'th') {
          if (cellInRow++ > 0) buffer += ' | ';
        } else if (name === 'br') {
          buffer += '\n';
        } else if (BLOCK_TAGS.has(name)) {
          if (headingLevel > 0 || insideContainer()) buffer += ' ';
          else if (preDepth === 0) flush();
        }
      },
      ontext(data) {
        if (skipDepth >= 0) return;
        if (inTitle) {
          title += data;
          return;
        }
        if (stack.includes('head')) return;
        buffer += preDepth > 0 ? data : data.replace(/\s+/g, ' ');
      },
      onclosetag(name) {
        if (skipDepth >= 0) {
          if (stack.length === skipDepth) skipDepth = -1;
          stack.pop();
          return;
        }
        stack.pop();
        if (name === 'title') inTitle = false;
        const heading = HEADING.exec(name);
        if (heading && headingLevel > 0) {
          flush('heading', headingLevel);
          headingLevel = 0;
        } else if (name === 'pre') {
          if (--preDepth === 0) flush('code');
        } else if (name === 'ul' || name === 'ol' || name === 'menu') {
          orderedCounters.pop();
          if (--listDepth === 0) flush('list');
        } else if (name === 'table') {
          if (--tableDepth === 0 && listDepth === 0) flush();
        } else if (BLOCK_TAGS.has(name) && headingLevel === 0 && !insideContainer() && preDepth === 0) {
          flush();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush(listDepth > 0 ? 'list' : 'paragraph');
  return builder.build(format, { title: title.replace(/\s+/g, ' ').trim() });
}

function shouldSkip(name: string, attribs: Record<string, string>, stack: readonly string[]): boolean {
  if (SKIP_TAGS.has(name)) return true;
  // A page-level <header> is chrome; an article's own <header> holds its title.
  if (name === 'header' && !stack.some((t) => t === 'article' || t === 'main' || t === 'section')) return true;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  if (attribs.role && SKIP_ROLES.has(attribs.role.toLowerCase())) return true;
  if (attribs.style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attribs.style)) return true;
  const tokens = `${attribs.class ?? ''} ${attribs.id ?? ''}`.toLowerCase().split(/\s+/);
  return tokens.some((t) => BOILERPLATE_TOKENS.has(t));
}

/** Collapses the whitespace HTML does not render, keeping line breaks (and list indentation). */
function tidy(text: string, keepIndent: boolean): string {
  return text
    .replace(/\u00a0/g, ' ')
    .replace(keepIndent ? /(?<=\S)[ \t\f\v]+/g : /[ \t\f\v]+/g, ' ')
    .replace(keepIndent ? / +\n/g : / *\n */g, '\n')
    .replace(/\n(?: *\n)+/g, '\n')
    .trim();
}
