/**
 * The webhook address guard as pure functions over address strings and resolved addresses. Nothing here
 * opens a socket: every "public" address below is only ever classified, never connected to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressRefusal, assertWebhookUrlAllowed, pinnedLookup, type ResolvedAddress, resolveWebhookHost, urlHost } from './webhook-url-guard.ts';

/** The forms issue 9 found accepted (202, delivery attempted), plus their relatives. */
const REFUSED_LITERALS = [
  'http://[::127.0.0.1]:8080/',
  'http://[::169.254.169.254]/',
  'http://[::10.0.0.1]/',
  'http://[2002:7f00:1::1]/',
  'http://[2002:a9fe:a9fe::1]/',
  'http://[::ffff:0:127.0.0.1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:8.8.8.8]/',
  'http://[64:ff9b::127.0.0.1]/',
  'http://[64:ff9b:1::a9fe:a9fe]/',
  'http://[fec0::1]/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[fe80::1]/',
  'http://[ff02::1]/',
  'http://[::1]/',
  'http://[::]/',
  'http://[100::1]/',
  'http://[2001:db8::1]/',
  'http://[2001::1]/',
  'http://[3fff::1]/',
  'http://127.0.0.1/',
  'http://127.1/',
  'http://0x7f.1/',
  'http://2130706433/',
  'http://0.0.0.0/',
  'http://10.1.2.3/',
  'http://100.64.0.1/',
  'http://169.254.169.254/latest',
  'http://172.16.0.1/',
  'http://192.0.0.8/',
  'http://192.168.1.1/',
  'http://198.18.0.1/',
  'http://203.0.113.9/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
];

const PUBLIC_ADDRESSES = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:4860:4860::8888'];

const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const v4 = (o: readonly number[]) => o.join('.');
const hex = (o: readonly number[]) => `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;

/** Any IPv4 address inside one of the refused IPv4 blocks. */
const privateV4 = fc.oneof(
  octets.map((o) => [10, o[1], o[2], o[3]]),
  octets.map((o) => [127, o[1], o[2], o[3]]),
  octets.map((o) => [169, 254, o[2], o[3]]),
  octets.map((o) => [172, 16 + (o[1] % 16), o[2], o[3]]),
  octets.map((o) => [192, 168, o[2], o[3]]),
  octets.map((o) => [100, 64 + (o[1] % 64), o[2], o[3]]),
  octets.map((o) => [0, o[1], o[2], o[3]]),
);

describe('addressRefusal', () => {
  it('refuses every IPv6 form that embeds or tunnels to an IPv4 address, whatever address it embeds', () => {
    fc.assert(
      fc.property(octets, (o) => {
        for (const form of [`::${v4(o)}`, `::ffff:${v4(o)}`, `::ffff:0:${v4(o)}`, `64:ff9b::${v4(o)}`, `64:ff9b:1::${hex(o)}`, `2002:${hex(o)}::1`, `::${hex(o)}`]) {
          expect(addressRefusal(form), form).not.toBeNull();
        }
      }),
    );
  });

  it('refuses every address in the private, loopback, link-local and CGNAT IPv4 blocks', () => {
    fc.assert(
      fc.property(privateV4, (o) => {
        expect(addressRefusal(v4(o))).not.toBeNull();
      }),
    );
  });

  it('refuses every IPv6 address outside global unicast 2000::/3', () => {
    const words = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(words, (w) => {
        // Force the first three bits away from 001.
        const first = (w[0]! & 0x1fff) | [0x0000, 0x4000, 0x6000, 0x8000, 0xa000, 0xc000, 0xe000][w[1]! % 7]!;
        const address = [first, ...w.slice(1)].map((x) => x.toString(16)).join(':');
        expect(addressRefusal(address), address).not.toBeNull();
      }),
    );
  });

  it('names why: loopback, 6to4, documentation, non-global IPv6', () => {
    expect(addressRefusal('127.0.0.1')).toBe('loopback');
    expect(addressRefusal('2002:7f00:1::1')).toBe('6to4');
    expect(addressRefusal('2001:db8::1')).toBe('documentation');
    expect(addressRefusal('fe80::1')).toMatch(/non-global IPv6/);
    expect(addressRefusal('example.com')).toBe('not an IP address');
  });

  it('lets global unicast addresses through', () => {
    for (const a of PUBLIC_ADDRESSES) expect(addressRefusal(a), a).toBeNull();
  });
});

describe('assertWebhookUrlAllowed on URLs with address literals (no lookup involved)', () => {
  it.each(REFUSED_LITERALS)('refuses %s with invalid_webhook_url', async (url) => {
    await expect(assertWebhookUrlAllowed(url, { allowPrivate: false })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
  });

  it('accepts a public literal, and anything when private addresses are allowed', async () => {
    await expect(assertWebhookUrlAllowed('https://[2606:4700:4700::1111]/hook', { allowPrivate: false })).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookUrlAllowed('http://[::127.0.0.1]:9/', { allowPrivate: true })).resolves.toBeInstanceOf(URL);
  });

  it('refuses other schemes and non-URLs', async () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://8.8.8.8/', 'not a url', '']) {
      await expect(assertWebhookUrlAllowed(url, { allowPrivate: false })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    }
  });

  it('gives net.connect an IPv6 host without brackets', () => {
    expect(urlHost(new URL('http://[::1]:80/'))).toBe('::1');
  });
});

describe('resolveWebhookHost over resolved addresses', () => {
  const resolver = (answer: ResolvedAddress[]) => async () => answer;

  it('refuses a name when any one of its addresses is refused (a rebinding name can answer both)', async () => {
    const mixed = resolver([{ address: '8.8.8.8', family: 4 }, { address: '::ffff:0:a9fe:a9fe', family: 6 }]);
    await expect(resolveWebhookHost('hooks.example', { allowPrivate: false, resolve: mixed })).rejects.toMatchObject({
      code: 'invalid_webhook_url',
      message: expect.stringContaining('::ffff:0:a9fe:a9fe'),
    });
  });

  it('returns exactly the checked addresses for a public name', async () => {
    const answer = [{ address: '2606:4700:4700::1111', family: 6 }, { address: '1.1.1.1', family: 4 }];
    await expect(resolveWebhookHost('hooks.example', { allowPrivate: false, resolve: resolver(answer) })).resolves.toEqual(answer);
  });

  it('refuses a name that does not resolve or resolves to nothing', async () => {
    const failing = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(resolveWebhookHost('nowhere.invalid', { allowPrivate: false, resolve: failing })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    await expect(resolveWebhookHost('empty.example', { allowPrivate: false, resolve: resolver([]) })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
  });

  it('resolves localhost through the system resolver and refuses it', async () => {
    await expect(assertWebhookUrlAllowed('http://localhost:9/hook', { allowPrivate: false })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
  });
});

describe('pinnedLookup', () => {
  const checked = [{ address: '2606:4700:4700::1111', family: 6 }, { address: '1.1.1.1', family: 4 }];

  it('answers net.connect with the checked addresses whatever name it is asked for', async () => {
    const lookup = pinnedLookup(checked);
    const all = await new Promise((resolve) => lookup('rebound.example', { all: true }, (_e, a) => resolve(a)));
    expect(all).toEqual(checked);
    const one = await new Promise((resolve) => lookup('rebound.example', {}, (_e, a, f) => resolve([a, f])));
    expect(one).toEqual(['2606:4700:4700::1111', 6]);
  });

  it('fails rather than falling back to DNS when nothing was checked', async () => {
    const err = await new Promise((resolve) => pinnedLookup([])('x.example', {}, (e) => resolve(e)));
    expect(err).toMatchObject({ code: 'ENOTFOUND' });
  });
});
