import type { Server } from 'node:http';

export type MockMode = 'normal' | 'down' | '401' | '429' | '500' | 'hang' | 'slow' | 'malformed' | 'xss' | 'nocors';

export interface RecordedRequest {
  id: number;
  time: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  origin: string | null;
  authorization: string | null;
  body: unknown;
}

export interface MockState {
  mode: MockMode;
  apiKey: string | undefined;
  slowDelayMs: number;
  requests: RecordedRequest[];
  nextId: number;
}

export interface RunningMockServer {
  port: number;
  url: string;
  server: Server;
  state: MockState;
  close(): Promise<void>;
}

export const MODES: readonly MockMode[];
export const MOCK_MODELS: readonly string[];
export const XSS_PAYLOAD: string;
export function startServer(options?: number | { port?: number; host?: string; slowDelayMs?: number }): Promise<RunningMockServer>;
export function parseSources(prompt: string): Array<{ n: number; text: string }>;
export function composeAnswer(prompt: string, mode?: MockMode): string;
