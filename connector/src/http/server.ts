import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './route-handler.js';

/** A listening HTTP server. */
export interface RunningServer {
  /** The port it listens on (useful when 0 asked for a free one). */
  readonly port: number;
  /**
   * Stops accepting connections, lets open requests finish for up to `shutdownTimeoutMs`, then closes what
   * is left.
   */
  close(): Promise<void>;
}

/**
 * Serves the app on node's HTTP server with the configured request timeout.
 * @throws Error when the port cannot be bound.
 */
export function startHttpServer(
  app: Hono<AppEnv>,
  options: { host: string; port: number; requestTimeoutMs: number; shutdownTimeoutMs: number },
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host },
      (info: AddressInfo) => {
        server.off('error', reject);
        resolve({ port: info.port, close: () => closeServer(server, options.shutdownTimeoutMs) });
      },
    ) as Server;
    server.requestTimeout = options.requestTimeoutMs;
    server.headersTimeout = Math.min(options.requestTimeoutMs, 60_000);
    server.once('error', reject);
  });
}

function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    // Connections that finish their last request while we wait become idle; close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
