import { DEFAULT_TEMPLATE, defaultLlmSettings, type LlmSettings } from '../rag';

/** Everything the answer step is configured with; stored in the collection's database, never sent anywhere else. */
export interface AnswerSettings {
  llm: LlmSettings;
  /** The prompt template, with `{{sources}}` and `{{question}}`. */
  template: string;
  /** Tokens the prompt may use, sources included. */
  tokenBudget: number;
  /** Passages retrieved and offered to the prompt before the budget trims them. */
  maxSources: number;
}

export function defaultAnswerSettings(): AnswerSettings {
  return { llm: defaultLlmSettings('ollama'), template: DEFAULT_TEMPLATE, tokenBudget: 3000, maxSources: 8 };
}

/** A rough count for budgeting when no tokenizer is at hand: English averages about four characters a token. */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
