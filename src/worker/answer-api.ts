import { AnswerService, type BatchExport } from '../engine/answers/answer-service';
import { defaultAnswerSettings, type AnswerSettings } from '../engine/answers/answer-settings';
import type { AnswerEvent, ConnectionTest, LlmSettings } from '../engine/rag';
import type { SearchHit } from '../engine/search/search-types';
import type { Sift } from '../engine/sift';

/** Answer events as they cross to the page: errors become plain `{ code, message }`. */
export type WireAnswerEvent =
  | Exclude<AnswerEvent<SearchHit>, { type: 'error' }>
  | { type: 'error'; error: { code: string; message: string }; stage: string };

/** The worker calls for the answer step: settings, asking with streamed events, and batches. */
export function createAnswerApi(open: () => Promise<Sift>) {
  let answers: AnswerService | undefined;
  let asking: AbortController | undefined;
  const answerService = async () => (answers ??= new AnswerService(await open()));
  const answerSettings = async (): Promise<AnswerSettings> => ({
    ...defaultAnswerSettings(),
    ...(await (await open()).getSetting<Partial<AnswerSettings>>('answer')),
  });
  return {
    getAnswerSettings: answerSettings,

    async saveAnswerSettings(settings: AnswerSettings): Promise<void> {
      await (await open()).putSetting('answer', settings);
    },

    async testConnection(llm: LlmSettings): Promise<ConnectionTest> {
      return (await answerService()).testConnection(llm);
    },

    /** Streams events through `onEvent`; resolves when the answer is complete, failed or stopped. */
    async ask(question: string, onEvent: (event: WireAnswerEvent) => void): Promise<void> {
      asking?.abort();
      const controller = (asking = new AbortController());
      // Structured cloning drops an Error's own fields, `code` among them: send errors as plain data.
      const forward = (event: AnswerEvent<SearchHit>) =>
        onEvent(event.type === 'error' ? { ...event, error: { code: event.error.code, message: event.error.message } } : event);
      await (await answerService()).ask(question, await answerSettings(), forward, controller.signal);
    },

    async stopAnswer(): Promise<void> {
      asking?.abort();
    },

    async runBatch(
      queries: string[],
      withAnswers: boolean,
      onProgress?: (p: { phase: 'retrieve' | 'answer'; done: number; total: number }) => void,
    ): Promise<BatchExport> {
      return (await answerService()).batch(queries, await answerSettings(), { withAnswers, onProgress });
    },

  };
}
