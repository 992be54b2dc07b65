import { useCallback, useRef, useState } from 'react';
import { callback, getEngine } from '../../../client/engine-client';
import type { AnswerSource } from '../../../engine/rag';
import type { WireAnswerEvent } from '../../../worker/answer-api';
import type { SearchHit } from '../../../engine/search/search-types';

export type AnswerView =
  | { state: 'idle' }
  | {
      state: 'streaming' | 'done' | 'error' | 'stopped';
      question: string;
      text: string;
      sources: AnswerSource<SearchHit>[];
      citedSources: number[];
      cached?: boolean;
      error?: { code: string; message: string };
    };

/** One answer at a time: asking again stops the previous one. */
export function useAnswer() {
  const [view, setView] = useState<AnswerView>({ state: 'idle' });
  const live = useRef(0);

  const ask = useCallback(async (question: string) => {
    const run = ++live.current;
    setView({ state: 'streaming', question, text: '', sources: [], citedSources: [] });
    const update = (fn: (v: Extract<AnswerView, { question: string }>) => AnswerView) =>
      setView((v) => (run === live.current && v.state !== 'idle' ? fn(v) : v));
    const onEvent = (event: WireAnswerEvent) => {
      switch (event.type) {
        case 'sources':
          return update((v) => ({ ...v, sources: event.sources }));
        case 'token':
          return update((v) => ({ ...v, text: v.text + event.text }));
        case 'done':
          return update((v) => ({ ...v, state: 'done', text: event.text, citedSources: event.citedSources, cached: event.cached }));
        case 'error': {
          const { code, message } = event.error;
          return update((v) => ({ ...v, state: code === 'CANCELLED' ? 'stopped' : 'error', error: { code, message } }));
        }
      }
    };
    try {
      await getEngine().ask(question, callback(onEvent));
    } catch (error) {
      const e = error as Error & { code?: string };
      update((v) => ({ ...v, state: 'error', error: { code: e.code ?? 'ERROR', message: e.message } }));
    }
  }, []);

  const stop = useCallback(() => void getEngine().stopAnswer(), []);
  const clear = useCallback(() => {
    live.current++;
    setView({ state: 'idle' });
  }, []);

  return { view, ask, stop, clear };
}
