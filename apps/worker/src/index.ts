export { startFaceWorker, type FaceWorker } from './start-face-worker.ts';
export { createFaceHandlers } from './face-handlers.ts';
export { runWorkerProcess } from './run-worker-process.ts';
