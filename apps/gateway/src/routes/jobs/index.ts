import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { mountCancelJob } from './cancel-job.ts';
import { mountGetJob } from './get-job.ts';
import { mountSubmitEnrollJob } from './submit-enroll-job.ts';
import { mountSubmitExtractJob } from './submit-extract-job.ts';

/** Asynchronous batch jobs: submit, poll (or receive a signed webhook), cancel. */
export function mountJobRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  mountSubmitExtractJob(app, deps);
  mountSubmitEnrollJob(app, deps);
  mountGetJob(app, deps);
  mountCancelJob(app, deps);
}
