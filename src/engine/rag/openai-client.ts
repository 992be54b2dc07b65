/**
 * OpenAI-compatible chat completions (llama.cpp's llama-server, LM Studio,
 * vLLM, hosted APIs): `POST /chat/completions` streamed as server-sent events,
 * one `chat.completion.chunk` per `data:` line, ending with `data: [DONE]`.
 */
import type { ChatMessage, ChatOptions, ChatResult, LlmClient } from './llm-client';
import { badResponseError, serverMessage, testByListing } from './llm-errors';
import type { ResolvedLlmSettings } from './llm-settings';
import { readBody, readWhole, sendRequest, withDeadlines, type FetchLike } from './llm-transport';
import { createSseParser } from './stream-parsers';

interface ChunkChoice {
  delta?: { content?: unknown };
  message?: { content?: unknown };
  finish_reason?: unknown;
}

export function createOpenAiClient(settings: ResolvedLlmSettings, fetchImpl: FetchLike): LlmClient {
  const malformed = (what: string) =>
    badResponseError(
      `The answer server at ${settings.baseUrl} sent something Sift could not read (${what}). Check that the provider type in Settings matches the server.`,
      { provider: 'openai', baseUrl: settings.baseUrl },
    );

  async function chat(messages: ChatMessage[], options: ChatOptions): Promise<ChatResult> {
    return withDeadlines(settings, options.signal, async (deadlines) => {
      const body: Record<string, unknown> = {
        model: settings.model,
        messages,
        stream: true,
        temperature: settings.temperature,
      };
      if (settings.maxTokens !== undefined) body.max_tokens = settings.maxTokens;
      const response = await sendRequest(settings, fetchImpl, deadlines, { method: 'POST', path: '/chat/completions', body });
      const contentType = response.headers.get('content-type') ?? '';
      if (/text\/html/i.test(contentType)) throw malformed('a web page instead of an API reply; the address may be wrong');
      let text = '';
      let finishReason: string | undefined;
      const emit = (piece: unknown) => {
        if (typeof piece !== 'string' || piece === '') return;
        text += piece;
        deadlines.markToken();
        options.onToken(piece);
      };

      if (/application\/json/i.test(contentType)) {
        // The server ignored `stream: true` and sent the whole completion.
        const whole = parseJson(await readWhole(settings, response, deadlines));
        if (whole === undefined) throw malformed('invalid JSON');
        const error = streamError(whole);
        if (error) throw badResponseError(`The answer server reported an error: "${error}"`, { provider: 'openai' });
        const choice = firstChoice(whole);
        if (!choice) throw malformed('no choices in the reply');
        emit(choice.message?.content);
        finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : 'stop';
        return { text, finishReason };
      }

      let done = false;
      let sawFinish = false;
      const parser = createSseParser((event) => {
        if (done) return;
        if (event.data.trim() === '[DONE]') {
          done = true;
          return;
        }
        const json = parseJson(event.data);
        if (json === undefined) throw malformed('a stream line that is not JSON');
        const error = streamError(json);
        if (error || event.event === 'error') {
          throw badResponseError(`The answer server reported an error while answering: "${error ?? 'unknown error'}"`, { provider: 'openai' });
        }
        const choice = firstChoice(json);
        if (!choice) return;
        emit(choice.delta?.content);
        if (typeof choice.finish_reason === 'string') {
          finishReason = choice.finish_reason;
          sawFinish = true;
        }
      });
      await readBody(settings, response, deadlines, (chunk) => parser.push(chunk));
      parser.end();
      if (!done && !sawFinish) {
        throw badResponseError(
          text
            ? `The answer from ${settings.baseUrl} stopped part-way (the stream ended without finishing). Try again.`
            : `The server at ${settings.baseUrl} ended its reply without an answer. Check the address and the provider type in Settings.`,
          { provider: 'openai', baseUrl: settings.baseUrl, partialText: text.length > 0 },
        );
      }
      return { text, finishReason };
    });
  }

  async function listModels(signal?: AbortSignal): Promise<string[]> {
    return withDeadlines(settings, signal, async (deadlines) => {
      const response = await sendRequest(settings, fetchImpl, deadlines, { method: 'GET', path: '/models' });
      const json = parseJson(await readWhole(settings, response, deadlines)) as { data?: unknown } | undefined;
      if (!json || !Array.isArray(json.data)) throw malformed('the model list is not in the OpenAI format');
      return json.data
        .map((entry: unknown) => (entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined))
        .filter((id): id is string => typeof id === 'string');
    });
  }

  return { chat, listModels, testConnection: () => testByListing(listModels) };

  function streamError(json: unknown): string | undefined {
    if (!json || typeof json !== 'object' || !(json as { error?: unknown }).error) return undefined;
    return serverMessage(JSON.stringify(json), settings.apiKey) ?? 'unknown error';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function firstChoice(json: unknown): ChunkChoice | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const choices = (json as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  const choice = choices[0] as unknown;
  return choice && typeof choice === 'object' ? (choice as ChunkChoice) : undefined;
}
