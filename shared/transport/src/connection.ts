import { bootstrapInboxPrefix, deviceInboxPrefix } from '@enmesh/protocol';
import { credsAuthenticator, jwtAuthenticator, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

/** Where the backbone is. */
export interface BackboneEndpoint {
  /** NATS server URLs, e.g. `nats://127.0.0.1:14222`. */
  readonly servers: string | string[];
}

/** Connects as the shared bootstrap user with its (public) credentials file content. */
export function connectBootstrap(endpoint: BackboneEndpoint, creds: string): Promise<NatsConnection> {
  return connect({
    servers: endpoint.servers,
    name: 'enmesh-bootstrap',
    authenticator: credsAuthenticator(new TextEncoder().encode(creds)),
    // The bootstrap user may only subscribe below its own inbox prefix.
    inboxPrefix: bootstrapInboxPrefix,
    maxReconnectAttempts: 10,
    // Async stack traces cost half of a client's CPU per request (DESIGN §3); errors keep their codes.
    noAsyncTraces: true,
  });
}

/**
 * Connects as a device: its JWT (read at every (re)connect, so a refreshed JWT is picked up) and its seed,
 * which signs the server's nonce and never leaves this process. The inbox prefix must be the device's own:
 * its permissions allow no other.
 */
export function connectDevice(
  endpoint: BackboneEndpoint,
  device: { publicKey: string; seed: Uint8Array; jwt: () => string },
  options: { maxReconnectAttempts?: number } = {},
): Promise<NatsConnection> {
  return connect({
    servers: endpoint.servers,
    name: 'enmesh-device',
    authenticator: jwtAuthenticator(device.jwt, device.seed),
    inboxPrefix: deviceInboxPrefix(device.publicKey),
    maxReconnectAttempts: options.maxReconnectAttempts ?? -1,
    reconnectTimeWait: 500,
    noAsyncTraces: true,
  });
}
