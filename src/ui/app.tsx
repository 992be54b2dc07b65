import { useCallback, useMemo, useState } from 'react';
import type { SearchHit } from '../engine/search/search-types';
import { EmptyState } from './components/empty-state';
import { AddFilesButtons } from './features/library/add-files-button';
import { DocumentList } from './features/library/document-list';
import { DropZone } from './features/library/drop-zone';
import { IngestStatus, InterruptedNotice } from './features/library/ingest-status';
import { useLibrary } from './features/library/use-library';
import { ResultList } from './features/search/result-list';
import { useSearch } from './features/search/use-search';
import { NO_FILTERS, SearchFilters, toSearchOptions, type Filters } from './features/search/search-filters';
import { DocumentView, type ViewTarget } from './features/viewer/document-view';
import { useEngineStatus, type EngineStatus } from './hooks/use-engine-status';
import { AnswerPanel } from './features/answer/answer-panel';
import { useAnswer } from './features/answer/use-answer';
import { SettingsPanel } from './features/settings/settings-panel';
import { BatchPanel } from './features/batch/batch-panel';
import { useOnline } from './hooks/use-online';
import { useAppUpdate } from './hooks/use-app-update';
import { OfflineBadge, UpdateBanner } from './components/status-banners';

export function App() {
  const engine = useEngineStatus();
  const ready = engine.state === 'ready';
  const library = useLibrary(ready);
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // Rounded to the minute so "added this week" does not change the cache key on every keystroke.
  const searchOptions = useMemo(() => ({ k: 10, ...toSearchOptions(filters, Math.floor(Date.now() / 60_000) * 60_000) }), [filters]);
  const search = useSearch(query, searchOptions, library.version);
  const [viewing, setViewing] = useState<ViewTarget | undefined>();
  const closeViewer = useCallback(() => setViewing(undefined), []);
  const online = useOnline();
  const answer = useAnswer();
  const [panel, setPanel] = useState<'settings' | 'batch' | undefined>();
  const update = useAppUpdate();
  const openHit = (hit: SearchHit) =>
    setViewing({ docId: hit.docId, passage: { start: hit.start, end: hit.end, headingPath: hit.headingPath, page: hit.page } });

  return (
    <DropZone onFiles={library.addFiles}>
      {update && <UpdateBanner update={update} busy={library.ingest.state === 'working'} />}
      {engine.state === 'ready' && engine.info.modelNotice && (
        <div className="banner" role="status" data-testid="model-notice">
          {engine.info.modelNotice}
        </div>
      )}
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <Logo />
            <span className="brand-name">Sift</span>
            <span className="brand-tag muted">private search, on this device</span>
          </div>
          <div className="topbar-right">
            {!online && <OfflineBadge />}
            <ModelBadge status={engine} />
            <button type="button" className="button small" data-testid="batch-open" onClick={() => setPanel('batch')} disabled={!ready}>
              Batch
            </button>
            <button type="button" className="button small" data-testid="settings" onClick={() => setPanel('settings')} disabled={!ready}>
              Settings
            </button>
          </div>
        </header>

        <aside className="sidebar">
          <div className="sidebar-head">
            <h2>Library</h2>
            <span className="muted small">{library.documents.length} documents</span>
          </div>
          <AddFilesButtons onFiles={library.addFiles} disabled={!ready} />
          {library.interrupted.length > 0 && library.ingest.state !== 'working' && (
            <InterruptedNotice files={library.interrupted} onResume={library.resume} onDiscard={() => void library.discard()} />
          )}
          <IngestStatus view={library.ingest} onCancel={library.cancel} elsewhere={library.elsewhere} />
          <DocumentList
            documents={library.documents}
            onDelete={(id) => void library.remove(id)}
            onOpen={(docId) => setViewing({ docId })}
          />
        </aside>

        <main className="main">
          <form
            className="search-bar"
            onSubmit={(e) => {
              e.preventDefault();
              if (query.trim()) void answer.ask(query.trim());
            }}
          >
            <input
              data-testid="search-input"
              type="search"
              placeholder={library.documents.length ? 'Search your documents…' : 'Add documents, then search them here'}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              autoFocus
              aria-label="Search"
            />
            <button
              type="submit"
              className="button primary ask"
              data-testid="ask-button"
              disabled={!ready || !query.trim() || library.documents.length === 0}
              title="Write an answer from your documents with the language model set in Settings"
            >
              Ask
            </button>
          </form>
          {library.documents.length > 1 && <SearchFilters documents={library.documents} filters={filters} onChange={setFilters} />}
          {answer.view.state !== 'idle' && (
            <AnswerPanel
              view={answer.view}
              onStop={answer.stop}
              onClose={answer.clear}
              onOpenSettings={() => setPanel('settings')}
              onOpenSource={(source) =>
                setViewing({
                  docId: source.docId,
                  passage: { start: source.start, end: source.end, headingPath: source.headingPath, page: source.page },
                })
              }
            />
          )}
          {engine.state === 'error' && <p className="error">Sift could not start: {engine.message}</p>}
          {library.documents.length === 0 && query === '' ? (
            <EmptyState />
          ) : search.state === 'error' ? (
            <p className="error">{search.message}</p>
          ) : search.state === 'empty' ? (
            <p className="muted hint">Type to search {library.documents.length} documents. Search runs entirely in this tab.</p>
          ) : search.hits.length === 0 && search.state === 'done' ? (
            <p className="muted hint">No passages match “{query}”.</p>
          ) : (
            <>
              {search.state === 'done' && (
                <p className="muted small result-count">
                  {search.hits.length} passages · {Math.round(search.ms)} ms
                </p>
              )}
              <ResultList hits={search.hits} onOpen={openHit} />
            </>
          )}
        </main>
      </div>
      {viewing && <DocumentView target={viewing} onClose={closeViewer} />}
      {panel === 'settings' && (
        <SettingsPanel
          online={online}
          onClose={() => {
            setPanel(undefined);
            // The model may have changed (a download, a folder, an adaptation): show the one in use.
            engine.reload();
          }}
          onLibraryChanged={() => void library.refresh()}
        />
      )}
      {panel === 'batch' && <BatchPanel onClose={() => setPanel(undefined)} />}
    </DropZone>
  );
}

function ModelBadge({ status }: { status: EngineStatus }) {
  if (status.state === 'loading') return <span className="badge muted">Loading model…</span>;
  if (status.state === 'error') return <span className="badge error">Engine error</span>;
  const { model } = status.info;
  return (
    <span className="badge" title={`${model.modelId} · ${model.dtype} · ${model.device} · ${model.dim} dimensions`}>
      {model.modelId.split('/').pop()} · {model.device}
    </span>
  );
}

function Logo() {
  return (
    <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M9 11h14M11 16h10M13 21h6" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}
