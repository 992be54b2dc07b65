/**
 * Reads a ZIP's central directory without inflating anything, so a zip bomb
 * is refused before a decompressor allocates memory for it.
 */
export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

export interface ZipSummary {
  entries: ZipEntryInfo[];
  totalCompressed: number;
  totalUncompressed: number;
}

export interface ZipLimits {
  /** Hard cap on the declared uncompressed total. */
  maxUncompressedBytes: number;
  /** Declared total may not exceed this multiple of the file size... */
  maxRatio: number;
  /** ...once it is above this many bytes (small files compress well legitimately). */
  ratioFloorBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 16 * 1024 * 1024,
  maxEntries: 20_000,
};

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const U32_MAX = 0xffffffff;

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

export function readZipDirectory(bytes: Uint8Array): ZipSummary {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(view);
  if (eocd < 0) throw new ZipFormatError('the ZIP container has no central directory (the file is truncated or not a ZIP)');
  let count = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) throw new ZipFormatError('the ZIP64 directory is missing');
    const z64 = safeNumber(view.getBigUint64(locator + 8, true));
    if (z64 + 56 > view.byteLength || view.getUint32(z64, true) !== ZIP64_EOCD) throw new ZipFormatError('the ZIP64 directory is damaged');
    count = safeNumber(view.getBigUint64(z64 + 32, true));
    cdOffset = safeNumber(view.getBigUint64(z64 + 48, true));
  }

  const entries: ZipEntryInfo[] = [];
  let totalCompressed = 0;
  let totalUncompressed = 0;
  let p = cdOffset;
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (p + 46 > view.byteLength || view.getUint32(p, true) !== CENTRAL_HEADER) {
      throw new ZipFormatError('the ZIP central directory is damaged');
    }
    let compressedSize = view.getUint32(p + 20, true);
    let uncompressedSize = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength > view.byteLength) throw new ZipFormatError('the ZIP central directory is damaged');
    const name = decoder.decode(bytes.subarray(p + 46, nameEnd));
    if (uncompressedSize === U32_MAX || compressedSize === U32_MAX) {
      const sizes = readZip64Sizes(view, nameEnd, extraLength, uncompressedSize === U32_MAX, compressedSize === U32_MAX);
      uncompressedSize = sizes.uncompressed ?? uncompressedSize;
      compressedSize = sizes.compressed ?? compressedSize;
    }
    entries.push({ name, compressedSize, uncompressedSize });
    totalCompressed += compressedSize;
    totalUncompressed += uncompressedSize;
    p = nameEnd + extraLength + commentLength;
  }
  return { entries, totalCompressed, totalUncompressed };
}

/** Returns a plain-language reason when the archive is unsafe to inflate. */
export function zipBombReason(summary: ZipSummary, fileSize: number, limits: ZipLimits = DEFAULT_ZIP_LIMITS): string | undefined {
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
  if (summary.entries.length > limits.maxEntries) {
    return `zip bomb / too many entries (${summary.entries.length})`;
  }
  if (summary.totalUncompressed > limits.maxUncompressedBytes) {
    return `zip bomb / too large when uncompressed (${mb(summary.totalUncompressed)}, limit ${mb(limits.maxUncompressedBytes)})`;
  }
  if (summary.totalUncompressed > limits.ratioFloorBytes && summary.totalUncompressed > fileSize * limits.maxRatio) {
    return `zip bomb / too large when uncompressed (${mb(summary.totalUncompressed)} from a ${Math.max(1, Math.round(fileSize / 1024))} KB file)`;
  }
  return undefined;
}

function findEocd(view: DataView): number {
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= min; i--) {
    if (view.getUint32(i, true) === EOCD) return i;
  }
  return -1;
}

function readZip64Sizes(view: DataView, start: number, length: number, wantUncompressed: boolean, wantCompressed: boolean) {
  let p = start;
  const end = start + length;
  while (p + 4 <= end) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const out: { uncompressed?: number; compressed?: number } = {};
      if (wantUncompressed && q + 8 <= end) {
        out.uncompressed = safeNumber(view.getBigUint64(q, true));
        q += 8;
      }
      if (wantCompressed && q + 8 <= end) out.compressed = safeNumber(view.getBigUint64(q, true));
      return out;
    }
    p += 4 + size;
  }
  // Sizes are flagged as ZIP64 but the extra field is missing: assume the worst.
  return { uncompressed: wantUncompressed ? Number.MAX_SAFE_INTEGER : undefined, compressed: undefined };
}

function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
