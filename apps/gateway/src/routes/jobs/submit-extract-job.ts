import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { errorResponses } from '../../schemas/common.ts';
import { jobAccepted, submitExtractForm } from '../../schemas/jobs.ts';
import { checkBatchSubmission } from '../../services/batch-upload.ts';
import { readBatchForm } from './read-batch-form.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/jobs/extract',
  tags: ['Jobs'],
  summary: 'Extract features from many images as one asynchronous job',
  description:
    'Returns 202 at once; poll `status_url` or pass `webhook_url`. With an `Idempotency-Key` header, the same key and body return the same job (409 for the same key with another body).',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: { required: true, content: { 'multipart/form-data': { schema: submitExtractForm } } },
  },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: jobAccepted } } },
    ...errorResponses(400, 409, 413, 415, 429, 500, 503),
  },
});

export function mountSubmitExtractJob(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  // Documented from the schema, validated while streaming (see read-batch-form.ts).
  app.openAPIRegistry.registerPath(route);
  app.post(route.getRoutingPath(), async (c) => {
    const { upload, form, idempotencyKey } = await readBatchForm(c, deps, submitExtractForm.omit({ images: true }));
    const options = { faces: form.faces, ...(form.flip_tta !== undefined ? { flipTta: form.flip_tta } : {}) };
    await upload.check(() => checkBatchSubmission(deps, form.webhook_url));
    const { batch, created } = await deps.queue.submitBatch(
      { type: 'extract', items: upload.items, options, webhookUrl: form.webhook_url },
      { idempotencyKey, bodyHash: upload.fingerprint({ options, webhook: form.webhook_url ?? null }) },
    );
    return c.json({ success: true as const, job_id: batch.id, status_url: `/v1/jobs/${batch.id}`, state: batch.state, created }, 202);
  });
}
