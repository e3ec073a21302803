export {
  addressMatchesKey,
  CryptoError,
  type CryptoErrorCode,
  clearKeyCaches,
  concatBytes,
  constantTimeEqual,
  deriveAddress,
  type ExchangeKeyPair,
  exchangeKeyPairFromPrivate,
  fromBase64Url,
  fromHex,
  fromUtf8,
  generateExchangeKeyPair,
  generateSigningKeyPair,
  hkdf,
  hmacSha256,
  isValidAddress,
  isValidHost,
  open,
  parseAddress,
  randomBytes,
  randomId,
  type SigningKeyPair,
  seal,
  sealWithNonce,
  sha256,
  sha512,
  sharedSecret,
  sign,
  signingKeyPairFromSeed,
  toBase64Url,
  toHex,
  utf8,
  verify,
} from './crypto/index.js';
export { type ErrorCode, ErrorCodes, type ErrorDetails, isErrorCode, ProtocolError } from './errors.js';
export { Limits } from './limits.js';
export {
  type DeviceKeyPair,
  devicePublicKeyToRaw,
  deviceSeedToRaw,
  generateDeviceKeyPair,
  isDevicePublicKey,
  rawToDevicePublicKey,
} from './nkey.js';
export {
  contentKey,
  decodeEnvelope,
  decodeReference,
  deriveEpochKey,
  derivePasswordSecrets,
  derivePasswordSecretsAsync,
  deriveRelationshipSecrets,
  encodeEnvelope,
  encodeReference,
  type MessageEnvelope,
  type MessageHeader,
  type MessageRecipient,
  openContent,
  openMessage,
  type PasswordSecrets,
  type Reference,
  type ReferencePassword,
  type ReferenceType,
  type RelationshipRole,
  type RelationshipSecrets,
  ratchetKey,
  referenceFromUrl,
  referenceToUrl,
  sealContent,
  sealMessage,
} from './sealing/index.js';
export {
  bootstrapInboxPrefix,
  bootstrapRequestSubject,
  deviceInboxPrefix,
  deviceJetStreamApiPrefix,
  deviceRequestSubject,
  identityTagName,
  identityToken,
  isIdentityToken,
  mailboxShard,
  mailboxStreamName,
  mailboxStreamSubjects,
  mailboxSubject,
  mailboxTagName,
  type ParsedRequestSubject,
  parseRequestSubject,
} from './subjects.js';
export {
  type Challenge,
  ChallengeType,
  challengeSchema,
  challengeSigningInput,
  SignaturePurpose,
} from './wire/challenges.js';
export { type Device, deviceSchema } from './wire/devices.js';
export { decodeReply, encodeError, encodeResult, replyEnvelopeSchema } from './wire/envelope.js';
export { type DeviceCredentials, deviceCredentialsSchema } from './wire/identities.js';
export {
  type MailboxEntryBody,
  MailboxEntryType,
  mailboxEntrySchema,
  mailboxTypeHeader,
} from './wire/mailbox-events.js';
export {
  type DeliveredMessage,
  deliveredMessageSchema,
  MessageKind,
  maxEnvelopeBytes,
  maxMessageAttachments,
  maxMessageRecipients,
} from './wire/messages.js';
export {
  type Access,
  type OperationName,
  type OperationSpec,
  Operations,
  type RequestOf,
  type ResponseOf,
} from './wire/operations.js';
export {
  type AuditEntry,
  AuditReason,
  type Relationship,
  RelationshipStatus,
  relationshipSchema,
} from './wire/relationships.js';
export { maxSharedContentBytes } from './wire/shared-content.js';
export { maxTemplateAllocations, type Template, templateSchema } from './wire/templates.js';
export { type Token, tokenSchema } from './wire/tokens.js';
