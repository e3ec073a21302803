export type {
  AutomationRule,
  IdentityMetadata as IdentityMetadataDTO,
  LocalAttribute as LocalAttributeDTO,
  LocalNotification as LocalNotificationDTO,
  LocalRequest as LocalRequestDTO,
  RequestStatusChange as RequestStatusChangeDTO,
  Setting as SettingDTO,
  ValidationResult as RequestValidationResultDTO,
} from '@enmesh/consumption';
export type { AccountContext } from './account/context.js';
export {
  type AccountConsumptionOptions,
  type ConsumptionServices,
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
export { autoAcceptSetting } from './modules/consumption-modules.js';
export {
  automationRulesSetting,
  ModuleEventNames,
  RelationshipTemplateProcessedResult,
} from './modules/reactions.js';
export { createRuntime, Runtime, type RuntimeOptions } from './runtime.js';
export {
  AccountService,
  type DeviceDTO,
  type IdentityDeletionProcessDTO,
  type IdentityInfoDTO,
} from './services/account-service.js';
export type { AttributeForwardingDetailsDTO } from './services/attribute-reads.js';
export {
  AttributesService,
  type CanCreateAttributeResult,
  type IqlValidationResult,
  type NotificationSender,
  type SuccessionResult,
} from './services/attributes-service.js';
export { type DownloadedFileContent, FilesService } from './services/files-service.js';
export type { CallOptions } from './services/inputs.js';
export { MessagesService } from './services/messages-service.js';
export { matchesQuery, type Query } from './services/query-filter.js';
export { type CanCreateRelationshipResult, RelationshipsService } from './services/relationships-service.js';
export { IncomingRequestsService, OutgoingRequestsService } from './services/requests-service.js';
export {
  IdentityMetadataService,
  NotificationsService,
  SettingsService,
} from './services/settings-service.js';
export { TemplatesService } from './services/templates-service.js';
export { type TokenOptions, TokensService } from './services/tokens-service.js';
export { type DatabaseOptions, openRuntimeDatabase, type SchemaPart } from './storage/database.js';
export { runtimeEntities } from './storage/entities.js';
export { runtimeSchema } from './storage/schema.js';
export {
  type CommitListener,
  RuntimeStore,
  type StoreTransaction,
  type TransactionHook,
} from './storage/store.js';
