import type { DocumentSummary } from '../../../engine/collection/collection-state';

export function DocumentList({
  documents,
  onDelete,
  onOpen,
}: {
  documents: DocumentSummary[];
  onDelete: (id: number) => void;
  onOpen: (id: number) => void;
}) {
  if (documents.length === 0) return <p className="muted small">No documents yet.</p>;
  return (
    <ul className="doc-list">
      {documents.map((doc) => (
        <li
          key={doc.id}
          className="doc-item"
          data-testid="doc-item"
          data-status={doc.status}
          title={doc.warnings?.length ? doc.warnings.join('\n') : undefined}
        >
          <button type="button" className="doc-open" onClick={() => onOpen(doc.id)} title={doc.path}>
            <span className={`doc-type type-${doc.type}`}>{doc.type || '?'}</span>
            <span className="doc-name">{doc.name}</span>
          </button>
          <span className="doc-meta muted">
            {doc.chunkCount} {doc.chunkCount === 1 ? 'passage' : 'passages'}
            {doc.pages !== undefined && ` · ${doc.pages} ${doc.pages === 1 ? 'page' : 'pages'}`}
            {doc.status === 'indexing' && ' · indexing'}
            {doc.warnings?.length ? <span className="warn"> · {doc.warnings.length === 1 ? 'note' : `${doc.warnings.length} notes`}</span> : null}
          </span>
          <button
            type="button"
            className="icon-button"
            data-testid="doc-delete"
            aria-label={`Delete ${doc.name}`}
            title={`Delete ${doc.name}`}
            onClick={() => {
              if (confirmDelete(doc.name)) onDelete(doc.id);
            }}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

function confirmDelete(name: string): boolean {
  // `confirm` blocks the page; tests and keyboard users get a plain dialog they can accept.
  return window.confirm(`Remove “${name}” from your library? The original file is not touched.`);
}
