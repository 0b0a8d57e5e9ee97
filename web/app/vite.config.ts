// The browser app: built into dist/app, which `kubelog serve` serves. `npm run dev:web` proxies
// /api to a running `kubelog serve` (KUBELOG_API, default http://127.0.0.1:7780).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/app', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': process.env.KUBELOG_API ?? 'http://127.0.0.1:7780' },
  },
});
