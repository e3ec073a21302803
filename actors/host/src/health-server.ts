import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What the health endpoint reports on. */
export interface HealthSources {
  /** True while every part of the process can serve. */
  isReady(): boolean;
  /** Details per part, for people reading /readyz. */
  status(): Record<string, unknown>;
  readonly registry: Registry;
}

/**
 * Serves `/healthz` (the process is alive), `/readyz` (it can serve: 200 or 503 with details) and
 * `/metrics` (Prometheus text) on the given host and port.
 */
export async function startHealthServer(host: string, port: number, sources: HealthSources) {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (path === '/readyz') {
      const ready = sources.isReady();
      response
        .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ready ? 'ready' : 'not ready', ...sources.status() }));
    } else if (path === '/metrics') {
      sources.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': sources.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
