// @ts-check
/**
 * What `npm run models:prepare` and npm's postinstall (scripts/postinstall.mjs) run. Plain JavaScript, so it
 * starts wherever Node does, with or without devDependencies:
 * - a development install has tsx and the source: prepare.ts runs from source;
 * - a production install (`npm ci --omit=dev`, or NODE_ENV=production) may have neither: the bundle
 *   dist/models-prepare.js runs, when `npm run build` has made one;
 * - with neither, `--if-possible` (postinstall) says so and lets the install succeed: the image's runtime
 *   stage installs its dependencies before it receives dist/ and the models prepared by its build stage.
 *   Asked for explicitly, preparing is then an error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('./prepare.ts', import.meta.url));
const built = fileURLToPath(new URL('../dist/models-prepare.js', import.meta.url));
const ifPossible = process.argv.includes('--if-possible');

/** @param {string} specifier */
function installed(specifier) {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** @type {string[] | undefined} */
const args = installed('tsx') && existsSync(source) ? ['--import', 'tsx', source] : existsSync(built) ? [built] : undefined;
if (!args) {
  const why = 'models: not prepared: neither the source (models/prepare.ts) with tsx to run it nor a build (dist/models-prepare.js) is here';
  const fix = 'run `npm run build` where devDependencies are installed, then `npm run models:prepare`';
  if (ifPossible) {
    console.log(`${why}; ${fix} before starting the service.`);
    process.exit(0);
  }
  console.error(`${why}.\nFix: ${fix}.`);
  process.exit(1);
}
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
