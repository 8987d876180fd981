/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';

/**
 * The API's OpenAPI document (src/api/openapi.json) without its prose: the app reads only its
 * facts (api/limits.ts), so the bundle need not carry every description (most of the document,
 * compressed). Only text values go: a property named `description` is a schema, and stays.
 */
function openapiWithoutProse(): Plugin {
  const prose = new Set(['description', 'summary', 'title']);
  const strip = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(strip)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([key, member]) => !(prose.has(key) && typeof member === 'string'))
              .map(([key, member]) => [key, strip(member)]),
          )
        : value;
  return {
    name: 'openapi-without-prose',
    // Before Vite's own JSON plugin turns the file into a module.
    enforce: 'pre',
    transform(code, id) {
      return id.endsWith('/src/api/openapi.json') ? { code: JSON.stringify(strip(JSON.parse(code))), map: null } : null;
    },
  };
}

export default defineConfig({
  plugins: [openapiWithoutProse()],
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
