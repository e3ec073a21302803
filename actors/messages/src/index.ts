export { createMessagesActor, messageRetentionMs, unpublishedLifetimeMs } from './actor.js';
export type { MessagesDeps } from './context.js';
export {
  MessageEntity,
  MessageRecipientEntity,
  type MessageRecipientRow,
  type MessageRow,
  MessageSendCountEntity,
  type MessageSendCountRow,
  messageEntities,
} from './entities.js';
export { CreateMessages1764150000003 } from './migrations/1764150000003-create-messages.js';
export { MessageSendCountsPublished1764150000007 } from './migrations/1764150000007-send-counts-published.js';
export { purgeIdentityMessages } from './purge.js';
