import { type AutomationRule, validateAutomationRules } from '@enmesh/consumption';
import { type BackboneEndpoint, FileKeyStore, type KeyStore } from '@enmesh/transport';
import type { DataSource } from 'typeorm';
import { RuntimeAccount } from './account/runtime-account.js';
import { RuntimeError, RuntimeErrorCodes } from './errors.js';
import { EventHub } from './events/event-hub.js';
import { type RuntimeLogger, silentLogger } from './events/logger.js';
import type { DeviceDTO } from './services/account-service.js';
import { assertRuntimeDataSource, openRuntimeDatabase, type SchemaPart } from './storage/database.js';
import { RuntimeStore } from './storage/store.js';

/** What a runtime is made of. */
export interface RuntimeOptions {
  readonly endpoint: BackboneEndpoint;
  /** The backbone's bootstrap credentials (the content of its bootstrap.creds): to create identities. */
  readonly bootstrapCreds: string;
  /** An initialized DataSource with `runtimeSchema`; the runtime then neither opens nor closes it. */
  readonly dataSource?: DataSource;
  /** A PostgreSQL URL (with `postgresSchema`), used when no DataSource is given. */
  readonly databaseUrl?: string;
  readonly postgresSchema?: string;
  /** The SQLite file, used when neither a DataSource nor a URL is given. */
  readonly sqlitePath?: string;
  /** Further schema parts for the database the runtime opens (consumption's, for instance). */
  readonly schemaParts?: readonly SchemaPart[];
  /** Where device secrets and relationship keys live: a directory (files of mode 0600) or a key store. */
  readonly keyStore: string | KeyStore;
  /** The account `start` opens (default `default`). */
  readonly accountName?: string;
  /** The name of the first device when the identity is created. */
  readonly deviceName?: string;
  /** What the devices are called in device DTOs (default `Connector`). */
  readonly deviceType?: DeviceDTO['type'];
  /**
   * The decider's automation rules for every request an account of the runtime receives (each identity's
   * setting `decider.automationRules` adds to them); none: every request waits for a person.
   */
  readonly automationRules?: readonly AutomationRule[];
  /**
   * Accept relationship requests made with an own template once their response is applied (default
   * false; the identity setting `relationships.autoAcceptPending` overrides it).
   */
  readonly autoAcceptRelationships?: boolean;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly clock?: () => number;
  readonly logger?: RuntimeLogger;
}

/**
 * The SDK's runtime: one facade for the connector and the app over the transport. It holds accounts (the
 * connector one, the app several), keeps their state in a database so that lists are answered without the
 * network and a restart resumes where it stopped, and numbers their events without gaps.
 */
export class Runtime {
  /** The events of every account, stored before they are handed out. */
  readonly events: EventHub;
  readonly store: RuntimeStore;
  readonly #options: RuntimeOptions;
  readonly #keyStore: KeyStore;
  readonly #ownsDataSource: boolean;
  readonly #accounts = new Map<string, RuntimeAccount>();
  readonly #opening = new Map<string, Promise<RuntimeAccount>>();
  #primary: RuntimeAccount | undefined;
  #closed = false;

  private constructor(options: RuntimeOptions, dataSource: DataSource, ownsDataSource: boolean) {
    this.#options = options;
    this.#ownsDataSource = ownsDataSource;
    this.#keyStore =
      typeof options.keyStore === 'string' ? new FileKeyStore(options.keyStore) : options.keyStore;
    let hub: EventHub | undefined;
    this.store = new RuntimeStore(dataSource, {
      clock: options.clock ?? Date.now,
      onCommit: (events) => hub?.publish(events),
    });
    hub = new EventHub(this.store, options.logger ?? silentLogger, () => this.account.address);
    this.events = hub;
  }

  /**
   * Creates a runtime: opens (or checks) its database and applies pending migrations. Accounts are opened
   * by `start` (the primary one) and `openAccount`.
   * @throws RuntimeError `error.runtime.configuration`; ConsumptionError
   *   `error.consumption.decider.invalidAutomationRule`; errors of the database driver.
   */
  static async create(options: RuntimeOptions): Promise<Runtime> {
    if (!options.endpoint || !options.bootstrapCreds || !options.keyStore) {
      throw new RuntimeError(
        RuntimeErrorCodes.configuration,
        'the runtime needs an endpoint, bootstrap credentials and a key store',
      );
    }
    validateAutomationRules(options.automationRules ?? []);
    if (options.dataSource) {
      assertRuntimeDataSource(options.dataSource);
      return new Runtime(options, options.dataSource, false);
    }
    const dataSource = await openRuntimeDatabase({
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
      ...(options.sqlitePath ? { sqlitePath: options.sqlitePath } : {}),
      ...(options.schemaParts ? { parts: options.schemaParts } : {}),
    });
    return new Runtime(options, dataSource, true);
  }

  /**
   * Opens the primary account (creating its identity on the first start) and starts applying its mailbox.
   * @throws as `openAccount`.
   */
  async start(options: { signal?: AbortSignal } = {}): Promise<RuntimeAccount> {
    this.#primary ??= await this.openAccount(this.#options.accountName ?? 'default', options);
    return this.#primary;
  }

  /** The primary account. @throws RuntimeError `error.runtime.notStarted` before `start`. */
  get account(): RuntimeAccount {
    if (!this.#primary) throw new RuntimeError(RuntimeErrorCodes.notStarted, 'the runtime is not started');
    return this.#primary;
  }

  /** The accounts opened so far. */
  get accounts(): readonly RuntimeAccount[] {
    return [...this.#accounts.values()];
  }

  /**
   * Opens an account by its local name (creating its identity when the key store has none) and starts
   * applying its mailbox; an account already open is returned as it is. Every account keeps its own
   * consumption data (attributes, requests, notifications, settings, identity metadata) in the shared
   * database, each row under the account's address.
   * @throws RuntimeError `error.runtime.closed`, `error.runtime.validation` (name),
   *   `error.runtime.configuration`; ProtocolError / TransportError from the backbone.
   */
  openAccount(name: string, options: { signal?: AbortSignal } = {}): Promise<RuntimeAccount> {
    if (this.#closed)
      return Promise.reject(new RuntimeError(RuntimeErrorCodes.closed, 'the runtime is closed'));
    const open = this.#accounts.get(name);
    if (open) return Promise.resolve(open);
    let opening = this.#opening.get(name);
    if (!opening) {
      opening = RuntimeAccount.open({
        name,
        endpoint: this.#options.endpoint,
        bootstrapCreds: this.#options.bootstrapCreds,
        keyStore: this.#keyStore,
        store: this.store,
        log: this.#options.logger ?? silentLogger,
        ...(this.#options.deviceName ? { deviceName: this.#options.deviceName } : {}),
        ...(this.#options.deviceType ? { deviceType: this.#options.deviceType } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        consumption: {
          ...(this.#options.automationRules ? { automationRules: this.#options.automationRules } : {}),
          autoAcceptRelationships: this.#options.autoAcceptRelationships === true,
        },
      }).then(
        (account) => {
          this.#accounts.set(name, account);
          this.#opening.delete(name);
          account.start();
          return account;
        },
        (error: unknown) => {
          this.#opening.delete(name);
          throw error;
        },
      );
      this.#opening.set(name, opening);
    }
    return opening;
  }

  /** Closes the accounts, ends the event readers, and closes the database when the runtime opened it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#opening.values()]);
    await Promise.all([...this.#accounts.values()].map((account) => account.close()));
    this.events.close();
    if (this.#ownsDataSource && this.store.dataSource.isInitialized) await this.store.dataSource.destroy();
  }

  /** Closes the runtime (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Creates a runtime (see `Runtime.create`).
 * @throws as `Runtime.create`.
 */
export function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  return Runtime.create(options);
}
