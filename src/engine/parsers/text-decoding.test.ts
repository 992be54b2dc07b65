import { describe, expect, it } from 'vitest';
import { countUtf8Sequences, decodeText, decodeWindows1252, NotTextError } from './text-decoding';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('decodeText', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeText(new TextEncoder().encode('naïve'))).toMatchObject({ text: 'naïve', encoding: 'utf-8', warnings: [] });
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x68, 0x69)).text).toBe('hi');
  });

  it('reads UTF-16 with a BOM, and ASCII-heavy UTF-16 without one', () => {
    expect(decodeText(bytes(0xff, 0xfe, 0x68, 0, 0x69, 0)).text).toBe('hi');
    expect(decodeText(bytes(0xfe, 0xff, 0, 0x68, 0, 0x69)).text).toBe('hi');
    const le = new Uint8Array([...'hello world'].flatMap((c) => [c.charCodeAt(0), 0]));
    expect(decodeText(le)).toMatchObject({ text: 'hello world', encoding: 'utf-16le' });
  });

  it('falls back to windows-1252, including its 0x80-0x9F characters', () => {
    const result = decodeText(bytes(0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x97, 0x20, 0x80));
    expect(result.text).toBe('“café” — €');
    expect(result.encoding).toBe('windows-1252');
    expect(decodeWindows1252(bytes(0x81))).toBe('\u0081');
  });

  it('keeps mostly-valid UTF-8, replacing the broken bytes', () => {
    const good = new TextEncoder().encode('é é é é ');
    const result = decodeText(new Uint8Array([...good, 0xc3]));
    expect(result.encoding).toBe('utf-8');
    expect(result.text).toBe('é é é é \uFFFD');
    expect(countUtf8Sequences(new Uint8Array([...good, 0xc3]))).toEqual({ valid: 4, invalid: 1 });
  });

  it('refuses binary content', () => {
    expect(() => decodeText(bytes(0x25, 0x50, 0x44, 0x46, 0x2d, 0x31))).toThrow(/PDF/);
    expect(() => decodeText(bytes(0x68, 0x00, 0x01, 0x02, 0x69, 0x6a, 0x00, 0x05, 0x06, 0x07, 0x6b))).toThrow(NotTextError);
    expect(() => decodeText(new Uint8Array(200).map((_, i) => (i % 3 === 0 ? 2 : 0x61)))).toThrow(NotTextError);
  });
});
