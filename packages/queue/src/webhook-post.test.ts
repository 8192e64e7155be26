/**
 * Delivery connects to the addresses it checked. Every connection in this file goes to a receiver on
 * 127.0.0.1 made here; names are resolved by the test's own resolver, never by DNS, and a refused answer
 * must mean no connection at all.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postPinned } from './webhook-post.ts';
import { type ResolvedAddress, resolveWebhookHost } from './webhook-url-guard.ts';

let server: Server;
let port: number;
let received: Array<{ host: string | undefined; body: string }>;

beforeEach(async () => {
  received = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ host: req.headers.host, body });
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const headers = { 'content-type': 'application/json' };
const loopback: ResolvedAddress[] = [{ address: '127.0.0.1', family: 4 }];

describe('postPinned', () => {
  it('connects to the address the resolver gave, not to what DNS would say about the name', async () => {
    // `.test` never resolves in DNS (RFC 6761): the only way to reach the receiver is the pinned answer.
    const status = await postPinned(`http://hooks.facerec.test:${port}/hook?x=1`, '{"a":1}', {
      headers,
      allowPrivate: true,
      resolve: async () => loopback,
      timeoutMs: 5_000,
    });
    expect(status).toBe(204);
    expect(received).toEqual([{ host: `hooks.facerec.test:${port}`, body: '{"a":1}' }]);
  });

  it('checks the answer of every attempt: a name that rebinds to loopback after a public first answer is refused and nothing connects', async () => {
    const answers: ResolvedAddress[][] = [[{ address: '8.8.8.8', family: 4 }], loopback];
    const rebinding = async () => answers.shift() ?? loopback;
    // The first (public) answer is only ever checked, as at submit time; it is never connected to.
    await expect(resolveWebhookHost('rebind.facerec.test', { allowPrivate: false, resolve: rebinding })).resolves.toHaveLength(1);
    await expect(
      postPinned(`http://rebind.facerec.test:${port}/`, '{}', { headers, allowPrivate: false, resolve: rebinding, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    expect(received).toEqual([]);
  });

  it('refuses a loopback literal without connecting unless private addresses are allowed', async () => {
    await expect(postPinned(`http://127.0.0.1:${port}/`, '{}', { headers, allowPrivate: false, timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'invalid_webhook_url',
    });
    await expect(postPinned(`http://[::ffff:127.0.0.1]:${port}/`, '{}', { headers, allowPrivate: false, timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'invalid_webhook_url',
    });
    expect(received).toEqual([]);
    expect(await postPinned(`http://127.0.0.1:${port}/`, '{}', { headers, allowPrivate: true, timeoutMs: 5_000 })).toBe(204);
    expect(received).toHaveLength(1);
  });

  it('gives up after its timeout when the receiver never answers', async () => {
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      await expect(postPinned(url, '{}', { headers, allowPrivate: true, timeoutMs: 200 })).rejects.toThrow();
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
