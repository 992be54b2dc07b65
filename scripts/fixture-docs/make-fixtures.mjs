#!/usr/bin/env node
// Builds the document fixtures in e2e/fixtures/docs/ (committed). Run from the
// repo root: `node scripts/fixture-docs/make-fixtures.mjs`. The README in that
// folder lists what each file must do; the parser tests check it.
import { mkdirSync, writeFileSync, rmSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { writeZip, readZip, crc32 } from './zip-writer.mjs';
import { makeEncryptedPdf } from './encrypted-pdf.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'e2e/fixtures/docs');
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (f !== 'README.md') rmSync(join(out, f));
const write = (name, data) => writeFileSync(join(out, name), data);
const FIXED_DATE = new Date('2024-01-01T00:00:00Z');

// A seeded generator, so "random" bytes are the same on every run.
function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) & 0xff);
}

async function newPdf() {
  const doc = await PDFDocument.create();
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  doc.setProducer('sift fixtures');
  doc.setCreator('sift fixtures');
  return doc;
}

function drawLines(page, font, lines, startY, size = 12) {
  let y = startY;
  for (const line of lines) {
    if (line === '') {
      y -= size * 2.4; // a paragraph gap
      continue;
    }
    page.drawText(line, { x: 50, y, size, font, color: rgb(0, 0, 0) });
    y -= size * 1.3;
  }
}

function tinyPng(width = 64, height = 64) {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (x ^ y) & 0xff;
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function scannedPage(doc, png) {
  const page = doc.addPage([400, 500]);
  page.drawRectangle({ x: 40, y: 300, width: 320, height: 150, color: rgb(0.85, 0.85, 0.85) });
  page.drawEllipse({ x: 200, y: 200, xScale: 80, yScale: 40, color: rgb(0.3, 0.3, 0.3) });
  page.drawImage(png, { x: 60, y: 40, width: 120, height: 120 });
}

// --- PDFs ---------------------------------------------------------------
{
  const doc = await newPdf();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const pages = [
    ['Chapter one: the ledger', '', 'The aardvark ledger opens at dawn.', 'Every entry is written twice in green ink.', '', 'A second paragraph mentions copper kettles.'],
    ['Chapter two: the quarry', '', 'Cobalt herons nest beside the quarry.', 'They return each spring to the same ledge.'],
    ['Chapter three: the harbour', '', 'Tangerine submarines surface at midnight.', 'The harbour master counts them by lantern light.'],
  ];
  for (const lines of pages) drawLines(doc.addPage([500, 400]), font, lines, 340);
  write('three-pages.pdf', await doc.save());

  // A broken copy: the header survives, the body is cut and overwritten.
  const good = Buffer.from(await doc.save());
  const next = lcg(7);
  const corrupt = Buffer.concat([good.subarray(0, 64), Buffer.from(Array.from({ length: 600 }, next))]);
  write('corrupt.pdf', corrupt);
}
{
  const doc = await newPdf();
  const png = await doc.embedPng(tinyPng());
  await scannedPage(doc, png);
  await scannedPage(doc, png);
  write('scanned.pdf', await doc.save());
}
{
  const doc = await newPdf();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const png = await doc.embedPng(tinyPng());
  drawLines(doc.addPage([400, 300]), font, ['Marzipan lighthouses guide the ferries.'], 250);
  await scannedPage(doc, png);
  drawLines(doc.addPage([400, 300]), font, ['Velvet anchors rest on the seabed.'], 250);
  write('mixed-scan.pdf', await doc.save());
}
write('encrypted.pdf', makeEncryptedPdf());
write('not-really.pdf', 'This is plain text pretending to be a PDF.\n');

// --- Word -----------------------------------------------------------------
{
  const doc = new Document({
    creator: 'sift fixtures',
    title: 'Expedition Report',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Expedition Report', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('The glacier expedition began in '), new TextRun({ text: 'late October', bold: true }), new TextRun('.')] }),
          new Paragraph({ text: 'Equipment', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Each climber carried a saffron rope and two ice screws.'),
          new Paragraph({ text: 'Weather', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Katabatic winds howled across the moraine for three nights.'),
          new Paragraph({ text: 'Findings', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Fossilised ammonites were found beneath the ice shelf.'),
        ],
      },
    ],
  });
  // Re-pack with fixed dates so re-running gives a byte-identical file.
  const entries = readZip(await Packer.toBuffer(doc)).map(({ name, data }) =>
    name === 'docProps/core.xml'
      ? { name, data: Buffer.from(data.toString('utf8').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '2024-01-01T00:00:00Z')) }
      : { name, data },
  );
  write('report.docx', writeZip(entries));
}
{
  // Honest headers, but 48 MB of zeros squeezed into ~50 KB: refused by ratio.
  const contentTypes = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  const rels = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
  const body = '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Bomb</w:t></w:r></w:p></w:body></w:document>';
  write(
    'zip-bomb.docx',
    writeZip([
      { name: '[Content_Types].xml', data: Buffer.from(contentTypes) },
      { name: '_rels/.rels', data: Buffer.from(rels) },
      { name: 'word/document.xml', data: Buffer.from(body) },
      { name: 'word/media/padding.bin', data: Buffer.alloc(48 * 1024 * 1024) },
    ]),
  );
}
write('not-a-zip.docx', 'Plain text with a .docx extension.\n');

// --- HTML / Markdown --------------------------------------------------------
write(
  'page.html',
  `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Lighthouse Keeping Handbook</title>
  <style>body { color: red } .boilerplate-style { }</style>
  <script>window.__xss = 1; document.title = 'BOILERPLATE-SCRIPT';</script>
</head>
<body onload="window.__xss=1">
  <header class="site-header"><nav><a href="/">Home BOILERPLATE-NAV</a> <a href="/about">About</a></nav>
    <p>BOILERPLATE-HEADER subscribe to our newsletter</p></header>
  <div class="cookie-banner">BOILERPLATE-COOKIE We use cookies.</div>
  <main>
    <article>
      <h1>Lighthouse Keeping</h1>
      <p>The lamp room smells of <em>paraffin</em> and salt.</p>
      <img src="x" onerror="window.__xss=1" alt="BOILERPLATE-ALT">
      <h2>Night Watch</h2>
      <p>Wind the clockwork every four hours &amp; log the barometer.</p>
      <ul><li>Trim the wick</li><li>Polish the Fresnel lens</li></ul>
      <script>window.__xss = 1</script>
      <h2>Storm Protocol</h2>
      <p>During a gale, close the iron shutters before the spray reaches the gallery.</p>
      <table><tr><th>Beaufort</th><th>Action</th></tr><tr><td>9</td><td>Double the watch</td></tr></table>
      <h3>Signals</h3>
      <pre>three long flashes
  then one short</pre>
    </article>
    <aside>BOILERPLATE-ASIDE related links</aside>
  </main>
  <form><input name="q"><button>BOILERPLATE-FORM Search</button></form>
  <footer>BOILERPLATE-FOOTER copyright</footer>
  <noscript>BOILERPLATE-NOSCRIPT</noscript>
  <template><p>BOILERPLATE-TEMPLATE</p></template>
</body>
</html>
`,
);
write(
  'notes.md',
  `---
title: Beekeeping notes
---

Beekeeping Notes
================

Hives need **inspection** every *nine* days in [summer](https://example.com).

## Equipment

- A smoker loaded with pine needles
- A hive tool

<script>window.__xss = 1</script>
<img src="x" onerror="window.__xss=1">

## Swarm Control

Queen cells along the comb's lower edge mean a swarm is coming.

\`\`\`bash
# not a heading: inside a code fence
inspect --frames 10
\`\`\`

Winter Care
-----------

Feed fondant when the cluster rises to the crown board.
`,
);
write('blank.md', '\n\n   \n\t\n');

// --- Text encodings ----------------------------------------------------------
{
  const cp1252 = { '—': 0x97, '€': 0x80, '“': 0x93, '”': 0x94 };
  const text = 'Café crème brûlée — naïve façade at the Ærøskøbing Straße, priced 5 €.\n\n“Smørrebrød” is served daily.\n';
  write('latin1.txt', Buffer.from(Array.from(text, (ch) => cp1252[ch] ?? ch.charCodeAt(0))));
}
write('utf16le-bom.txt', Buffer.from('\ufeffGrüße aus Zürich — 東京の桜.\n\nA second paragraph in UTF-16.\n', 'utf16le'));
{
  const le = Buffer.from('\ufeffBig-endian Ωmega text.\n', 'utf16le');
  write('utf16be-bom.txt', Buffer.from(le.swap16()));
}
write('invalid-utf8.txt', Buffer.concat([Buffer.from('Résumé of the naïve café '), Buffer.from([0xff]), Buffer.from(' written in UTF-8.\n')]));
write('image-renamed.txt', tinyPng(8, 8));
{
  const next = lcg(42);
  write('binary.txt', Buffer.from(Array.from({ length: 512 }, (_, i) => (i % 7 === 0 ? 0 : next()))));
}
write('empty.txt', Buffer.alloc(0));

// --- Records -------------------------------------------------------------------
write(
  'people.csv',
  'name,city,note\r\nAda Lovelace,London,"Wrote the first program, for the Analytical Engine"\r\nGrace Hopper,"Arlington, Virginia","Said ""ask forgiveness""\r\nnot permission"\r\nAlan Turing,Manchester,Broke the Enigma cipher\r\n',
);
write(
  'catalog.json',
  JSON.stringify(
    [
      { sku: 'A-100', name: 'Brass telescope', tags: ['optics', 'antique'], stock: { warehouse: 'Leith', count: 3 } },
      { sku: 'B-200', name: 'Walnut sextant', tags: ['navigation'], stock: { warehouse: 'Bergen', count: 0 } },
    ],
    null,
    2,
  ),
);
write('settings.json', JSON.stringify({ theme: 'heliotrope', retries: 3, owner: { name: 'Mina', email: 'mina@example.com' } }, null, 2));
write('broken.json', '{ "name": "unterminated", ');
write('notes.xyz', 'Some text in a format we do not support.\n');

let total = 0;
for (const f of readdirSync(out)) total += statSync(join(out, f)).size;
console.log(`wrote ${readdirSync(out).length} files to ${out} (${(total / 1024).toFixed(1)} KB)`);
