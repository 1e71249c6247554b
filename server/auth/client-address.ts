/**
 * Who is really on the other end of a request: the client address (for login throttling and the
 * audit log) and whether the browser reached us over HTTPS (for the `Secure` cookie flag).
 *
 * Proxy headers (`X-Forwarded-For`, `X-Forwarded-Proto`) are believed only when the direct peer is
 * one of GRIDATLAS_TRUSTED_PROXIES (default: none). Otherwise any client could pick its own address
 * — escaping its throttle or framing someone else — so the headers are ignored.
 */
import { BlockList, isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export interface ClientInfo {
  /** The client address: the direct peer, or the right-most untrusted X-Forwarded-For hop. */
  ip: string;
  /** The browser used HTTPS: the request URL says so, or a trusted proxy's X-Forwarded-Proto. */
  https: boolean;
  /** The host (and port) the browser addressed, from a trusted proxy's X-Forwarded-Host; else absent (the Host header is used). */
  forwardedHost?: string;
}

/** A host name or address with an optional port — nothing else is taken from X-Forwarded-Host. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** A matcher for a list of addresses and CIDR blocks; throws on an entry that is neither. */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const [addr, bits] = raw.split('/');
      const family = isIP(addr);
      if (!family) throw new Error(`GRIDATLAS_TRUSTED_PROXIES: "${raw}" is not an IP address or CIDR block`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) {
        this.list.addAddress(addr, type);
        continue;
      }
      const prefix = Number(bits);
      if (!/^\d+$/.test(bits) || prefix > (family === 6 ? 128 : 32)) {
        throw new Error(`GRIDATLAS_TRUSTED_PROXIES: "${raw}" has an invalid prefix length`);
      }
      this.list.addSubnet(addr, prefix, type);
    }
    this.size = entries.length;
  }

  /** Parses the comma-separated setting (blank entries ignored). */
  static parse(setting: string | undefined): TrustedProxies {
    return new TrustedProxies((setting ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  }

  has(address: string): boolean {
    if (this.size === 0) return false;
    const a = normalizeAddress(address);
    const family = isIP(a);
    if (!family) return false;
    return this.list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`, so one client has one key. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1] : a.toLowerCase();
}

/** The direct peer of the connection; `local` for in-process calls (tests, scripts). */
function peerAddress(c: Context): string {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? normalizeAddress(address) : 'unknown';
  } catch {
    return 'local';
  }
}

/**
 * Walks X-Forwarded-For from the right (the hop our proxy appended) past trusted proxies; the
 * first untrusted hop is the client. An entry that is not an address ends the walk at the last
 * trusted hop, so a malformed header can never pick an arbitrary key.
 */
function forwardedClient(header: string, peer: string, trusted: TrustedProxies): string {
  let client = peer;
  const hops = header.split(',').map((h) => normalizeAddress(h));
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isIP(hops[i])) return client;
    client = hops[i];
    if (!trusted.has(client)) return client;
  }
  return client;
}

/** Resolves the client of one request under the trusted-proxy setting. */
export function resolveClient(c: Context, trusted: TrustedProxies): ClientInfo {
  const peer = peerAddress(c);
  const direct = { ip: peer, https: c.req.url.startsWith('https:') };
  if (!trusted.has(peer)) return direct;
  const xff = c.req.header('x-forwarded-for');
  const proto = (c.req.header('x-forwarded-proto') ?? '').split(',')[0].trim().toLowerCase();
  const host = (c.req.header('x-forwarded-host') ?? '').split(',')[0].trim();
  return {
    ip: xff ? forwardedClient(xff, peer, trusted) : peer,
    https: direct.https || proto === 'https',
    ...(HOST.test(host) ? { forwardedHost: host } : {}),
  };
}

/** Stores the resolved client on the context once per request, for every route to read. */
export function clientMiddleware(trusted: TrustedProxies): MiddlewareHandler {
  return async (c, next) => {
    c.set('client', resolveClient(c, trusted));
    await next();
  };
}

/** The client of this request (direct peer only when the middleware did not run, e.g. a bare route). */
export function clientOf(c: Context): ClientInfo {
  const stored: ClientInfo | undefined = c.get('client');
  return stored ?? resolveClient(c, TrustedProxies.parse(''));
}

/**
 * The origin absolute links in answers start with (OGC API links, TileJSON `tiles`, kiosk links):
 * GRIDATLAS_PUBLIC_URL when configured; else the origin the browser or GIS client addressed —
 * `https` when the request was TLS or a trusted proxy says so (X-Forwarded-Proto), the host from a
 * trusted proxy's X-Forwarded-Host, else the Host header. Behind nginx terminating TLS the links are
 * then `https://grid.example.gov.cn/…`, not the `http://` of the hop to us (which a browser blocks
 * as mixed content and a client may not reach at all). An untrusted client's X-Forwarded-* headers
 * are ignored (resolveClient).
 */
export function publicOrigin(c: Context, configured: string | null): string {
  if (configured) return configured;
  const client = clientOf(c);
  const url = new URL(c.req.url);
  return `${client.https ? 'https' : 'http'}://${client.forwardedHost ?? url.host}`;
}

/**
 * The address a rate limit counts against (login throttle, residents' reports): an IPv4 address as
 * it is, an IPv6 address by its /64 network (`2001:db8:1:2::/64`). One home or phone connection gets
 * a whole /64 and may pick any address in it, so counting single IPv6 addresses would hand an
 * attacker 2^64 fresh allowances. The audit log keeps the full address.
 */
export function rateLimitAddress(ip: string): string {
  const address = ip.split('%')[0];
  if (isIP(address) !== 6) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
        if (!g.includes('.')) return [g];
        const [a, b, c, d] = g.split('.').map(Number);
        return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
      });
  const gap = address.indexOf('::');
  const head = groups(gap === -1 ? address : address.slice(0, gap));
  const tail = gap === -1 ? [] : groups(address.slice(gap + 2));
  const all = gap === -1 ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
