import type { Embedder, EmbedderInfo } from '../engine/embedding/embedder';
import type { DeviceChoice, DeviceChoiceMemo } from '../engine/embedding/device-probe';
import type { ModelLoadProgress } from '../engine/embedding/load-progress';
import type { CachedModel } from '../engine/embedding/model-cache';
import { downloadBytes, embeddingDefaults, userPresets, type EmbeddingDefaults, type EmbeddingOptions } from '../engine/embedding/model-registry';
import type { ModelDtype } from '../engine/embedding/transformers-embedder';
import { createError } from '../engine/errors';
import type { Sift } from '../engine/sift';
import type { Store } from '../engine/storage/store';
import type { AdaptationEvent, AdaptationService, AdaptationStatus } from './adaptation-service';
import {
  cachedModels,
  cancelDownloads,
  loadDefaultEmbedder,
  loadEmbedder,
  loadReranker,
  removeModel,
  storeModelFolder,
  type ModelSource,
} from './inference-client';
import { checkRerankSetting, readRerankSetting, RerankModels, type LegacyRerankSetting, type RerankSetting } from './rerank-setting';

export type { LegacyRerankSetting, RerankSetting, RerankStageSetting } from './rerank-setting';

/** Model download and re-embedding progress, for the settings panel. */
export type ModelEvent = ({ kind: 'download' } & ModelLoadProgress) | { kind: 'reembed'; done: number; total: number };

export interface ModelSettingsView {
  source: ModelSource;
  rerank: RerankSetting;
  current: EmbedderInfo;
  presets: {
    id: string;
    task: 'embedding' | 'rerank';
    label: string;
    description: string;
    builtin: boolean;
    /** Bytes to download per dtype. */
    sizes: Record<string, number>;
    approximate: boolean;
    /** For embedding models: the pooling, normalisation, size and prefixes used unless the user overrides them. */
    embedding?: EmbeddingDefaults;
  }[];
  cached: CachedModel[];
}

/** What the model calls share with the rest of the facade. */
export interface ModelContext {
  open(): Promise<Sift>;
  store(): Store;
  adaptation(): AdaptationService;
  /** The model itself, before any corpus adaptation wraps it; the facade owns and disposes it. */
  base: Embedder | undefined;
  /** Set when the chosen model could not load and the built-in one stands in. */
  notice: string | undefined;
  /** The reranking pipeline's own models (never `base`); created on first use. */
  rerankModels?: RerankModels;
}

export function deviceMemo(store: Store): DeviceChoiceMemo {
  return {
    get: (key) => store.getMeta<DeviceChoice>(`device:${key}`),
    set: (key, value) => store.putMeta(`device:${key}`, value),
  };
}

/** The model the user chose; if it cannot load (say, offline with its cache cleared), the built-in one, with a notice. */
export async function loadConfiguredEmbedder(store: Store, context: Pick<ModelContext, 'notice'>): Promise<Embedder> {
  const source = (await store.getMeta<ModelSource>('setting:model')) ?? { kind: 'builtin' };
  if (source.kind === 'builtin') return loadDefaultEmbedder();
  try {
    return await loadEmbedder(source, { deviceMemo: deviceMemo(store) });
  } catch (error) {
    context.notice = `${describeSource(source)} could not be loaded (${(error as Error).message}), so the built-in model is in use.`;
    return loadDefaultEmbedder();
  }
}

type RerankContext = Pick<ModelContext, 'notice' | 'store' | 'rerankModels'>;

/** The bi-encoder is loaded as a model of its own, so replacing it never touches the library's embedder. */
function rerankModels(context: RerankContext): RerankModels {
  return (context.rerankModels ??= new RerankModels({
    loadEmbedder: (modelId, host, onProgress) => loadEmbedder({ kind: 'hub', modelId, host }, { onProgress, deviceMemo: deviceMemo(context.store()), servesSearch: true }),
    loadReranker,
  }));
}

/** Loads the saved reranking pipeline (either saved shape) in the background; search works without it meanwhile. */
export async function restoreReranker(sift: Sift, context: RerankContext): Promise<void> {
  const rerank = readRerankSetting(await sift.getSetting<unknown>('rerank'));
  if (!rerank.biEncoder && !rerank.crossEncoder) return;
  rerankModels(context)
    .apply(rerank, (installed) => sift.setRerank(installed))
    .catch(() => {
      const ids = [rerank.biEncoder?.modelId, rerank.crossEncoder?.modelId].filter(Boolean).join(' and ');
      context.notice = `The reranking models (${ids}) could not be loaded; results are not reranked.`;
    });
}

/** The worker calls for choosing, fetching and adapting models. */
export function createModelApi(context: ModelContext) {
  const open = () => context.open();
  const api = {
    async modelSettings(): Promise<ModelSettingsView> {
      const sift = await open();
      const [source, rerank] = await Promise.all([sift.getSetting<ModelSource>('model'), sift.getSetting<unknown>('rerank')]);
      return {
        source: source ?? { kind: 'builtin' },
        rerank: readRerankSetting(rerank),
        current: sift.embedderInfo,
        presets: userPresets().map((p) => ({
          id: p.id,
          task: p.task,
          label: p.label,
          description: p.description,
          builtin: Boolean(p.builtin),
          sizes: Object.fromEntries(Object.keys(p.sizes).map((dtype) => [dtype, downloadBytes(p, dtype as ModelDtype) ?? 0])),
          approximate: p.approximateSizes,
          ...(p.task === 'embedding' && !p.builtin ? { embedding: embeddingDefaults(p.id) } : {}),
        })),
        cached: await cachedModels().catch(() => []),
      };
    },

    /**
     * Loads another embedding model (downloading it if needed, with progress)
     * and re-embeds the library into its vector space. On failure the current
     * model stays in use and the error says why.
     */
    async setModel(source: ModelSource, onProgress?: (p: ModelEvent) => void): Promise<EmbedderInfo> {
      const sift = await open();
      const embedder =
        source.kind === 'builtin'
          ? await loadDefaultEmbedder()
          : await loadEmbedder(source, { onProgress: (p) => onProgress?.({ kind: 'download', ...p }), deviceMemo: deviceMemo(context.store()) });
      const previous = context.base;
      await sift.setEmbedder(context.adaptation().wrapLoaded(embedder), (done, total) => onProgress?.({ kind: 'reembed', done, total }));
      context.base = embedder;
      if (previous && previous !== embedder) await previous.dispose().catch(() => {});
      await sift.putSetting('model', source);
      context.notice = undefined;
      return sift.embedderInfo;
    },

    async cancelModelDownload(): Promise<void> {
      cancelDownloads();
    },

    /** Keeps a dropped model folder in this browser and switches to it. */
    async addModelFolder(name: string, files: { path: string; file: File }[], onProgress?: (p: ModelEvent) => void, options?: EmbeddingOptions): Promise<EmbedderInfo> {
      await storeModelFolder(name, files);
      return api.setModel({ kind: 'folder', name: name.replace(/[^\w.-]+/g, '-'), ...(options ? { options } : {}) }, onProgress);
    },

    async removeCachedModel(modelId: string): Promise<void> {
      await removeModel(modelId);
    },

    /**
     * Sets the reranking pipeline (hybrid `candidates` → bi-encoder → cross-encoder,
     * either stage optional; none turns reranking off). The old single
     * cross-encoder shape `{ modelId, host }` is still accepted.
     */
    async setReranker(setting: RerankSetting | LegacyRerankSetting, onProgress?: (p: ModelEvent) => void): Promise<RerankSetting> {
      const checked = checkRerankSetting(setting);
      const sift = await open();
      const installed = await rerankModels(context).apply(checked, (stages) => sift.setRerank(stages), (p) => onProgress?.({ kind: 'download', ...p }));
      // A newer choice made while these models loaded has been saved already: do not overwrite it.
      if (!installed) throw createError('CANCELLED', 'A newer reranking choice replaced this one.');
      await sift.putSetting('rerank', checked);
      return checked;
    },

    /** Trains word vectors on this library's own passages and searches with them from now on. */
    async adaptToLibrary(onEvent?: (e: AdaptationEvent) => void): Promise<AdaptationStatus> {
      const sift = await open();
      return context.adaptation().adapt(sift, context.base!, onEvent);
    },

    async cancelAdaptation(): Promise<void> {
      context.adaptation().cancel();
    },

    async removeAdaptation(): Promise<void> {
      const sift = await open();
      await context.adaptation().remove(sift, context.base!);
    },

    async adaptationStatus(): Promise<AdaptationStatus> {
      await open();
      return context.adaptation().status();
    },

    /** The nearest words to `word` in the library-adapted vectors. */
    async similarWords(word: string): Promise<{ word: string; score: number }[]> {
      await open();
      return context.adaptation().similar(word);
    },
  };
  return api;
}

function describeSource(source: ModelSource): string {
  if (source.kind === 'hub') return `The model ${source.modelId}`;
  if (source.kind === 'folder') return `The model folder ${source.name}`;
  return 'The built-in model';
}
