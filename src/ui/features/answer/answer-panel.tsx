import type { AnswerSource } from '../../../engine/rag';
import type { SearchHit } from '../../../engine/search/search-types';
import { AnswerMarkdown } from './answer-markdown';
import type { AnswerView } from './use-answer';

export function AnswerPanel({
  view,
  onStop,
  onClose,
  onOpenSource,
  onOpenSettings,
}: {
  view: Exclude<AnswerView, { state: 'idle' }>;
  onStop: () => void;
  onClose: () => void;
  onOpenSource: (source: AnswerSource<SearchHit>) => void;
  onOpenSettings: () => void;
}) {
  const { sources } = view;
  const citation = (n: number, key: string) => {
    const source = sources[n - 1];
    if (!source) return <span key={key}>[{n}]</span>;
    return (
      <button
        key={key}
        type="button"
        className="citation"
        data-testid="citation"
        data-source={n}
        title={`${source.docName}${source.page !== undefined ? `, page ${source.page}` : ''}`}
        onClick={() => onOpenSource(source)}
      >
        {n}
      </button>
    );
  };

  return (
    <section className="answer-panel" aria-live="polite">
      <header className="answer-head">
        <span className="answer-label">Answer</span>
        <span className="muted small answer-question">{view.question}</span>
        {view.state === 'streaming' ? (
          <button type="button" className="button small" data-testid="answer-stop" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="button" className="icon-button" aria-label="Close answer" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <div className="answer" data-testid="answer" data-state={view.state}>
        {view.text && <AnswerMarkdown text={view.text} renderCitation={citation} />}
        {view.state === 'streaming' && !view.text && <p className="muted">{sources.length ? 'Waiting for the model…' : 'Finding sources…'}</p>}
        {view.state === 'streaming' && view.text && <span className="cursor" aria-hidden="true" />}
        {view.state === 'stopped' && <p className="muted small">Stopped.</p>}
        {view.state === 'done' && view.citedSources.length === 0 && sources.length > 0 && (
          <p className="answer-note" data-testid="answer-uncited">
            This answer cites none of the sources below, so nothing in it is backed by your documents.
          </p>
        )}
        {view.state === 'done' && view.cached && <p className="muted small">From cache.</p>}
        {view.state === 'error' && view.error && (
          <div className="answer-error" data-testid="answer-error" data-code={view.error.code}>
            <p>{view.error.message}</p>
            {['LLM_UNREACHABLE', 'LLM_UNAUTHORIZED'].includes(view.error.code) && (
              <button type="button" className="button small" onClick={onOpenSettings}>
                Check the answer settings
              </button>
            )}
          </div>
        )}
      </div>
      {sources.length > 0 && (
        <ol className="answer-sources">
          {sources.map((source) => (
            <li key={source.n} data-cited={view.citedSources.includes(source.n)}>
              <button type="button" className="source-link" onClick={() => onOpenSource(source)}>
                <span className="source-n">{source.n}</span>
                <span>{source.docName}</span>
                {source.page !== undefined && <span className="muted small">p. {source.page}</span>}
                {source.headingPath.length > 0 && <span className="muted small">{source.headingPath.join(' › ')}</span>}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
