#!/usr/bin/env node
// `npm test`: type checks, lint, unit tests, then end-to-end tests. Stops at
// the first failing stage and exits non-zero.
import { spawnSync } from 'node:child_process';

const stages = [
  ['type check', 'npx', ['tsc', '-b']],
  ['lint', 'npx', ['eslint', '.']],
  ['unit tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests', 'npm', ['run', 'test:e2e']],
];

for (const [label, cmd, args] of stages) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  console.log(`=== ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}
