import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRows } from './csv-parser';
import { parseHtml } from './html-parser';
import { parseJsonLines } from './json-parser';
import { parseMarkdown } from './markdown-parser';
import { parsePlainText } from './plain-text-parser';

const texts = (doc: { blocks: { kind: string; text: string }[] }) => doc.blocks.map((b) => `${b.kind}:${b.text}`);

describe('plain text', () => {
  it('splits paragraphs on blank lines and normalises newlines', () => {
    const doc = parsePlainText('one\r\ntwo  \r\n\r\n  \r\nthree');
    expect(doc.text).toBe('one\ntwo\n\nthree');
    expect(texts(doc)).toEqual(['paragraph:one\ntwo', 'paragraph:three']);
  });
});

describe('markdown', () => {
  it('handles heading levels, setext, lists and inline markup', () => {
    const doc = parseMarkdown('Top\n===\n\ntext with **bold**, _em_, `code` and [a link](http://x).\n\n## Sub ##\n\n1. first\n2. second\n\n---\n\n### Deep\n\n> quoted line');
    expect(texts(doc)).toEqual([
      'heading:Top',
      'paragraph:text with bold, em, code and a link.',
      'heading:Sub',
      'list:1. first\n2. second',
      'heading:Deep',
      'paragraph:quoted line',
    ]);
    expect(doc.blocks[5].headingPath).toEqual(['Top', 'Sub', 'Deep']);
  });

  it('keeps code fences verbatim and unterminated fences run to the end', () => {
    const doc = parseMarkdown('~~~\n  # kept\n    indented\n~~~\n\n```\nopen fence');
    expect(texts(doc)).toEqual(['code:  # kept\n    indented', 'code:open fence']);
  });
});

describe('html', () => {
  it('drops hidden and boilerplate elements, keeps article headers', () => {
    const doc = parseHtml(
      '<body><div hidden>HIDDEN</div><div role="navigation">NAV</div><div style="display:none">NONE</div>' +
        '<article><header><h1>Kept title</h1></header><p>Body&nbsp;text<br>next line</p></article>' +
        '<div class="sidebar">SIDE</div><p onclick="evil()">Last <b>bold</b> words</p></body>',
    );
    expect(texts(doc)).toEqual(['heading:Kept title', 'paragraph:Body text\nnext line', 'paragraph:Last bold words']);
  });

  it('copes with broken markup and nested lists', () => {
    const doc = parseHtml('<h2>Title<p>para one<p>para two<ul><li>a<ul><li>b</ul><li>c</ul><div>tail');
    expect(doc.text).toContain('para one');
    expect(doc.text).toContain('- a\n  - b\n- c');
    expect(doc.text).toContain('tail');
  });
});

describe('csv', () => {
  it('parses RFC 4180 quoting', () => {
    expect(parseCsvRows('a,"b,c","d ""e"""\n"multi\nline",x', ',').rows).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['multi\nline', 'x'],
    ]);
  });

  it('detects semicolons and warns about ragged rows', () => {
    const doc = parseCsv('name;age\nAnn;30\nBob;41;extra\n');
    expect(doc.blocks[1].text).toBe('name: Bob\nage: 41\ncolumn 3: extra');
    expect(doc.warnings.map((w) => w.code)).toEqual(['MALFORMED_ROWS']);
  });
});

describe('json lines', () => {
  it('gives one record per line and names the bad line', () => {
    const doc = parseJsonLines('{"a":1}\n\n{"b":[1,2]}\n');
    expect(texts(doc)).toEqual(['record:a: 1', 'record:b: 1, 2']);
    expect(doc.blocks[1].headingPath).toEqual(['Line 3']);
    expect(() => parseJsonLines('{"a":1}\n{oops')).toThrow(/line 2/);
  });
});
