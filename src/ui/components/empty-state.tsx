import { ACCEPTED_TYPES } from '../features/library/add-files-button';

export function EmptyState() {
  return (
    <div className="empty-state">
      <div className="empty-illustration" aria-hidden="true">
        <svg width="72" height="72" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.2">
          <path d="M7 3h7l5 5v13a1 1 0 01-1 1H7a1 1 0 01-1-1V4a1 1 0 011-1z" />
          <path d="M14 3v5h5" />
          <circle cx="11.5" cy="14.5" r="3" />
          <path d="M13.7 16.7L16 19" strokeLinecap="round" />
        </svg>
      </div>
      <h1>Search your documents, privately</h1>
      <p>
        Drop files or whole folders anywhere on this page, or use <strong>Add files</strong>. Sift reads them in this
        browser tab and builds a semantic index on this device. Nothing is uploaded, and it keeps working offline.
      </p>
      <p className="muted small">Supported: {ACCEPTED_TYPES.split(',').join(' ')}</p>
    </div>
  );
}
