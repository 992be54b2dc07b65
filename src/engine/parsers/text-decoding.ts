import type { ParseWarning } from './parsed-document';
import { sniffBinaryFormat, startsWith } from './sniff';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  warnings: ParseWarning[];
}

/** Why bytes are not text, in words a user can act on. */
export class NotTextError extends Error {
  override readonly name = 'NotTextError';
}

/** How much of the file is inspected for control characters. */
const SAMPLE_BYTES = 64 * 1024;
const MAX_CONTROL_RATIO = 0.05;

/**
 * Decodes a text file: BOM first (UTF-8, UTF-16 LE/BE), then strict UTF-8,
 * then windows-1252 (the superset of Latin-1 that every "ANSI" file really
 * is). Binary content throws NotTextError instead of decoding to garbage.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return strict(bytes.subarray(3), 'utf-8');
  if (startsWith(bytes, [0xff, 0xfe])) return strict(bytes.subarray(2), 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return strict(bytes.subarray(2), 'utf-16be');

  const binary = sniffBinaryFormat(bytes);
  if (binary) throw new NotTextError(`this is ${binary}, not a text file`);

  const bomless16 = guessBomlessUtf16(bytes);
  if (bomless16) return strict(bytes, bomless16);

  if (hasNul(bytes) || controlRatio(bytes) > MAX_CONTROL_RATIO) {
    throw new NotTextError('this looks like a binary file, not text');
  }

  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', warnings: [] };
  } catch {
    // Invalid UTF-8: decide between a legacy single-byte file and damaged UTF-8.
  }
  const { valid, invalid } = countUtf8Sequences(bytes);
  if (valid > 0 && valid >= invalid * 4) {
    return {
      text: new TextDecoder('utf-8').decode(bytes),
      encoding: 'utf-8',
      warnings: [{ code: 'INVALID_UTF8_REPLACED', message: `${invalid} invalid UTF-8 byte sequence(s) were replaced with �.` }],
    };
  }
  return {
    text: decodeWindows1252(bytes),
    encoding: 'windows-1252',
    warnings: [{ code: 'DECODED_AS_WINDOWS_1252', message: 'The file is not UTF-8; it was read as Windows-1252 (Latin-1).' }],
  };
}

function strict(bytes: Uint8Array, encoding: TextEncodingName): DecodedText {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes), encoding, warnings: [] };
  } catch {
    return {
      text: new TextDecoder(encoding).decode(bytes),
      encoding,
      warnings: [{ code: 'INVALID_UTF8_REPLACED', message: `Some ${encoding.toUpperCase()} sequences were invalid and were replaced with �.` }],
    };
  }
}

function hasNul(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Share of C0 control bytes other than tab, newline, carriage return and form feed. */
function controlRatio(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  if (n === 0) return 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) control++;
  }
  return control / n;
}

/**
 * Mostly-ASCII UTF-16 without a BOM has a NUL in every other byte; that
 * pattern is too regular to be a binary format, so read it as text.
 */
function guessBomlessUtf16(bytes: Uint8Array): TextEncodingName | undefined {
  const n = Math.min(bytes.length, SAMPLE_BYTES) & ~1;
  if (n < 8) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Counts well-formed multi-byte UTF-8 sequences and stray bytes. */
export function countUtf8Sequences(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/** Unicode for bytes 0x80-0x9F in windows-1252 (0 = unassigned, kept as is). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/**
 * Some runtimes (Node before 23) decode the 'windows-1252' label as plain
 * ISO-8859-1, losing curly quotes, dashes and the euro sign; fix those up.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => {
    const mapped = CP1252_HIGH[c.charCodeAt(0) - 0x80];
    return mapped ? String.fromCharCode(mapped) : c;
  });
}
