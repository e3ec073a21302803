/**
 * The consumption modules of one account: the reactions inside writes, and what must wait for a commit
 * because it calls the backbone: answering a decided request (a ResponseWrapper message, or a relationship
 * request carrying the response), accepting a relationship requested with an own template when the
 * settings say so, and sending notifications. That work runs one task at a time; what a crash interrupted
 * (requests left Decided, notifications left Open) is taken up again when the account starts.
 */
import type { LocalRequest, RequestStatusChange } from '@enmesh/consumption';
import type { ResponseWrapper } from '@enmesh/content';
import type { ConsumptionBridge } from '../account/consumption-bridge.js';
import type { AccountContext } from '../account/context.js';
import type { RuntimeEvent } from '../events/runtime-event.js';
import type { MessagesService } from '../services/messages-service.js';
import type { RelationshipsService } from '../services/relationships-service.js';
import { RelationshipEntity } from '../storage/entities.js';
import { Reactions } from './reactions.js';

/** The setting (identity scope) that, when true or false, overrides `autoAcceptRelationships`. */
export const autoAcceptSetting = 'relationships.autoAcceptPending';

/** How the modules of an account behave. */
export interface ConsumptionModulesOptions {
  /** Accept relationship requests made with an own template once their response is applied. */
  readonly autoAcceptRelationships?: boolean;
}

/** The transport use cases the modules call. */
export interface ModuleTransport {
  readonly messages: MessagesService;
  readonly relationships: RelationshipsService;
}

/** The consumption modules of one account. */
export class ConsumptionModules {
  readonly #account: AccountContext;
  readonly #bridge: ConsumptionBridge;
  readonly #transport: ModuleTransport;
  readonly #options: ConsumptionModulesOptions;
  readonly #reactions: Reactions;
  readonly #detach: (() => void)[] = [];
  #queue: Promise<void> = Promise.resolve();
  #closing = false;

  /** Serves one account. */
  constructor(
    account: AccountContext,
    bridge: ConsumptionBridge,
    transport: ModuleTransport,
    options: ConsumptionModulesOptions = {},
  ) {
    this.#account = account;
    this.#bridge = bridge;
    this.#transport = transport;
    this.#options = options;
    this.#reactions = new Reactions(account, bridge);
  }

  /** Starts reacting to the account's events (once consumption is enabled) and resumes unfinished work. */
  start(): void {
    if (!this.#bridge.enabled || this.#detach.length > 0) return;
    const { store } = this.#account;
    this.#detach.push(store.addTransactionHook((tx, event) => this.#reactions.handle(tx, event)));
    this.#detach.push(store.addCommitListener((events) => this.#committed(events)));
    void this.#enqueue('resume', () => this.#resume());
  }

  /** Stops reacting and waits for the task in progress. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const detach of this.#detach.splice(0)) detach();
    await this.#queue;
  }

  /** Waits until the queued work is done. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** Sends own notifications by message (queued); resolves once they went out or failed (logged). */
  sendNotifications(ids: readonly string[]): Promise<void> {
    return this.#enqueue('notifications', async () => {
      for (const id of ids) await this.#sendNotification(id);
    });
  }

  #committed(events: readonly RuntimeEvent[]): void {
    for (const event of events) {
      if (event.eventTargetAddress !== this.#account.address) continue;
      if (event.namespace === 'consumption.incomingRequestStatusChanged') {
        const change = event.data as RequestStatusChange;
        if (change.newStatus === 'Decided')
          void this.#enqueue('respond', () => this.#respond(change.request.id));
      } else if (
        event.namespace === 'consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted'
      ) {
        const request = event.data as LocalRequest;
        const relationshipId = request.response?.source?.reference;
        if (relationshipId && request.response?.content.result === 'Accepted') {
          void this.#enqueue('accept relationship', () => this.#acceptRelationship(relationshipId));
        }
      }
    }
  }

  #enqueue(what: string, task: () => Promise<void>): Promise<void> {
    const run = async () => {
      if (this.#closing) return;
      try {
        await task();
      } catch (error) {
        this.#account.log.warn(
          { account: this.#account.name, task: what, error: String(error) },
          'a consumption module task failed; it is taken up again at the next start',
        );
      }
    };
    this.#queue = this.#queue.then(run);
    return this.#queue;
  }

  async #resume(): Promise<void> {
    const { decided, open } = await this.#bridge.write(async (c) => ({
      decided: await c.incomingRequests.getAll({ status: 'Decided' }),
      open: await c.notifications.getAll({ isOwn: true, status: 'Open' }),
    }));
    for (const request of decided) void this.#enqueue('respond', () => this.#respond(request.id));
    if (open.length > 0) void this.sendNotifications(open.map((notification) => notification.id));
  }

  /** Answers a decided incoming request and completes it. */
  async #respond(requestId: string): Promise<void> {
    const request = await this.#bridge.write((c) => c.incomingRequests.get(requestId));
    const response = request.response?.content;
    if (request.status !== 'Decided' || !response || !request.source) return;
    const complete = (responseSource?: { type: 'Message' | 'Relationship'; reference: string }) =>
      this.#bridge.write((c) =>
        c.incomingRequests.complete({ requestId, ...(responseSource ? { responseSource } : {}) }),
      );
    const fromTemplate = request.source.type === 'RelationshipTemplate';
    if (!fromTemplate || (await this.#hasActiveRelationship(request.peer))) {
      const wrapper: ResponseWrapper = {
        '@type': 'ResponseWrapper',
        requestId,
        requestSourceReference: request.source.reference,
        requestSourceType: request.source.type,
        response,
      };
      const message = await this.#transport.messages.sendMessage({
        recipients: [request.peer],
        content: wrapper,
      });
      await complete({ type: 'Message', reference: message.id });
      return;
    }
    if (response.result !== 'Accepted') {
      await complete();
      return;
    }
    const relationship = await this.#transport.relationships.createRelationship({
      templateId: request.source.reference,
      creationContent: { '@type': 'RelationshipCreationContent', response },
    });
    await complete({ type: 'Relationship', reference: relationship.id });
  }

  async #hasActiveRelationship(peer: string): Promise<boolean> {
    return this.#account.store.manager
      .getRepository(RelationshipEntity)
      .existsBy({ identity: this.#account.address, peer, status: 'Active', removed: false });
  }

  async #acceptRelationship(relationshipId: string): Promise<void> {
    const setting = await this.#bridge.write((c) => c.settings.getByKey(autoAcceptSetting));
    const accept =
      typeof setting?.value === 'boolean' ? setting.value : this.#options.autoAcceptRelationships === true;
    if (!accept) return;
    const relationship = await this.#transport.relationships.getRelationship({ id: relationshipId });
    if (relationship.status !== 'Pending') return;
    await this.#transport.relationships.acceptRelationship({ relationshipId });
  }

  async #sendNotification(id: string): Promise<void> {
    const notification = await this.#bridge.write((c) => c.notifications.get(id));
    if (!notification.isOwn || notification.status !== 'Open') return;
    await this.#transport.messages.sendMessage({
      recipients: [notification.peer],
      content: notification.content,
    });
  }
}
