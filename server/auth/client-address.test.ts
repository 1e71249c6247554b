import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { TrustedProxies, clientMiddleware, clientOf, normalizeAddress, rateLimitAddress } from './client-address.js';

/** Calls a one-route app as if the TCP peer were `peer` (the node-server conninfo bindings). */
async function resolve(trusted: string, peer: string, headers: Record<string, string> = {}, url = 'http://x/') {
  const app = new Hono();
  app.use('*', clientMiddleware(TrustedProxies.parse(trusted)));
  app.get('/', (c) => c.json(clientOf(c)));
  const res = await app.request(url, { headers }, { incoming: { socket: { remoteAddress: peer } } });
  return (await res.json()) as { ip: string; https: boolean };
}

describe('client address and HTTPS behind a proxy (issue #14.9)', () => {
  it('ignores proxy headers from an untrusted peer (the default: no proxy trusted)', async () => {
    const forged = { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' };
    expect(await resolve('', '203.0.113.9', forged)).toEqual({ ip: '203.0.113.9', https: false });
    expect(await resolve('10.0.0.0/8', '203.0.113.9', forged)).toEqual({ ip: '203.0.113.9', https: false });
  });

  it('believes a trusted proxy: right-most untrusted X-Forwarded-For hop and X-Forwarded-Proto', async () => {
    const h = { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.3', 'x-forwarded-proto': 'https' };
    expect(await resolve('10.0.0.0/8', '::ffff:10.0.0.2', h)).toEqual({ ip: '198.51.100.7', https: true });
    expect(await resolve('127.0.0.1,::1', '::1', { 'x-forwarded-proto': 'http' })).toEqual({ ip: '::1', https: false });
    expect(await resolve('10.0.0.2', '10.0.0.2', { 'x-forwarded-for': 'not-an-ip' })).toEqual({ ip: '10.0.0.2', https: false });
  });

  it('parses addresses and CIDR blocks and refuses anything else', () => {
    const t = TrustedProxies.parse(' 10.0.0.0/8 , fd00::/8,192.168.1.5');
    expect(['10.1.2.3', '::ffff:10.9.9.9', 'fd00::1', '192.168.1.5'].map((a) => t.has(a))).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '192.168.1.6', 'fe80::1', 'local'].map((a) => t.has(a))).toEqual([false, false, false, false]);
    expect(() => TrustedProxies.parse('nginx')).toThrow(/not an IP/);
    expect(() => TrustedProxies.parse('10.0.0.0/33')).toThrow(/prefix/);
    expect(normalizeAddress('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('rateLimitAddress', () => {
  it('keeps IPv4 and names, and counts IPv6 by its /64 however it is spelled', () => {
    expect(rateLimitAddress('198.51.100.7')).toBe('198.51.100.7');
    expect(rateLimitAddress('local')).toBe('local');
    expect(rateLimitAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    for (const a of ['2001:db8:1:2::5', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::', '2001:db8:1:2:0:0:1.2.3.4']) {
      expect(rateLimitAddress(a)).toBe('2001:db8:1:2::/64');
    }
    expect(rateLimitAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(rateLimitAddress('2001:db8:1:3::5')).not.toBe(rateLimitAddress('2001:db8:1:2::5'));
  });
});
