import { useEffect, useState } from 'react';
import { getEngine } from '../../../client/engine-client';
import type { AnswerSettings } from '../../../engine/answers/answer-settings';
import type { LlmProvider } from '../../../engine/rag';
import type { IngestSettings } from '../../../worker/engine-api';
import { StorageInfo } from './storage-info';
import { LibraryTransfer } from './library-transfer';
import { IndexSettingsSection } from './index-settings';
import { ModelSettings } from './model-settings';
import { AdaptationSettings } from './adaptation-settings';

const DEFAULT_URLS: Record<LlmProvider, string> = { ollama: 'http://localhost:11434', openai: 'http://localhost:8080/v1' };

type TestState = { state: 'idle' } | { state: 'testing' } | { state: 'ok'; models: string[] } | { state: 'failed'; message: string };

/** Answer-endpoint settings. The key is kept in this browser and sent only to the endpoint entered here. */
export function SettingsPanel({ online, onClose, onLibraryChanged }: { online: boolean; onClose: () => void; onLibraryChanged?: () => void }) {
  const [settings, setSettings] = useState<AnswerSettings | undefined>();
  const [ingest, setIngest] = useState<IngestSettings | undefined>();
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void getEngine().getAnswerSettings().then(setSettings);
    void getEngine().getIngestSettings().then(setIngest);
  }, []);

  if (!settings || !ingest) return null;
  const llm = settings.llm;
  const setLlm = (patch: Partial<AnswerSettings['llm']>) => {
    setSaved(false);
    setSettings({ ...settings, llm: { ...llm, ...patch } });
  };
  const remote = !isLocalUrl(llm.baseUrl);

  const runTest = async () => {
    setTest({ state: 'testing' });
    const result = await getEngine().testConnection(llm);
    setTest(result.ok ? { state: 'ok', models: result.models } : { state: 'failed', message: result.error.message });
  };

  return (
    <div className="viewer-backdrop" onClick={onClose}>
      <form
        className="settings"
        role="dialog"
        aria-modal="true"
        aria-label="Settings"
        data-testid="settings-panel"
        onClick={(e) => e.stopPropagation()}
        onSubmit={async (e) => {
          e.preventDefault();
          await Promise.all([getEngine().saveAnswerSettings(settings), getEngine().saveIngestSettings(ingest)]);
          setSaved(true);
        }}
      >
        <header className="viewer-head">
          <h2>Settings</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close settings">
            ×
          </button>
        </header>
        <div className="settings-body">
          <h3>Search model</h3>
          <ModelSettings online={online} />
          <h3>Adapt to your documents</h3>
          <AdaptationSettings />
          <h3>Library</h3>
          <label>
            Largest file to index (MB)
            <input
              type="number"
              data-testid="max-file-mb"
              min={0.01}
              step="any"
              value={ingest.maxFileMegabytes}
              onChange={(e) => {
                setSaved(false);
                setIngest({ maxFileMegabytes: Math.max(0.01, Number(e.target.value) || 64) });
              }}
            />
          </label>
          <IndexSettingsSection />
          <StorageInfo />
          <LibraryTransfer onImported={onLibraryChanged} />
          <h3>Answer endpoint</h3>
          <p className="muted small">
            Answers are written by a language model you choose. Your documents stay here; only the passages used for
            an answer are sent to this endpoint.
          </p>
          <label>
            Provider
            <select
              data-testid="llm-provider"
              value={llm.provider}
              onChange={(e) => {
                const provider = e.target.value as LlmProvider;
                setLlm({ provider, baseUrl: DEFAULT_URLS[provider] });
              }}
            >
              <option value="ollama">Ollama (native /api/chat)</option>
              <option value="openai">OpenAI-compatible (OpenAI, llama.cpp, LM Studio, vLLM, Ollama /v1)</option>
            </select>
          </label>
          <label>
            Base URL
            <input data-testid="llm-base-url" value={llm.baseUrl} onChange={(e) => setLlm({ baseUrl: e.target.value })} spellCheck={false} />
          </label>
          <label>
            API key <span className="muted small">(optional; stored only in this browser)</span>
            <input
              data-testid="llm-api-key"
              type="password"
              autoComplete="off"
              value={llm.apiKey ?? ''}
              onChange={(e) => setLlm({ apiKey: e.target.value || undefined })}
            />
          </label>
          <label>
            Model
            <input data-testid="llm-model" list="llm-model-list" value={llm.model} onChange={(e) => setLlm({ model: e.target.value })} spellCheck={false} />
            <datalist id="llm-model-list">
              {test.state === 'ok' && test.models.map((m) => <option key={m} value={m} />)}
            </datalist>
          </label>
          {remote && !online && <p className="answer-note">You are offline: a remote endpoint cannot be reached until the network is back.</p>}
          <div className="settings-row">
            <button type="button" className="button" data-testid="llm-test" onClick={() => void runTest()} disabled={test.state === 'testing'}>
              {test.state === 'testing' ? 'Testing…' : 'Test connection'}
            </button>
            {test.state === 'ok' && (
              <span className="ok small" data-testid="llm-test-result">
                Connected. {test.models.length ? `${test.models.length} models available.` : ''}
              </span>
            )}
            {test.state === 'failed' && (
              <span className="error small" data-testid="llm-test-result">
                {test.message}
              </span>
            )}
          </div>
          <details>
            <summary>Prompt</summary>
            <label>
              Template <span className="muted small">({'{{sources}}'} and {'{{question}}'} are filled in)</span>
              <textarea rows={8} value={settings.template} onChange={(e) => setSettings({ ...settings, template: e.target.value })} />
            </label>
            <label>
              Token budget for the prompt
              <input
                type="number"
                min={500}
                step={100}
                value={settings.tokenBudget}
                onChange={(e) => setSettings({ ...settings, tokenBudget: Number(e.target.value) || 3000 })}
              />
            </label>
            <label>
              Give up when the model is silent for (seconds)
              <input
                type="number"
                data-testid="llm-idle-timeout"
                min={1}
                value={Math.round((llm.idleTimeoutMs ?? 30_000) / 1000)}
                onChange={(e) => setLlm({ idleTimeoutMs: Math.max(1, Number(e.target.value) || 30) * 1000 })}
              />
            </label>
          </details>
        </div>
        <footer className="settings-foot">
          {saved && <span className="ok small">Saved.</span>}
          <button type="submit" className="button primary" data-testid="settings-save">
            Save
          </button>
        </footer>
      </form>
    </div>
  );
}

function isLocalUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');
  } catch {
    return false;
  }
}
