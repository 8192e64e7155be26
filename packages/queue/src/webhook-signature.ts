import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-webhook-timestamp';
export const SIGNATURE_HEADER = 'x-webhook-signature';

export interface WebhookSignatureHeaders {
  'X-Webhook-Timestamp': string;
  'X-Webhook-Signature': string;
}

/** The timestamp is inside the MAC so a captured delivery can't be replayed outside the tolerance window. */
export function signWebhook(secret: string, body: string, timestampSec = Math.floor(Date.now() / 1000)): WebhookSignatureHeaders {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return { 'X-Webhook-Timestamp': String(timestampSec), 'X-Webhook-Signature': `sha256=${mac}` };
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** True when the signature matches and the timestamp is within `toleranceSec` of now. */
export function verifyWebhook(secret: string, headers: HeaderBag, body: string, toleranceSec = 300, nowSec = Date.now() / 1000): boolean {
  const ts = header(headers, TIMESTAMP_HEADER);
  const sig = header(headers, SIGNATURE_HEADER);
  if (!ts || !sig || !/^\d+$/.test(ts)) return false;
  if (Math.abs(nowSec - Number(ts)) > toleranceSec) return false;
  const expected = Buffer.from(signWebhook(secret, body, Number(ts))['X-Webhook-Signature']);
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
