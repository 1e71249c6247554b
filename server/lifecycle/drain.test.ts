/**
 * The drain against a plain node:http server, with clients in a child process so that their
 * connections can pile up in the kernel's accept backlog while this process's event loop is busy
 * — the case where closing the listener resets connections the kernel already accepted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptQueueLength } from './accept-queue.js';
import { Drain } from './drain.js';

const CLIENTS = 24;

/** Node script: opens `n` fresh connections, each sends one GET; prints the outcomes as JSON. */
const CLIENT = `
const http = require('node:http'), fs = require('node:fs');
const [port, n, marker] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
let connected = 0;
const all = Array.from({ length: n }, () => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port, path: '/work', agent: false }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }));
  });
  req.on('socket', (s) => s.on('connect', () => { if (++connected === n) fs.writeFileSync(marker, 'ok'); }));
  req.on('error', (e) => resolve({ error: e.code || e.message }));
  req.end();
}));
Promise.all(all).then((r) => process.stdout.write(JSON.stringify(r)));
`;

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => server.closeAllConnections());
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Starts the clients, blocks this event loop until all of them are connected (so every
 * connection is in the backlog, none accepted yet), runs `stop` while still blocked, and returns
 * what each client got.
 */
async function clientsInBacklog(port: number, stop: () => void): Promise<{ status?: number; connection?: string; error?: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'drain-test-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, 'connected');
  const child = spawn(process.execPath, ['-e', CLIENT, String(port), String(CLIENTS), marker], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  const until = Date.now() + 20_000;
  while (!existsSync(marker) && Date.now() < until) {
    // Busy on purpose: the event loop must not accept anything yet.
  }
  expect(existsSync(marker), 'clients did not connect').toBe(true);
  stop();
  await done;
  return JSON.parse(out) as { status?: number; error?: string }[];
}

describe('Drain', () => {
  it('the hole: http.Server#close resets connections waiting in the accept backlog', async () => {
    const { server, port } = await listen((_req, res) => res.end('done'));
    const got = await clientsInBacklog(port, () => server.close());
    expect(got.filter((g) => g.error).length).toBeGreaterThan(0);
  });

  it('reads the accept queue of the listening socket (Linux)', async () => {
    const { server, port } = await listen((_req, res) => res.end('done'));
    expect(acceptQueueLength(server)).toBe(0);
    let queued: number | null = null;
    await clientsInBacklog(port, () => (queued = acceptQueueLength(server)));
    expect(queued).toBe(CLIENTS);
  });

  it('answers every connection of the backlog, with Connection: close, and closes the listener after', async () => {
    const { server, port } = await listen((_req, res) => setTimeout(() => res.end('done'), 30));
    const drain = new Drain({ drainMs: 0, quietMs: 100 }).attach(server);
    let report: Promise<Awaited<ReturnType<Drain['start']>>> | undefined;
    const got = await clientsInBacklog(port, () => (report = drain.start()));
    expect(drain.draining).toBe(true);
    expect(got).toEqual(Array.from({ length: CLIENTS }, () => ({ status: 200, connection: 'close', body: 'done' })));
    const r = await report!;
    expect(r.forced).toBe(0);
    expect(server.listening).toBe(false);
  });

  it('a quiet period fooled by a busy event loop: the accept queue keeps the listener open until it is empty', async () => {
    const { server, port } = await listen((_req, res) => res.end('done'));
    const drain = new Drain({ drainMs: 0, quietMs: 50 }).attach(server);
    const report = drain.start();
    await new Promise((r) => setTimeout(r, 10)); // in the quiet wait now
    // Blocked in the check phase until all clients are connected (longer than quietMs): the next
    // loop iteration runs the quiet timer before its poll phase sees the queued connections.
    await new Promise((r) => setImmediate(r));
    const got = await clientsInBacklog(port, () => {});
    expect(got.filter((g) => g.error)).toEqual([]);
    expect((await report).forced).toBe(0);
  });

  it('keeps answering during the drain window; a silent connection gets its grace; a stuck request is cut at forceMs', async () => {
    let stuck = 0;
    const { server, port } = await listen((req, res) => {
      if (req.url === '/stuck') return void stuck++; // never answered
      res.end('ok');
    });
    const drain = new Drain({ drainMs: 300, quietMs: 50, graceMs: 400, forceMs: 1500 }).attach(server);
    const stuckReq = fetch(`http://127.0.0.1:${port}/stuck`).then(() => 'answered', () => 'cut');
    await new Promise((r) => setTimeout(r, 100));
    const report = drain.start();
    // A connection opened during the window that sends its request only 200 ms later.
    const silent = new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('close', () => resolve(answer.split('\r\n')[0] + (/\r\nconnection: close\r\n/i.test(answer) ? ' close' : '')));
      socket.on('error', (e) => resolve(e.message));
      setTimeout(() => socket.write('GET /late HTTP/1.1\r\nHost: x\r\n\r\n'), 200);
    });
    const during = await fetch(`http://127.0.0.1:${port}/during`);
    expect(during.status).toBe(200);
    expect(during.headers.get('connection')).toBe('close');
    expect(await silent).toBe('HTTP/1.1 200 OK close');
    const r = await report;
    expect(stuck).toBe(1);
    expect(await stuckReq).toBe('cut');
    expect(r.forced).toBe(1);
    expect(r.listeningMs).toBeGreaterThanOrEqual(300);
  });
});
