/** HTTP helpers of the cluster test: one request, a timed read load, a signed-in client, an SSE stream. */

export interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** One request (fetch: keep-alive connections); `init` for a method and body. */
export async function get(url: string, headers: Record<string, string> = {}, init: { method?: string; body?: string } = {}): Promise<Answer> {
  const res = await fetch(url, { headers, method: init.method ?? 'GET', body: init.body });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

export interface LoadReport {
  count: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Answers per app server (nginx's X-Upstream). */
  upstreams: Map<string, number>;
  /** Answers per database read (the server's X-GridAtlas-Read: primary | replica-N). */
  readTargets: Map<string, number>;
  /** The first few failures, for the log. */
  samples: string[];
}

/** `concurrency` clients reading `paths` in turn for `seconds`; every answer but 200 is an error. */
export async function loadFor(base: string, paths: string[], opts: { seconds: number; concurrency: number }): Promise<LoadReport> {
  const end = Date.now() + opts.seconds * 1000;
  const ms: number[] = [];
  const report: LoadReport = { count: 0, errors: 0, seconds: opts.seconds, rps: 0, p50: 0, p99: 0, upstreams: new Map(), readTargets: new Map(), samples: [] };
  const bump = (m: Map<string, number>, k: string | null) => k && m.set(k, (m.get(k) ?? 0) + 1);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.concurrency }, async (_, c) => {
    for (let i = c; Date.now() < end; i++) {
      const path = paths[i % paths.length];
      const t = performance.now();
      try {
        const res = await fetch(base + path);
        await res.arrayBuffer();
        ms.push(performance.now() - t);
        report.count++;
        bump(report.upstreams, res.headers.get('x-upstream'));
        bump(report.readTargets, res.headers.get('x-gridatlas-read'));
        if (res.status !== 200) {
          report.errors++;
          if (report.samples.length < 5) report.samples.push(`${path} → ${res.status}`);
        }
      } catch (err) {
        report.count++;
        report.errors++;
        if (report.samples.length < 5) report.samples.push(`${path} → ${(err as Error).message}`);
      }
    }
  }));
  report.seconds = (performance.now() - t0) / 1000;
  ms.sort((a, b) => a - b);
  report.rps = report.count / report.seconds;
  report.p50 = ms[Math.floor(ms.length * 0.5)] ?? 0;
  report.p99 = ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))] ?? 0;
  if (report.samples.length) console.log(`  failures: ${report.samples.join('; ')}`);
  return report;
}

/** A signed-in client: its cookies (session and the write-position cookie) and CSRF token. */
export interface Client {
  headers(extra?: Record<string, string>): Record<string, string>;
  /** Keeps the cookies an answer set (a write's `ga_lsn`). */
  absorb(a: Answer): void;
  /** The same session without the write-position cookie: "another client" for read-your-writes. */
  withoutWriteCookie(): Record<string, string>;
}

export async function login(base: string, username: string, password: string): Promise<Client> {
  const cookies = new Map<string, string>();
  const absorb = (a: Answer) => {
    for (const c of a.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const res = await get(`${base}/api/auth/login`, { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login → ${res.status} ${res.body}`);
  absorb(res);
  const csrf = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
  const cookie = (skip?: string) => [...cookies].filter(([k]) => k !== skip).map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    headers: (extra = {}) => ({ cookie: cookie(), 'x-csrf-token': csrf, ...extra }),
    absorb,
    withoutWriteCookie: () => ({ cookie: cookie('ga_lsn') }),
  };
}

/** Reads a server-sent event stream to its end; resolves with the event names. */
export async function sseEvents(url: string, headers: Record<string, string>): Promise<string[]> {
  const res = await fetch(url, { headers });
  if (res.status !== 200 || !res.body) throw new Error(`${url} → ${res.status}`);
  const text = await new Response(res.body).text();
  return [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
}
