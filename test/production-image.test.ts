/**
 * The production image, built the way infra/Dockerfile builds it, without a Docker engine (none runs on the CI
 * machines): support/dockerfile-replay.ts replays every stage in an empty folder (the context filtered by
 * .dockerignore, `npm ci` with devDependencies, whose postinstall builds the console, and `npm run build:bundles`
 * in the build stage, `npm ci --omit=dev` under NODE_ENV=production in the runtime stage), then the image's CMD starts, with plain `node` from the
 * runtime stage's folder, a gateway and a worker by ROLE on the real Redis (a key prefix of their own) and
 * the default single process, and each extracts a face from a real photo.
 *
 * The replay costs about a minute on a 2-core machine, nearly all of it the two installs out of npm's cache.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosineSimilarity } from '@facerec/face';
import { findModel, loadManifest } from '@facerec/models';
import { createRedisTestPrefix, type RedisTestPrefix } from '@facerec/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildService, type Launch, startChildService, startChildWorker } from './support/child-service.ts';
import { type ReplayedImage, replayDockerfile } from './support/dockerfile-replay.ts';
import { facescrubSample } from './support/jobs-client.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const photo = facescrubSample(1)[0]!;

let into: string;
let image: ReplayedImage;
/** Deleting the build stage's node_modules takes as long as installing them here: it runs while the tests do. */
let removingBuildStages: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  into = mkdtempSync(join(tmpdir(), 'facerec-image-'));
  const started = performance.now();
  image = await replayDockerfile({ dockerfile: join(repoRoot, 'infra/Dockerfile'), context: repoRoot, into });
  const took = image.steps.filter((s) => s.ms >= 1000).map((s) => `${s.stage}: ${s.instruction.slice(0, 60)} ${(s.ms / 1000).toFixed(1)} s`);
  console.log(`infra/Dockerfile replayed in ${into} in ${((performance.now() - started) / 1000).toFixed(1)} s:\n  ${took.join('\n  ')}`);
  const intermediate = Object.values(image.stages).filter((dir) => dir !== image.root);
  removingBuildStages = Promise.all(intermediate.map((dir) => rm(dir, { recursive: true, force: true })));
}, 600_000);

afterAll(async () => {
  await removingBuildStages;
  if (into) await rm(into, { recursive: true, force: true });
});

/** The image's CMD as the container runs it: its own folder, its own ENV, nothing of this process's. */
function imageCommand(): Launch {
  const [bin, ...args] = image.cmd;
  expect(bin).toBe('node');
  return { cwd: image.root, args, env: { PATH: process.env.PATH ?? '', ...image.env } };
}

async function extract(url: string): Promise<{ status: number; body: Record<string, any> }> {
  const form = new FormData();
  form.append('image', new Blob([photo.bytes]), 'face.jpg');
  const res = await fetch(`${url}/api/extract_feature`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function expectFace(url: string): Promise<number[]> {
  const { status, body } = await extract(url);
  expect({ status, success: body.success }).toEqual({ status: 200, success: true });
  expect(body.face_count).toBeGreaterThanOrEqual(1);
  const manifest = await loadManifest(join(repoRoot, 'models/manifest.json'));
  expect(body.feature).toHaveLength(findModel(manifest, body.model.embedder, 'embed').output_dim);
  return body.feature as number[];
}

describe('the runtime stage', () => {
  it('holds production dependencies, the compiled bundles and the verified models, and no TypeScript to run', async () => {
    expect(image.env.NODE_ENV).toBe('production');
    expect(image.user).toBe('1000:1000');
    expect(image.exposed).toEqual(['8000']);
    const nodeModules = join(image.root, 'node_modules');
    // Nothing npm marks as a devDependency (reached only through devDependencies): vitest, vite, playwright-core, ….
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => p.dev && path.startsWith('node_modules/'));
    expect(devOnly.length).toBeGreaterThan(50);
    expect(devOnly.map(([path]) => path).filter((path) => existsSync(join(image.root, path)))).toEqual([]);
    for (const runtime of ['onnxruntime-node', 'sharp', 'bullmq', 'hono', 'swagger-ui-dist']) expect(existsSync(join(nodeModules, runtime)), runtime).toBe(true);
    expect(readdirSync(join(nodeModules, 'onnxruntime-node/bin/napi-v6'))).toEqual(['linux']);
    // Workspace folders hold their package.json (and node_modules where npm nests a version): the code they had
    // is compiled into dist/.
    for (const group of ['packages', 'apps']) {
      for (const ws of readdirSync(join(image.root, group))) {
        expect(readdirSync(join(image.root, group, ws)).filter((f) => f !== 'node_modules'), `${group}/${ws}`).toEqual(['package.json']);
      }
    }
    expect(readdirSync(join(image.root, 'dist')).filter((f) => f.endsWith('.js')).sort()).toEqual(['gateway.js', 'inference-worker.js', 'models-prepare.js', 'pipeline-worker.js', 'worker.js']);
    expect(existsSync(join(image.root, 'dist/console/index.html'))).toBe(true);
    const manifest = await loadManifest(join(image.root, 'models/manifest.json'));
    for (const m of manifest.models) expect(existsSync(join(image.root, 'models', m.file)), m.file).toBe(true);
  });
});

describe('the image started as a fleet: ROLE=gateway and ROLE=worker on Redis', () => {
  let ns: RedisTestPrefix;
  let gateway: ChildService | undefined;
  let worker: ChildService | undefined;
  let fleetFeature: number[];

  beforeAll(async () => {
    ns = await createRedisTestPrefix(REDIS_URL);
    const shared = { REDIS_URL, QUEUE_PREFIX: ns.prefix };
    [gateway, worker] = await Promise.all([
      // DATA_DIR is the image's own default (/app/data, its WORKDIR's data/).
      startChildService({ ...shared, ROLE: 'gateway' }, { until: 'listening', launch: imageCommand() }),
      // ORT on its own thread: the bundle's second thread entry (inference-worker.js) loads too.
      startChildWorker({ ...shared, ROLE: 'worker', PIPELINE_INFERENCE_THREAD: 'true' }, { launch: imageCommand() }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), worker?.stop()]);
    await ns?.cleanup();
  });

  it('extracts a face from a real photo through gateway → Redis → worker', async () => {
    fleetFeature = await expectFace(gateway!.url);
    expect((await fetch(`${gateway!.url}/health`)).status).toBe(200);
    expect((await fetch(`${worker!.metricsUrl}/health`)).status).toBe(200);
  });

  describe('the image started alone: the default ROLE=all, embedded queue and index', () => {
    let single: ChildService | undefined;
    beforeAll(async () => {
      single = await startChildService({ DATA_DIR: join(into, 'data-all') }, { launch: imageCommand() });
    });
    afterAll(async () => {
      await single?.stop();
    });

    it('extracts the same face as the fleet', async () => {
      const feature = await expectFace(single!.url);
      expect(cosineSimilarity(feature, fleetFeature)).toBeGreaterThan(0.999);
    });

    it('serves the web console the build carries', async () => {
      const res = await fetch(`${single!.url}/console/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<html');
    });
  });
});
