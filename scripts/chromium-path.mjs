import { existsSync } from 'node:fs';

/** The system Chromium to test with, or undefined to let Playwright use its own. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => p && existsSync(p));
}
