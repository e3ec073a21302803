import {
  type Challenge,
  type Device,
  type DeviceCredentials,
  type DeviceKeyPair,
  deviceJetStreamApiPrefix,
  deviceRequestSubject,
  identityToken,
  type OperationName,
  Operations,
  type RequestOf,
  type ResponseOf,
  SignaturePurpose,
} from '@enmesh/protocol';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { type BackboneEndpoint, connectDevice } from './connection.js';
import type { DeviceJoinRequest, DeviceSecrets } from './identity.js';
import { type Mailbox, mailboxFromMessages } from './mailbox.js';
import { type CallOptions, callOperation } from './rpc.js';
import { type IdentityKeys, signWithDevice, signWithIdentity } from './signing.js';

/** Options for opening the mailbox. */
export interface MailboxOptions {
  /** Last sequence this device processed; the backbone's copy is used when omitted. */
  readonly cursor?: number;
  /** Called with the new cursor after each acknowledged entry (persist it to resume later). */
  readonly onCursor?: (cursor: number) => void;
  /** Entries fetched per pull (at most 256). */
  readonly batch?: number;
}

/**
 * A device's authenticated connection to the backbone: calls as this device, its mailbox, and the device
 * management of its identity. The seed stays in this process; only the JWT and signatures travel.
 */
export class DeviceSession {
  readonly #nc: NatsConnection;
  readonly #device: DeviceKeyPair;
  readonly #token: string;
  #credentials: DeviceCredentials;
  #refreshTimer: NodeJS.Timeout | undefined;
  readonly #onCredentials: ((credentials: DeviceCredentials) => void) | undefined;

  private constructor(
    nc: NatsConnection,
    device: DeviceKeyPair,
    credentials: DeviceCredentials,
    onCredentials?: (credentials: DeviceCredentials) => void,
  ) {
    this.#nc = nc;
    this.#device = device;
    this.#credentials = credentials;
    this.#onCredentials = onCredentials;
    this.#token = identityToken(credentials.address);
    this.#scheduleRefresh();
    void nc.closed().then(() => clearTimeout(this.#refreshTimer));
  }

  /**
   * Renews the JWT when 80 % of its remaining lifetime has passed. The server closes a connection whose JWT
   * expires; the client then reconnects with the renewed JWT (the authenticator reads it at every connect).
   */
  #scheduleRefresh(retryMs?: number): void {
    clearTimeout(this.#refreshTimer);
    if (this.#nc.isClosed()) return;
    const remaining = Date.parse(this.#credentials.jwtExpiresAt) - Date.now();
    const delay = retryMs ?? Math.max(1000, Math.floor(remaining * 0.8));
    this.#refreshTimer = setTimeout(() => {
      this.call('refreshCredentials', {}).then(
        (credentials) => {
          this.#credentials = credentials;
          // The renewed JWT is what a restart must connect with: the owner persists it.
          this.#onCredentials?.(credentials);
          this.#scheduleRefresh();
        },
        () => this.#scheduleRefresh(Math.max(1000, Math.min(30_000, Math.floor(remaining / 10)))),
      );
    }, delay);
    this.#refreshTimer.unref();
  }

  /**
   * Connects a device with its seed and credentials.
   * @throws Error from the NATS client when the server refuses the credentials.
   */
  static async open(
    endpoint: BackboneEndpoint,
    device: DeviceKeyPair,
    credentials: DeviceCredentials,
    options: {
      maxReconnectAttempts?: number;
      /** Called with every renewed set of credentials, to persist them. */
      onCredentials?: (credentials: DeviceCredentials) => void;
    } = {},
  ): Promise<DeviceSession> {
    let session: DeviceSession | undefined;
    const nc = await connectDevice(
      endpoint,
      {
        publicKey: device.publicKey,
        seed: device.seed,
        jwt: () => (session ? session.#credentials.jwt : credentials.jwt),
      },
      options,
    );
    session = new DeviceSession(nc, device, credentials, options.onCredentials);
    return session;
  }

  /** Connects the device described by stored secrets. */
  static fromSecrets(
    endpoint: BackboneEndpoint,
    secrets: DeviceSecrets,
    options: { onCredentials?: (credentials: DeviceCredentials) => void } = {},
  ): Promise<DeviceSession> {
    return DeviceSession.open(endpoint, secrets.device, secrets.credentials, options);
  }

  /** Says which kind of caller this is (a device), for functions that serve both kinds. */
  readonly kind = 'device' as const;

  /** The identity address this device acts for. */
  get address(): string {
    return this.#credentials.address;
  }

  /** This device's id (its public nkey). */
  get deviceId(): string {
    return this.#device.publicKey;
  }

  /** The underlying connection's state. */
  get isClosed(): boolean {
    return this.#nc.isClosed();
  }

  /** Resolves when the connection has closed, with the error that closed it (undefined when closed cleanly). */
  async closed(): Promise<Error | undefined> {
    return (await this.#nc.closed()) ?? undefined;
  }

  /** The credentials in use (renewed automatically before the JWT expires). */
  get credentials(): DeviceCredentials {
    return this.#credentials;
  }

  /** Calls `listener` each time the connection is re-established after a loss; returns a stop function. */
  onReconnect(listener: () => void): () => void {
    let stopped = false;
    void (async () => {
      for await (const status of this.#nc.status()) {
        if (stopped) return;
        if (status.type === 'reconnect') listener();
      }
    })().catch(() => undefined);
    return () => {
      stopped = true;
    };
  }

  /** Replaces the credentials (after a login); the next reconnect uses the new JWT. */
  updateCredentials(credentials: DeviceCredentials): void {
    this.#credentials = credentials;
    this.#scheduleRefresh();
  }

  /**
   * Calls a backbone operation as this device.
   * @throws ProtocolError with the backbone's code; TransportError for connection problems.
   */
  call<N extends OperationName>(name: N, body: RequestOf<N>, options?: CallOptions): Promise<ResponseOf<N>> {
    const spec = Operations[name];
    const subject = deviceRequestSubject(this.#token, this.#device.publicKey, spec.service, spec.operation);
    return callOperation(this.#nc, subject, name, body, options);
  }

  /**
   * Opens the mailbox from the cursor: every entry published to this identity after it, in order, to this
   * device independently of the identity's other devices.
   */
  async mailbox(options: MailboxOptions = {}, callOptions?: CallOptions): Promise<Mailbox> {
    const opened = await this.call(
      'openMailbox',
      options.cursor === undefined ? {} : { cursor: options.cursor },
      callOptions,
    );
    const consumer = await jetstream(this.#nc, { apiPrefix: deviceJetStreamApiPrefix }).consumers.get(
      opened.stream,
      opened.consumer,
    );
    const messages = await consumer.consume({
      max_messages: Math.min(options.batch ?? 100, 256),
      expires: 30_000,
    });
    return mailboxFromMessages(messages, opened.startSequence - 1, options.onCursor ?? (() => undefined));
  }

  /** Creates a challenge to be signed by this identity's key (or this device's key, type Device). */
  createChallenge(type: Challenge['type'] = 'Identity', options?: CallOptions): Promise<Challenge> {
    return this.call('createChallenge', { type }, options);
  }

  /** Signs a challenge created by this identity (type Identity) with the identity key. */
  signChallengeWithIdentity(identity: IdentityKeys, challenge: Challenge): string {
    return signWithIdentity(identity.privateKey, SignaturePurpose.challenge, challenge);
  }

  /** Signs a challenge created by this device (type Device) with the device key. */
  signChallengeWithDevice(challenge: Challenge): string {
    return signWithDevice(this.#device.seed, SignaturePurpose.challenge, challenge);
  }

  /** Asks the backbone whether a signature over one of its challenges is valid, and who signed it. */
  validateChallenge(challengeId: string, signature: string, options?: CallOptions) {
    return this.call('validateChallenge', { challengeId, signature }, options);
  }

  /**
   * Adds a new device to this identity from the new device's join request, consenting with the identity
   * key. Returns the new device's record and credentials (not secret; its seed stayed on the new device).
   */
  addDevice(identity: IdentityKeys, join: DeviceJoinRequest, name?: string, options?: CallOptions) {
    return this.call(
      'addDevice',
      {
        challengeId: join.challenge.id,
        devicePublicKey: join.device.publicKey,
        identitySignature: signWithIdentity(
          identity.privateKey,
          SignaturePurpose.addDeviceIdentity,
          join.challenge,
          [join.device.publicKey],
        ),
        deviceSignature: join.deviceSignature,
        ...(name ? { name } : {}),
      },
      options,
    );
  }

  /** Lists this identity's devices. */
  async listDevices(options?: CallOptions): Promise<Device[]> {
    return (await this.call('listDevices', {}, options)).devices;
  }

  /** Renames a device of this identity. */
  renameDevice(deviceId: string, name: string, options?: CallOptions): Promise<Device> {
    return this.call('renameDevice', { deviceId, name }, options);
  }

  /** Revokes a device of this identity: it is cut off at once and stays listed as revoked. */
  revokeDevice(deviceId: string, options?: CallOptions): Promise<Device> {
    return this.call('revokeDevice', { deviceId }, options);
  }

  /** Deletes a device of this identity: cut off at once and removed from the list. */
  async deleteDevice(deviceId: string, options?: CallOptions): Promise<void> {
    await this.call('deleteDevice', { deviceId }, options);
  }

  /** Closes the connection, flushing what was sent. */
  async close(): Promise<void> {
    clearTimeout(this.#refreshTimer);
    if (!this.#nc.isClosed()) await this.#nc.drain().catch(() => this.#nc.close());
  }

  /** Closes the connection (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Never prints secrets. */
  toString(): string {
    return `DeviceSession(${this.#device.publicKey})`;
  }
}
