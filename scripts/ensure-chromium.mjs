#!/usr/bin/env node
// Makes sure a Chromium exists for the end-to-end tests, installing it the
// normal way for the platform: Debian's package where apt exists (Playwright's
// own browser download is not reachable everywhere), Playwright's otherwise.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium-path.mjs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

if (chromiumPath()) process.exit(0);

if (existsSync('/usr/bin/apt-get')) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  console.log('Chromium is missing: installing Debian\'s chromium package…');
  run(`${sudo}apt-get update -qq`);
  run(`${sudo}apt-get install -y -qq chromium`);
} else {
  console.log('Chromium is missing: installing Playwright\'s Chromium…');
  run('npx playwright install chromium');
}
if (!chromiumPath()) {
  console.error('Could not install Chromium. Install it yourself, or set CHROMIUM_PATH.');
  process.exit(1);
}
