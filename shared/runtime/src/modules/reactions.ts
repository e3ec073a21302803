/**
 * What the consumption modules do inside the write of the event that calls for it (Enmeshed's
 * RequestModule, DeciderModule and NotificationModule): a loaded template or a received message becomes
 * an incoming request, which is checked and handed to the decider; a response (by message or with a
 * relationship request) completes the outgoing request; notifications are recorded and applied; a sent
 * request or notification is marked sent; a relationship that ended (rejected, revoked or decomposed)
 * takes the attributes exchanged over it along. Each reaction runs in a savepoint: when it fails it changes
 * nothing and is logged, and the transport change it reacts to stays.
 */
import {
  type AutomationRule,
  type Consumption,
  Decider,
  defaultProcessors,
  type LocalRequest,
  type RequestStatusChange,
  validateAutomationRules,
} from '@enmesh/consumption';
import {
  type Notification,
  parseContent,
  type RelationshipCreationContent,
  type Request,
  type ResponseWrapper,
} from '@enmesh/content';
import type { ConsumptionBridge } from '../account/consumption-bridge.js';
import type { AccountContext } from '../account/context.js';
import type { MessageDTO } from '../dto/messages.js';
import type { RelationshipDTO } from '../dto/relationships.js';
import { type RelationshipTemplateDTO, templateDto } from '../dto/shared-objects.js';
import type { RuntimeEvent } from '../events/runtime-event.js';
import { TransportEventNames } from '../events/runtime-event.js';
import { RelationshipEntity, TemplateEntity } from '../storage/entities.js';
import type { StoreTransaction } from '../storage/store.js';

/** The events the runtime's consumption modules add to those of the consumption controllers. */
export const ModuleEventNames = {
  /** A loaded peer template was handled: `{template, result, requestId?}`. */
  relationshipTemplateProcessed: 'consumption.relationshipTemplateProcessed',
} as const;

/** What handling a loaded peer template came to (Enmeshed `RelationshipTemplateProcessedResult`). */
export const RelationshipTemplateProcessedResult = {
  ManualRequestDecisionRequired: 'ManualRequestDecisionRequired',
  RequestAutomaticallyDecided: 'RequestAutomaticallyDecided',
  NonCompletedRequestExists: 'NonCompletedRequestExists',
  RelationshipExists: 'RelationshipExists',
  RequestExpired: 'RequestExpired',
  NoRequest: 'NoRequest',
} as const;

/** The setting (identity scope) whose value, a list of automation rules, adds to the configured rules. */
export const automationRulesSetting = 'decider.automationRules';

const finished = new Set(['Completed', 'Expired']);
/** The statuses of a relationship that ended before it began. */
const withdrawn = new Set(['Rejected', 'Revoked']);

/** The in-transaction reactions of one account. */
export class Reactions {
  readonly #account: AccountContext;
  readonly #bridge: ConsumptionBridge;

  /** Serves one account. */
  constructor(account: AccountContext, bridge: ConsumptionBridge) {
    this.#account = account;
    this.#bridge = bridge;
  }

  /** Reacts to one event of a write (events of other accounts are left alone). */
  async handle(tx: StoreTransaction, event: RuntimeEvent): Promise<void> {
    if (event.eventTargetAddress !== this.#account.address) return;
    const data = event.data as never;
    try {
      switch (event.namespace) {
        case TransportEventNames.peerRelationshipTemplateLoaded:
          return await this.#templateLoaded(tx, data);
        case TransportEventNames.messageReceived:
          return await this.#messageReceived(tx, data);
        case TransportEventNames.messageSent:
          return await this.#messageSent(tx, data);
        case TransportEventNames.relationshipChanged:
          await this.#relationshipChanged(tx, data);
          return await this.#relationshipEnded(tx, (data as RelationshipDTO).id);
        case TransportEventNames.relationshipDecomposedBySelf:
          return await this.#relationshipEnded(tx, (data as { relationshipId: string }).relationshipId);
        case 'consumption.incomingRequestReceived':
          return await this.#bridge.run(tx, async (c) => {
            await c.incomingRequests.checkPrerequisites((data as { request: LocalRequest }).request.id);
          });
        case 'consumption.incomingRequestStatusChanged':
          return await this.#statusChanged(tx, data);
      }
    } catch (error) {
      this.#account.log.warn(
        {
          account: this.#account.name,
          event: event.namespace,
          sequence: event.sequence,
          error: String(error),
        },
        'a consumption module could not react to an event',
      );
    }
  }

  async #templateLoaded(tx: StoreTransaction, template: RelationshipTemplateDTO): Promise<void> {
    const content = template.content as {
      '@type'?: string;
      onNewRelationship?: Request;
      onExistingRelationship?: Request;
    };
    if (content['@type'] !== 'RelationshipTemplateContent') return;
    const relationships = await tx.manager
      .getRepository(RelationshipEntity)
      .findBy({ identity: this.#account.address, peer: template.createdBy, removed: false });
    const active = relationships.some((row) => row.status === 'Active');
    const pending = relationships.some((row) => row.status === 'Pending');
    const request = active ? content.onExistingRelationship : pending ? undefined : content.onNewRelationship;
    if (!request) {
      const result = active || pending ? 'RelationshipExists' : 'NoRequest';
      await this.#processed(tx, template, RelationshipTemplateProcessedResult[result]);
      return;
    }
    const open = await this.#bridge.run(tx, async (c) => {
      const earlier = await c.incomingRequests.getAll({ peer: template.createdBy });
      const unfinished = earlier.find(
        (candidate) => candidate.source?.reference === template.id && !finished.has(candidate.status),
      );
      if (unfinished) return unfinished;
      await c.incomingRequests.received({
        content: request,
        peer: template.createdBy,
        source: { type: 'RelationshipTemplate', reference: template.id },
      });
      return undefined;
    });
    if (open) {
      await this.#processed(
        tx,
        template,
        RelationshipTemplateProcessedResult.NonCompletedRequestExists,
        open.id,
      );
    }
  }

  async #statusChanged(tx: StoreTransaction, change: RequestStatusChange): Promise<void> {
    const { request, newStatus } = change;
    if (newStatus === 'DecisionRequired') {
      await this.#bridge.run(tx, async (c) =>
        new Decider(c.context, await this.#rules(c), this.#processors()).decide(request.id),
      );
      return;
    }
    if (request.source?.type !== 'RelationshipTemplate') return;
    const result =
      newStatus === 'ManualDecisionRequired'
        ? RelationshipTemplateProcessedResult.ManualRequestDecisionRequired
        : newStatus === 'Decided' && request.wasAutomaticallyDecided
          ? RelationshipTemplateProcessedResult.RequestAutomaticallyDecided
          : newStatus === 'Expired' && change.oldStatus === 'Open'
            ? RelationshipTemplateProcessedResult.RequestExpired
            : undefined;
    if (!result) return;
    const row = await tx.manager
      .getRepository(TemplateEntity)
      .findOneBy({ identity: this.#account.address, id: request.source.reference });
    if (row) await this.#processed(tx, templateDto(row), result, request.id);
  }

  async #processed(
    tx: StoreTransaction,
    template: RelationshipTemplateDTO,
    result: string,
    requestId?: string,
  ) {
    await tx.emit(this.#account.address, ModuleEventNames.relationshipTemplateProcessed, {
      template,
      result,
      ...(requestId ? { requestId } : {}),
    });
  }

  /** The configured rules and those of the identity's setting (left out, and logged, when invalid). */
  async #rules(c: Consumption): Promise<AutomationRule[]> {
    const setting = await c.settings.getByKey(automationRulesSetting);
    const configured = [...this.#bridge.automationRules];
    if (!setting || !Array.isArray(setting.value)) return configured;
    try {
      validateAutomationRules(setting.value as AutomationRule[]);
      return [...configured, ...(setting.value as AutomationRule[])];
    } catch (error) {
      this.#account.log.warn({ error: String(error) }, `the setting ${automationRulesSetting} is not valid`);
      return configured;
    }
  }

  #processors() {
    return { ...defaultProcessors, ...this.#bridge.processors };
  }

  async #messageReceived(tx: StoreTransaction, message: MessageDTO): Promise<void> {
    const type = (message.content as { '@type'?: unknown } | null)?.['@type'];
    if (type === 'Request') {
      const content = parseContent(message.content, ['Request']);
      await this.#bridge.run(tx, (c) =>
        c.incomingRequests.received({
          content,
          peer: message.createdBy,
          source: { type: 'Message', reference: message.id },
        }),
      );
    } else if (type === 'ResponseWrapper') {
      const wrapper = parseContent(message.content, ['ResponseWrapper']);
      await this.#responseReceived(tx, wrapper, message);
    } else if (type === 'Notification') {
      const content = parseContent(message.content, ['Notification']) as Notification;
      await this.#bridge.run(tx, async (c) => {
        const notification = await c.notifications.received({
          content,
          peer: message.createdBy,
          messageId: message.id,
        });
        if (notification.status === 'Open') await c.notifications.process(notification.id);
      });
    }
  }

  async #responseReceived(tx: StoreTransaction, wrapper: ResponseWrapper, message: MessageDTO) {
    const responseSource = { type: 'Message' as const, reference: message.id };
    await this.#bridge.run(tx, async (c) => {
      const known = (await c.outgoingRequests.getAll({ peer: message.createdBy })).find(
        (request) => request.id === wrapper.requestId,
      );
      if (known || wrapper.requestSourceType === 'Message') {
        await c.outgoingRequests.complete({
          requestId: wrapper.requestId,
          response: wrapper.response,
          responseSource,
        });
        return;
      }
      const content = await this.#ownTemplateContent(tx, wrapper.requestSourceReference);
      const request = content?.onExistingRelationship ?? content?.onNewRelationship;
      if (!request) return;
      await c.outgoingRequests.createAndCompleteFromRelationshipTemplateResponse({
        templateId: wrapper.requestSourceReference,
        content: request,
        peer: message.createdBy,
        response: wrapper.response,
        responseSource,
      });
    });
  }

  async #messageSent(tx: StoreTransaction, message: MessageDTO): Promise<void> {
    const content = message.content as { '@type'?: unknown; id?: unknown } | null;
    if (typeof content?.id !== 'string') return;
    const id = content.id;
    if (content['@type'] === 'Request') {
      await this.#bridge.run(tx, async (c) => {
        const request = (await c.outgoingRequests.getAll({ status: 'Draft' })).find((r) => r.id === id);
        if (request) await c.outgoingRequests.sent({ requestId: id, messageId: message.id });
      });
    } else if (content['@type'] === 'Notification') {
      await this.#bridge.run(tx, async (c) => {
        const own = await c.notifications.getAll({ isOwn: true, status: 'Open' });
        if (own.some((notification) => notification.id === id)) {
          await c.notifications.sent({ notificationId: id, messageId: message.id });
        }
      });
    }
  }

  /** A relationship requested with an own template: its response completes the template's request. */
  async #relationshipChanged(tx: StoreTransaction, relationship: RelationshipDTO): Promise<void> {
    const [creation] = relationship.auditLog;
    if (
      relationship.status !== 'Pending' ||
      relationship.auditLog.length !== 1 ||
      creation?.createdBy === this.#account.address
    ) {
      return;
    }
    const creationContent = relationship.creationContent as { '@type'?: unknown };
    if (creationContent['@type'] !== 'RelationshipCreationContent') return;
    const { response } = parseContent(creationContent, [
      'RelationshipCreationContent',
    ]) as RelationshipCreationContent;
    const content = await this.#ownTemplateContent(tx, relationship.templateId);
    if (!content) return;
    await this.#bridge.run(tx, (c) =>
      c.outgoingRequests.createAndCompleteFromRelationshipTemplateResponse({
        templateId: relationship.templateId,
        content: content.onNewRelationship,
        peer: relationship.peer,
        response,
        responseSource: { type: 'Relationship', reference: relationship.id },
      }),
    );
  }

  /**
   * A relationship that ended for this identity (rejected, revoked, or gone: decomposed by either side)
   * takes the attributes exchanged over it along, in the write that applies the change, unless another
   * relationship with the peer still stands.
   */
  async #relationshipEnded(tx: StoreTransaction, relationshipId: string): Promise<void> {
    const own = this.#account.address;
    const relationships = tx.manager.getRepository(RelationshipEntity);
    const row = await relationships.findOneBy({ identity: own, id: relationshipId });
    if (!row || !(row.removed || withdrawn.has(row.status))) return;
    const standing = await relationships.findBy({ identity: own, peer: row.peer, removed: false });
    if (standing.some((other) => other.id !== row.id && !withdrawn.has(other.status))) return;
    await this.#bridge.run(tx, (c) => c.attributes.deleteAttributesOfEndedRelationship(row.peer));
  }

  async #ownTemplateContent(tx: StoreTransaction, templateId: string) {
    const row = await tx.manager
      .getRepository(TemplateEntity)
      .findOneBy({ identity: this.#account.address, id: templateId, isOwn: true });
    if (!row) return undefined;
    const content = JSON.parse(row.content) as { '@type'?: string };
    if (content['@type'] !== 'RelationshipTemplateContent') return undefined;
    return parseContent(content, ['RelationshipTemplateContent']);
  }
}
