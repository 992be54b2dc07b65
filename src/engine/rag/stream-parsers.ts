/**
 * Incremental parsers for the two streaming formats. Network chunks split
 * lines anywhere (even between `\r` and `\n`), so both keep the unfinished
 * tail and only act on complete lines.
 */

export interface SseEvent {
  event?: string;
  data: string;
}

export interface LineParser {
  push(text: string): void;
  /** Flushes a last line that had no terminator. */
  end(): void;
}

/** Splits text into lines on `\n`, `\r\n` or `\r`, across any chunking. */
export function createLineSplitter(onLine: (line: string) => void): LineParser {
  let buffer = '';
  const drain = (final: boolean) => {
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      if (ch === 13) {
        // A `\r` at the very end may be the first half of `\r\n`: wait for more.
        if (i === buffer.length - 1 && !final) break;
        onLine(buffer.slice(start, i));
        if (buffer.charCodeAt(i + 1) === 10) i++;
      } else {
        onLine(buffer.slice(start, i));
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
    if (final && buffer.length > 0) {
      onLine(buffer);
      buffer = '';
    }
  };
  return { push: (text) => { buffer += text; drain(false); }, end: () => drain(true) };
}

/**
 * Server-sent events per the HTML spec's parsing rules: `data:` lines are
 * joined with `\n`, a blank line dispatches, lines starting with `:` are
 * comments (keep-alives). A final event without its blank line is still
 * dispatched, since some servers close right after the last `data:` line.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): LineParser {
  let data: string[] = [];
  let eventName: string | undefined;
  const dispatch = () => {
    if (data.length > 0) onEvent(eventName === undefined ? { data: data.join('\n') } : { event: eventName, data: data.join('\n') });
    data = [];
    eventName = undefined;
  };
  const lines = createLineSplitter((line) => {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') eventName = value;
  });
  return {
    push: (text) => lines.push(text),
    end: () => {
      lines.end();
      dispatch();
    },
  };
}

/** Newline-delimited JSON: one value per non-blank line. */
export function createNdjsonParser(onValue: (value: unknown) => void, onInvalid: (line: string) => void): LineParser {
  return createLineSplitter((line) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      onInvalid(trimmed);
      return;
    }
    onValue(value);
  });
}
