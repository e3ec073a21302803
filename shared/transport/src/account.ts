import {
  ErrorCodes,
  type IdentityDeletion,
  type MessageKind,
  ProtocolError,
  type Relationship,
  type RequestOf,
  type ResponseOf,
} from '@enmesh/protocol';
import { type AccountEvent, learnRelationship, processMailboxEntry } from './account-events.js';
import { AccountState, type StoredMessage } from './account-state.js';
import { BootstrapClient } from './bootstrap.js';
import { ClientOutbox, type QueuedSend } from './client-outbox.js';
import type { BackboneEndpoint } from './connection.js';
import { HybridClock } from './datawallet/clock.js';
import { Datawallet, type DatawalletPush, deriveDatawalletKey } from './datawallet/datawallet.js';
import { type ByteSink, type DownloadOptions, downloadFile } from './files/download.js';
import { type ByteSource, type UploadOptions, uploadFile } from './files/upload.js';
import type { DeviceSecrets } from './identity.js';
import { bytesToJson, jsonToBytes } from './json-bytes.js';
import type { KeyStore } from './key-store.js';
import { credentialsExpired, loginDevice } from './login.js';
import { buildSendRequest, recordOwnSend } from './messaging.js';
import { completeOnboarding } from './onboarding.js';
import { ReceiptBatcher } from './receipts.js';
import {
  buildCreationContent,
  buildTemplateContent,
  encodeCreationContent,
  openCreationContent,
  verifyCreationContent,
  verifyTemplateContent,
} from './relationship-content.js';
import { withRetry } from './retry.js';
import type { CallOptions } from './rpc.js';
import { SendCoalescer } from './send-coalescer.js';
import type { MailboxOptions } from './session.js';
import { DeviceSession } from './session.js';
import {
  createToken,
  loadTemplateContent,
  loadToken,
  type ShareOptions,
  sealTemplate,
  templateReference,
} from './shared-objects.js';
import type { IdentityKeys } from './signing.js';
import {
  type AccountSnapshot,
  loadSnapshot,
  restoreSnapshot,
  type SnapshotPointer,
  takeSnapshot,
  uploadSnapshot,
} from './snapshot.js';

/** A template this identity loaded: its verified content, ready for a relationship request. */
export interface LoadedTemplate {
  readonly id: string;
  readonly createdBy: string;
  readonly content: unknown;
  readonly raw: ReturnType<typeof verifyTemplateContent>;
}

/**
 * One device's view of its identity over the transport: tokens, templates, relationships (with their keys)
 * and end-to-end encrypted messages, and the stream of events from its mailbox.
 */
export class TransportAccount {
  readonly session: DeviceSession;
  readonly identity: IdentityKeys;
  readonly state = new AccountState();
  /** Sends waiting to go out (see `queueMessage`). */
  readonly outbox: ClientOutbox;
  /** The state this device shares with the identity's other devices. */
  readonly datawallet: Datawallet;
  readonly #onRefused: (send: QueuedSend, error: ProtocolError) => void;
  /** Sends made while others are on their way share one request. */
  readonly #sends: SendCoalescer;
  /**
   * Whether the identity may have other devices, to which a sent message's content goes as a sealed copy.
   * Each send's answer tells (`copiedToOwnDevices`); until the first, and after this device onboards another,
   * it is true. A send made without the copy says so (`withoutSenderCopy`): should another device have been
   * added meanwhile, the backbone refuses it and this device sends it again with a copy.
   */
  #otherDevicesMayExist = true;
  #processed = 0;

  private constructor(
    session: DeviceSession,
    identity: IdentityKeys,
    outbox: ClientOutbox,
    datawalletOutbox: ClientOutbox<DatawalletPush>,
    onRefused: (send: QueuedSend, error: ProtocolError) => void,
  ) {
    this.session = session;
    this.identity = identity;
    this.outbox = outbox;
    this.datawallet = new Datawallet({
      state: this.state.datawallet,
      clock: new HybridClock(session.deviceId),
      key: deriveDatawalletKey(identity.privateKey),
      outbox: datawalletOutbox,
      push: (body) => session.call('pushDatawallet', body),
    });
    this.#onRefused = onRefused;
    this.#sends = new SendCoalescer({
      one: (body, options) => session.call('sendMessage', body, options),
      many: (messages, options) => session.call('sendMessages', { messages }, options),
    });
    // What waited while the device was offline goes out as soon as it is back.
    session.onReconnect(() => {
      void this.flushOutbox().catch(() => undefined);
      void this.datawallet.flush().catch(() => undefined);
    });
  }

  /**
   * Connects a device of an identity. With `outboxStore`, queued sends survive a restart of the client and go
   * out after it reconnects.
   */
  static async open(
    endpoint: BackboneEndpoint,
    secrets: DeviceSecrets,
    options: {
      outboxStore?: KeyStore;
      onRefused?: (send: QueuedSend, error: ProtocolError) => void;
      /**
       * Called with the device's secrets each time its credentials change (renewed before expiry, or after a
       * login): persist them, so that a restart connects with a valid JWT.
       */
      onCredentials?: (secrets: DeviceSecrets) => void;
      /**
       * The bootstrap credentials: with them, a device whose stored JWT has expired logs in with its key
       * first instead of failing to connect.
       */
      bootstrapCreds?: string;
    } = {},
  ): Promise<TransportAccount> {
    let current = secrets;
    if (options.bootstrapCreds !== undefined && credentialsExpired(secrets)) {
      const bootstrap = await BootstrapClient.connect(endpoint, options.bootstrapCreds);
      try {
        current = await loginDevice(bootstrap, secrets);
      } finally {
        await bootstrap.close();
      }
      options.onCredentials?.(current);
    }
    const outbox = await ClientOutbox.open(options.outboxStore);
    const datawalletOutbox = await ClientOutbox.open<DatawalletPush>(
      options.outboxStore,
      'datawallet-outbox',
    );
    const session = await DeviceSession.fromSecrets(endpoint, current, {
      onCredentials: (credentials) => options.onCredentials?.({ ...current, credentials }),
    });
    const account = new TransportAccount(
      session,
      current.identity,
      outbox,
      datawalletOutbox,
      options.onRefused ?? (() => undefined),
    );
    if (outbox.pending.length > 0) void account.flushOutbox().catch(() => undefined);
    if (datawalletOutbox.pending.length > 0) void account.datawallet.flush().catch(() => undefined);
    return account;
  }

  /** The identity's address. */
  get address(): string {
    return this.identity.address;
  }

  /**
   * Creates a token holding JSON content; returns it with its reference and link. The identity's other
   * devices learn the reference through the datawallet (`tokens` collection).
   */
  async createToken(content: unknown, options: ShareOptions, callOptions?: CallOptions) {
    const created = await createToken(this.session, content, options, callOptions);
    this.datawallet.set('tokens', created.token.id, {
      reference: created.reference,
      url: created.url,
      expiresAt: created.token.expiresAt,
    });
    return created;
  }

  /** Loads a token by reference or link. */
  loadToken(reference: string, options?: { password?: string } & CallOptions) {
    return loadToken(this.session, reference, options);
  }

  /** Creates a relationship template with JSON content; returns it with its reference and link. */
  async createTemplate(
    content: unknown,
    options: ShareOptions & { maxNumberOfAllocations?: number },
    callOptions?: CallOptions,
  ) {
    const plaintext = jsonToBytes(buildTemplateContent(this.identity, content));
    const { sealed, text } = await sealTemplate(plaintext, options);
    const template = await this.session.call(
      'createTemplate',
      {
        content: text,
        expiresAt: options.expiresAt.toISOString(),
        ...(options.forIdentity ? { forIdentity: options.forIdentity } : {}),
        ...(options.maxNumberOfAllocations ? { maxNumberOfAllocations: options.maxNumberOfAllocations } : {}),
        ...(sealed.verifier && options.password
          ? { password: { verifier: sealed.verifier, kind: options.password.kind } }
          : {}),
      },
      callOptions,
    );
    const shared = templateReference(template, sealed.referenceKey, options, sealed.password);
    // The identity's other devices learn the reference (and so the key) through the datawallet.
    this.datawallet.set('templates', template.id, { ...shared, expiresAt: template.expiresAt });
    return { template, ...shared };
  }

  /** Loads a template by reference or link, verifying that its creator signed it. */
  async loadTemplate(
    reference: string,
    options?: { password?: string } & CallOptions,
  ): Promise<LoadedTemplate> {
    const { template, plaintext } = await loadTemplateContent(this.session, reference, options);
    const raw = verifyTemplateContent(bytesToJson(plaintext), template.createdBy);
    return { id: template.id, createdBy: template.createdBy, content: raw.content, raw };
  }

  /** Requests a relationship from a loaded template, with JSON content only the templator can read. */
  async requestRelationship(
    template: LoadedTemplate,
    content: unknown,
    options?: CallOptions,
  ): Promise<Relationship> {
    const creation = buildCreationContent(this.identity, template.id, template.raw, content);
    const relationship = await this.session.call(
      'createRelationship',
      { templateId: template.id, creationContent: encodeCreationContent(creation) },
      options,
    );
    learnRelationship(this.identity, this.state, relationship);
    return relationship;
  }

  /** Reads the content of a request made to this identity (templator side). */
  creationContentOf(relationship: Relationship): unknown {
    return openCreationContent(
      this.identity,
      verifyCreationContent(relationship.creationContent, relationship.from),
    );
  }

  /** Runs one lifecycle operation and records the result. */
  async change(
    operation:
      | 'acceptRelationship'
      | 'rejectRelationship'
      | 'revokeRelationship'
      | 'terminateRelationship'
      | 'requestReactivation'
      | 'acceptReactivation'
      | 'rejectReactivation'
      | 'revokeReactivation',
    id: string,
    options?: CallOptions,
  ): Promise<Relationship> {
    const relationship = await this.session.call(operation, { id }, options);
    learnRelationship(this.identity, this.state, relationship);
    return relationship;
  }

  /** Decomposes a finished relationship: gone for this identity. */
  async decompose(id: string, options?: CallOptions): Promise<void> {
    await this.session.call('decomposeRelationship', { id }, options);
    this.state.putRelationship(id, null);
  }

  /**
   * Starts the deletion of this identity: after the grace period the backbone removes it and everything it
   * holds; until then it can create nothing, and `cancelDeletion` stops it. Peers are told.
   */
  startDeletion(options?: CallOptions): Promise<IdentityDeletion> {
    return this.session.call('startIdentityDeletion', {}, options);
  }

  /** Cancels this identity's deletion within its grace period. */
  cancelDeletion(options?: CallOptions): Promise<IdentityDeletion> {
    return this.session.call('cancelIdentityDeletion', {}, options);
  }

  /** Where this identity stands in its deletion. */
  deletionStatus(options?: CallOptions): Promise<IdentityDeletion> {
    return this.session.call('getIdentityDeletion', {}, options);
  }

  /** Moves this side of a relationship to the next key epoch (the peer follows when it receives). */
  rotateRelationshipKeys(id: string): number {
    const keys = this.state.keys.get(id);
    if (!keys) return -1;
    keys.sendEpoch += 1;
    return keys.sendEpoch;
  }

  /**
   * Sends an end-to-end encrypted message with JSON content and optional file references (sealed with the
   * content; the backbone learns the file ids). Content needs Active relationships; a notification may also
   * go over Terminated ones. Retrying with the same `id` is stored once.
   */
  async sendMessage(
    recipients: readonly string[],
    content: unknown,
    options: {
      kind?: MessageKind;
      id?: string;
      retryForMs?: number;
      attachments?: readonly string[];
    } & CallOptions = {},
  ): Promise<ResponseOf<'sendMessage'>> {
    let body = buildSendRequest(this.identity, this.state, recipients, content, {
      ...options,
      copyForOwnDevices: this.#otherDevicesMayExist,
    });
    let answer: ResponseOf<'sendMessage'>;
    try {
      answer = await this.#sendWithRetry(body, options);
    } catch (error) {
      // Left without a copy, but the identity has another device by now: send it again with one.
      if (!ProtocolError.isProtocolError(error, ErrorCodes.messageSenderCopyNeeded)) throw error;
      this.#otherDevicesMayExist = true;
      body = buildSendRequest(this.identity, this.state, recipients, content, { ...options, id: body.id });
      answer = await this.#sendWithRetry(body, options);
    }
    this.#otherDevicesMayExist = answer.copiedToOwnDevices;
    recordOwnSend(this.identity, this.state, body, answer, content);
    return answer;
  }

  /** The id makes a send idempotent, so a send whose answer was lost is simply repeated. */
  #sendWithRetry(
    body: RequestOf<'sendMessage'>,
    options: { retryForMs?: number } & CallOptions,
  ): Promise<ResponseOf<'sendMessage'>> {
    return withRetry(() => this.#sends.send(body, options), options.retryForMs ?? 30_000, options.signal);
  }

  /**
   * Seals a message now and queues it in the client outbox; it goes out when the device is (back) online,
   * once. Returns the message id at once. Refused sends are reported to `onRefused` of `open`.
   */
  async queueMessage(
    recipients: readonly string[],
    content: unknown,
    options: { kind?: MessageKind; attachments?: readonly string[] } = {},
  ): Promise<string> {
    const body = buildSendRequest(this.identity, this.state, recipients, content, options);
    await this.outbox.add(body);
    void this.flushOutbox().catch(() => undefined);
    return body.id;
  }

  /** Sends what waits in the client outbox now; returns how many went out. */
  flushOutbox(): Promise<number> {
    return this.outbox.flush(
      async (body) =>
        recordOwnSend(
          this.identity,
          this.state,
          body,
          await this.session.call('sendMessage', body, { timeoutMs: 3000 }),
        ),
      this.#onRefused,
    );
  }

  /**
   * Uploads a file, sealed here chunk by chunk; returns its reference and ownership token. The identity's
   * other devices learn the reference through the datawallet (`files` collection).
   */
  async uploadFile(source: ByteSource, options: UploadOptions) {
    const uploaded = await uploadFile(this.session, source, options);
    this.datawallet.set('files', uploaded.id, {
      reference: uploaded.reference,
      name: options.name,
      size: options.size,
      expiresAt: options.expiresAt.toISOString(),
    });
    return uploaded;
  }

  /** Downloads a file by reference into a sink, verifying every chunk and the hash. */
  downloadFile(reference: string, sink: ByteSink, options?: DownloadOptions) {
    return downloadFile(this.session, reference, sink, options);
  }

  /**
   * This identity's messages, oldest first; only the unread ones when asked. The read state is shared by
   * the identity's devices (the datawallet's `messages` collection).
   */
  listMessages(options: { unreadOnly?: boolean } = {}): StoredMessage[] {
    const all = [...this.state.messages.values()].map((message): StoredMessage => {
      const shared = this.datawallet.get('messages', message.id);
      if (!shared || !('readAt' in shared)) return message;
      const { readAt: _local, ...rest } = message;
      return typeof shared.readAt === 'string' ? { ...rest, readAt: shared.readAt } : rest;
    });
    return options.unreadOnly ? all.filter((message) => message.readAt === undefined) : all;
  }

  /** Marks a message read (or unread again) on every device of the identity; false for an unknown id. */
  markMessageRead(id: string, read = true): boolean {
    if (!this.state.messages.has(id)) return false;
    this.datawallet.set('messages', id, { readAt: read ? new Date().toISOString() : null });
    return true;
  }

  /**
   * The identity's events, from the mailbox after `cursor`: each entry is processed (keys derived, messages
   * opened and verified, replays refused), handed out, and acknowledged when the next one is asked for.
   */
  async *events(options: MailboxOptions = {}): AsyncGenerator<AccountEvent> {
    let cursor = options.cursor;
    // Processed may run ahead of the cursor: an entry handed out whose ack was lost comes again, same sequence.
    let processed = cursor ?? 0;
    const receipts = new ReceiptBatcher(this.session);
    while (!this.session.isClosed) {
      let mailbox: Awaited<ReturnType<DeviceSession['mailbox']>> | undefined;
      try {
        mailbox = await this.session.mailbox({ ...options, ...(cursor === undefined ? {} : { cursor }) });
        for await (const entry of mailbox) {
          if (entry.sequence > processed) {
            processed = entry.sequence;
            this.#processed = processed;
            const events = processMailboxEntry(this.identity, this.state, entry.data, this.datawallet);
            for (const event of events) {
              if (event.type === 'messageReceived') receipts.add(event.message.id);
              yield event;
            }
          }
          await entry.ack();
          cursor = Math.max(cursor ?? 0, entry.sequence);
          options.onCursor?.(cursor);
        }
      } catch {
        // The connection or the consumer went away (server restart, network): reopen from the cursor.
      } finally {
        await mailbox?.close();
        await receipts.flush().catch(() => undefined);
      }
      if (this.session.isClosed) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The last mailbox sequence this device processed (its state reflects everything up to it). */
  get cursor(): number {
    return this.#processed;
  }

  /**
   * Adds the device shown in an onboarding QR code to this identity, and hands it a snapshot of this
   * device's state (a sealed file) with the cursor it reflects, so the new device need not replay the
   * whole history.
   * @throws ProtocolError with the backbone's code (expired token or challenge, device quota, …).
   */
  async onboardDevice(qr: string, name?: string, options?: CallOptions) {
    this.#otherDevicesMayExist = true;
    const onboarded = await completeOnboarding(this.session, this.identity, qr, name, options, () =>
      uploadSnapshot(this.session, this.state, this.#processed),
    );
    // Answers to sends decided before the new device existed may have said otherwise meanwhile.
    this.#otherDevicesMayExist = true;
    return onboarded;
  }

  /**
   * Fills this (new) device's state from the snapshot an existing device handed over; returns the cursor to
   * read the mailbox from (`events({ cursor })`).
   */
  async restoreSnapshot(pointer: SnapshotPointer): Promise<number> {
    const { cursor, datawallet } = await restoreSnapshot(this.session, this.state, pointer);
    this.datawallet.adopt(datawallet);
    this.#processed = Math.max(this.#processed, cursor);
    return cursor;
  }

  /**
   * This device's local state (relationships with their keys, messages, datawallet) at its cursor, as JSON
   * data to keep between runs; it holds relationship keys, so store it as securely as the device's secrets.
   */
  saveState(): AccountSnapshot {
    return takeSnapshot(this.state, this.#processed);
  }

  /**
   * Restores what `saveState` returned (e.g. after a restart); returns the cursor to read the mailbox from
   * (`events({ cursor })`), so nothing is processed twice and nothing is missed.
   */
  loadState(snapshot: AccountSnapshot): number {
    const { cursor, datawallet } = loadSnapshot(this.state, snapshot);
    this.datawallet.adopt(datawallet);
    this.#processed = Math.max(this.#processed, cursor);
    return cursor;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.session.close();
  }
}

export type { AccountEvent };
