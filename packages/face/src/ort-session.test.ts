import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { createFacePipeline } from './face-pipeline.ts';
import { resolveProviders } from './ort-session.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from './test-fixtures.ts';

const bin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
const hasCuda = existsSync(join(bin, 'libonnxruntime_providers_cuda.so'));

it('keeps cpu last, drops unknown names and duplicates', () => {
  expect(resolveProviders([])).toEqual(['cpu']);
  expect(resolveProviders(['cpu', 'no-such-provider', 'CPU'])).toEqual(['cpu']);
  expect(resolveProviders(['cuda', 'cpu', 'cuda'])).toEqual(hasCuda ? ['cuda', 'cpu'] : ['cpu']);
});

it.skipIf(hasCuda)('asked for cuda,cpu on a machine without the CUDA provider library, runs on cpu and says so', async () => {
  const pipeline = await createFacePipeline({ ...DEFAULT_OPTIONS, providers: ['cuda', 'cpu'], manifest: await testManifest(), modelsDir: MODELS_DIR });
  try {
    expect(pipeline.providers).toEqual(['cpu']);
    const a = await pipeline.analyze(await readFace('krasserm_lfw10/Tony_Blair/1.jpg'));
    expect(a.faces).toHaveLength(1);
  } finally {
    await pipeline.close();
  }
});
