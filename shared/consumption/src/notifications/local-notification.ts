/**
 * LocalNotifications: a Notification sent to or received from a peer, and where its processing stands.
 */
import type { Notification } from '@enmesh/content';

/** The states of a LocalNotification. */
export const LocalNotificationStatus = {
  Open: 'Open',
  Sent: 'Sent',
  Completed: 'Completed',
  Error: 'Error',
} as const;
/** One of the states. */
export type LocalNotificationStatus = (typeof LocalNotificationStatus)[keyof typeof LocalNotificationStatus];

/** A LocalNotification. */
export interface LocalNotification {
  id: string;
  isOwn: boolean;
  peer: string;
  createdAt: string;
  content: Notification;
  status: LocalNotificationStatus;
  source?: { type: 'Message'; reference: string };
  /** Why processing failed, when the status is Error. */
  errorCode?: string;
}

/** A notification built for a peer, for the caller to send as message content. */
export interface OutgoingNotification {
  peer: string;
  notification: Notification;
}
