import { useEffect, useRef, useState } from 'react';
import { getEngine } from '../../../client/engine-client';
import type { DocumentRecord } from '../../../engine/storage/records';
import { HighlightedText } from '../../components/highlighted-text';

export interface ViewTarget {
  docId: number;
  passage?: { start: number; end: number; headingPath?: string[]; page?: number };
}

/** Shows a document's text with one passage highlighted and scrolled into view. */
export function DocumentView({ target, onClose }: { target: ViewTarget; onClose: () => void }) {
  const [doc, setDoc] = useState<DocumentRecord | undefined>();
  const [error, setError] = useState<string | undefined>();
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    getEngine()
      .getDocument(target.docId)
      .then(
        (d) => live && setDoc(d),
        (e: Error) => live && setError(e.message),
      );
    return () => {
      live = false;
    };
  }, [target.docId]);

  useEffect(() => {
    body.current?.querySelector('mark')?.scrollIntoView({ block: 'center' });
  }, [doc, target]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const passage = target.passage;
  return (
    <div className="viewer-backdrop" onClick={onClose}>
      <article className="viewer" data-testid="doc-view" role="dialog" aria-modal="true" onClick={(e) => e.stopPropagation()}>
        <header className="viewer-head">
          <div>
            <h2>{doc?.name ?? 'Loading…'}</h2>
            {passage && (
              <p className="muted small">
                {passage.page !== undefined && `Page ${passage.page}`}
                {passage.page !== undefined && passage.headingPath?.length ? ' · ' : ''}
                {passage.headingPath?.join(' › ')}
              </p>
            )}
          </div>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close document">
            ×
          </button>
        </header>
        <div className="viewer-body" ref={body}>
          {error && <p className="error">{error}</p>}
          {doc && (
            <pre className="doc-text">
              <HighlightedText
                text={doc.text}
                highlights={passage ? [passage] : []}
                markProps={{ 'data-testid': 'passage-highlight' }}
              />
            </pre>
          )}
        </div>
      </article>
    </div>
  );
}
