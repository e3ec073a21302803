import type { AutomationRule } from '@enmesh/consumption';
import type { Relationship } from '@enmesh/protocol';
import {
  type BackboneEndpoint,
  BootstrapClient,
  createIdentity,
  type DeviceSecrets,
  type KeyStore,
  loadDeviceSecrets,
  saveDeviceSecrets,
  TransportAccount,
} from '@enmesh/transport';
import { RuntimeError, RuntimeErrorCodes } from '../errors.js';
import type { RuntimeLogger } from '../events/logger.js';
import { ConsumptionModules } from '../modules/consumption-modules.js';
import { templateContentCheck } from '../modules/template-check.js';
import { AccountService, type DeviceDTO } from '../services/account-service.js';
import { AttributesService } from '../services/attributes-service.js';
import { FilesService } from '../services/files-service.js';
import { MessagesService } from '../services/messages-service.js';
import { RelationshipsService } from '../services/relationships-service.js';
import { IncomingRequestsService, OutgoingRequestsService } from '../services/requests-service.js';
import {
  IdentityMetadataService,
  NotificationsService,
  SettingsService,
} from '../services/settings-service.js';
import { TemplatesService } from '../services/templates-service.js';
import { TokensService } from '../services/tokens-service.js';
import { AccountEntity, type AccountRow, RelationshipEntity } from '../storage/entities.js';
import type { RuntimeStore } from '../storage/store.js';
import { ConsumptionBridge } from './consumption-bridge.js';
import type { AccountContext } from './context.js';
import { MailboxConsumer } from './mailbox-consumer.js';
import { prefixedKeyStore } from './prefixed-key-store.js';
import { RelationshipKeysStore } from './relationship-keys-store.js';

/** The transport use cases of an account, in the shape of the Enmeshed runtime's transport facades. */
export interface TransportServices {
  readonly account: AccountService;
  readonly relationships: RelationshipsService;
  readonly relationshipTemplates: TemplatesService;
  readonly tokens: TokensService;
  readonly messages: MessagesService;
  readonly files: FilesService;
}

/**
 * The consumption use cases of an account, in the shape of the Enmeshed runtime's consumption facades.
 * Their errors are RuntimeErrors for malformed input (with the faults' paths) and the consumption
 * package's ConsumptionErrors, passed through with their codes.
 */
export interface ConsumptionServices {
  readonly attributes: AttributesService;
  readonly incomingRequests: IncomingRequestsService;
  readonly outgoingRequests: OutgoingRequestsService;
  readonly notifications: NotificationsService;
  readonly settings: SettingsService;
  readonly identityMetadata: IdentityMetadataService;
}

/** How the consumption of an account is set up. */
export interface AccountConsumptionOptions {
  /**
   * Whether this account keeps consumption data (default true). Every account of a database may: each
   * consumption row belongs to one identity. False switches the account's consumption off (its use cases
   * then fail with `error.runtime.configuration`).
   */
  readonly enabled?: boolean;
  /** The decider's rules (the identity setting `decider.automationRules` adds to them). */
  readonly automationRules?: readonly AutomationRule[];
  /**
   * Accept relationship requests made with an own template once their response is applied (the identity
   * setting `relationships.autoAcceptPending` overrides it).
   */
  readonly autoAcceptRelationships?: boolean;
}

/** What opening an account needs. */
export interface OpenAccountOptions {
  readonly name: string;
  readonly endpoint: BackboneEndpoint;
  readonly bootstrapCreds: string;
  readonly keyStore: KeyStore;
  readonly store: RuntimeStore;
  readonly log: RuntimeLogger;
  readonly deviceName?: string;
  readonly deviceType?: DeviceDTO['type'];
  readonly signal?: AbortSignal;
  readonly consumption?: AccountConsumptionOptions;
}

const accountName = /^[A-Za-z0-9_-]{1,64}$/;
const retryMs = { first: 250, max: 10_000 };

/**
 * One identity held by the runtime: its device connection, its services, and the loop that applies its
 * mailbox to the local storage (from the stored cursor, so a restart resumes where it stopped).
 */
export class RuntimeAccount {
  readonly name: string;
  readonly address: string;
  readonly deviceId: string;
  /** The use cases over the transport. */
  readonly transport: TransportServices;
  /** The consumption use cases: attributes, requests, notifications, settings, identity metadata. */
  readonly consumption: ConsumptionServices;
  /** The transport account underneath (for what the services do not cover yet). */
  readonly transportAccount: TransportAccount;
  readonly #context: AccountContext;
  readonly #modules: ConsumptionModules;
  readonly #consumer: MailboxConsumer;
  #startCursor: number | undefined;
  #loop: Promise<void> | undefined;
  #closing = false;
  #seenCursor = 0;
  #cursorWrite: Promise<void> | undefined;

  private constructor(
    context: AccountContext,
    startCursor: number | undefined,
    deviceType: DeviceDTO['type'],
    consumption: AccountConsumptionOptions,
  ) {
    this.#context = context;
    this.name = context.name;
    this.address = context.address;
    this.deviceId = context.deviceId;
    this.transportAccount = context.transport;
    this.#consumer = new MailboxConsumer(context);
    this.#startCursor = startCursor;
    const bridge = new ConsumptionBridge(context, {
      enabled: consumption.enabled !== false,
      ...(consumption.automationRules ? { automationRules: consumption.automationRules } : {}),
    });
    const tokens = new TokensService(context);
    const files = new FilesService(context, tokens);
    this.transport = {
      account: new AccountService(context, deviceType),
      relationships: new RelationshipsService(context),
      relationshipTemplates: new TemplatesService(context, tokens, templateContentCheck(bridge)),
      tokens,
      messages: new MessagesService(context, files),
      files,
    };
    this.#modules = new ConsumptionModules(context, bridge, this.transport, {
      autoAcceptRelationships: consumption.autoAcceptRelationships === true,
    });
    const send = (ids: readonly string[]) => this.#modules.sendNotifications(ids);
    this.consumption = {
      attributes: new AttributesService(bridge, send),
      incomingRequests: new IncomingRequestsService(bridge),
      outgoingRequests: new OutgoingRequestsService(bridge),
      notifications: new NotificationsService(bridge),
      settings: new SettingsService(bridge),
      identityMetadata: new IdentityMetadataService(bridge),
    };
  }

  /**
   * Opens an account: loads its device secrets from the key store, or creates the identity with its first
   * device when there are none; connects, and restores the relationships (from the database) and their
   * keys (from the key store).
   * @throws RuntimeError `error.runtime.validation` for a bad name, `error.runtime.configuration` when the
   *   database holds another identity under the name; ProtocolError / TransportError from the backbone.
   */
  static async open(options: OpenAccountOptions): Promise<RuntimeAccount> {
    if (!accountName.test(options.name)) {
      throw new RuntimeError(
        RuntimeErrorCodes.validation,
        'an account name is 1-64 letters, digits, _ or -',
        {
          faults: [{ path: '$.name', message: 'must be 1-64 letters, digits, _ or -' }],
        },
      );
    }
    const keyStore = prefixedKeyStore(options.keyStore, options.name);
    let secrets = await loadDeviceSecrets(keyStore, 'device');
    const created = secrets === undefined;
    if (!secrets) {
      secrets = await createFirstDevice(options);
      await saveDeviceSecrets(keyStore, 'device', secrets);
    }
    const { store } = options;
    const row = await registerAccount(store, options.name, secrets, created);
    const transport = await TransportAccount.open(options.endpoint, secrets, {
      outboxStore: keyStore,
      // A JWT that expired while the account was closed is replaced by a login with the device key; every
      // renewed JWT is stored at once, so a crash never leaves only an expired one behind.
      bootstrapCreds: options.bootstrapCreds,
      onCredentials: (renewed) => {
        void saveDeviceSecrets(keyStore, 'device', renewed).catch((error: unknown) =>
          options.log.warn({ error: String(error) }, 'renewed device credentials could not be stored'),
        );
      },
    });
    const context: AccountContext = {
      name: options.name,
      address: secrets.identity.address,
      deviceId: secrets.device.publicKey,
      transport,
      store,
      keyStore,
      keys: new RelationshipKeysStore(keyStore),
      log: options.log,
      pendingCreations: new Map(),
      pendingSends: new Map(),
    };
    try {
      await context.keys.restore(transport);
      const relationships = await store.manager
        .getRepository(RelationshipEntity)
        .findBy({ identity: context.address, removed: false });
      for (const relationship of relationships) {
        transport.state.putRelationship(relationship.id, JSON.parse(relationship.wire) as Relationship);
      }
    } catch (error) {
      await transport.close();
      throw error;
    }
    return new RuntimeAccount(
      context,
      row.mailboxCursor ?? undefined,
      options.deviceType ?? 'Connector',
      options.consumption ?? {},
    );
  }

  /** Starts the consumption modules and applying the mailbox (once; later calls do nothing). */
  start(): void {
    this.#modules.start();
    this.#loop ??= this.#consume().catch((error: unknown) =>
      this.#context.log.error({ account: this.name, error: String(error) }, 'the mailbox loop stopped'),
    );
  }

  async #consume(): Promise<void> {
    const { transport, log } = this.#context;
    const events = transport.events({
      ...(this.#startCursor === undefined ? {} : { cursor: this.#startCursor }),
      onCursor: (cursor) => this.#cursorSeen(cursor),
    });
    for await (const event of events) {
      let delay = retryMs.first;
      while (!this.#closing) {
        try {
          await this.#consumer.handle(event, transport.cursor);
          break;
        } catch (error) {
          // Not acknowledged until handled: a stuck database holds the mailbox, nothing is lost.
          log.error(
            {
              type: event.type,
              error: String(error),
            },
            'a mailbox entry could not be applied; retrying',
          );
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, retryMs.max);
        }
      }
      if (this.#closing) break;
    }
  }

  /**
   * The transport acknowledged entries up to `cursor` (those without an event for the runtime too); their
   * effects are stored, so the stored cursor may move there.
   */
  #cursorSeen(cursor: number): void {
    this.#seenCursor = Math.max(this.#seenCursor, cursor);
    this.#cursorWrite ??= Promise.resolve().then(async () => {
      this.#cursorWrite = undefined;
      const cursorNow = this.#seenCursor;
      await this.#context.store
        .write(({ manager }) => this.#consumer.advanceCursor(manager, cursorNow))
        .catch((error) =>
          this.#context.log.warn({ error: String(error) }, 'the mailbox cursor was not stored'),
        );
    });
  }

  /** The last mailbox sequence whose effects are stored. */
  async storedCursor(): Promise<number | undefined> {
    const row = await this.#context.store.manager.getRepository(AccountEntity).findOneBy({ name: this.name });
    return row?.mailboxCursor ?? undefined;
  }

  /**
   * Waits until the consumption modules have done what they were given so far (answers to decided
   * requests, notifications to send).
   */
  consumptionIdle(): Promise<void> {
    return this.#modules.idle();
  }

  /** Stops the mailbox loop and closes the connection (queued sends stay in the key store). */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#modules.close();
    await this.#context.transport.close();
    await this.#loop?.catch(() => undefined);
    await this.#cursorWrite;
    const { keys, keyStore, transport } = this.#context;
    await keys.save(transport).catch(() => undefined);
    // The session renews the device's JWT while it runs; the next start begins with the newest one.
    const secrets = await loadDeviceSecrets(keyStore, 'device').catch(() => undefined);
    if (secrets && secrets.credentials.jwt !== transport.session.credentials.jwt) {
      await saveDeviceSecrets(keyStore, 'device', { ...secrets, credentials: transport.session.credentials });
    }
  }
}

async function createFirstDevice(options: OpenAccountOptions): Promise<DeviceSecrets> {
  const bootstrap = await BootstrapClient.connect(options.endpoint, options.bootstrapCreds);
  try {
    return await createIdentity(bootstrap, {
      ...(options.deviceName ? { deviceName: options.deviceName } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await bootstrap.close();
  }
}

async function registerAccount(
  store: RuntimeStore,
  name: string,
  secrets: DeviceSecrets,
  created: boolean,
): Promise<AccountRow> {
  return store.write(async ({ manager }) => {
    const repository = manager.getRepository(AccountEntity);
    const existing = await repository.findOneBy({ name });
    if (existing) {
      if (existing.address !== secrets.identity.address) {
        throw new RuntimeError(
          RuntimeErrorCodes.configuration,
          `the database holds another identity under the account name ${name}`,
        );
      }
      return existing;
    }
    const row: AccountRow = {
      name,
      address: secrets.identity.address,
      deviceId: secrets.device.publicKey,
      createdAt: store.now(),
      // A new identity's mailbox is read from its start; a known one whose database is new, from the
      // backbone's copy of the cursor.
      mailboxCursor: created ? 0 : null,
      lastEventSequence: 0,
    };
    await repository.insert(row);
    return row;
  });
}
