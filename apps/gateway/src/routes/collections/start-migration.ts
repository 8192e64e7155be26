import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { migrationResponse, startMigrationBody } from '../../schemas/migrations.ts';
import { checkBatchSubmission } from '../../services/batch-upload.ts';
import { migrationView } from './migration-view.ts';

const route = createRoute({
  method: 'post',
  path: '/v1/collections/{name}/migrations',
  tags: ['Collections'],
  summary: 'Move the collection to another embedder by re-embedding its stored crops',
  description:
    'Answers 202 with the migration and its job (GET /v1/jobs/{id} for progress, DELETE /v1/jobs/{id} cancels, `webhook_url`). Every stored aligned crop is re-embedded with `embedder` into a new space while the collection keeps answering with its current model; enrollments and deletes meanwhile reach both. When the job ends the migration is `ready` with a report (faces migrated, failed, self-consistency), and `POST …/migrations/{id}/commit` (or `auto_commit`) switches the collection in one step; `…/rollback` before that leaves it untouched. A collection created with `store_crops: false` keeps no crops: 409 `crops_required` (enroll the original photos into a new collection instead).',
  request: { params: collectionParam, body: { required: true, content: { 'application/json': { schema: startMigrationBody } } } },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: migrationResponse } } },
    ...errorResponses(400, 401, 404, 409, 415, 429, 500, 503),
  },
});

export function mountStartMigration(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.openapi(route, async (c) => {
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    checkBatchSubmission(deps, body.webhook_url);
    const { migration, job } = await deps.migrations.start(c.get('tenant'), name, { embedder: body.embedder, autoCommit: body.auto_commit ?? false, webhookUrl: body.webhook_url });
    return c.json({ success: true as const, migration: migrationView(migration, name), job }, 202);
  });
}
