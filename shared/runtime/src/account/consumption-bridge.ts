/**
 * Runs the consumption controllers of an account inside the runtime's writes: every controller call made
 * through the bridge works in a savepoint of the current store transaction, and the consumption events it
 * raises are numbered and stored in that transaction, beside the change that caused them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type AutomationRule,
  type Consumption,
  type ConsumptionContext,
  type ConsumptionEvent,
  createConsumption,
  type ProcessorRegistry,
} from '@enmesh/consumption';
import type { DataSource, EntityManager } from 'typeorm';
import { RuntimeError, RuntimeErrorCodes } from '../errors.js';
import { FileEntity } from '../storage/entities.js';
import type { StoreTransaction } from '../storage/store.js';
import type { AccountContext } from './context.js';
import { referenceOfType } from './file-rows.js';

interface Scope {
  readonly manager: EntityManager;
  readonly events: ConsumptionEvent[];
}

/** How the consumption of an account is configured. */
export interface ConsumptionBridgeOptions {
  /** False for an account whose consumption is switched off. */
  readonly enabled: boolean;
  readonly automationRules?: readonly AutomationRule[];
  readonly processors?: Partial<ProcessorRegistry>;
}

/** The consumption of one account, bound to the runtime's store. */
export class ConsumptionBridge {
  readonly enabled: boolean;
  readonly automationRules: readonly AutomationRule[];
  readonly processors: Partial<ProcessorRegistry>;
  readonly #account: AccountContext;
  readonly #scopes = new AsyncLocalStorage<Scope>();
  readonly #consumption: Consumption;

  /**
   * Creates the bridge of an account.
   * @throws ConsumptionError `error.consumption.decider.invalidAutomationRule`.
   */
  constructor(account: AccountContext, options: ConsumptionBridgeOptions) {
    this.#account = account;
    this.enabled = options.enabled;
    this.automationRules = options.automationRules ?? [];
    this.processors = options.processors ?? {};
    const scopes = this.#scopes;
    // Only `transaction` is used by the controllers: it opens a savepoint in the current write.
    const dataSource = {
      transaction: <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
        const scope = scopes.getStore();
        if (!scope) {
          return Promise.reject(
            new RuntimeError(RuntimeErrorCodes.storage, 'consumption was used outside a runtime write'),
          );
        }
        return scope.manager.transaction(work);
      },
    } as unknown as DataSource;
    const context: ConsumptionContext = {
      dataSource,
      address: account.address,
      clock: () => new Date(account.store.now()),
      emit: (event) => void scopes.getStore()?.events.push(event),
      claimFileOwnership: (reference, token) => this.#claim(reference, token),
    };
    this.#consumption = createConsumption(context, {
      automationRules: this.automationRules,
      processors: this.processors,
    });
  }

  /**
   * Runs `work` with the controllers inside the write `tx`, in a savepoint (all or nothing), and appends
   * the consumption events it raised to the write.
   * @throws RuntimeError `error.runtime.configuration` when consumption is not enabled; what `work` throws.
   */
  async run<T>(tx: StoreTransaction, work: (consumption: Consumption) => Promise<T>): Promise<T> {
    this.#requireEnabled();
    const events: ConsumptionEvent[] = [];
    const result = await tx.manager.transaction((manager) =>
      this.#scopes.run({ manager, events }, () => work(this.#consumption)),
    );
    for (const event of events) await tx.emit(this.#account.address, event.namespace, event.data);
    return result;
  }

  /**
   * Runs `work` with the controllers in a write of its own.
   * @throws as `run`.
   */
  write<T>(work: (consumption: Consumption) => Promise<T>): Promise<T> {
    this.#requireEnabled();
    return this.#account.store.write((tx) => this.run(tx, work));
  }

  #requireEnabled(): void {
    if (this.enabled) return;
    throw new RuntimeError(
      RuntimeErrorCodes.configuration,
      `consumption is not enabled for the account ${this.#account.name}`,
    );
  }

  /** Claims a file's ownership on the backbone (accepting a TransferFileOwnershipRequestItem). */
  async #claim(fileReference: string, ownershipToken: string): Promise<void> {
    const account = this.#account;
    const ref = referenceOfType(fileReference, ['file']);
    const answer = await account.transport.session.call('claimFileOwnership', {
      id: ref.id,
      ownershipToken,
    });
    const manager = this.#scopes.getStore()?.manager;
    await manager?.getRepository(FileEntity).update(
      { identity: account.address, id: ref.id },
      {
        owner: answer.file.owner,
        ownershipIsLocked: answer.file.ownershipIsLocked,
        ownershipToken: answer.ownershipToken,
      },
    );
  }
}
