export type { Block, BlockKind, DocumentFormat, ParsedDocument, ParseWarning, ParseWarningCode } from './parsed-document';
export {
  parseDocument,
  extensionOf,
  formatOf,
  SUPPORTED_EXTENSIONS,
  DEFAULT_MAX_PARSE_BYTES,
  type ParseInput,
  type ParseOptions,
} from './parse-document';
export type { PdfOptions } from './pdf-parser';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-inspector';
export { decodeText, type DecodedText, type TextEncodingName } from './text-decoding';
