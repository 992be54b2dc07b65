/**
 * The engine's one error catalogue. Every error the engine throws on purpose
 * carries a stable `code`, so the UI can explain it and tests can assert on it
 * without matching message text. Codes survive the worker boundary through the
 * transfer handler in `src/worker/error-transfer.ts`.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'DIMENSION_MISMATCH'
  | 'NOT_TRAINED'
  | 'UNSUPPORTED_OPERATION'
  | 'CORRUPT_INDEX'
  | 'UNSUPPORTED_FILE_TYPE'
  | 'FILE_TOO_LARGE'
  | 'EMPTY_FILE'
  | 'PARSE_FAILED'
  | 'ENCRYPTED_FILE'
  | 'NO_TEXT_LAYER'
  | 'QUOTA_EXCEEDED'
  | 'STORAGE_FAILED'
  | 'MODEL_LOAD_FAILED'
  | 'EMBEDDING_FAILED'
  | 'CANCELLED'
  | 'LLM_UNREACHABLE'
  | 'LLM_UNAUTHORIZED'
  | 'LLM_RATE_LIMITED'
  | 'LLM_TIMEOUT'
  | 'LLM_BAD_RESPONSE'
  | 'LLM_CORS'
  | 'NOT_FOUND';

export class EngineError extends Error {
  readonly code: ErrorCode;
  /** Structured context (file name, sizes...) safe to show to the user. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

export function createError(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): EngineError {
  return new EngineError(code, message, details);
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}

/** Narrows anything thrown to an EngineError, keeping the original message. */
export function toEngineError(value: unknown, fallback: ErrorCode): EngineError {
  if (value instanceof EngineError) return value;
  if (value instanceof Error) {
    if (value.name === 'QuotaExceededError') {
      return new EngineError('QUOTA_EXCEEDED', 'The browser storage quota is full.', {
        cause: value.message,
      });
    }
    if (value.name === 'AbortError') return new EngineError('CANCELLED', 'Cancelled.');
    return new EngineError(fallback, value.message);
  }
  return new EngineError(fallback, String(value));
}
