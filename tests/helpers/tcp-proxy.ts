/**
 * A TCP proxy in front of the test PostgreSQL, to take "the database" away from one client
 * without touching the server other tests (and other processes) use. `blackhole()` behaves like a
 * PostgreSQL going down under load: open connections are reset, and new ones are accepted but
 * never answered (a stopping postmaster's backlog, an unreachable host) — the case where the
 * driver waits for its connect timeout. `forward()` brings it back.
 */
import net from 'node:net';

export class TcpProxy {
  private mode: 'forward' | 'blackhole' = 'forward';
  /** New connections still to hold (accepted, never forwarded nor answered) while forwarding. */
  private toHold = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(net.createServer(), target);
    await new Promise<void>((r) => proxy.server.listen(0, '127.0.0.1', r));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resets every open connection; new ones are held without an answer. */
  blackhole() {
    this.mode = 'blackhole';
    this.resetAll();
  }

  /** The next `n` new connections are accepted and then left unanswered; the rest are forwarded. */
  holdNext(n: number) {
    this.toHold = n;
  }

  /** Forwards again; connections held by the blackhole are reset (the client retries). */
  forward() {
    this.mode = 'forward';
    this.resetAll();
  }

  async close() {
    this.resetAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private resetAll() {
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  private track(s: net.Socket) {
    this.sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => this.sockets.delete(s));
  }

  private accept(client: net.Socket) {
    this.track(client);
    if (this.mode === 'blackhole') return;
    if (this.toHold > 0) {
      this.toHold--;
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  }
}
