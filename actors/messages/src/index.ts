export { createMessagesActor, messageRetentionMs } from './actor.js';
export type { MessagesDeps } from './context.js';
export {
  MessageEntity,
  MessageRecipientEntity,
  type MessageRecipientRow,
  type MessageRow,
  messageEntities,
} from './entities.js';
export { CreateMessages1764150000003 } from './migrations/1764150000003-create-messages.js';
export { purgeIdentityMessages } from './purge.js';
export { reportUndelivered } from './undelivered.js';
