import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ValidationError } from '@facerec/errors';
import type { AppEnv } from '../../app-env.ts';
import { validationHook } from '../../errors/index.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionName, collectionResponse } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { TRANSFER_MEDIA_TYPE } from '../../services/transfer/transfer-format.ts';
import { collectionView } from './collection-view.ts';
import { queryValues } from './query-values.ts';

const ACCEPTED = new Set([TRANSFER_MEDIA_TYPE, 'application/jsonl', 'application/json-lines', 'application/x-jsonlines']);

const query = z.object({
  name: collectionName.optional().openapi({ description: 'Name of the new collection (default: the exported name)' }),
  embedder: z.string().min(1).max(100).optional().openapi({
    description: 'Re-embed every face\'s crop with this embedder instead of keeping the exported vectors (needs an export made with crops=true). Default: keep them when this service runs the exported embedder, else re-embed with its own',
  }),
});

const importResponse = collectionResponse
  .extend({
    imported: z.object({ subjects: z.number().int(), faces: z.number().int() }),
    reembedded: z.boolean().openapi({ description: 'Vectors were made anew from the crops with `embedder`' }),
    face_ids: z.enum(['kept', 'renewed']).openapi({ description: '`renewed` when another collection of this service already holds the exported face ids' }),
    notes: z.array(z.string()),
  })
  .openapi('ImportResponse');

const route = createRoute({
  method: 'post',
  path: '/v1/collections/import',
  tags: ['Collections'],
  summary: 'Create a collection from an export (JSON Lines)',
  description:
    'The body is what `GET /v1/collections/{name}/export` produced (`Content-Type: application/x-ndjson`). The whole stream is checked before anything is written: a malformed record, an inconsistent one (a face of an undeclared subject, an embedding of the wrong length) or a stream without its `end` line is refused with 400 `invalid_import` / `truncated_import` naming the line, and nothing is created. With the exported embedder the vectors, face ids and the running centroid are kept exactly, so identify answers exactly as the source did; otherwise the crops are re-embedded. The collection appears only once complete.',
  request: { query, body: { required: true, content: { [TRANSFER_MEDIA_TYPE]: { schema: z.string() } } } },
  responses: {
    201: { description: 'Imported', content: { 'application/json': { schema: importResponse } } },
    ...errorResponses(400, 401, 409, 413, 500, 503),
  },
});

export function mountImportCollection(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  // Documented from the schema; the body is read as a stream (the route validator would buffer it).
  app.openAPIRegistry.registerPath(route);
  app.post(route.getRoutingPath(), async (c) => {
    const raw = queryValues(c);
    const q = query.safeParse(raw);
    validationHook({ success: q.success, error: q.error, data: raw, target: 'query' });
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED.has(type)) throw new ValidationError(`Send the export as ${TRANSFER_MEDIA_TYPE} (JSON Lines); got '${type || 'none'}'`, 'unsupported_media_type');
    const body = c.req.raw.body;
    if (!body) throw new ValidationError('The request has no body: send the export stream', 'missing_field');
    const result = await deps.transfer.import({ tenant: c.get('tenant'), name: q.data!.name, embedder: q.data!.embedder, body });
    return c.json(
      {
        success: true as const,
        ...collectionView(result.collection, await deps.collections.decision(result.collection)),
        imported: { subjects: result.subjects, faces: result.faces },
        reembedded: result.reembedded,
        face_ids: result.faceIds,
        notes: result.notes,
      },
      201,
    );
  });
}
