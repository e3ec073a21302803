import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly answered: number;
}

/**
 * A webhook receiver on a real node HTTP server: it records every request and answers with the status in
 * `status` (200 by default); while `hold` is set it keeps requests waiting until released. `stop()` closes
 * the port, `start()` opens it again on the same port.
 */
export class TestReceiver {
  readonly received: Received[] = [];
  status = 200;
  hold: Promise<void> | undefined;
  /** Requests waiting on `hold` right now. */
  held = 0;
  port: number;
  #server: Server | undefined;

  /** Creates a receiver for the given port (0: a free one, chosen on the first start). */
  constructor(port = 0) {
    this.port = port;
  }

  /** Opens the port. */
  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        if (this.hold) {
          this.held += 1;
          await this.hold;
          this.held -= 1;
        }
        const answered = this.status;
        this.received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
        });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Closes the port and every open connection. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The requests answered with a 2xx. */
  accepted(): Received[] {
    return this.received.filter((r) => r.answered >= 200 && r.answered < 300);
  }

  /** The event ids of accepted requests, in arrival order. */
  acceptedEventIds(): string[] {
    return this.accepted().map((r) => String(r.headers['x-enmesh-event-id']));
  }
}
