/** `npm run start:worker`: a queue worker running the face pipeline (fleet mode; needs REDIS_URL). */
import { loadProcessConfig } from '@facerec/config';
import { runWorkerProcess } from './run-worker-process.ts';

await runWorkerProcess(loadProcessConfig());
