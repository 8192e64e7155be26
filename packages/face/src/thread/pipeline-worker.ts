/**
 * Worker-thread entry: owns the ONNX sessions. onnxruntime-node runs inference synchronously on the calling
 * thread (its async `run` only defers with setImmediate), so running it here is what keeps the HTTP event
 * loop free; decoding and pre/post-processing come along for the same reason.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '@facerec/errors';
import { createFacePipeline, type CreatePipelineArgs } from '../face-pipeline.ts';
import type { ThreadReply, ThreadRequest } from './thread-protocol.ts';

const port = parentPort!;
const post = (msg: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

try {
  // Without its inference thread this pipeline cannot run a model: end this thread too, and the threaded
  // pipeline fails what was in flight and starts a fresh one.
  const pipeline = await createFacePipeline({ ...(workerData as CreatePipelineArgs), onInferenceThreadExit: () => process.exit(1) });
  port.on('message', (req: ThreadRequest) => {
    if (req.type === 'stats') {
      void pipeline.stats().then((stats) => post({ type: 'stats', id: req.id, stats }));
      return;
    }
    const fail = (err: unknown) => post({ type: 'error', id: req.id, error: serializeError(err) });
    if (req.type === 'embed') {
      pipeline.embedCrops(req.crops, req.opts).then((result) => post({ type: 'embedded', id: req.id, result }, result.vectors.map((v) => v.buffer as ArrayBuffer)), fail);
      return;
    }
    pipeline.analyze(req.image, req.opts).then(
      (analysis) =>
        post(
          { type: 'result', id: req.id, analysis },
          analysis.faces.flatMap((f) => [f.embedding.buffer as ArrayBuffer, ...(f.crop ? [f.crop.data.buffer as ArrayBuffer] : [])]),
        ),
      fail,
    );
  });
  post({ type: 'ready', providers: pipeline.providers, providerFallbacks: pipeline.providerFallbacks });
} catch (err) {
  post({ type: 'load-failed', error: serializeError(err) });
}
