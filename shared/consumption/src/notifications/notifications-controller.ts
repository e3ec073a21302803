/**
 * Notifications: receiving and processing the notifications peers send about shared attributes, and
 * succeeding or deleting a shared attribute with the notifications for its peers, which are returned for
 * the caller to send (and marked sent once they went out).
 */
import {
  type Attribute,
  type Notification,
  type NotificationItem,
  notificationSchema,
} from '@enmesh/content';
import { getAttribute } from '../attributes/attribute-store.js';
import { deleteAttributeWithPredecessors } from '../attributes/deletion.js';
import { addForwardingDetails, predecessorsOf } from '../attributes/forwarding.js';
import type { LocalAttribute } from '../attributes/local-attribute.js';
import { succeedAttribute } from '../attributes/succession.js';
import { type ConsumptionContext, runInTransaction, type Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';
import { checkContent } from '../validation.js';
import {
  type LocalNotification,
  LocalNotificationStatus,
  type OutgoingNotification,
} from './local-notification.js';
import { applyNotificationItem, deletionNoticesFor, successionPeersOf } from './notification-items.js';
import {
  findNotification,
  findNotifications,
  getNotification,
  insertNotification,
  saveNotification,
} from './notification-store.js';

async function recordOutgoing(tx: Tx, peer: string, items: NotificationItem[], id = tx.newId('NOT')) {
  const notification: Notification = { '@type': 'Notification', id, items };
  await insertNotification(tx, {
    id,
    isOwn: true,
    peer,
    createdAt: tx.now(),
    content: notification,
    status: LocalNotificationStatus.Open,
  });
  return { peer, notification };
}

function requireNotificationStatus(
  notification: LocalNotification,
  allowed: LocalNotificationStatus[],
): void {
  if (allowed.includes(notification.status)) return;
  throw new ConsumptionError(
    ConsumptionErrorCodes.notificationWrongStatus,
    `the notification ${notification.id} is ${notification.status}; expected ${allowed.join(' or ')}`,
  );
}

/** Notification use cases, each in one transaction. */
export class NotificationsController {
  readonly #context: ConsumptionContext;

  /** Creates the controller over a consumption context. */
  constructor(context: ConsumptionContext) {
    this.#context = context;
  }

  /**
   * Records a notification received from `peer` by a message, as Open (once; a repeat is ignored).
   * @throws {ConsumptionError} `invalidContent`
   */
  received(params: { content: Notification; peer: string; messageId: string }): Promise<LocalNotification> {
    return runInTransaction(this.#context, async (tx) => {
      const content = checkContent(notificationSchema, params.content, 'Notification');
      const existing = await findNotification(tx, content.id);
      if (existing !== undefined) return existing;
      const notification: LocalNotification = {
        id: content.id,
        isOwn: false,
        peer: params.peer,
        createdAt: tx.now(),
        content,
        status: LocalNotificationStatus.Open,
        source: { type: 'Message', reference: params.messageId },
      };
      await insertNotification(tx, notification);
      tx.emit('consumption.notificationReceived', notification);
      return notification;
    });
  }

  /**
   * Applies every item of a received notification to the local attributes in one transaction: Completed
   * when all applied, else nothing changes and the notification is Error with the failure's code.
   * @throws {ConsumptionError} `recordNotFound`; `notificationWrongStatus` unless it is an open received one
   */
  async process(notificationId: string): Promise<LocalNotification> {
    try {
      return await runInTransaction(this.#context, async (tx) => {
        const notification = await getNotification(tx, notificationId);
        if (notification.isOwn) requireNotificationStatus(notification, []);
        requireNotificationStatus(notification, [LocalNotificationStatus.Open]);
        for (const item of notification.content.items) {
          await applyNotificationItem(tx, item, notification.peer, notification.id);
        }
        notification.status = LocalNotificationStatus.Completed;
        await saveNotification(tx, notification);
        tx.emit('consumption.notificationProcessed', notification);
        return notification;
      });
    } catch (error) {
      if (
        !ConsumptionError.isConsumptionError(error) ||
        error.code === ConsumptionErrorCodes.recordNotFound
      ) {
        throw error;
      }
      if (error.code === ConsumptionErrorCodes.notificationWrongStatus) throw error;
      return runInTransaction(this.#context, async (tx) => {
        const notification = await getNotification(tx, notificationId);
        notification.status = LocalNotificationStatus.Error;
        notification.errorCode = error.code;
        await saveNotification(tx, notification);
        tx.emit('consumption.notificationProcessed', notification);
        return notification;
      });
    }
  }

  /**
   * Open → Sent, once an own notification went out with a message.
   * @throws {ConsumptionError} `recordNotFound`, `notificationWrongStatus`
   */
  sent(params: { notificationId: string; messageId: string }): Promise<LocalNotification> {
    return runInTransaction(this.#context, async (tx) => {
      const notification = await getNotification(tx, params.notificationId);
      if (!notification.isOwn) requireNotificationStatus(notification, []);
      requireNotificationStatus(notification, [LocalNotificationStatus.Open]);
      notification.status = LocalNotificationStatus.Sent;
      notification.source = { type: 'Message', reference: params.messageId };
      await saveNotification(tx, notification);
      return notification;
    });
  }

  /**
   * Succeeds an own attribute (OwnIdentityAttribute or OwnRelationshipAttribute) and builds a
   * PeerAttributeSucceededNotificationItem for every peer it is shared with; the successor is recorded as
   * shared with each of them by that notification.
   * @throws {ConsumptionError} `wrongAttributeType` and the succession errors
   */
  succeedAttributeAndNotify(
    predecessorId: string,
    content: Attribute,
  ): Promise<{
    predecessor: LocalAttribute;
    successor: LocalAttribute;
    notifications: OutgoingNotification[];
  }> {
    return runInTransaction(this.#context, async (tx) => {
      const old = await getAttribute(tx, predecessorId, ['OwnIdentityAttribute', 'OwnRelationshipAttribute']);
      const peers = await successionPeersOf(tx, old);
      const ids = new Map(peers.map((peer) => [peer, tx.newId('NOT')]));
      const sourceReference = old['@type'] === 'OwnRelationshipAttribute' ? ids.get(old.peer) : undefined;
      const { predecessor, successor } = await succeedAttribute(tx, predecessorId, {
        content,
        ...(sourceReference === undefined ? {} : { sourceReference }),
      });
      const notifications: OutgoingNotification[] = [];
      for (const [peer, id] of ids) {
        const item: NotificationItem = {
          '@type': 'PeerAttributeSucceededNotificationItem',
          predecessorId,
          successorId: successor.id,
          successorContent: successor.content,
        };
        notifications.push(await recordOutgoing(tx, peer, [item], id));
        if (successor['@type'] === 'OwnIdentityAttribute')
          await addForwardingDetails(tx, successor, peer, id);
      }
      return { predecessor, successor, notifications };
    });
  }

  /**
   * Deletes an attribute with its predecessors and builds, per peer, the notification telling it: the
   * owner's deletion to the peers it was shared with, a peer's deletion to the owner (and to whom it was
   * forwarded).
   * @throws {ConsumptionError} `recordNotFound`
   */
  deleteAttributeAndNotify(
    attributeId: string,
  ): Promise<{ deleted: LocalAttribute[]; notifications: OutgoingNotification[] }> {
    return runInTransaction(this.#context, async (tx) => {
      const attribute = await getAttribute(tx, attributeId);
      const byPeer = new Map<string, NotificationItem[]>();
      for (const version of [attribute, ...(await predecessorsOf(tx, attribute))]) {
        for (const { peer, item } of await deletionNoticesFor(tx, version)) {
          byPeer.set(peer, [...(byPeer.get(peer) ?? []), item]);
        }
      }
      const deleted = await deleteAttributeWithPredecessors(tx, attributeId);
      const notifications: OutgoingNotification[] = [];
      for (const [peer, items] of byPeer) notifications.push(await recordOutgoing(tx, peer, items));
      return { deleted, notifications };
    });
  }

  /**
   * The notification with this id.
   * @throws {ConsumptionError} `recordNotFound`
   */
  get(notificationId: string): Promise<LocalNotification> {
    return runInTransaction(this.#context, (tx) => getNotification(tx, notificationId));
  }

  /** The notifications, optionally of one direction, status or peer, oldest first. */
  getAll(filter: { isOwn?: boolean; status?: LocalNotificationStatus; peer?: string } = {}) {
    return runInTransaction(this.#context, (tx) => findNotifications(tx, filter));
  }
}
