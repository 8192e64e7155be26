import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ValidationError } from '@facerec/errors';

// Addresses a webhook must not reach: otherwise a caller could make our workers probe the internal network (SSRF).
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

/**
 * Throws ValidationError unless `url` is http(s) and every address it resolves to is public.
 * The gateway calls this at submit time (fast 400); the dispatcher calls it again before each delivery
 * because DNS can change in between.
 */
export async function assertWebhookUrlAllowed(url: string, opts: { allowPrivate: boolean }): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`webhook_url is not a valid URL: ${url}`, 'invalid_webhook_url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ValidationError('webhook_url must use http or https', 'invalid_webhook_url');
  }
  if (opts.allowPrivate) return parsed;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new ValidationError(`webhook_url host does not resolve: ${host}`, 'invalid_webhook_url');
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new ValidationError('webhook_url resolves to a private, loopback or link-local address', 'invalid_webhook_url');
  }
  return parsed;
}
