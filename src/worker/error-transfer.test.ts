import { describe, expect, it } from 'vitest';
import { expose, wrap } from 'comlink';
import { createError } from '../engine/errors';
import { RemoteEngineError } from './error-transfer';

describe('errors crossing the worker boundary', () => {
  it('keeps the engine error code and details on the calling side', async () => {
    const { port1, port2 } = new MessageChannel();
    expose(
      {
        fail() {
          throw createError('UNSUPPORTED_FILE_TYPE', 'notes.xyz: files of type .xyz cannot be read.', {
            file: 'notes.xyz',
            nested: { dropped: true },
          });
        },
      },
      port1 as unknown as Parameters<typeof expose>[1],
    );
    const remote = wrap<{ fail(): void }>(port2 as unknown as Parameters<typeof wrap>[0]);
    const error = await remote.fail().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteEngineError);
    const coded = error as RemoteEngineError;
    expect(coded.code).toBe('UNSUPPORTED_FILE_TYPE');
    expect(coded.message).toContain('notes.xyz');
    expect(coded.details).toEqual({ file: 'notes.xyz' });
    port1.close();
    port2.close();
  });

  it('still passes through values thrown that are not errors', async () => {
    const { port1, port2 } = new MessageChannel();
    expose({ fail() { throw 'plain string'; } }, port1 as unknown as Parameters<typeof expose>[1]);
    const remote = wrap<{ fail(): void }>(port2 as unknown as Parameters<typeof wrap>[0]);
    await expect(remote.fail()).rejects.toBe('plain string');
    port1.close();
    port2.close();
  });
});
