/** Small timing helpers for `npm run bench`: wall-clock samples and percentiles. */
export async function sample(n: number, fn: () => Promise<unknown>, warmup = 5): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** Prints rows as an aligned table. */
export function table(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** GET over a keep-alive socket, reading the whole body: less client overhead than fetch(). */
export function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let n = 0;
        res.on('data', (chunk: Buffer) => (n += chunk.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * Times `a` and `b` alternately (a, b, a, b …) so that both see the same machine load; returns
 * the samples of each after `warmup` rounds.
 */
/** {@link sampleAlternating} for any number of contenders, taking turns in the order given. */
export async function sampleRoundRobin(n: number, contenders: (() => Promise<unknown>)[], warmup = 3): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const fn of contenders) await fn();
  const out = contenders.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [k, fn] of contenders.entries()) {
      const t0 = performance.now();
      await fn();
      out[k].push(performance.now() - t0);
    }
  }
  return out;
}

export async function sampleAlternating(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>, warmup = 3): Promise<[number[], number[]]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const out: [number[], number[]] = [[], []];
  for (let i = 0; i < n; i++) {
    for (const [k, fn] of [[0, a], [1, b]] as const) {
      const t0 = performance.now();
      await fn();
      out[k].push(performance.now() - t0);
    }
  }
  return out;
}
