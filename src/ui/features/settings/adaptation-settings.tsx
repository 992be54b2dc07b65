import { useEffect, useState } from 'react';
import { callback, getEngine } from '../../../client/engine-client';
import type { AdaptationEvent, AdaptationStatus } from '../../../worker/adaptation-service';

type Run = { state: 'idle' } | { state: 'working'; line: string; fraction: number } | { state: 'error'; line: string };

/**
 * Corpus adaptation: word vectors trained on this library's own passages
 * (skip-gram), so its jargon and names get meaningful neighbours. Also the
 * "similar words" view over those vectors.
 */
export function AdaptationSettings() {
  const [status, setStatus] = useState<AdaptationStatus | undefined>();
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [term, setTerm] = useState('');
  const [similar, setSimilar] = useState<{ word: string; score: number }[] | undefined>();

  const refresh = () => void getEngine().adaptationStatus().then(setStatus);
  const lookUp = () => {
    if (term.trim()) void getEngine().similarWords(term.trim()).then(setSimilar);
  };
  useEffect(refresh, []);

  const adapt = async () => {
    setRun({ state: 'working', line: 'Reading your library…', fraction: 0 });
    try {
      await getEngine().adaptToLibrary(
        callback((e: AdaptationEvent) =>
          setRun({
            state: 'working',
            line: e.kind === 'train' ? `Training on your documents: ${e.done.toLocaleString()} of ${e.total.toLocaleString()} words` : `Re-embedding: ${e.done} of ${e.total} passages`,
            fraction: e.done / Math.max(1, e.total),
          }),
        ),
      );
      setRun({ state: 'idle' });
    } catch (error) {
      const e = error as Error & { code?: string };
      setRun(e.code === 'CANCELLED' ? { state: 'idle' } : { state: 'error', line: e.message });
    }
    refresh();
  };

  if (!status) return null;
  return (
    <div className="model-settings" data-testid="adaptation">
      <p className="small muted">
        Trains word vectors on your own documents (skip-gram), in this tab, so search understands words your library
        uses in its own way. Nothing leaves the device.
      </p>
      <p className="small" data-testid="adaptation-status">
        {status.enabled
          ? `Adapted to this library: ${status.words.toLocaleString()} words learned from ${status.tokens.toLocaleString()} words of text.`
          : 'Not adapted yet.'}
      </p>
      <div className="settings-row">
        <button type="button" className="button small primary" data-testid="adapt-start" disabled={run.state === 'working'} onClick={() => void adapt()}>
          {status.enabled ? 'Adapt again' : 'Adapt to my documents'}
        </button>
        {run.state === 'working' && (
          <button type="button" className="button small" data-testid="adapt-cancel" onClick={() => void getEngine().cancelAdaptation()}>
            Cancel
          </button>
        )}
        {status.enabled && run.state !== 'working' && (
          <button type="button" className="button small" onClick={() => void getEngine().removeAdaptation().then(refresh)}>
            Remove adaptation
          </button>
        )}
      </div>
      {run.state === 'working' && (
        <div className="small">
          {run.line}
          <progress data-testid="adapt-progress" max={1} value={run.fraction} />
        </div>
      )}
      {run.state === 'error' && <p className="error small">{run.line}</p>}
      {status.enabled && (
        // Not a <form>: this sits inside the settings form, and forms must not nest.
        <div className="settings-row">
          <input
            data-testid="similar-input"
            placeholder="A word from your documents"
            value={term}
            onChange={(e) => setTerm(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                lookUp();
              }
            }}
          />
          <button type="button" className="button small" onClick={lookUp}>
            Similar words
          </button>
        </div>
      )}
      {similar && (
        <ul className="similar-words" data-testid="similar-words">
          {similar.length === 0 && <li className="muted small">That word is not in the adapted vocabulary.</li>}
          {similar.map((s) => (
            <li key={s.word} data-testid="similar-word">
              {s.word} <span className="muted small">{s.score.toFixed(2)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
