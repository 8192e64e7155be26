import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { errorResponses } from '../../schemas/common.ts';
import { jobAccepted, submitEnrollForm } from '../../schemas/jobs.ts';
import { checkBatchSubmission } from '../../services/batch-upload.ts';
import { parseEnrollManifest } from '../../services/enrollment/index.ts';
import { readBatchForm } from './read-batch-form.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/jobs/enroll',
  tags: ['Jobs'],
  summary: 'Enroll many images into a collection as one asynchronous job',
  description:
    'Repeated `images` file fields plus a `manifest` mapping each file name to its subject. Returns 202 at once; poll `status_url` (per-file results with `face_id`, or an error code and reasons such as `low_quality`, `no_face`, `multiple_faces`, `subject_conflict`) or pass `webhook_url`. Items are idempotent like single enrollments, and an `Idempotency-Key` header returns the same job for the same body.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: { required: true, content: { 'multipart/form-data': { schema: submitEnrollForm } } },
  },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: jobAccepted } } },
    ...errorResponses(400, 401, 404, 409, 413, 415, 429, 500, 503),
  },
});

export function mountSubmitEnrollJob(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  // Documented from the schema, validated while streaming (see read-batch-form.ts).
  app.openAPIRegistry.registerPath(route);
  app.post(route.getRoutingPath(), async (c) => {
    const tenant = c.get('tenant');
    const { upload, form, idempotencyKey } = await readBatchForm(c, deps, submitEnrollForm.omit({ images: true }));
    const { col, entries } = await upload.check(async () => {
      checkBatchSubmission(deps, form.webhook_url);
      const col = await deps.collections.require(tenant, form.collection);
      deps.collections.assertEmbedder(col);
      return { col, entries: parseEnrollManifest(upload.items.map((item) => item.ref), form.manifest) };
    });
    const items = upload.items.map((item, i) => ({ ...item, options: entries[i] }));
    const options = {
      tenant,
      collectionId: col.id,
      allowMultiple: form.allow_multiple ?? false,
      allowConflict: form.on_conflict === 'allow',
      ...(form.liveness !== undefined ? { liveness: form.liveness } : {}),
    };
    const { batch, created } = await deps.queue.submitBatch(
      { type: 'enroll', items, options, webhookUrl: form.webhook_url },
      { idempotencyKey, bodyHash: upload.fingerprint({ options, manifest: entries, webhook: form.webhook_url ?? null }) },
    );
    return c.json({ success: true as const, job_id: batch.id, status_url: `/v1/jobs/${batch.id}`, state: batch.state, created }, 202);
  });
}
