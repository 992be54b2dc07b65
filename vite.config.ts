import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { serviceWorker } from './scripts/vite-plugin-service-worker';
import { EMBEDDED_MODELS } from './src/engine/embedding/embedded-models';

// Cross-origin isolation lets onnxruntime-web use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), serviceWorker({ source: 'src/sw/service-worker.ts', embeddedModels: EMBEDDED_MODELS })],
  define: {
    __SIFT_TEST_HOOKS__: JSON.stringify(process.env.SIFT_TEST_HOOKS === '1'),
    // Only the update test sets this, to build "the previous release" with an older database schema.
    __SIFT_SCHEMA_CAP__: process.env.SIFT_SCHEMA_CAP ? String(Number(process.env.SIFT_SCHEMA_CAP)) : 'undefined',
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders, port: Number(process.env.PORT ?? 4173), strictPort: true },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['@huggingface/transformers'],
    include: ['comlink', 'idb'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
