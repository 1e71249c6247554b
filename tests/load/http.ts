/**
 * A small HTTP client for the load and fault tests: node:http over a keep-alive Agent, one
 * request at a time per caller, full body read, a hard per-request timeout (a hang is a failure,
 * never a wait), and the timing of each request.
 */
import http from 'node:http';

export interface HttpResult {
  /** HTTP status, or 0 when there was no response (socket error, timeout). */
  status: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
  /** Start and end on the performance.now() clock, in ms. */
  start: number;
  end: number;
  /** Set when there was no HTTP response: `timeout`, `ECONNRESET`, … */
  error?: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** Only loopback targets: the load and fault tests must never send traffic anywhere else. */
export function assertLoopback(url: URL) {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`只允许对本机 127.0.0.1 施压 / load tests may only target 127.0.0.1 (got ${url.host})`);
  }
  if (url.protocol !== 'http:') throw new Error(`只支持 http:// / only http:// is supported (got ${url.protocol})`);
}

export class HttpClient {
  readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets: number) {
    this.base = new URL(baseUrl);
    assertLoopback(this.base);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, keepAliveMsecs: 1000 });
  }

  request(path: string, opts: RequestOptions = {}): Promise<HttpResult> {
    const start = performance.now();
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: Omit<HttpResult, 'start' | 'end'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...r, start, end: performance.now() });
      };
      const headers: Record<string, string | number> = { ...opts.headers };
      if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method: opts.method ?? 'GET',
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
          res.on('error', (err) => done({ status: 0, body: Buffer.alloc(0), headers: {}, error: errorCode(err) }));
        },
      );
      // A hard deadline for the whole exchange, not just socket inactivity.
      const timer = setTimeout(() => {
        done({ status: 0, body: Buffer.alloc(0), headers: {}, error: `timeout>${timeoutMs}ms` });
        req.destroy();
      }, timeoutMs);
      req.on('error', (err) => done({ status: 0, body: Buffer.alloc(0), headers: {}, error: errorCode(err) }));
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

function errorCode(err: Error): string {
  return (err as { code?: string }).code ?? err.message;
}

/** The `error.code` of a JSON error body, or null. */
export function errorCodeOf(r: HttpResult): string | null {
  try {
    const j = JSON.parse(r.body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof j.error?.code === 'string' ? j.error.code : null;
  } catch {
    return null;
  }
}

/** Nearest-rank percentile of unsorted samples (copied and sorted here). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Prints rows as an aligned text table (first row = header). */
export function printTable(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  for (const [n, r] of rows.entries()) {
    console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
