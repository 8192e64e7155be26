// @ts-check
/**
 * npm's postinstall. Plain JavaScript, so it runs with or without devDependencies:
 * - the models: models/run-prepare.mjs --if-possible (see there);
 * - the web console (apps/console): built by Vite (`npm run build:console`) where Vite is installed, i.e. in a
 *   development install. A production install has no Vite: its console is the one `npm run build` copied into
 *   dist/console, and without a build the gateway answers /console with 503 `console_not_built`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const done = spawnSync(command, args, { stdio: 'inherit' });
  if (done.status !== 0) process.exit(done.status ?? 1);
}

run(process.execPath, [fileURLToPath(new URL('../models/run-prepare.mjs', import.meta.url)), '--if-possible']);

let vite = true;
try {
  import.meta.resolve('vite');
} catch {
  vite = false;
}
// npm sets npm_execpath to its own script while it runs a lifecycle script; run by hand, npm is on PATH.
const npm = process.env.npm_execpath;
if (!vite) console.log('console: not built here (no Vite: devDependencies omitted); a production build carries it in dist/console.');
else if (npm) run(process.execPath, [npm, 'run', 'build:console']);
else run('npm', ['run', 'build:console']);
