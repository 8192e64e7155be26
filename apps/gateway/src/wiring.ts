import { readFileSync } from 'node:fs';
import type { Config } from '@facerec/config';
import { defaultThreshold, findModel, loadManifest, prepareModels } from '@facerec/models';
import type { GatewayDeps } from './gateway-deps.ts';
import type { Logger } from './logger.ts';
import { FeatureMatcher, type ThresholdSource } from './services/feature-matcher.ts';
import { createLocalFaceExtractor } from './services/local-face-extractor.ts';

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function resolveThreshold(config: Config, embedder: ReturnType<typeof findModel<'embed'>>): ThresholdSource {
  if (config.matchThreshold !== undefined) return { value: config.matchThreshold, source: 'MATCH_THRESHOLD' };
  const calibrated = defaultThreshold(embedder);
  if (calibrated === null || !embedder.thresholds) {
    throw new Error(`Embedder "${embedder.id}" has no calibrated threshold in the manifest; set MATCH_THRESHOLD or run \`npm run bench:accuracy -- --calibrate\`.`);
  }
  const t = embedder.thresholds;
  return { value: calibrated, source: `calibrated at FAR ${t.default.replace('far_1e', '1e-')} on ${t.dataset}` };
}

/**
 * Builds everything the HTTP layer needs from the parsed config. Model files are verified (and fetched from
 * the mirror when missing) before the port opens, so a broken install fails at start with a clear message;
 * the ONNX sessions then load in the background while /health answers 503.
 */
export async function buildGatewayDeps(config: Config, logger: Logger): Promise<GatewayDeps> {
  const manifest = await loadManifest(config.models.manifestPath);
  const detector = findModel(manifest, config.pipeline.detector, 'detect');
  const embedder = findModel(manifest, config.pipeline.embedder, 'embed');
  await prepareModels([detector, embedder], {
    modelsDir: config.models.dir,
    mirrorDir: config.models.mirror,
    allowDownload: config.models.allowDownload,
    log: (line) => logger.info(line),
  });
  const threshold = resolveThreshold(config, embedder);

  // Imported lazily: a fleet-mode gateway never loads onnxruntime or sharp.
  const extractor = createLocalFaceExtractor(async () => {
    const { createThreadedFacePipeline } = await import('@facerec/face');
    return createThreadedFacePipeline({ ...config.pipeline, manifest, modelsDir: config.models.dir });
  }, logger);

  return {
    extractor,
    matcher: new FeatureMatcher(embedder.output_dim, threshold),
    model: { detector: detector.id, embedder: embedder.id, dimension: embedder.output_dim },
    logger,
    maxBodyBytes: config.server.maxBodyBytes,
    version,
  };
}
