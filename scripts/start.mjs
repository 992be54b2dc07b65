#!/usr/bin/env node
// `npm start` on a fresh clone: install what is missing, build, and serve the
// app (with the cross-origin isolation headers) on PORT, default 4173.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
if (!existsSync('node_modules/.package-lock.json')) run('npm ci --no-audit --no-fund');
run('npm run build');

const port = process.env.PORT ?? '4173';
const server = spawn('npx', ['vite', 'preview', '--port', port, '--strictPort', '--host', '127.0.0.1'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
server.stdout.on('data', (chunk) => process.stdout.write(chunk));
server.on('spawn', () => console.log(`\nSift is starting at http://localhost:${port}\n`));
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
