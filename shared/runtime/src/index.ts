export type { AccountContext } from './account/context.js';
export {
  type OpenAccountOptions,
  RuntimeAccount,
  type TransportServices,
} from './account/runtime-account.js';
export type { FileDTO } from './dto/files.js';
export type { MessageDTO, MessageWithAttachmentsDTO, RecipientDTO } from './dto/messages.js';
export type {
  PeerDeletionInfoDTO,
  RelationshipAuditLogEntryDTO,
  RelationshipDTO,
  RelationshipStatusDTO,
} from './dto/relationships.js';
export type {
  ObjectReferenceDTO,
  PasswordProtectionDTO,
  RelationshipTemplateDTO,
  TokenDTO,
} from './dto/shared-objects.js';
export {
  RuntimeError,
  type RuntimeErrorCode,
  RuntimeErrorCodes,
  type RuntimeFault,
} from './errors.js';
export { type EventHandler, EventHub } from './events/event-hub.js';
export { type RuntimeLogger, silentLogger } from './events/logger.js';
export {
  type RuntimeEvent,
  type TransportEventName,
  TransportEventNames,
} from './events/runtime-event.js';
export { createRuntime, Runtime, type RuntimeOptions } from './runtime.js';
export {
  AccountService,
  type DeviceDTO,
  type IdentityDeletionProcessDTO,
  type IdentityInfoDTO,
} from './services/account-service.js';
export { type DownloadedFileContent, FilesService } from './services/files-service.js';
export type { CallOptions } from './services/inputs.js';
export { MessagesService } from './services/messages-service.js';
export { type CanCreateRelationshipResult, RelationshipsService } from './services/relationships-service.js';
export { TemplatesService } from './services/templates-service.js';
export { type TokenOptions, TokensService } from './services/tokens-service.js';
export { type DatabaseOptions, openRuntimeDatabase, type SchemaPart } from './storage/database.js';
export { runtimeEntities } from './storage/entities.js';
export { runtimeSchema } from './storage/schema.js';
export { RuntimeStore } from './storage/store.js';
