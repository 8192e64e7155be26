/**
 * `npm run models:prepare`: verifies or fetches every model in manifest.json (see packages/models).
 * Runs from npm install too, where it must not read the app's full config, so it takes only the two
 * locations it needs.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifest, prepareModels } from '@facerec/models';
import { loadProcessConfig } from '@facerec/config';

const here = dirname(fileURLToPath(import.meta.url));
const config = loadProcessConfig([]);
const manifest = await loadManifest(resolve(here, 'manifest.json'));
try {
  const outcome = await prepareModels(manifest.models, {
    modelsDir: config.models.dir,
    mirrorDir: config.models.mirror,
    allowDownload: config.models.allowDownload,
    log: (line) => console.log(line),
  });
  console.log(`models: ready in ${config.models.dir} (${Object.entries(outcome).map(([id, o]) => `${id}: ${o}`).join(', ')})`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
