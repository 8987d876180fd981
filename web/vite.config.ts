/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// No React plugin: esbuild compiles JSX itself, and the app needs nothing else from a plugin
// (no fast refresh in `npm run dev`; a reload is enough).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    // The API serves web/dist at / (APP_HTTP__WEB_DIR); hashed files under /assets/ are cached
    // for a year.
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      onwarn(warning, warn) {
        // TanStack Query marks its modules "use client" (for React Server Components); a
        // client-only bundle has nothing to do with it.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'SOURCEMAP_ERROR') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm run dev` against `scripts/dev`'s API: same origin for the browser, as in production.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
