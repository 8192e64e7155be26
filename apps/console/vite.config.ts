import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Builds web/ into dist/, served by the gateway under /console/ (see apps/gateway/src/routes/console.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // One small script and stylesheet; nothing is fetched from anywhere but the gateway.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
