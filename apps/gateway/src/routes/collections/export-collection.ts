import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { validationHook } from '../../errors/index.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { collectionParam } from '../../schemas/collections.ts';
import { errorResponses } from '../../schemas/common.ts';
import { TRANSFER_MEDIA_TYPE } from '../../services/transfer/transfer-format.ts';
import { queryValues } from './query-values.ts';

const query = z.object({
  crops: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Include each face\'s stored crop (base64): needed to re-embed with another model on import' }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/collections/{name}/export',
  tags: ['Collections'],
  summary: 'The whole collection as JSON Lines (settings, subjects, faces with embeddings, optionally crops)',
  description:
    'Streams `header` (settings and embedder), then per subject its `subject` line (metadata) and `face` lines (embedding, model id, quality, box, sha256 and, with `crops=true`, the stored aligned crop as base64), then an `end` line with the counts and the running vector sum. `POST /v1/collections/import` takes it back. A stream cut short has no `end` line and is refused on import.',
  request: {
    params: collectionParam,
    query,
  },
  responses: {
    200: { description: 'The collection, one JSON record per line', content: { [TRANSFER_MEDIA_TYPE]: { schema: z.string() } } },
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export function mountExportCollection(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  // Documented from the schema; answered as a stream, which the typed route handlers do not model.
  app.openAPIRegistry.registerPath(route);
  app.get(route.getRoutingPath(), async (c) => {
    const params = collectionParam.safeParse(c.req.param());
    validationHook({ success: params.success, error: params.error, data: c.req.param() });
    const raw = queryValues(c);
    const q = query.safeParse(raw);
    validationHook({ success: q.success, error: q.error, data: raw, target: 'query' });
    const col = await deps.collections.require(c.get('tenant'), params.data!.name);
    const { crops } = q.data!;
    const lines = deps.transfer.exportLines(col, { crops });
    // Pulled a page at a time as the client reads: backpressure keeps memory flat whatever the size.
    const body = ReadableStream.from(lines).pipeThrough(new TextEncoderStream());
    return c.body(body, 200, {
      'content-type': TRANSFER_MEDIA_TYPE,
      'content-disposition': `attachment; filename="${col.name}.jsonl"`,
    });
  });
}
