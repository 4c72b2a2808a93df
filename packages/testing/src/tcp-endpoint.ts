/**
 * A TCP endpoint forwarding to a database server, that a test can shut (the server stops
 * answering: open connections die, new ones are refused) and open again, without touching
 * the server itself. Used to prove that a replica which goes away costs no failed read.
 */
import { type Server, type Socket, createServer, connect as tcpConnect } from 'node:net';

export class TcpEndpoint {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Client connections accepted so far. */
  connections = 0;

  /** Forwards 127.0.0.1:`port` to the host and port of `targetUrl`. */
  constructor(
    private readonly targetUrl: string,
    readonly port: number,
  ) {}

  /** The target's URL with this endpoint's host and port. */
  get url(): string {
    const u = new URL(this.targetUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async open(): Promise<void> {
    const target = new URL(this.targetUrl);
    this.server = createServer((client) => {
      this.connections++;
      const upstream = tcpConnect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
  }

  async shut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

/** A TCP port free on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** An endpoint forwarding to `targetUrl` on a free port, already open. */
export async function openEndpoint(targetUrl: string): Promise<TcpEndpoint> {
  const endpoint = new TcpEndpoint(targetUrl, await freePort());
  await endpoint.open();
  return endpoint;
}
