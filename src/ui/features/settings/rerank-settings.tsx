import { useEffect, useState } from 'react';
import { callback, getEngine } from '../../../client/engine-client';
import type { ModelEvent, ModelSettingsView, RerankSetting, RerankStageSetting } from '../../../worker/model-api';
import { formatBytes } from './storage-info';

const HUB = 'https://huggingface.co/';
const OTHER = 'other';

type Status = { state: 'idle' } | { state: 'working'; line: string } | { state: 'done'; line: string } | { state: 'error'; line: string };

/** One stage's form values: a preset id, '' for none, or OTHER with `customId`. */
interface StageDraft {
  choice: string;
  customId: string;
  keep: string;
}

function stageDraft(stage: RerankStageSetting | undefined, presetIds: readonly string[], keep: number): StageDraft {
  if (!stage) return { choice: '', customId: '', keep: String(keep) };
  const preset = presetIds.includes(stage.modelId);
  return { choice: preset ? stage.modelId : OTHER, customId: preset ? '' : stage.modelId, keep: String(stage.keep) };
}

function stageModelId(draft: StageDraft): string {
  return draft.choice === OTHER ? draft.customId.trim() : draft.choice;
}

/** "hybrid 100 → bi-encoder 30 → cross-encoder 10" (mirrors describeRerankConfig in the engine). */
function describePipeline(setting: RerankSetting): string {
  const parts = [`hybrid ${setting.candidates}`];
  if (setting.biEncoder) parts.push(`bi-encoder ${setting.biEncoder.keep}`);
  if (setting.crossEncoder) parts.push(`cross-encoder ${setting.crossEncoder.keep}`);
  return parts.length > 1 ? parts.join(' → ') : 'off';
}

/**
 * The reranking pipeline: hybrid search hands its top candidates to an
 * optional bi-encoder (a second embedding model), whose survivors go to an
 * optional cross-encoder. Cheap stages first, so the slow one sees few hits.
 */
export function RerankSettings({ view, online, disabled, onSaved }: { view: ModelSettingsView; online: boolean; disabled: boolean; onSaved: () => void }) {
  const embeddingIds = view.presets.filter((p) => p.task === 'embedding' && !p.builtin).map((p) => p.id);
  const rerankIds = view.presets.filter((p) => p.task === 'rerank').map((p) => p.id);
  const saved = view.rerank;
  const [candidates, setCandidates] = useState(String(saved.candidates));
  const [bi, setBi] = useState(() => stageDraft(saved.biEncoder, embeddingIds, 30));
  const [cross, setCross] = useState(() => stageDraft(saved.crossEncoder, rerankIds, 10));
  const [host, setHost] = useState(saved.crossEncoder?.host ?? saved.biEncoder?.host ?? HUB);
  const [status, setStatus] = useState<Status>({ state: 'idle' });

  useEffect(() => {
    setCandidates(String(saved.candidates));
    setBi(stageDraft(saved.biEncoder, embeddingIds, 30));
    setCross(stageDraft(saved.crossEncoder, rerankIds, 10));
    setHost(saved.crossEncoder?.host ?? saved.biEncoder?.host ?? HUB);
    // Only when the saved setting changes, not on every render's fresh id lists.
  }, [JSON.stringify(saved)]);

  const draftHost = host.trim() && host.trim() !== HUB ? host.trim() : undefined;
  const stage = (draft: StageDraft): RerankStageSetting | undefined => {
    const modelId = stageModelId(draft);
    if (!draft.choice || !modelId) return undefined;
    return { modelId, keep: Number(draft.keep), ...(draftHost ? { host: draftHost } : {}) };
  };
  const setting: RerankSetting = {
    candidates: Number(candidates),
    ...(stage(bi) ? { biEncoder: stage(bi) } : {}),
    ...(stage(cross) ? { crossEncoder: stage(cross) } : {}),
  };
  const working = status.state === 'working';
  const needsCustomId = (bi.choice === OTHER && !bi.customId.trim()) || (cross.choice === OTHER && !cross.customId.trim());

  const apply = () => {
    setStatus({ state: 'working', line: setting.biEncoder || setting.crossEncoder ? 'Loading the reranking models…' : 'Turning reranking off…' });
    const onEvent = (e: ModelEvent) => {
      if (e.kind !== 'download') return;
      if (e.status === 'progress_total') setStatus({ state: 'working', line: `Downloading ${e.modelId}: ${formatBytes(e.loaded)} of ${formatBytes(e.total)}` });
      else if (e.status === 'progress') setStatus({ state: 'working', line: `Downloading ${e.file}: ${Math.round(e.progress)}%` });
    };
    getEngine()
      .setReranker(setting, callback(onEvent))
      .then(
        (applied) => {
          setStatus({ state: 'done', line: applied.biEncoder || applied.crossEncoder ? `Reranking: ${describePipeline(applied)}.` : 'Reranking is off.' });
          onSaved();
        },
        (error: Error) => setStatus({ state: 'error', line: `${error.message} The previous reranking is still in use.` }),
      );
  };

  /** One stage's model choice, how many hits it keeps, and a custom model id when "another" is chosen. */
  const stageFields = (
    label: string,
    testIds: { choice: string; keep: string; id: string },
    draft: StageDraft,
    set: (d: StageDraft) => void,
    ids: readonly string[],
  ) => (
    <>
      <div className="settings-grid">
        <label>
          {label}
          <select data-testid={testIds.choice} value={draft.choice} disabled={disabled || working} onChange={(e) => set({ ...draft, choice: e.target.value })}>
            <option value="">None</option>
            {ids.map((id) => (
              <option key={id} value={id} disabled={!online}>
                {view.presets.find((p) => p.id === id)?.label ?? id}
              </option>
            ))}
            <option value={OTHER}>Another Hugging Face model id…</option>
          </select>
        </label>
        <label>
          keeps
          <input data-testid={testIds.keep} type="number" min={1} step={1} value={draft.keep} disabled={disabled || working || !draft.choice} onChange={(e) => set({ ...draft, keep: e.target.value })} />
        </label>
      </div>
      {draft.choice === OTHER && (
        <label>
          {label} model id
          <input data-testid={testIds.id} placeholder="owner/name" value={draft.customId} spellCheck={false} onChange={(e) => set({ ...draft, customId: e.target.value })} />
        </label>
      )}
    </>
  );

  return (
    <div className="rerank-settings" data-testid="rerank-settings">
      <p className="small">
        Reranking re-scores the top hybrid results with slower, more accurate models: a bi-encoder (a second embedding model), then a
        cross-encoder, each keeping its best hits. Now: <strong data-testid="rerank-summary">{describePipeline(saved)}</strong>
      </p>
      <label>
        Hybrid candidates handed to reranking
        <input data-testid="rerank-candidates" type="number" min={1} step={1} value={candidates} disabled={disabled || working} onChange={(e) => setCandidates(e.target.value)} />
      </label>
      {stageFields('Bi-encoder', { choice: 'rerank-bi-choice', keep: 'rerank-bi-keep', id: 'rerank-bi-id' }, bi, setBi, embeddingIds)}
      {stageFields('Cross-encoder', { choice: 'reranker-choice', keep: 'rerank-cross-keep', id: 'rerank-cross-id' }, cross, setCross, rerankIds)}
      {(bi.choice || cross.choice) && (
        <label>
          Download reranking models from <span className="muted small">(the Hugging Face Hub, or your own server with the same layout)</span>
          <input data-testid="rerank-host" value={host} spellCheck={false} onChange={(e) => setHost(e.target.value)} />
        </label>
      )}
      <div className="settings-row">
        <button type="button" className="button small primary" data-testid="rerank-apply" disabled={disabled || working || needsCustomId} onClick={apply}>
          Use this reranking
        </button>
        <span className="muted small">{describePipeline(setting)}</span>
      </div>
      {status.state !== 'idle' && (
        <div data-testid="rerank-status" data-state={status.state} className={status.state === 'error' ? 'error small' : 'small'}>
          {status.line}
        </div>
      )}
    </div>
  );
}
