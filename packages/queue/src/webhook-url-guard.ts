import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ValidationError } from '@facerec/errors';
import ipaddr from 'ipaddr.js';

/** One resolved address, as `dns.lookup(host, { all: true })` gives them. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Host name → addresses. The system resolver by default; tests pass their own so nothing leaves loopback. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

const cidr = (text: string) => ipaddr.parseCIDR(text);

/**
 * IPv4 blocks a webhook must not reach (IANA special-purpose registry, RFC 6890 and successors): without
 * this a caller could make the service probe its own network (SSRF).
 */
const V4_REFUSED: Array<[ReturnType<typeof cidr>, string]> = [
  [cidr('0.0.0.0/8'), 'this-network'],
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('100.64.0.0/10'), 'carrier-grade NAT'],
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link-local'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.0.0.0/24'), 'IETF protocol assignment'],
  [cidr('192.0.2.0/24'), 'documentation'],
  [cidr('192.88.99.0/24'), '6to4 relay'],
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('198.18.0.0/15'), 'benchmarking'],
  [cidr('198.51.100.0/24'), 'documentation'],
  [cidr('203.0.113.0/24'), 'documentation'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('240.0.0.0/4'), 'reserved'],
];

/**
 * IPv6 is judged by an allow-list: only global unicast (2000::/3) can be a webhook. Everything else,
 * however it is written, is refused: IPv4-compatible (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d and
 * ::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48), unique-local, link-local, site-local (fec0::/10),
 * multicast, loopback, discard. A deny-list misses forms like these, each of which can reach an IPv4 host.
 */
const V6_GLOBAL = cidr('2000::/3');

/** Inside 2000::/3, blocks that are not a plain global host or that tunnel to an IPv4 address. */
const V6_REFUSED_IN_GLOBAL: Array<[ReturnType<typeof cidr>, string]> = [
  [cidr('2001::/23'), 'IETF protocol assignment (Teredo, benchmarking, ORCHID)'],
  [cidr('2001:db8::/32'), 'documentation'],
  // Deprecated (RFC 7526) and it embeds an arbitrary IPv4 address, private ones included.
  [cidr('2002::/16'), '6to4'],
  [cidr('3fff::/20'), 'documentation'],
];

/**
 * Why a webhook must not connect to `address` ("loopback", "6to4", …), or null when it is a global
 * unicast address. Not an IP address at all is refused too.
 */
export function addressRefusal(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') {
    for (const [range, why] of V4_REFUSED) if (parsed.match(range)) return why;
    return null;
  }
  if (!parsed.match(V6_GLOBAL)) {
    const range = (parsed as ipaddr.IPv6).range();
    return range === 'unicast' ? 'non-global IPv6' : `non-global IPv6 (${range})`;
  }
  for (const [range, why] of V6_REFUSED_IN_GLOBAL) if (parsed.match(range)) return why;
  return null;
}

export function isPrivateAddress(address: string): boolean {
  return addressRefusal(address) !== null;
}

/** Parses a webhook URL: http or https, or invalid_webhook_url. */
export function parseWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`webhook_url is not a valid URL: ${url}`, 'invalid_webhook_url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ValidationError('webhook_url must use http or https', 'invalid_webhook_url');
  }
  return parsed;
}

/** The URL's host as a connectable name: IPv6 literals lose their brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Every address `host` resolves to, checked: one refused address refuses the host (a rebinding name may
 * hand out a public and a private address at once). An IP literal is its own answer. With `allowPrivate`
 * nothing is refused, for tests and trusted networks.
 */
export async function resolveWebhookHost(host: string, opts: { allowPrivate: boolean; resolve?: Resolver | undefined }): Promise<ResolvedAddress[]> {
  const family = isIP(host);
  let addresses: ResolvedAddress[];
  if (family !== 0) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(host);
    } catch {
      throw new ValidationError(`webhook_url host does not resolve: ${host}`, 'invalid_webhook_url');
    }
  }
  if (addresses.length === 0) throw new ValidationError(`webhook_url host does not resolve: ${host}`, 'invalid_webhook_url');
  if (!opts.allowPrivate) {
    for (const { address } of addresses) {
      const why = addressRefusal(address);
      if (why !== null) {
        throw new ValidationError(`webhook_url resolves to ${address}, a ${why} address; webhooks go to public addresses only`, 'invalid_webhook_url');
      }
    }
  }
  return addresses;
}

/**
 * Throws ValidationError unless `url` is http(s) and every address it resolves to is public. The gateway
 * calls this at submit time (a fast 400); every delivery attempt resolves and checks again and connects
 * to exactly the addresses it checked (see webhook-dispatcher.ts), because DNS can change in between.
 */
export async function assertWebhookUrlAllowed(url: string, opts: { allowPrivate: boolean; resolve?: Resolver | undefined }): Promise<URL> {
  const parsed = parseWebhookUrl(url);
  await resolveWebhookHost(urlHost(parsed), opts);
  return parsed;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | ResolvedAddress[], family?: number) => void;

/**
 * A `lookup` for `net.connect` that answers with addresses already checked instead of asking DNS again,
 * so what was checked is what is connected to: no rebinding between the check and the connection.
 */
export function pinnedLookup(checked: readonly ResolvedAddress[]) {
  return (_hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    const first = checked[0];
    if (!first) {
      callback(Object.assign(new Error('no checked address to connect to'), { code: 'ENOTFOUND' }), []);
      return;
    }
    if (typeof options === 'object' && options?.all) callback(null, checked.map((a) => ({ ...a })));
    else callback(null, first.address, first.family);
  };
}
