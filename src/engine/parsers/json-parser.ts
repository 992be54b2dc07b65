import { DocumentBuilder } from './document-builder';
import type { ParsedDocument } from './parsed-document';

const MAX_DEPTH = 12;

/**
 * JSON as records: an array gives one record per item; an object gives one
 * record per top-level key (an array of objects under a key is split into
 * items too). Values are flattened into `path: value` lines.
 */
export function parseJson(text: string): ParsedDocument {
  const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const builder = new DocumentBuilder();
  addValue(builder, value, []);
  return builder.build('json');
}

/** JSON Lines: one record per non-blank line. */
export function parseJsonLines(text: string): ParsedDocument {
  const builder = new DocumentBuilder();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new SyntaxError(`line ${i + 1}: ${(error as Error).message}`);
    }
    builder.add('record', renderValue(value), { headingPath: [`Line ${i + 1}`] });
  });
  return builder.build('json');
}

function addValue(builder: DocumentBuilder, value: unknown, path: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => builder.add('record', renderValue(item), { headingPath: [...path, `Item ${i + 1}`] }));
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (path.length === 0 && Array.isArray(child) && child.some(isObject)) {
        addValue(builder, child, [key]);
      } else {
        builder.add('record', renderValue({ [key]: child }), { headingPath: [...path, key] });
      }
    }
  } else {
    builder.add('paragraph', value === null ? 'null' : String(value));
  }
}

export function renderValue(value: unknown): string {
  if (!isObject(value) && !Array.isArray(value)) return scalar(value);
  const lines: string[] = [];
  flatten(value, '', lines, 0);
  return lines.join('\n');
}

function flatten(value: unknown, prefix: string, lines: string[], depth: number): void {
  if (depth > MAX_DEPTH) {
    lines.push(`${prefix}: ${JSON.stringify(value)}`);
  } else if (Array.isArray(value)) {
    if (value.every((v) => !isObject(v) && !Array.isArray(v))) {
      if (value.length > 0) lines.push(`${prefix || 'items'}: ${value.map(scalar).join(', ')}`);
    } else {
      value.forEach((v, i) => flatten(v, `${prefix}[${i + 1}]`, lines, depth + 1));
    }
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, lines, depth + 1);
  } else {
    lines.push(prefix ? `${prefix}: ${scalar(value)}` : scalar(value));
  }
}

function scalar(value: unknown): string {
  return value === null ? 'null' : typeof value === 'string' ? value : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
