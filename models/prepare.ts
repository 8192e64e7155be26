/**
 * `npm run models:prepare`: verifies or fetches every model in manifest.json (see packages/models).
 * Runs from npm install too (through run-prepare.mjs), where it must not read the app's full config, so it
 * takes only the locations it needs. `npm run build` bundles it into dist/models-prepare.js, which the
 * production image runs at build time.
 */
import { loadManifest, prepareModels } from '@facerec/models';
import { loadProcessConfig } from '@facerec/config';

const config = loadProcessConfig([]);
const manifest = await loadManifest(config.models.manifestPath);
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
