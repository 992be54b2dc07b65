import { createError } from '../errors';

/**
 * Runs inference tasks one at a time, in arrival order. An ONNX session is
 * not re-entrant in onnxruntime-web, and two sessions sharing the same few
 * cores only slow each other down, so every model gets one queue (a queue can
 * also be shared by several models to keep them from overlapping).
 */
export class InferenceQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Tasks queued or running. */
  get pending(): number {
    return this.waiting;
  }

  /**
   * Runs `task` after every task queued before it has settled. A failing task
   * does not stop the queue. If `signal` is aborted before the task starts,
   * the task is skipped and the promise rejects with `CANCELLED` (any object
   * with `aborted`, e.g. an AbortSignal, works; the engine has no DOM types).
   */
  run<T>(task: () => Promise<T>, signal?: { readonly aborted: boolean }): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => {
      if (signal?.aborted) throw createError('CANCELLED', 'Cancelled before inference started.');
      return task();
    });
    const done = (): void => {
      this.waiting--;
    };
    this.tail = result.then(done, done);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.tail;
  }
}
