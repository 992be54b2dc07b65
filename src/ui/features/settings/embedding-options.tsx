import type { EmbeddingDefaults, EmbeddingOptions } from '../../../engine/embedding/model-registry';

/** The worker's defaults for a model with no preset (UNKNOWN_MODEL_DEFAULTS in the model registry). */
export const CUSTOM_MODEL_DEFAULTS: EmbeddingDefaults = { pooling: 'mean', normalize: true, queryPrefix: '', passagePrefix: '' };

/** The form's values; `dim` is the text of the number box ('' = the model's full size). */
export interface EmbeddingDraft {
  pooling: 'mean' | 'cls';
  normalize: boolean;
  dim: string;
  queryPrefix: string;
  passagePrefix: string;
}

export function draftFrom(defaults: EmbeddingDefaults, saved?: EmbeddingOptions): EmbeddingDraft {
  return {
    pooling: saved?.pooling ?? defaults.pooling,
    normalize: saved?.normalize ?? defaults.normalize,
    dim: saved?.truncateDim !== undefined ? String(saved.truncateDim) : '',
    queryPrefix: saved?.queryPrefix ?? defaults.queryPrefix,
    passagePrefix: saved?.passagePrefix ?? defaults.passagePrefix,
  };
}

/** Why the draft cannot be used, or undefined when it can. */
export function draftProblem(draft: EmbeddingDraft, defaults: EmbeddingDefaults): string | undefined {
  if (draft.dim.trim() === '') return undefined;
  const dim = Number(draft.dim);
  if (!Number.isInteger(dim) || dim < 1) return 'Dimensions must be a positive whole number, or empty for the full size.';
  if (defaults.dim !== undefined && dim > defaults.dim) return `This model has ${defaults.dim} dimensions; it cannot be cut to ${dim}.`;
  return undefined;
}

/**
 * Only what differs from the model's defaults, so a saved choice keeps
 * following its preset; undefined when nothing was changed.
 */
export function overridesFrom(draft: EmbeddingDraft, defaults: EmbeddingDefaults): EmbeddingOptions | undefined {
  const options: EmbeddingOptions = {};
  if (draft.pooling !== defaults.pooling) options.pooling = draft.pooling;
  if (draft.normalize !== defaults.normalize) options.normalize = draft.normalize;
  const dim = draft.dim.trim() === '' ? undefined : Number(draft.dim);
  if (dim !== undefined && dim !== defaults.dim) options.truncateDim = dim;
  if (draft.queryPrefix !== defaults.queryPrefix) options.queryPrefix = draft.queryPrefix;
  if (draft.passagePrefix !== defaults.passagePrefix) options.passagePrefix = draft.passagePrefix;
  return Object.keys(options).length > 0 ? options : undefined;
}

/** The "Advanced" disclosure under the embedding model choice. */
export function EmbeddingOptionsFields({
  draft,
  defaults,
  disabled,
  onChange,
}: {
  draft: EmbeddingDraft;
  defaults: EmbeddingDefaults;
  /** True for the built-in model, whose vector space is fixed. */
  disabled: boolean;
  onChange: (draft: EmbeddingDraft) => void;
}) {
  const set = (patch: Partial<EmbeddingDraft>) => onChange({ ...draft, ...patch });
  const problem = disabled ? undefined : draftProblem(draft, defaults);
  return (
    <details className="embedding-options" data-testid="model-advanced">
      <summary>Advanced: pooling, normalisation, dimensions, prefixes</summary>
      {disabled && <p className="muted small">The built-in model's settings are fixed. Choose another model to change them.</p>}
      <div className="settings-grid">
        <label>
          Pooling
          <select data-testid="model-pooling" value={draft.pooling} disabled={disabled} onChange={(e) => set({ pooling: e.target.value as EmbeddingDraft['pooling'] })}>
            <option value="mean">Mean of all tokens</option>
            <option value="cls">CLS token</option>
          </select>
        </label>
        <label>
          Dimensions
          <input
            data-testid="model-dim"
            type="number"
            min={1}
            max={defaults.dim}
            step={1}
            placeholder={defaults.dim !== undefined ? `${defaults.dim} (full)` : 'full'}
            value={draft.dim}
            disabled={disabled}
            onChange={(e) => set({ dim: e.target.value })}
          />
        </label>
      </div>
      <label className="inline">
        <input data-testid="model-normalize" type="checkbox" checked={draft.normalize} disabled={disabled} onChange={(e) => set({ normalize: e.target.checked })} />
        Normalise vectors to unit length
      </label>
      <p className="muted small">
        Fewer dimensions keep the first N of each vector (Matryoshka truncation), renormalised when normalisation is on. That suits models trained for
        it; others lose accuracy. There is no learned projection. Changing any of these re-embeds your library.
      </p>
      <label>
        Query prefix
        <input data-testid="model-query-prefix" value={draft.queryPrefix} disabled={disabled} spellCheck={false} onChange={(e) => set({ queryPrefix: e.target.value })} />
      </label>
      <label>
        Passage prefix
        <input data-testid="model-passage-prefix" value={draft.passagePrefix} disabled={disabled} spellCheck={false} onChange={(e) => set({ passagePrefix: e.target.value })} />
      </label>
      {problem && (
        <p className="error small" data-testid="model-options-error">
          {problem}
        </p>
      )}
    </details>
  );
}
