/**
 * Side by side with what Node users reach for: @vladmandic/face-api (the maintained face-api.js fork; SSD MobileNet v1
 * detector, 68-point landmarks, its ResNet-34-like 128-d recogniser) on TensorFlow.js's WASM backend, against this
 * service's pipeline, on the same photos, in the same process, on the same cores.
 *   npm run bench:peer -- <identity-folder> [<identity-folder> ...] [--limit N]
 * Per set, for both: images/s (decode included; ours with 2 images in flight on one pipeline thread, the peer one
 * image at a time as its API runs), detection failures, and TAR at FAR 1e-3 / 1e-4 over all within-set pairs. A photo
 * a side finds no face in fails every comparison it is part of (a genuine pair is missed, an impostor pair rejected):
 * nothing is left out. Scores: our cosine; the peer's negative euclidean distance, its own metric.
 * Model weights come from the installed npm package (node_modules/@vladmandic/face-api/model); nothing is downloaded.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import { cosineSimilarity } from '@facerec/face';
import { parseCli, setupPipeline } from './bench-setup.ts';
import { mapLimit } from './embed-files.ts';
import { listIdentityImages } from './image-files.ts';
import { rateAbove, thresholdAtFar } from './roc-metrics.ts';

const require = createRequire(import.meta.url);

type Vector = Float32Array | null;

/** TAR at each FAR over all pairs; a missing vector fails each of its comparisons. */
function rates(ids: string[], vectors: Vector[], score: (a: Float32Array, b: Float32Array) => number, fars: number[]): number[] {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = vectors[i];
      const b = vectors[j];
      const s = a && b ? score(a, b) : -Infinity;
      (ids[i] === ids[j] ? genuine : impostor).push(s);
    }
  }
  return fars.map((far) => rateAbove(genuine, thresholdAtFar(impostor, far)));
}

async function loadPeer() {
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof import('@vladmandic/face-api');
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  await tf.setBackend('wasm');
  await tf.ready();
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
  return {
    backend: `${tf.getBackend()} (tfjs ${tf.version_core})`,
    async embed(bytes: Buffer): Promise<Vector> {
      const { data, info } = await sharp(bytes).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const t = tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), [info.height, info.width, 3], 'int32');
      try {
        const r = await faceapi.detectSingleFace(t as never, options).withFaceLandmarks().withFaceDescriptor();
        return r ? Float32Array.from(r.descriptor) : null;
      } finally {
        t.dispose();
      }
    },
  };
}

const euclidean = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return -Math.sqrt(s);
};

async function main(): Promise<void> {
  const { flags, positionals } = parseCli(process.argv.slice(2));
  const sets = positionals.length ? positionals : ['../shared/faces/facescrub'];
  const limit = Number(flags.get('limit') ?? Infinity);
  const { pipeline } = await setupPipeline();
  const peer = await loadPeer();
  console.log(`ours: ${pipeline.detector.id} + ${pipeline.embedder.id}, ORT CPU, one pipeline thread, 2 in flight; peer: @vladmandic/face-api SSD MobileNet v1 + landmarks68 + recognition net on ${peer.backend}`);
  const rows: string[] = [];
  for (const root of sets) {
    const images = (await listIdentityImages(root)).slice(0, limit);
    const files = await Promise.all(images.map((i) => readFile(i.path)));
    const ids = images.map((i) => i.identity);
    // Warm-up: first runs compile kernels and size arenas.
    for (const f of files.slice(0, 3)) {
      await pipeline.analyze(f).catch(() => undefined);
      await peer.embed(f).catch(() => null);
    }
    let t = performance.now();
    const ours = await mapLimit(files, 2, (f) => pipeline.analyze(f, { faces: 'primary' }).then((a) => a.faces[0]?.embedding ?? null, () => null));
    const oursS = (performance.now() - t) / 1000;
    t = performance.now();
    const theirs = await mapLimit(files, 1, (f) => peer.embed(f).catch(() => null));
    const theirsS = (performance.now() - t) / 1000;
    const [o3, o4] = rates(ids, ours, cosineSimilarity, [1e-3, 1e-4]);
    const [p3, p4] = rates(ids, theirs, euclidean, [1e-3, 1e-4]);
    const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
    const name = `${basename(root)} (${files.length} photos, ${new Set(ids).size} ids)`;
    rows.push(`| ${name} | this service | ${(files.length / oursS).toFixed(1)} | ${ours.filter((v) => !v).length} | ${pct(o3!)} | ${pct(o4!)} |`);
    rows.push(`| ${name} | face-api (wasm) | ${(files.length / theirsS).toFixed(1)} | ${theirs.filter((v) => !v).length} | ${pct(p3!)} | ${pct(p4!)} |`);
    rows.push(`| ${name} | ratio | ×${(theirsS / oursS).toFixed(1)} faster | | ${((o3! - p3!) * 100).toFixed(1)} points | ${((o4! - p4!) * 100).toFixed(1)} points |`);
    console.error(`[peer] ${name} done`);
  }
  console.log('\n| set | pipeline | images/s | no face | TAR @ FAR 1e-3 | TAR @ FAR 1e-4 |\n|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  await pipeline.close();
}

await main();
