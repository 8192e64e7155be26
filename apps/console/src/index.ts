import { fileURLToPath } from 'node:url';

/**
 * Where the console's static files are. From source: apps/console/dist/, where `npm run build:console` (run by
 * postinstall) puts them; git-ignored. From a production bundle (`npm run build`, dist/<app>.js): dist/console/,
 * where the build copies them, so dist/ runs on its own.
 */
export const consoleAssetsDir = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../dist/' : './console/', import.meta.url));

/** The path the gateway serves the console under; the Vite build uses the same base. */
export const CONSOLE_BASE = '/console/';
