/**
 * Inference-thread entry: owns ORT sessions and does nothing else. onnxruntime-node runs `session.run`
 * synchronously on its calling thread, so a pipeline thread that also decodes, builds tensors and aligns faces
 * leaves the models waiting for that JS work; with the sessions here, one image's JS work overlaps the models'
 * run on another. Same sessions, same inputs: the numbers are identical to running them in the pipeline thread.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '@facerec/errors';
import { openSession, ort } from '../ort-session.ts';
import type { InferenceReply, InferenceRequest } from './inference-protocol.ts';

const port = parentPort!;
const sessions = new Map<number, ort.InferenceSession>();
let nextSid = 0;

async function handle(req: InferenceRequest): Promise<void> {
  if (req.type === 'open') {
    const o = await openSession(req.modelPath, req.opts);
    const sid = nextSid++;
    sessions.set(sid, o.session);
    post({ id: req.id, ok: true, sid, providers: o.providers, fallbacks: o.fallbacks, outputNames: [...o.session.outputNames] });
    return;
  }
  const session = sessions.get(req.sid);
  if (!session) throw new Error(`no session ${req.sid} on the inference thread`);
  if (req.type === 'release') {
    sessions.delete(req.sid);
    await session.release();
    post({ id: req.id, ok: true });
    return;
  }
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, f] of Object.entries(req.feeds)) feeds[name] = new ort.Tensor('float32', f.data, f.dims);
  const result = await session.run(feeds);
  const outputs: Record<string, Float32Array> = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, t] of Object.entries(result)) {
    const d = t.data as Float32Array;
    // Hand over the whole buffer only when the output owns it; otherwise a copy of just its bytes.
    const own = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? d : d.slice();
    outputs[name] = own;
    transfer.push(own.buffer as ArrayBuffer);
  }
  post({ id: req.id, ok: true, outputs }, transfer);
}

function post(msg: InferenceReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

port.on('message', (req: InferenceRequest) => {
  handle(req).catch((err: unknown) => post({ id: req.id, ok: false, error: serializeError(err) }));
});
