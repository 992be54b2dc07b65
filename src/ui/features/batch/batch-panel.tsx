import { useState } from 'react';
import { callback, getEngine } from '../../../client/engine-client';

type BatchState =
  | { state: 'idle' }
  | { state: 'running'; phase: string; done: number; total: number }
  | { state: 'done'; count: number; csvUrl: string; jsonUrl: string }
  | { state: 'error'; message: string };

/** Many queries at once (one per line, or a .txt/.csv file), exported as CSV or JSON. */
export function BatchPanel({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const [withAnswers, setWithAnswers] = useState(false);
  const [run, setRun] = useState<BatchState>({ state: 'idle' });
  const queries = text.split('\n').map((q) => q.trim()).filter(Boolean);

  const start = async () => {
    setRun({ state: 'running', phase: 'retrieve', done: 0, total: queries.length });
    try {
      const result = await getEngine().runBatch(
        queries,
        withAnswers,
        callback((p: { phase: string; done: number; total: number }) => setRun({ state: 'running', ...p })),
      );
      setRun({ state: 'done', count: result.count, csvUrl: blobUrl(result.csv, 'text/csv'), jsonUrl: blobUrl(result.json, 'application/json') });
    } catch (error) {
      setRun({ state: 'error', message: (error as Error).message });
    }
  };

  return (
    <div className="viewer-backdrop" onClick={onClose}>
      <section className="settings" role="dialog" aria-modal="true" aria-label="Batch queries" data-testid="batch-panel" onClick={(e) => e.stopPropagation()}>
        <header className="viewer-head">
          <h2>Batch queries</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close batch">
            ×
          </button>
        </header>
        <div className="settings-body">
          <label>
            One query per line
            <textarea data-testid="batch-input" rows={10} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <label className="inline">
            <input
              type="file"
              accept=".txt,.csv"
              data-testid="batch-file"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) setText((await file.text()).replace(/\r/g, ''));
              }}
            />
          </label>
          <label className="inline">
            <input type="checkbox" checked={withAnswers} onChange={(e) => setWithAnswers(e.target.checked)} /> Also write an answer for each
            query (uses the answer endpoint)
          </label>
          {run.state === 'running' && (
            <p className="muted small">
              {run.phase === 'retrieve' ? 'Searching' : 'Answering'} {run.done}/{run.total}…
            </p>
          )}
          {run.state === 'error' && <p className="error">{run.message}</p>}
          {run.state === 'done' && (
            <div className="settings-row" data-testid="batch-done">
              <span>{run.count} queries done.</span>
              <a className="button small" data-testid="batch-export-csv" href={run.csvUrl} download="sift-batch.csv">
                Export CSV
              </a>
              <a className="button small" data-testid="batch-export-json" href={run.jsonUrl} download="sift-batch.json">
                Export JSON
              </a>
            </div>
          )}
        </div>
        <footer className="settings-foot">
          <button type="button" className="button primary" data-testid="batch-run" disabled={queries.length === 0 || run.state === 'running'} onClick={() => void start()}>
            Run {queries.length || ''} {queries.length === 1 ? 'query' : 'queries'}
          </button>
        </footer>
      </section>
    </div>
  );
}

function blobUrl(content: string, type: string): string {
  return URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
}
