import type { Server } from 'node:http';

export type MirrorMode = 'normal' | 'down' | 'truncate' | 'slow';

export interface MirrorRequest {
  id: number;
  time: number;
  method: string;
  path: string;
  range: string | null;
  status: number;
  outcome: 'ok' | 'dropped' | 'truncated';
}

export interface MirrorState {
  mode: MirrorMode;
  match: string;
  slowDelayMs: number;
  slowChunkBytes: number;
  owners: Record<string, string>;
  requests: MirrorRequest[];
  nextId: number;
}

export interface RunningMirror {
  port: number;
  /** `http://127.0.0.1:<port>/`, ready to use as transformers.js `env.remoteHost`. */
  url: string;
  server: Server;
  state: MirrorState;
  /** Same as `POST /__mode`; `match` limits the mode to paths containing it. */
  setMode(mode: MirrorMode, match?: string): void;
  close(): Promise<void>;
}

export const MODES: readonly MirrorMode[];
export function startMirror(
  options?:
    | number
    | { port?: number; host?: string; owners?: Record<string, string>; slowDelayMs?: number; slowChunkBytes?: number },
): Promise<RunningMirror>;
