import { describe, expect, it } from 'vitest';
import type { Embedder } from '../engine/embedding/embedder';
import type { Reranker } from '../engine/embedding/reranker';
import { isEngineError } from '../engine/errors';
import { checkRerankSetting, readRerankSetting, rerankEnabled, RerankModels, type InstalledRerank, type RerankLoaders } from './rerank-setting';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isEngineError(error) ? error.code : 'not an engine error';
  }
  return undefined;
}

describe('reading the saved rerank setting', () => {
  it('reads the old single cross-encoder shape as a cross-encoder stage', () => {
    expect(readRerankSetting({ modelId: 'Xenova/ms-marco-MiniLM-L-6-v2', host: 'http://mirror/' })).toEqual({
      candidates: 50,
      crossEncoder: { modelId: 'Xenova/ms-marco-MiniLM-L-6-v2', host: 'http://mirror/', keep: 10 },
    });
    expect(readRerankSetting({ modelId: 'x/y' })).toEqual({ candidates: 50, crossEncoder: { modelId: 'x/y', keep: 10 } });
    const off = readRerankSetting({ modelId: '', host: 'https://huggingface.co/' });
    expect(off).toEqual({ candidates: 100 });
    expect(rerankEnabled(off)).toBe(false);
  });

  it('reads the pipeline shape, and nothing saved as off', () => {
    const setting = { candidates: 100, biEncoder: { modelId: 'a/bi', keep: 30 }, crossEncoder: { modelId: 'a/ce', host: 'http://h/', keep: 10 } };
    expect(readRerankSetting(setting)).toEqual(setting);
    expect(readRerankSetting(undefined)).toEqual({ candidates: 100 });
    expect(readRerankSetting(null)).toEqual({ candidates: 100 });
    expect(rerankEnabled(readRerankSetting(setting))).toBe(true);
  });

  it('repairs a damaged value instead of failing', () => {
    expect(readRerankSetting({ candidates: -3, biEncoder: { modelId: '  ', keep: 5 }, crossEncoder: { modelId: 'a/ce', keep: 'ten' } })).toEqual({
      candidates: 100,
      crossEncoder: { modelId: 'a/ce', keep: 10 },
    });
    // A stage never keeps more than it receives.
    expect(readRerankSetting({ candidates: 20, biEncoder: { modelId: 'a/bi', keep: 40 }, crossEncoder: { modelId: 'a/ce', keep: 30 } })).toEqual({
      candidates: 20,
      biEncoder: { modelId: 'a/bi', keep: 20 },
      crossEncoder: { modelId: 'a/ce', keep: 20 },
    });
  });
});

describe('checking a setting before it is saved', () => {
  it('accepts a valid pipeline and drops unknown fields', () => {
    const checked = checkRerankSetting({ candidates: 100, biEncoder: { modelId: ' a/bi ', keep: 30, host: '' }, crossEncoder: { modelId: 'a/ce', keep: 10 }, extra: 1 } as never);
    expect(checked).toEqual({ candidates: 100, biEncoder: { modelId: 'a/bi', keep: 30 }, crossEncoder: { modelId: 'a/ce', keep: 10 } });
    expect(checkRerankSetting({ modelId: 'a/ce' })).toEqual({ candidates: 50, crossEncoder: { modelId: 'a/ce', keep: 10 } });
  });

  it('refuses counts that are not positive or that grow along the pipeline', () => {
    expect(codeOf(() => checkRerankSetting({ candidates: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => checkRerankSetting({ candidates: 100, biEncoder: { modelId: 'a/bi', keep: 2.5 } }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => checkRerankSetting({ candidates: 100, biEncoder: { modelId: 'a/bi', keep: 30 }, crossEncoder: { modelId: 'a/ce', keep: 31 } }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => checkRerankSetting({ candidates: 10, crossEncoder: { modelId: '', keep: 5 } }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => checkRerankSetting({ candidates: 10, crossEncoder: { modelId: 'a/ce', keep: 5 } }))).toBeUndefined();
  });
});

interface Fake {
  id: string;
  disposed: boolean;
  dispose(): Promise<void>;
}

function fakes() {
  const made: Fake[] = [];
  let fail: string | undefined;
  const gates = new Map<string, Promise<void>>();
  const make = async (id: string) => {
    await gates.get(id);
    if (id === fail) throw new Error(`cannot load ${id}`);
    const model: Fake = {
      id,
      disposed: false,
      dispose: async () => {
        model.disposed = true;
      },
    };
    made.push(model);
    return model;
  };
  const loaders: RerankLoaders = {
    loadEmbedder: async (id) => (await make(id)) as unknown as Embedder,
    loadReranker: async (id) => (await make(id)) as unknown as Reranker,
  };
  return { made, loaders, failOn: (id?: string) => (fail = id), gate: (id: string, until: Promise<void>) => gates.set(id, until) };
}

describe('the models behind the pipeline', () => {
  it('builds both stages in order and disposes the models they replace', async () => {
    const { made, loaders } = fakes();
    const models = new RerankModels(loaders);
    let installed: InstalledRerank;
    const install = (r: InstalledRerank) => (installed = r);
    await models.apply({ candidates: 100, biEncoder: { modelId: 'bi', keep: 30 }, crossEncoder: { modelId: 'ce', keep: 10 } }, install);
    expect(installed!.candidates).toBe(100);
    expect(installed!.stages.map((s) => [s.kind, s.keep])).toEqual([
      ['bi-encoder', 30],
      ['cross-encoder', 10],
    ]);
    await models.apply({ candidates: 50, crossEncoder: { modelId: 'ce2', keep: 5 } }, install);
    expect(installed!.stages.map((s) => s.kind)).toEqual(['cross-encoder']);
    expect(made.map((m) => [m.id, m.disposed])).toEqual([
      ['bi', true],
      ['ce', true],
      ['ce2', false],
    ]);
    await models.apply({ candidates: 100 }, install);
    expect(installed).toBeUndefined();
    expect(made.every((m) => m.disposed)).toBe(true);
  });

  it('keeps the old pipeline when a new model fails to load, and frees what did load', async () => {
    const { made, loaders, failOn } = fakes();
    const models = new RerankModels(loaders);
    const calls: InstalledRerank[] = [];
    await models.apply({ candidates: 100, crossEncoder: { modelId: 'ce', keep: 10 } }, (r) => calls.push(r));
    failOn('bad-ce');
    await expect(models.apply({ candidates: 100, biEncoder: { modelId: 'bi', keep: 30 }, crossEncoder: { modelId: 'bad-ce', keep: 10 } }, (r) => calls.push(r))).rejects.toThrow('bad-ce');
    expect(calls).toHaveLength(1);
    expect(made.map((m) => [m.id, m.disposed])).toEqual([
      ['ce', false],
      ['bi', true],
    ]);
  });

  it('lets a later setting win over an earlier one still loading', async () => {
    const { made, loaders, gate } = fakes();
    let release!: () => void;
    gate('slow', new Promise<void>((resolve) => (release = resolve)));
    const models = new RerankModels(loaders);
    const installed: string[] = [];
    const install = (r: InstalledRerank) => installed.push(r ? r.stages.map((s) => s.kind).join('+') : 'off');
    const first = models.apply({ candidates: 100, crossEncoder: { modelId: 'slow', keep: 10 } }, install);
    await models.apply({ candidates: 100, biEncoder: { modelId: 'fast', keep: 30 } }, install);
    release();
    expect(await first).toBe(false);
    expect(installed).toEqual(['bi-encoder']);
    expect(made.find((m) => m.id === 'slow')!.disposed).toBe(true);
    expect(made.find((m) => m.id === 'fast')!.disposed).toBe(false);
  });
});
