/**
 * Magic-byte checks. A file's extension is only a claim: these catch a
 * binary renamed to `.txt`, or a `.pdf` that is not a PDF, before a parser
 * wastes time on it or shows garbage.
 */
const SIGNATURES: { name: string; offset: number; bytes: number[] }[] = [
  { name: 'a PDF document', offset: 0, bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { name: 'a ZIP archive (or an Office document)', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'a legacy Office document', offset: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { name: 'a PNG image', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'a JPEG image', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { name: 'a GIF image', offset: 0, bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a WebP or RIFF media file', offset: 0, bytes: [0x52, 0x49, 0x46, 0x46] },
  { name: 'a gzip archive', offset: 0, bytes: [0x1f, 0x8b] },
  { name: 'a 7-Zip archive', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'a RAR archive', offset: 0, bytes: [0x52, 0x61, 0x72, 0x21] },
  { name: 'a program (ELF)', offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'a Windows program', offset: 0, bytes: [0x4d, 0x5a] },
  { name: 'a WebAssembly module', offset: 0, bytes: [0x00, 0x61, 0x73, 0x6d] },
  { name: 'an MP4 or QuickTime video', offset: 4, bytes: [0x66, 0x74, 0x79, 0x70] },
  { name: 'an MP3 audio file', offset: 0, bytes: [0x49, 0x44, 0x33] },
  { name: 'a SQLite database', offset: 0, bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20] },
];

/** Names the binary format the bytes start with, or undefined. */
export function sniffBinaryFormat(bytes: Uint8Array): string | undefined {
  for (const sig of SIGNATURES) {
    if (bytes.length < sig.offset + sig.bytes.length) continue;
    let match = true;
    for (let i = 0; i < sig.bytes.length && match; i++) match = bytes[sig.offset + i] === sig.bytes[i];
    // "MZ" alone is too weak a signal to reject a text file that starts with it.
    if (match && sig.bytes.length === 2 && sig.bytes[0] === 0x4d && !looksLikePe(bytes)) match = false;
    if (match) return sig.name;
  }
  return undefined;
}

function looksLikePe(bytes: Uint8Array): boolean {
  return bytes.length >= 64 && bytes.subarray(0, 64).some((b) => b === 0);
}

export function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[offset + i] !== prefix[i]) return false;
  return true;
}

/** PDF readers accept the header anywhere in the first KiB; so do we. */
export function findPdfHeader(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length - 5, 1024);
  for (let i = 0; i <= limit; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) {
      return i;
    }
  }
  return -1;
}
