import type { Embedder } from '../engine/embedding/embedder';
import type { ModelLoadProgressCallback } from '../engine/embedding/load-progress';
import type { Reranker } from '../engine/embedding/reranker';
import { createError } from '../engine/errors';
import { validateRerankConfig, type RerankStage } from '../engine/search/rerank-pipeline';

/** One reranking stage as saved: which model, from where, and how many hits it keeps. */
export interface RerankStageSetting {
  modelId: string;
  /** A server with the Hub's layout; the Hub when left out. */
  host?: string;
  keep: number;
}

/**
 * The reranking pipeline as saved: hybrid search hands `candidates` hits to
 * the bi-encoder (if any), whose survivors go to the cross-encoder (if any).
 */
export interface RerankSetting {
  candidates: number;
  biEncoder?: RerankStageSetting;
  crossEncoder?: RerankStageSetting;
}

/** What versions before the pipeline saved: one cross-encoder over the top 50 ('' for none). */
export interface LegacyRerankSetting {
  modelId: string;
  host?: string;
}

export const DEFAULT_RERANK_CANDIDATES = 100;
export const DEFAULT_BI_ENCODER_KEEP = 30;
export const DEFAULT_CROSS_ENCODER_KEEP = 10;
const LEGACY_CANDIDATES = 50;

export const RERANK_OFF: Readonly<RerankSetting> = { candidates: DEFAULT_RERANK_CANDIDATES };

/**
 * Reads a saved setting of either shape, never throwing: settings outlive
 * versions, so a damaged or partial value falls back to defaults (a stage
 * with no model id is dropped) rather than breaking search.
 */
export function readRerankSetting(stored: unknown): RerankSetting {
  if (typeof stored !== 'object' || stored === null) return { ...RERANK_OFF };
  const value = stored as Record<string, unknown>;
  if (!('candidates' in value) && typeof value.modelId === 'string') {
    const legacy = value as unknown as LegacyRerankSetting;
    if (!legacy.modelId) return { ...RERANK_OFF };
    return { candidates: LEGACY_CANDIDATES, crossEncoder: withHost({ modelId: legacy.modelId, keep: DEFAULT_CROSS_ENCODER_KEEP }, legacy.host) };
  }
  const candidates = positiveInteger(value.candidates) ?? DEFAULT_RERANK_CANDIDATES;
  const setting: RerankSetting = { candidates };
  let previous = candidates;
  const bi = readStage(value.biEncoder, Math.min(previous, DEFAULT_BI_ENCODER_KEEP), previous);
  if (bi) {
    setting.biEncoder = bi;
    previous = bi.keep;
  }
  const cross = readStage(value.crossEncoder, Math.min(previous, DEFAULT_CROSS_ENCODER_KEEP), previous);
  if (cross) setting.crossEncoder = cross;
  return setting;
}

function readStage(value: unknown, fallbackKeep: number, receives: number): RerankStageSetting | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stage = value as Record<string, unknown>;
  if (typeof stage.modelId !== 'string' || !stage.modelId.trim()) return undefined;
  const keep = Math.min(positiveInteger(stage.keep) ?? fallbackKeep, receives);
  return withHost({ modelId: stage.modelId.trim(), keep }, typeof stage.host === 'string' ? stage.host : undefined);
}

function withHost(stage: RerankStageSetting, host: string | undefined): RerankStageSetting {
  return host?.trim() ? { ...stage, host: host.trim() } : stage;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Checks a setting the user is about to save (either shape; a legacy one is
 * converted). Throws INVALID_ARGUMENT when a count is not a positive whole
 * number or a stage keeps more hits than it receives.
 */
export function checkRerankSetting(setting: RerankSetting | LegacyRerankSetting): RerankSetting {
  if (typeof setting !== 'object' || setting === null) throw createError('INVALID_ARGUMENT', 'The rerank setting is missing.');
  if (!('candidates' in setting)) return readRerankSetting(setting);
  validateRerankConfig(setting);
  for (const stage of [setting.biEncoder, setting.crossEncoder]) {
    if (stage && stage.host !== undefined && typeof stage.host !== 'string') {
      throw createError('INVALID_ARGUMENT', `${stage.modelId}: the server address must be text.`, { modelId: stage.modelId });
    }
  }
  // Keep only known fields, so the stored value stays a plain, predictable object.
  const clean: RerankSetting = { candidates: setting.candidates };
  if (setting.biEncoder) clean.biEncoder = withHost({ modelId: setting.biEncoder.modelId.trim(), keep: setting.biEncoder.keep }, setting.biEncoder.host);
  if (setting.crossEncoder) clean.crossEncoder = withHost({ modelId: setting.crossEncoder.modelId.trim(), keep: setting.crossEncoder.keep }, setting.crossEncoder.host);
  return clean;
}

export function rerankEnabled(setting: RerankSetting): boolean {
  return Boolean(setting.biEncoder || setting.crossEncoder);
}

/** Loads a stage's model; the bi-encoder must be an instance of its own, never the library's embedder. */
export interface RerankLoaders {
  loadEmbedder(modelId: string, host: string | undefined, onProgress?: ModelLoadProgressCallback): Promise<Embedder>;
  loadReranker(modelId: string, host: string | undefined, onProgress?: ModelLoadProgressCallback): Promise<Reranker>;
}

export type InstalledRerank = { candidates: number; stages: RerankStage[] } | undefined;

/**
 * Owns the models behind the current pipeline. A new setting's models load
 * while the old pipeline keeps serving; once they are in, the old models are
 * disposed. If loading fails, the old pipeline stays. When two settings load
 * at once (a restore at start-up, then a user's choice), the later one wins
 * and the earlier one's models are disposed unused.
 */
export class RerankModels {
  private loaded: { dispose(): Promise<void> }[] = [];
  private generation = 0;

  constructor(private readonly loaders: RerankLoaders) {}

  /** Resolves true once `install` has been called with the new pipeline, false if a later call superseded it. */
  async apply(setting: RerankSetting, install: (rerank: InstalledRerank) => void, onProgress?: ModelLoadProgressCallback): Promise<boolean> {
    const generation = ++this.generation;
    const models: { dispose(): Promise<void> }[] = [];
    const stages: RerankStage[] = [];
    try {
      if (setting.biEncoder) {
        const { modelId, host, keep } = setting.biEncoder;
        const embedder = await this.loaders.loadEmbedder(modelId, host, onProgress);
        models.push(embedder);
        stages.push({ kind: 'bi-encoder', embedder, keep });
      }
      if (setting.crossEncoder) {
        const { modelId, host, keep } = setting.crossEncoder;
        const reranker = await this.loaders.loadReranker(modelId, host, onProgress);
        models.push(reranker);
        stages.push({ kind: 'cross-encoder', reranker, keep });
      }
    } catch (error) {
      await disposeAll(models);
      throw error;
    }
    if (generation !== this.generation) {
      await disposeAll(models);
      return false;
    }
    install(stages.length > 0 ? { candidates: setting.candidates, stages } : undefined);
    const previous = this.loaded;
    this.loaded = models;
    await disposeAll(previous);
    return true;
  }

  async dispose(): Promise<void> {
    this.generation++;
    const previous = this.loaded;
    this.loaded = [];
    await disposeAll(previous);
  }
}

async function disposeAll(models: readonly { dispose(): Promise<void> }[]): Promise<void> {
  await Promise.all(models.map((m) => m.dispose().catch(() => undefined)));
}
