import { createError } from '../errors';

/** `high` tasks (a search's query embedding, a rerank) start before any queued `normal` task. */
export type QueueLane = 'high' | 'normal';

type Entry = () => void;

/**
 * Runs inference tasks one at a time. An ONNX session is not re-entrant in
 * onnxruntime-web, and two sessions sharing the same few cores only slow each
 * other down, so every model gets one queue (a queue can also be shared by
 * several models to keep them from overlapping).
 *
 * Tasks run in arrival order within a lane. The high lane exists so a search
 * does not wait behind an ingest's queued passage batches: it goes next, but
 * never preempts the task already running.
 */
export class InferenceQueue {
  private readonly lanes: Record<QueueLane, Entry[]> = { high: [], normal: [] };
  private running = false;
  private readonly settling = new Set<Promise<unknown>>();

  /** Tasks queued or running. */
  get pending(): number {
    return this.settling.size;
  }

  /**
   * Runs `task` once the tasks ahead of it have settled. A failing task
   * does not stop the queue. If `signal` is aborted before the task starts,
   * the task is skipped and the promise rejects with `CANCELLED` (any object
   * with `aborted`, e.g. an AbortSignal, works; the engine has no DOM types).
   */
  run<T>(task: () => Promise<T>, signal?: { readonly aborted: boolean }, lane: QueueLane = 'normal'): Promise<T> {
    const result = new Promise<T>((resolve, reject) => {
      this.lanes[lane].push(() => {
        if (signal?.aborted) return reject(createError('CANCELLED', 'Cancelled before inference started.'));
        try {
          resolve(task());
        } catch (error) {
          reject(error);
        }
      });
    });
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.settling.add(settled);
    void settled.then(() => {
      this.settling.delete(settled);
      this.running = false;
      this.next();
    });
    // Start on a later tick, like a promise chain would: callers may queue several tasks first.
    if (!this.running) void Promise.resolve().then(() => this.next());
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.settling]);
  }

  private next(): void {
    if (this.running) return;
    const start = this.lanes.high.shift() ?? this.lanes.normal.shift();
    if (!start) return;
    this.running = true;
    start();
  }
}
