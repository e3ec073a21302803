import {
  bootstrapRequestSubject,
  type Challenge,
  type DeviceCredentials,
  type OperationName,
  Operations,
  type RequestOf,
  type ResponseOf,
} from '@enmesh/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import { type BackboneEndpoint, connectBootstrap } from './connection.js';
import { type CallOptions, callOperation } from './rpc.js';

/**
 * The unauthenticated way into the backbone: challenges, registration and device login. It can do nothing
 * else; every other operation needs a device session.
 */
export class BootstrapClient {
  readonly #nc: NatsConnection;

  private constructor(nc: NatsConnection) {
    this.#nc = nc;
  }

  /** Connects with the bootstrap credentials (the content of the backbone's bootstrap.creds). */
  static async connect(endpoint: BackboneEndpoint, creds: string): Promise<BootstrapClient> {
    return new BootstrapClient(await connectBootstrap(endpoint, creds));
  }

  /** Says which kind of caller this is (anonymous), for functions that serve both kinds. */
  readonly kind = 'bootstrap' as const;

  /**
   * Calls a bootstrap operation.
   * @throws ProtocolError with the backbone's code; TransportError for connection problems.
   */
  call<N extends OperationName>(name: N, body: RequestOf<N>, options?: CallOptions): Promise<ResponseOf<N>> {
    const spec = Operations[name];
    return callOperation(
      this.#nc,
      bootstrapRequestSubject(spec.service, spec.operation),
      name,
      body,
      options,
    );
  }

  /** Asks for an anonymous challenge (type Identity, valid ten minutes, single use). */
  createChallenge(options?: CallOptions): Promise<Challenge> {
    return this.call('createAnonymousChallenge', {}, options);
  }

  /** Registers an identity with its first device (see `createIdentity` for the whole flow). */
  registerIdentity(
    body: RequestOf<'createIdentity'>,
    options?: CallOptions,
  ): Promise<ResponseOf<'createIdentity'>> {
    return this.call('createIdentity', body, options);
  }

  /** Fetches fresh credentials for a registered device that signed a challenge. */
  loginDevice(body: RequestOf<'loginDevice'>, options?: CallOptions): Promise<DeviceCredentials> {
    return this.call('loginDevice', body, options);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#nc.close();
  }

  /** Closes the connection (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
