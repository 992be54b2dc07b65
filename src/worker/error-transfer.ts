import { transferHandlers, type TransferHandler } from 'comlink';
import { createError, type ErrorCode } from '../engine/errors';

/**
 * Comlink's default error handler keeps only name, message and stack, which
 * would strip the engine's `code` and `details` on the way to the page. This
 * replaces it on both sides of the boundary; import this module in the worker
 * and in the client.
 */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  details?: Record<string, unknown>;
}

/** An error that arrived from the worker with its engine code intact. */
export class RemoteEngineError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Turns an error that crossed from another worker back into an `EngineError`,
 * so engine code that checks codes (`isEngineError`, `toEngineError`) sees the
 * original code and not a fallback. Anything else is returned as it is.
 */
export function toLocalError(error: unknown): unknown {
  if (!(error instanceof RemoteEngineError) || !error.code) return error;
  const local = createError(error.code as ErrorCode, error.message, error.details);
  if (error.stack) local.stack = error.stack;
  return local;
}

interface ThrownValue {
  value: unknown;
}

function serializeError(thrown: ThrownValue): [SerializedError | { raw: unknown }, Transferable[]] {
  const { value } = thrown;
  if (value instanceof Error) {
    const coded = value as Error & { code?: unknown; details?: unknown };
    return [
      {
        name: value.name,
        message: value.message,
        stack: value.stack,
        code: typeof coded.code === 'string' ? coded.code : undefined,
        details: isPlainRecord(coded.details) ? safeDetails(coded.details) : undefined,
      },
      [],
    ];
  }
  return [{ raw: value }, []];
}

function deserializeError(serialized: SerializedError | { raw: unknown }): never {
  if ('raw' in serialized) throw serialized.raw;
  const error = new RemoteEngineError(serialized.message, serialized.code, serialized.details ?? {});
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  throw error;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps only cloneable primitive details, so a stray object can never break the error path. */
function safeDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
    else if (Array.isArray(value) && value.every((v) => ['string', 'number'].includes(typeof v))) out[key] = value;
  }
  return out;
}

// Comlink marks thrown values with a private symbol, so reuse its own
// `canHandle` to match exactly what it would, and swap in our serialization.
const builtIn = transferHandlers.get('throw');
if (!builtIn) throw new Error('Comlink has no "throw" transfer handler to extend.');
const codedThrowHandler: TransferHandler<unknown, SerializedError | { raw: unknown }> = {
  canHandle: builtIn.canHandle,
  serialize: (value) => serializeError(value as ThrownValue),
  deserialize: deserializeError,
};
transferHandlers.set('throw', codedThrowHandler);
