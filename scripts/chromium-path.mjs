import { existsSync } from 'node:fs';

/** The system Chromium to test with, or undefined to let Playwright use its own. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => p && existsSync(p));
}

/** Launch flags for Debian's Chromium in tests and benchmarks (see ../shared/ENVIRONMENT.md); pair with a fresh profile. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
