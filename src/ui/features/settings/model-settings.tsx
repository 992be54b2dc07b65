import { useEffect, useState } from 'react';
import { callback, getEngine } from '../../../client/engine-client';
import type { ModelEvent, ModelSettingsView } from '../../../worker/model-api';
import type { ModelSource } from '../../../worker/model-runtime';
import { CUSTOM_MODEL_DEFAULTS, draftFrom, draftProblem, EmbeddingOptionsFields, overridesFrom, type EmbeddingDraft } from './embedding-options';
import { RerankSettings } from './rerank-settings';
import { formatBytes } from './storage-info';

const HUB = 'https://huggingface.co/';
type Choice = 'builtin' | 'other' | string;
type Status = { state: 'idle' } | { state: 'working'; line: string; fraction?: number } | { state: 'done'; line: string } | { state: 'error'; line: string };

/** Which embedding model (and reranker) search uses, where it comes from, and what is cached. */
export function ModelSettings({ online }: { online: boolean }) {
  const [view, setView] = useState<ModelSettingsView | undefined>();
  const [choice, setChoice] = useState<Choice>('builtin');
  const [customId, setCustomId] = useState('');
  const [host, setHost] = useState(HUB);
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [draft, setDraft] = useState<EmbeddingDraft>(() => draftFrom(CUSTOM_MODEL_DEFAULTS));

  const reload = async () => {
    const v = await getEngine().modelSettings();
    setView(v);
    const source = v.source;
    if (source.kind === 'hub') {
      const preset = v.presets.find((p) => p.id === source.modelId);
      setChoice(preset ? source.modelId : 'other');
      if (!preset) setCustomId(source.modelId);
      setHost(source.host ?? HUB);
      setDraft(draftFrom(preset?.embedding ?? CUSTOM_MODEL_DEFAULTS, source.options));
    }
  };
  useEffect(() => {
    void reload();
  }, []);
  if (!view) return null;

  const embeddingPresets = view.presets.filter((p) => p.task === 'embedding' && !p.builtin);
  const working = status.state === 'working';
  const defaultsFor = (c: Choice) => view.presets.find((p) => p.id === c)?.embedding ?? CUSTOM_MODEL_DEFAULTS;
  const defaults = defaultsFor(choice);
  const optionsProblem = choice === 'builtin' ? undefined : draftProblem(draft, defaults);
  const choose = (c: Choice) => {
    setChoice(c);
    // Start from the new model's own settings; a saved choice of that model keeps its overrides.
    const source = view.source;
    const saved = source.kind === 'hub' && (source.modelId === c || (c === 'other' && !view.presets.some((p) => p.id === source.modelId)));
    setDraft(draftFrom(defaultsFor(c), saved ? source.options : undefined));
  };

  const onEvent = (e: ModelEvent) => {
    if (e.kind === 'reembed') setStatus({ state: 'working', line: `Re-embedding your library: ${e.done} of ${e.total} passages`, fraction: e.done / Math.max(1, e.total) });
    else if (e.status === 'progress_total') setStatus({ state: 'working', line: `Downloading ${e.modelId}: ${formatBytes(e.loaded)} of ${formatBytes(e.total)}`, fraction: e.progress / 100 });
    else if (e.status === 'progress') setStatus({ state: 'working', line: `Downloading ${e.file}: ${Math.round(e.progress)}%`, fraction: e.progress / 100 });
    else if (e.status === 'initiate') setStatus((s) => (s.state === 'working' ? s : { state: 'working', line: `Fetching ${e.file}…` }));
  };

  const run = async (start: () => Promise<{ modelId: string; device: string }>) => {
    setStatus({ state: 'working', line: 'Loading the model…' });
    try {
      const info = await start();
      setStatus({ state: 'done', line: `Now searching with ${info.modelId} (${info.device}).` });
    } catch (error) {
      const e = error as Error & { code?: string };
      const line = e.code === 'CANCELLED' ? 'Download cancelled; the previous model is still in use.' : `${e.message} The previous model is still in use.`;
      setStatus({ state: 'error', line });
    }
    await reload();
  };

  const apply = () => {
    const options = overridesFrom(draft, defaults);
    const source: ModelSource =
      choice === 'builtin'
        ? { kind: 'builtin' }
        : { kind: 'hub', modelId: choice === 'other' ? customId.trim() : choice, host: host.trim() || HUB, ...(options ? { options } : {}) };
    void run(() => getEngine().setModel(source, callback(onEvent)));
  };
  const needsNetwork = choice !== 'builtin';

  return (
    <div className="model-settings">
      <p className="small" data-testid="model-current">
        In use: <strong>{view.current.modelId}</strong> · {view.current.dim} dimensions · {view.current.dtype} on {view.current.device} ·{' '}
        {view.current.pooling} pooling{view.current.normalize ? '' : ', not normalised'}
      </p>
      <label>
        Embedding model
        <select data-testid="model-choice" value={choice} onChange={(e) => choose(e.target.value)} disabled={working}>
          <option value="builtin">Built-in (works offline, nothing to download)</option>
          {embeddingPresets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label} — {Object.entries(p.sizes).map(([dtype, bytes]) => `${dtype} ${p.approximate ? '≈' : ''}${formatBytes(bytes)}`).join(', ')}
            </option>
          ))}
          <option value="other">Another Hugging Face model id…</option>
        </select>
      </label>
      {choice === 'other' && (
        <label>
          Model id
          <input data-testid="model-id" placeholder="owner/name" value={customId} onChange={(e) => setCustomId(e.target.value)} spellCheck={false} />
        </label>
      )}
      {needsNetwork && (
        <label>
          Download from <span className="muted small">(the Hugging Face Hub, or your own server with the same layout)</span>
          <input data-testid="model-host" value={host} onChange={(e) => setHost(e.target.value)} spellCheck={false} />
        </label>
      )}
      <EmbeddingOptionsFields draft={draft} defaults={defaults} disabled={choice === 'builtin' || working} onChange={setDraft} />
      {needsNetwork && !online && <p className="answer-note">You are offline: downloads are unavailable. Models already downloaded still work.</p>}
      <div className="settings-row">
        <button type="button" className="button small primary" data-testid="model-apply" disabled={working || (choice === 'other' && !customId.trim()) || optionsProblem !== undefined}
          onClick={apply}
        >
          Use this model
        </button>
        <label className="button small">
          Use a model folder…
          <input
            type="file"
            hidden
            data-testid="model-folder-input"
            {...{ webkitdirectory: '' }}
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              if (files.length === 0) return;
              const name = files[0].webkitRelativePath.split('/')[0] || 'model';
              void run(() => getEngine().addModelFolder(name, files.map((file) => ({ path: file.webkitRelativePath || file.name, file })), callback(onEvent)));
            }}
          />
        </label>
        {working && (
          <button type="button" className="button small" data-testid="model-cancel" onClick={() => void getEngine().cancelModelDownload()}>
            Cancel
          </button>
        )}
      </div>
      {status.state !== 'idle' && (
        <div data-testid="model-status" data-state={status.state} className={status.state === 'error' ? 'error small' : 'small'}>
          {status.line}
          {status.state === 'working' && status.fraction !== undefined && <progress data-testid="model-progress" max={1} value={status.fraction} />}
        </div>
      )}
      <h4>Reranking</h4>
      <RerankSettings view={view} online={online} disabled={working} onSaved={() => void getEngine().modelSettings().then(setView)} />
      {view.cached.length > 0 && (
        <div>
          <p className="small">Downloaded models kept for offline use:</p>
          <ul className="cached-models">
            {view.cached.map((m) => (
              <li key={m.modelId} data-testid="cached-model">
                <span>{m.modelId}</span>
                <span className="muted small">
                  {formatBytes(m.bytes)} · {m.files} files
                </span>
                <button type="button" className="button small" onClick={() => void getEngine().removeCachedModel(m.modelId).then(reload)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
