import { describe, expect, it } from 'vitest';
import { DEFAULT_ZIP_LIMITS, readZipDirectory, zipBombReason, ZipFormatError } from './zip-inspector';

/** A stored-entries-only ZIP whose central directory declares whatever sizes we like. */
function fakeZip(entries: { name: string; compressed: number; uncompressed: number; zip64?: boolean }[]): Uint8Array {
  const parts: number[] = [];
  const u16 = (v: number) => parts.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => {
    u16(v & 0xffff);
    u16(Math.floor(v / 0x10000) & 0xffff);
  };
  const u64 = (v: number) => {
    u32(v % 2 ** 32);
    u32(Math.floor(v / 2 ** 32));
  };
  const cdStart = 0;
  for (const e of entries) {
    const name = [...new TextEncoder().encode(e.name)];
    u32(0x02014b50);
    u16(45);
    u16(45);
    u16(0);
    u16(8);
    u32(0);
    u32(0);
    u32(e.zip64 ? 0xffffffff : e.compressed);
    u32(e.zip64 ? 0xffffffff : e.uncompressed);
    u16(name.length);
    u16(e.zip64 ? 20 : 0);
    u16(0);
    u16(0);
    u16(0);
    u32(0);
    u32(0);
    parts.push(...name);
    if (e.zip64) {
      u16(0x0001);
      u16(16);
      u64(e.uncompressed);
      u64(e.compressed);
    }
  }
  const cdSize = parts.length;
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(cdSize);
  u32(cdStart);
  u16(0);
  return new Uint8Array(parts);
}

describe('zip inspector', () => {
  it('sums declared sizes from the central directory', () => {
    const summary = readZipDirectory(fakeZip([{ name: 'word/document.xml', compressed: 100, uncompressed: 900 }, { name: 'a', compressed: 5, uncompressed: 7 }]));
    expect(summary.entries.map((e) => e.name)).toEqual(['word/document.xml', 'a']);
    expect(summary).toMatchObject({ totalCompressed: 105, totalUncompressed: 907 });
    expect(zipBombReason(summary, 200)).toBeUndefined();
  });

  it('flags a directory that claims gigabytes', () => {
    const summary = readZipDirectory(fakeZip([{ name: 'big', compressed: 1000, uncompressed: 0xfffffff0 }]));
    expect(zipBombReason(summary, 2000)).toMatch(/zip bomb \/ too large when uncompressed/);
  });

  it('reads ZIP64 sizes from the extra field', () => {
    const summary = readZipDirectory(fakeZip([{ name: 'huge', compressed: 10, uncompressed: 6 * 2 ** 32, zip64: true }]));
    expect(summary.totalUncompressed).toBe(6 * 2 ** 32);
    expect(zipBombReason(summary, 100)).toBeDefined();
  });

  it('flags extreme compression ratios above the floor only', () => {
    const ratio = (uncompressed: number, fileSize: number) =>
      zipBombReason({ entries: [{ name: 'x', compressedSize: fileSize, uncompressedSize: uncompressed }], totalCompressed: fileSize, totalUncompressed: uncompressed }, fileSize);
    expect(ratio(DEFAULT_ZIP_LIMITS.ratioFloorBytes - 1, 1000)).toBeUndefined();
    expect(ratio(DEFAULT_ZIP_LIMITS.ratioFloorBytes + 1, 1000)).toBeDefined();
    expect(ratio(DEFAULT_ZIP_LIMITS.ratioFloorBytes * 2, 1024 * 1024)).toBeUndefined();
  });

  it('rejects truncated archives', () => {
    expect(() => readZipDirectory(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toThrow(ZipFormatError);
  });
});
