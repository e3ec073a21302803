/**
 * Reading and writing LocalNotifications within a unit of work.
 */
import type { Notification } from '@enmesh/content';
import type { Tx } from '../context.js';
import { notFound } from '../errors.js';
import { NotificationEntity, type NotificationRow } from '../storage/entities.js';
import type { LocalNotification, LocalNotificationStatus } from './local-notification.js';

function fromRow(row: NotificationRow): LocalNotification {
  const notification: LocalNotification = {
    id: row.id,
    isOwn: row.isOwn,
    peer: row.peer,
    createdAt: row.createdAt,
    content: JSON.parse(row.content) as Notification,
    status: row.status as LocalNotificationStatus,
  };
  if (row.sourceReference !== null) notification.source = { type: 'Message', reference: row.sourceReference };
  if (row.errorCode !== null) notification.errorCode = row.errorCode;
  return notification;
}

function toRow(identity: string, notification: LocalNotification): NotificationRow {
  return {
    identity,
    id: notification.id,
    isOwn: notification.isOwn,
    peer: notification.peer,
    createdAt: notification.createdAt,
    status: notification.status,
    content: JSON.stringify(notification.content),
    sourceReference: notification.source?.reference ?? null,
    errorCode: notification.errorCode ?? null,
  };
}

/** The notification of the own identity with this id, or undefined. */
export async function findNotification(tx: Tx, id: string): Promise<LocalNotification | undefined> {
  const row = await tx.manager.findOneBy(NotificationEntity, { identity: tx.address, id });
  return row === null ? undefined : fromRow(row);
}

/**
 * The notification with this id.
 * @throws {ConsumptionError} `recordNotFound`
 */
export async function getNotification(tx: Tx, id: string): Promise<LocalNotification> {
  const notification = await findNotification(tx, id);
  if (notification === undefined) throw notFound('LocalNotification', id);
  return notification;
}

/** The notifications of the own identity, optionally of one direction and status, oldest first. */
export async function findNotifications(
  tx: Tx,
  filter: { isOwn?: boolean; status?: LocalNotificationStatus; peer?: string } = {},
): Promise<LocalNotification[]> {
  const rows = await tx.manager.find(NotificationEntity, {
    where: { ...filter, identity: tx.address },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
  return rows.map(fromRow);
}

/** Stores a new notification of the own identity. */
export async function insertNotification(tx: Tx, notification: LocalNotification): Promise<void> {
  await tx.manager.insert(NotificationEntity, toRow(tx.address, notification));
}

/** Stores a changed notification of the own identity. */
export async function saveNotification(tx: Tx, notification: LocalNotification): Promise<void> {
  const { identity, id, ...row } = toRow(tx.address, notification);
  await tx.manager.update(NotificationEntity, { identity, id }, row);
}
