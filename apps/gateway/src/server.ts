import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Config } from '@facerec/config';
import { createApp } from './app.ts';
import type { GatewayDeps } from './gateway-deps.ts';

export interface RunningServer {
  url: string;
  deps: GatewayDeps;
  close(): Promise<void>;
}

/** Serves the app on config.server (port 0 picks a free port, as tests do) and resolves once listening. */
export async function startServer(config: Config, deps: GatewayDeps): Promise<RunningServer> {
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.server.port, hostname: config.server.host }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  return {
    url: `http://${host}:${port}`,
    deps,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
    },
  };
}
