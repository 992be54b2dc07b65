import type { IngestView } from './use-library';

export function InterruptedNotice({
  files,
  onResume,
  onDiscard,
}: {
  files: { name: string; path: string }[];
  onResume: () => void;
  onDiscard: () => void;
}) {
  return (
    <div className="notice" data-testid="interrupted-files">
      <p>
        Indexing stopped before {files.length === 1 ? 'this file was' : `these ${files.length} files were`} finished (the
        tab was closed, or storage ran out). Nothing half-done was kept.
      </p>
      <p className="muted small notice-files">{files.map((f) => f.path).join(', ')}</p>
      <div className="add-files">
        <button type="button" className="button primary small" data-testid="resume-ingest" onClick={onResume}>
          Resume indexing
        </button>
        <button type="button" className="button small" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </div>
  );
}

export function IngestStatus({ view, onCancel, elsewhere }: { view: IngestView; onCancel: () => void; elsewhere: boolean }) {
  return (
    <section className="ingest" aria-live="polite">
      {(elsewhere || view.waiting) && (
        <p className="muted small" data-testid="indexing-elsewhere">
          <span className="spinner" aria-hidden="true" /> Another tab is indexing into this library.
          {view.waiting ? ' This tab will start when it finishes.' : ' New documents appear here when it finishes.'}
        </p>
      )}
      <div className="ingest-status" data-testid="ingest-status" data-state={view.state}>
        {view.state === 'working' && <WorkingLine view={view} onCancel={onCancel} />}
        {view.state === 'done' && <DoneLine view={view} />}
      </div>
      {view.failures.length > 0 && (
        <ul className="ingest-errors">
          {view.failures.map((failure, i) => (
            <li key={`${failure.name}-${i}`} className="ingest-error" data-testid="ingest-error" data-code={failure.code}>
              <strong>{failure.name}</strong>
              <span>{failure.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function WorkingLine({ view, onCancel }: { view: IngestView; onCancel: () => void }) {
  const fileNumber = Math.min(view.fileIndex + 1, Math.max(view.fileCount, 1));
  const fraction = view.fileCount > 0 ? (view.fileIndex + (view.chunkCount ? view.chunksDone / view.chunkCount : 0)) / view.fileCount : 0;
  return (
    <>
      <div className="ingest-line">
        <span className="spinner" aria-hidden="true" />
        <span>
          Indexing file {fileNumber} of {view.fileCount}
          {view.currentFile && <span className="muted"> · {view.currentFile}</span>}
          {view.chunkCount > 0 && (
            <span className="muted">
              {' '}
              · {view.chunksDone}/{view.chunkCount} chunks
            </span>
          )}
          {view.etaMs !== undefined && <span className="muted"> · {formatEta(view.etaMs)}</span>}
        </span>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <progress max={1} value={fraction} aria-label="Indexing progress" />
    </>
  );
}

function DoneLine({ view }: { view: IngestView }) {
  const quota = view.failures.some((f) => f.code === 'QUOTA_EXCEEDED');
  const parts = [`${view.added} added`];
  if (view.skipped.length) parts.push(`${view.skipped.length} skipped`);
  if (view.failures.length) parts.push(`${view.failures.length} could not be read`);
  return (
    <div className="ingest-line">
      <span>
        {view.cancelled ? 'Indexing cancelled' : 'Indexing finished'}: {parts.join(', ')}.
        {view.resumed > 0 && ` Resumed ${view.resumed} file(s) interrupted earlier.`}
      </span>
      {quota && (
        <span className="error" data-testid="quota-message">
          The browser&apos;s storage for this site is full. Everything indexed so far is kept; the remaining files are
          queued. Delete documents you no longer need (or free disk space), then choose Resume.
        </span>
      )}
      {view.skipped.length > 0 && (
        <span className="muted" title={view.skipped.map((s) => `${s.name}: ${s.reason}`).join('\n')}>
          {' '}
          (skipped: {view.skipped.map((s) => s.name).join(', ')})
        </span>
      )}
    </div>
  );
}

function formatEta(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 5) return 'almost done';
  if (seconds < 90) return `about ${seconds} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}
