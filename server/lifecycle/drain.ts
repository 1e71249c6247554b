/**
 * Graceful drain of an HTTP server on SIGTERM/SIGINT, so that a stop (a deploy, a restart) never
 * resets a connection the server already accepted.
 *
 * Why not just `server.close()`: Node's `http.Server#close` first destroys every connection it
 * thinks idle — which includes a connection accepted a moment ago whose request bytes have not
 * been parsed yet — and closing the listening socket makes the kernel reset every connection
 * still waiting in its accept backlog. Under load both happen to requests sent before the signal
 * (issue #14.6: 16 of 32 reads and all 4 writes on fresh connections were reset).
 *
 * What happens instead, in order:
 * 1. **draining** (`drainMs`): the server keeps listening and answering, so a load balancer has
 *    time to see `/api/health` answer 503 `draining` and stop sending; every answer not yet
 *    started carries `Connection: close`, so keep-alive clients move elsewhere.
 * 2. **stop listening** once no new connection has arrived for a short quiet period and the
 *    kernel's accept queue reads empty (accept-queue.ts), both bounded; the listener is closed
 *    *without* Node's idle-connection sweep.
 * 3. **finish**: requests in flight are answered; a connection accepted but silent gets
 *    `graceMs` to send its request; keep-alive connections idle after an answer are closed.
 *    After `forceMs` whatever is left is cut (a stuck request must not block the stop forever).
 */
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import { acceptQueueLength } from './accept-queue.js';

export interface DrainOptions {
  /** How long the server keeps accepting and answering after the signal. */
  drainMs: number;
  /** How long a connection accepted but still silent may take to send its request. */
  graceMs?: number;
  /** No new connection for this long: the accept backlog is empty, the listener may close. */
  quietMs?: number;
  /** Upper bound on waiting, after `drainMs`, for the backlog to go quiet and the accept queue to empty. */
  maxQuietWaitMs?: number;
  /** Upper bound, after the listener closed, on waiting for requests in flight. */
  forceMs?: number;
  log?: (message: string) => void;
}

/** What a drain did, for logs and tests. */
export interface DrainReport {
  /** From the start of the drain to the listener closing, and to the last connection closing. */
  listeningMs: number;
  totalMs: number;
  /** Connections cut at `forceMs` (requests still unanswered). */
  forced: number;
}

interface SocketState {
  /** Requests on this socket whose response has not finished. */
  active: number;
  /** Responses finished on this socket. */
  served: number;
  acceptedAt: number;
}

const TICK_MS = 25;

export class Drain {
  private server: HttpServer | null = null;
  private readonly sockets = new Map<Socket, SocketState>();
  private lastConnectionAt = 0;
  private started: Promise<DrainReport> | null = null;

  constructor(private readonly opts: DrainOptions) {}

  /** True from the signal on: `/api/health` answers 503 `draining`. */
  get draining(): boolean {
    return this.started !== null;
  }

  /** Follows the server's connections and requests; call before it accepts any. */
  attach(server: HttpServer): this {
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.lastConnectionAt = performance.now();
      this.sockets.set(socket, { active: 0, served: 0, acceptedAt: this.lastConnectionAt });
      socket.once('close', () => this.sockets.delete(socket));
    });
    // Before the app's own listener, so the header is in place before any answer is written.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const state = this.sockets.get(req.socket);
      if (this.draining) res.setHeader('Connection', 'close');
      if (!state) return;
      state.active++;
      res.once('close', () => {
        state.active--;
        state.served++;
      });
    });
    return this;
  }

  /** Starts the drain (once; later calls get the same promise) and resolves when it is over. */
  start(): Promise<DrainReport> {
    this.started ??= this.run();
    return this.started;
  }

  private async run(): Promise<DrainReport> {
    const server = this.server;
    if (!server) throw new Error('Drain.start() before attach()');
    const t0 = performance.now();
    const log = this.opts.log ?? (() => {});
    for (const socket of this.sockets.keys()) {
      const res = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
      if (res && !res.headersSent) res.setHeader('Connection', 'close');
    }
    log(`draining: answering for ${this.opts.drainMs} ms more, with Connection: close`);
    await sleep(this.opts.drainMs);

    const until = performance.now() + (this.opts.maxQuietWaitMs ?? 2000);
    await this.untilBacklogQuiet(until);
    await this.untilAcceptQueueEmpty(server, until);
    // Synchronously after the queue read 0: net.Server#close stops listening only. http.Server#close
    // would first destroy connections accepted but not yet parsed — exactly what a drain is for.
    net.Server.prototype.close.call(server);
    const listeningMs = performance.now() - t0;
    log(`stopped listening after ${listeningMs.toFixed(0)} ms; ${this.sockets.size} connections open`);

    const forceAt = performance.now() + (this.opts.forceMs ?? 10_000);
    const graceMs = this.opts.graceMs ?? 2000;
    while (this.sockets.size > 0 && performance.now() < forceAt) {
      this.closeFinished(graceMs);
      if (this.sockets.size === 0) break;
      await sleep(TICK_MS);
    }
    const forced = this.sockets.size;
    for (const socket of this.sockets.keys()) socket.destroy();
    if (forced) log(`${forced} connections cut after ${this.opts.forceMs ?? 10_000} ms`);
    return { listeningMs, totalMs: performance.now() - t0, forced };
  }

  /**
   * Waits until no connection arrived for `quietMs` (bounded), so none waits in the backlog. The
   * wait is never shorter than `quietMs`: connections the kernel queued while the event loop was
   * busy are only seen once it polls again.
   */
  private async untilBacklogQuiet(until: number) {
    const quietMs = this.opts.quietMs ?? 100;
    const from = performance.now();
    const quietFor = () => performance.now() - Math.max(from, this.lastConnectionAt);
    while (quietFor() < quietMs && performance.now() < until) await sleep(TICK_MS);
  }

  /**
   * Lets the event loop accept until the kernel's accept queue is empty (bounded). The quiet
   * period alone can be fooled: after a long synchronous task its timer fires before the event
   * loop polls for the connections that queued meanwhile. Returning is followed by the listener's
   * close without any I/O in between. Clients that keep connecting after the drain window (ignoring
   * `/api/health`) keep the queue from emptying: at the bound, what is queued is reset.
   */
  private async untilAcceptQueueEmpty(server: HttpServer, until: number) {
    while (performance.now() < until) {
      const queued = acceptQueueLength(server);
      if (!queued) return;
      await sleep(1);
    }
  }

  /**
   * Closes connections with nothing left to answer: idle keep-alive ones (served before, nothing
   * in flight) at once, silent fresh ones after `graceMs`. Active ones close themselves after
   * their answer (`Connection: close`).
   */
  private closeFinished(graceMs: number) {
    const now = performance.now();
    for (const [socket, s] of this.sockets) {
      if (s.active > 0) continue;
      if (s.served > 0 || now - s.acceptedAt >= graceMs) socket.destroy();
    }
  }
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
