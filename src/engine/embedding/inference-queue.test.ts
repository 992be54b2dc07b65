import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { InferenceQueue } from './inference-queue';

/** A fake "session" that records how many runs overlap. */
function fakeSession() {
  let active = 0;
  let maxActive = 0;
  const order: number[] = [];
  const run = async (id: number, ms: number, fail = false): Promise<number> => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((r) => setTimeout(r, ms));
    order.push(id);
    active--;
    if (fail) throw new Error(`task ${id} failed`);
    return id * 10;
  };
  return { run, stats: () => ({ maxActive, order }) };
}

describe('InferenceQueue', () => {
  it('never runs two tasks at once and keeps arrival order', async () => {
    const q = new InferenceQueue();
    const s = fakeSession();
    // Later tasks are shorter: without the queue they would overlap and finish first.
    const results = await Promise.all([5, 4, 3, 2, 1, 0].map((ms, i) => q.run(() => s.run(i, ms))));
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(s.stats().maxActive).toBe(1);
    expect(s.stats().order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(q.pending).toBe(0);
  });

  it('the unqueued fake does overlap (so the test above can fail)', async () => {
    const s = fakeSession();
    await Promise.all([3, 2, 1].map((ms, i) => s.run(i, ms)));
    expect(s.stats().maxActive).toBeGreaterThan(1);
  });

  it('keeps going after a failing task', async () => {
    const q = new InferenceQueue();
    const s = fakeSession();
    const a = q.run(() => s.run(1, 1, true));
    const b = q.run(() => s.run(2, 1));
    await expect(a).rejects.toThrow('task 1 failed');
    await expect(b).resolves.toBe(20);
    expect(s.stats().maxActive).toBe(1);
  });

  it('counts pending tasks and skips tasks aborted before they start', async () => {
    const q = new InferenceQueue();
    const s = fakeSession();
    const signal = { aborted: false };
    const first = q.run(() => s.run(1, 5));
    const second = q.run(() => s.run(2, 1), signal);
    expect(q.pending).toBe(2);
    signal.aborted = true;
    await first;
    const err = await second.catch((e: unknown) => e);
    expect(isEngineError(err) && err.code).toBe('CANCELLED');
    expect(s.stats().order).toEqual([1]);
    await q.idle();
    expect(q.pending).toBe(0);
  });
});

/** A task that runs until the test releases it, so queue states are exact, not timed. */
function gate() {
  let open!: () => void;
  let started!: () => void;
  const isStarted = new Promise<void>((resolve) => (started = resolve));
  const released = new Promise<void>((resolve) => (open = resolve));
  return { task: async () => { started(); await released; return -1; }, isStarted, open };
}

describe('InferenceQueue lanes', () => {
  it('starts a high-lane task before normal tasks queued ahead of it, never preempting the running one', async () => {
    const q = new InferenceQueue();
    const s = fakeSession();
    const running = gate();
    const first = q.run(running.task);
    const passages = [1, 2, 3].map((id) => q.run(() => s.run(id, 1)));
    await running.isStarted;
    const query = q.run(() => s.run(99, 1), undefined, 'high');
    running.open();
    await Promise.all([first, ...passages, query]);
    expect(s.stats().order).toEqual([99, 1, 2, 3]);
    expect(s.stats().maxActive).toBe(1);
  });

  it('keeps arrival order within the high lane, and a failing high task does not stop the queue', async () => {
    const q = new InferenceQueue();
    const s = fakeSession();
    const running = gate();
    const first = q.run(running.task);
    const b = q.run(() => s.run(2, 1));
    await running.isStarted;
    const h1 = q.run(() => s.run(10, 1, true), undefined, 'high');
    const h2 = q.run(() => s.run(11, 1), undefined, 'high');
    running.open();
    await expect(h1).rejects.toThrow('task 10 failed');
    await Promise.all([first, b, h2]);
    expect(s.stats().order).toEqual([10, 11, 2]);
    expect(s.stats().maxActive).toBe(1);
  });

  it('idle waits for the tasks queued so far, whatever their lane', async () => {
    const q = new InferenceQueue();
    const s = fakeSession();
    void q.run(() => s.run(1, 2));
    void q.run(() => s.run(2, 1), undefined, 'high');
    await q.idle();
    expect(s.stats().order.sort()).toEqual([1, 2]);
    expect(q.pending).toBe(0);
  });

  it('a task that throws synchronously rejects without stalling the queue', async () => {
    const q = new InferenceQueue();
    const bad = q.run(() => {
      throw new Error('sync failure');
    });
    await expect(bad).rejects.toThrow('sync failure');
    await expect(q.run(async () => 7)).resolves.toBe(7);
  });
});
