/**
 * Ollama's native API: `POST /api/chat` streamed as newline-delimited JSON,
 * each line `{ message: { content }, done }`, the last with `done: true`.
 */
import type { ChatMessage, ChatOptions, ChatResult, LlmClient } from './llm-client';
import { badResponseError, serverMessage, testByListing } from './llm-errors';
import type { ResolvedLlmSettings } from './llm-settings';
import { readBody, readWhole, sendRequest, withDeadlines, type FetchLike } from './llm-transport';
import { createNdjsonParser } from './stream-parsers';

interface OllamaLine {
  message?: { content?: unknown };
  done?: unknown;
  done_reason?: unknown;
  error?: unknown;
}

export function createOllamaClient(settings: ResolvedLlmSettings, fetchImpl: FetchLike): LlmClient {
  const malformed = (what: string) =>
    badResponseError(
      `Ollama at ${settings.baseUrl} sent something Sift could not read (${what}). Check that the provider type in Settings matches the server.`,
      { provider: 'ollama', baseUrl: settings.baseUrl },
    );

  async function chat(messages: ChatMessage[], options: ChatOptions): Promise<ChatResult> {
    return withDeadlines(settings, options.signal, async (deadlines) => {
      const modelOptions: Record<string, unknown> = { temperature: settings.temperature };
      if (settings.maxTokens !== undefined) modelOptions.num_predict = settings.maxTokens;
      const response = await sendRequest(settings, fetchImpl, deadlines, {
        method: 'POST',
        path: '/api/chat',
        body: { model: settings.model, messages, stream: true, options: modelOptions },
      });
      const contentType = response.headers.get('content-type') ?? '';
      if (/text\/html/i.test(contentType)) throw malformed('a web page instead of an API reply; the address may be wrong');
      let text = '';
      let finishReason: string | undefined;
      let done = false;
      const parser = createNdjsonParser(
        (value) => {
          if (done) return;
          if (!value || typeof value !== 'object') throw malformed('a stream line that is not an object');
          const line = value as OllamaLine;
          if (line.error) {
            const said = serverMessage(JSON.stringify(line), settings.apiKey) ?? 'unknown error';
            throw badResponseError(`Ollama reported an error while answering: "${said}"`, { provider: 'ollama' });
          }
          const piece = line.message?.content;
          if (typeof piece === 'string' && piece !== '') {
            text += piece;
            deadlines.markToken();
            options.onToken(piece);
          }
          if (line.done === true) {
            done = true;
            finishReason = typeof line.done_reason === 'string' ? line.done_reason : 'stop';
          }
        },
        () => {
          throw malformed('a stream line that is not JSON');
        },
      );
      await readBody(settings, response, deadlines, (chunk) => parser.push(chunk));
      parser.end();
      if (!done) {
        throw badResponseError(
          text
            ? `The answer from Ollama stopped part-way (the stream ended without finishing). Try again.`
            : `Ollama at ${settings.baseUrl} ended its reply without an answer. Check the address and the provider type in Settings.`,
          { provider: 'ollama', baseUrl: settings.baseUrl, partialText: text.length > 0 },
        );
      }
      return { text, finishReason };
    });
  }

  async function listModels(signal?: AbortSignal): Promise<string[]> {
    return withDeadlines(settings, signal, async (deadlines) => {
      const response = await sendRequest(settings, fetchImpl, deadlines, { method: 'GET', path: '/api/tags' });
      const raw = await readWhole(settings, response, deadlines);
      let json: { models?: unknown } | undefined;
      try {
        json = JSON.parse(raw) as { models?: unknown };
      } catch {
        throw malformed('invalid JSON');
      }
      if (!json || !Array.isArray(json.models)) throw malformed('the model list is not in the Ollama format');
      return json.models
        .map((entry: unknown) => {
          if (!entry || typeof entry !== 'object') return undefined;
          const { name, model } = entry as { name?: unknown; model?: unknown };
          return typeof name === 'string' ? name : model;
        })
        .filter((name): name is string => typeof name === 'string');
    });
  }

  return { chat, listModels, testConnection: () => testByListing(listModels) };
}
