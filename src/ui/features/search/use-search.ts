import { useEffect, useState } from 'react';
import { getEngine } from '../../../client/engine-client';
import type { SearchHit, SearchOptions } from '../../../engine/search/search-types';

export type SearchState =
  | { state: 'empty' }
  | { state: 'searching'; hits: SearchHit[] }
  | { state: 'done'; hits: SearchHit[]; ms: number }
  | { state: 'error'; message: string };

const DEBOUNCE_MS = 150;

/** Searches as the user types; a newer query always wins over a slower older one. */
export function useSearch(query: string, options: SearchOptions, libraryVersion: number): SearchState {
  const [result, setResult] = useState<SearchState>({ state: 'empty' });
  const optionsKey = JSON.stringify(options);

  useEffect(() => {
    if (query.trim() === '') {
      setResult({ state: 'empty' });
      return;
    }
    let live = true;
    setResult((prev) => ({ state: 'searching', hits: 'hits' in prev ? prev.hits : [] }));
    const timer = setTimeout(() => {
      const started = performance.now();
      getEngine()
        .search(query, JSON.parse(optionsKey) as SearchOptions)
        .then(
          (hits) => live && setResult({ state: 'done', hits, ms: performance.now() - started }),
          (error: Error) => live && setResult({ state: 'error', message: error.message }),
        );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, optionsKey, libraryVersion]);

  return result;
}
