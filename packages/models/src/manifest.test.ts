import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findModel, loadManifest } from './manifest.ts';
import { ModelUnavailableError, prepareModel } from './prepare.ts';

const repoManifest = fileURLToPath(new URL('../../../models/manifest.json', import.meta.url));

/** An embedder entry as a user adds one for a file they hold locally: no upstream URL. */
function userEntry(sha256: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'my-embedder',
    task: 'embed',
    file: 'my-embedder.onnx',
    sha256,
    license: 'user-supplied: research only',
    input: { name: 'input', layout: 'NCHW', size: [112, 112], color: 'RGB', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
    batch: 'dynamic',
    output_dim: 512,
    thresholds: null,
    ...extra,
  };
}

describe('model manifest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'manifest-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (models: unknown[]) => {
    const path = join(dir, 'manifest.json');
    writeFileSync(path, JSON.stringify({ models }));
    return path;
  };

  it('loads the repository manifest: every embedder the service ships is calibrated, the liveness model too', async () => {
    const m = await loadManifest(repoManifest);
    for (const id of ['mobilefacenet', 'arcface-mobilenet-128']) {
      const e = findModel(m, id, 'embed');
      expect(e.open_set, id).not.toBeNull();
      expect(e.thresholds, id).not.toBeNull();
    }
    const live = findModel(m, 'minifasnet-v2', 'liveness');
    expect(live).toMatchObject({ crop_scale: 2.7, live_class: 1, input: { color: 'BGR', size: [80, 80] } });
  });

  it('takes a user embedder without an upstream URL and without a calibration yet', async () => {
    const m = await loadManifest(write([userEntry('a'.repeat(64))]));
    expect(findModel(m, 'my-embedder', 'embed')).toMatchObject({ output_dim: 512, open_set: null });
    expect(findModel(m, 'my-embedder', 'embed').url).toBeUndefined();
  });

  it('names the model and the field when an entry is wrong, and refuses duplicate ids', async () => {
    await expect(loadManifest(write([userEntry('not-a-hash')]))).rejects.toThrow(/model "my-embedder": sha256/);
    await expect(loadManifest(write([userEntry('a'.repeat(64), { input: { name: 'x', layout: 'NCHW', size: [112, 112], color: 'YUV', mean: [0, 0, 0], std: [1, 1, 1] } })]))).rejects.toThrow(
      /model "my-embedder": input\.color/,
    );
    await expect(loadManifest(write([userEntry('a'.repeat(64), { file: '../elsewhere/x.onnx' })]))).rejects.toThrow(/file/);
    await expect(loadManifest(write([userEntry('a'.repeat(64)), userEntry('b'.repeat(64))]))).rejects.toThrow(/appears twice/);
  });

  it('prepares a user-supplied file: verifies one already in MODELS_DIR, copies one from the mirror, says how to fix a missing one', async () => {
    const bytes = Buffer.from('not really onnx, but hashed like one');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const entry = findModel(await loadManifest(write([userEntry(sha)])), 'my-embedder', 'embed');
    const modelsDir = join(dir, 'models');
    const mirror = join(dir, 'mirror');

    const missing = await prepareModel(entry, { modelsDir, mirrorDir: mirror, allowDownload: true }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelUnavailableError);
    expect((missing as Error).message).toContain('no upstream URL');
    expect((missing as Error).message).toContain('my-embedder.onnx');

    mkdirSync(mirror, { recursive: true });
    writeFileSync(join(mirror, 'my-embedder.onnx'), bytes);
    expect(await prepareModel(entry, { modelsDir, mirrorDir: mirror })).toBe('copied');
    expect(readFileSync(join(modelsDir, 'my-embedder.onnx')).equals(bytes)).toBe(true);
    expect(await prepareModel(entry, { modelsDir })).toBe('present');

    writeFileSync(join(modelsDir, 'my-embedder.onnx'), 'tampered');
    await expect(prepareModel(entry, { modelsDir })).rejects.toThrow(/wrong sha256/);
  });
});
