import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { cosineSimilarity } from './cosine.ts';
import { createFacePipeline } from './face-pipeline.ts';
import { providerFailureReason, resolveProviders } from './ort-session.ts';
import { DEFAULT_OPTIONS, MODELS_DIR, readFace, testManifest } from './test-fixtures.ts';

const bin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
const hasCuda = existsSync(join(bin, 'libonnxruntime_providers_cuda.so'));

it('keeps cpu last, drops unknown names and duplicates', () => {
  expect(resolveProviders([])).toEqual(['cpu']);
  expect(resolveProviders(['cpu', 'no-such-provider', 'CPU'])).toEqual(['cpu']);
  expect(resolveProviders(['cuda', 'cpu', 'cuda'])).toEqual(hasCuda ? ['cuda', 'cpu'] : ['cpu']);
  // Bundled in the Linux/Windows x64 build: kept here, and tried when the session is created.
  expect(resolveProviders(['webgpu', 'cpu'])).toEqual(['webgpu', 'cpu']);
});

it('shortens ORT provider errors to their reason', () => {
  const raw = new Error(
    "/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters",
  );
  expect(providerFailureReason(raw)).toBe('Failed to get a WebGPU adapter: No supported adapters');
});

it.skipIf(hasCuda)('asked for cuda,cpu on a machine without the CUDA provider library, runs on cpu and says so', async () => {
  const pipeline = await createFacePipeline({ ...DEFAULT_OPTIONS, providers: ['cuda', 'cpu'], manifest: await testManifest(), modelsDir: MODELS_DIR });
  try {
    expect(pipeline.providers).toEqual(['cpu']);
    expect(pipeline.providerFallbacks).toEqual([expect.stringMatching(/^cuda: libonnxruntime_providers_cuda\.so is not installed/)]);
    const a = await pipeline.analyze(await readFace('krasserm_lfw10/Tony_Blair/1.jpg'));
    expect(a.faces).toHaveLength(1);
  } finally {
    await pipeline.close();
  }
});

// Real, not simulated: on a machine without a Vulkan driver or GPU (this project's CI), ORT's WebGPU provider
// fails to find an adapter and session creation throws; the pipeline must land on the CPU with the same numbers.
// On a machine with a GPU the same test checks WebGPU's embeddings against the CPU's.
it('asked for webgpu,cpu, runs on webgpu or falls back to cpu, with the CPU embeddings', async () => {
  const manifest = await testManifest();
  const photo = await readFace('krasserm_lfw10/Tony_Blair/1.jpg');
  const cpu = await createFacePipeline({ ...DEFAULT_OPTIONS, providers: ['cpu'], manifest, modelsDir: MODELS_DIR });
  const gpu = await createFacePipeline({ ...DEFAULT_OPTIONS, providers: ['webgpu', 'cpu'], manifest, modelsDir: MODELS_DIR });
  try {
    const [a, b] = [await cpu.analyze(photo), await gpu.analyze(photo)];
    expect(b.faces).toHaveLength(1);
    if (gpu.providers[0] === 'webgpu') {
      expect(gpu.providerFallbacks).toEqual([]);
      expect(cosineSimilarity(a.faces[0]!.embedding, b.faces[0]!.embedding)).toBeGreaterThan(0.999);
    } else {
      expect(gpu.providers).toEqual(['cpu']);
      expect(gpu.providerFallbacks).toEqual([expect.stringMatching(/^webgpu: /)]);
      expect([...b.faces[0]!.embedding]).toEqual([...a.faces[0]!.embedding]);
    }
  } finally {
    await Promise.all([cpu.close(), gpu.close()]);
  }
});
