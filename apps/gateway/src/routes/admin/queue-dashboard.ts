import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { NotFoundError } from '@facerec/errors';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { adminKeyAuth } from '../../middleware/admin-key/index.ts';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board over the fleet's BullMQ queues, behind ADMIN_API_KEYS. Read-only: retrying or removing a job by
 * hand would bypass the batch bookkeeping (a removed item would leave its batch unfinished for good), so the
 * board shows queues, jobs, payloads and errors, and changes nothing. The embedded mode has no BullMQ queues:
 * the same path says so with a 404.
 */
export function mountQueueDashboard(app: OpenAPIHono<AppEnv>, deps: GatewayDeps) {
  app.use('/admin/*', adminKeyAuth(deps.adminApiKeys));
  const queues = deps.queueDashboard;
  if (!queues) {
    const unavailable = () => {
      throw new NotFoundError(
        'The queue dashboard shows the fleet\'s Redis queues and needs REDIS_URL; this service runs the in-process queue (GET /health says mode "embedded", GET /v1/jobs/{id} shows a job)',
        'queue_dashboard_unavailable',
      );
    };
    app.all(QUEUE_DASHBOARD_PATH, unavailable);
    app.all(`${QUEUE_DASHBOARD_PATH}/*`, unavailable);
    return;
  }
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'facerec queues' } },
  });
  app.route(QUEUE_DASHBOARD_PATH, serverAdapter.registerPlugin());
}
