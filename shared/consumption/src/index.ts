export {
  executeIdentityAttributeQuery,
  executeIqlQuery,
  executeRelationshipAttributeQuery,
  executeThirdPartyRelationshipAttributeQuery,
  existingAttributeMismatch,
  newAttributeMismatch,
  type QueryParties,
} from './attributes/attribute-queries.js';
export {
  type AttributeFilter,
  attributeFromRow,
  findAttribute,
  findAttributes,
  findForwardings,
  getAttribute,
} from './attributes/attribute-store.js';
export { AttributesController, type OwnIdentityAttributeInput } from './attributes/attributes-controller.js';
export {
  createOwnIdentityAttribute,
  createOwnRelationshipAttribute,
  createPeerIdentityAttribute,
  createPeerRelationshipAttribute,
  createThirdPartyRelationshipAttribute,
  findEqualOwnIdentityAttribute,
  type SharedAttributeParams,
} from './attributes/create-attributes.js';
export {
  changeDefaultOwnIdentityAttribute,
  deleteAttributesOfEndedRelationship,
  deleteAttributeWithPredecessors,
  type EndedRelationshipCleanup,
  setOwnRelationshipDeletionInfo,
  setReceivedDeletionInfo,
} from './attributes/deletion.js';
export {
  addForwardingDetails,
  forwardingPeers,
  isSharedWith,
  predecessorsOf,
  setForwardingDeletionInfo,
  sharedVersionWith,
  successorsOf,
  versionsOf,
} from './attributes/forwarding.js';
export {
  type AttributeDeletionInfo,
  type AttributeDeletionStatus,
  type AttributeForwardingDetails,
  EmittedAttributeDeletionStatus,
  type ForwardableAttribute,
  isForwardable,
  isLiveSharing,
  isReceived,
  type LocalAttribute,
  LocalAttributeType,
  type OwnIdentityAttribute,
  type OwnRelationshipAttribute,
  type PeerIdentityAttribute,
  type PeerRelationshipAttribute,
  type ReceivedAttribute,
  ReceivedAttributeDeletionStatus,
  type ThirdPartyRelationshipAttribute,
} from './attributes/local-attribute.js';
export {
  latestVersionOf,
  type SuccessorParams,
  succeedAttribute,
  validateSuccession,
} from './attributes/succession.js';
export { type Consumption, type ConsumptionOptions, createConsumption } from './consumption.js';
export {
  type ClaimFileOwnership,
  type ConsumptionContext,
  runInTransaction,
  type Tx,
} from './context.js';
export {
  type AutomationResponse,
  type AutomationRule,
  Decider,
  decideByRules,
  type ItemMatch,
  type RequestMatch,
  validateAutomationRules,
} from './decider/decider.js';
export {
  ConsumptionError,
  type ConsumptionErrorCode,
  ConsumptionErrorCodes,
  type ConsumptionErrorDetails,
} from './errors.js';
export {
  type ConsumptionEvent,
  type ConsumptionEventData,
  type ConsumptionEventName,
  ConsumptionEventNames,
  type EventSink,
  type RequestStatusChange,
} from './events.js';
export {
  type LocalNotification,
  LocalNotificationStatus,
  type OutgoingNotification,
} from './notifications/local-notification.js';
export {
  applyNotificationItem,
  deletionNoticesFor,
  successionPeersOf,
} from './notifications/notification-items.js';
export { findNotification, findNotifications } from './notifications/notification-store.js';
export { NotificationsController } from './notifications/notifications-controller.js';
export { type DecisionItems, pairItems, validateDecision } from './requests/decision.js';
export {
  type DecideRequestParams,
  type DecisionOptions,
  decideIncomingRequest,
  expireIfDue,
  IncomingRequestsController,
  requestToDecide,
} from './requests/incoming-requests.js';
export {
  type AcceptItemParameters,
  checkResponseItemType,
  defineProcessor,
  type RejectItemParameters,
  type RequestItemProcessor,
  rejectResponseItem,
} from './requests/item-processor.js';
export {
  AutomaticDecision,
  isExpiredAt,
  type LocalRequest,
  type LocalRequestSource,
  LocalRequestStatus,
  type LocalRequestStatusLogEntry,
  type LocalResponse,
  type LocalResponseSource,
} from './requests/local-request.js';
export { applyResponse, OutgoingRequestsController } from './requests/outgoing-requests.js';
export { manualDecisionItemTypes } from './requests/processors/consent-and-authentication.js';
export { defaultProcessors, type ProcessorRegistry, processorFor } from './requests/processors.js';
export {
  findRequest,
  findRequests,
  getRequest,
  type RequestFilter,
  statusLogOf,
} from './requests/request-store.js';
export { type IdentityMetadata, IdentityMetadataController } from './settings/identity-metadata.js';
export {
  type Setting,
  type SettingLocation,
  SettingScope,
  SettingsController,
} from './settings/settings.js';
export {
  type AttributeForwardingRow,
  type AttributeRow,
  consumptionEntities,
  type IdentityMetadataRow,
  type NotificationRow,
  type RequestRow,
  type SettingRow,
} from './storage/entities.js';
export { CreateConsumption1764160000000 } from './storage/migrations/1764160000000-create-consumption.js';
export { consumptionSchema } from './storage/schema.js';
export type { ValidationResult } from './validation.js';
