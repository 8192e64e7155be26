import { fileURLToPath } from 'node:url';

/** Where `npm run build:console` (run by postinstall) puts the console's static files; git-ignored. */
export const consoleAssetsDir = fileURLToPath(new URL('../dist/', import.meta.url));

/** The path the gateway serves the console under; the Vite build uses the same base. */
export const CONSOLE_BASE = '/console/';
