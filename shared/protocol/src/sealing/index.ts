/**
 * enmesh sealing: references, passwords, sealed content, relationship keys and message envelopes, built
 * on the primitives of `../crypto`. See docs/protocol.md, section "Sealing: references, passwords,
 * relationships, messages", for every byte layout.
 */

export {
  deriveFileChunkKey,
  FILE_CHUNK_KEY_INFO,
  FILE_CHUNK_OVERHEAD,
  FILE_SALT_LENGTH,
  fileChunkAssociatedData,
  fileChunkCount,
  fileChunkLength,
  fileChunkNonce,
  MAX_FILE_CHUNKS,
  openFileChunk,
  sealFileChunk,
} from './file-chunks.js';
export {
  checkFileMetadata,
  decodeFileMetadata,
  encodeFileMetadata,
  FILE_METADATA_TYPE,
  type FileMetadata,
  MAX_FILE_NAME_LENGTH,
  openFileMetadata,
  sealFileMetadata,
  sealFileMetadataWithNonce,
} from './file-metadata.js';
export {
  type MessageRandomness,
  type MessageRecipient,
  type OpenMessageOptions,
  openMessage,
  openMessageBytes,
  type SealMessageInput,
  sealMessage,
  sealMessageBytes,
  sealMessageWithRandomness,
} from './message-envelope.js';
export {
  canonicalHeaderBytes,
  MAX_ENCODED_ENVELOPE_BYTES,
  MAX_MESSAGE_CONTENT_BYTES,
  MAX_MESSAGE_RECIPIENTS,
  MESSAGE_BODY_OVERHEAD,
  MESSAGE_ENVELOPE_VERSION,
  type MessageEnvelope,
  type MessageHeader,
  type MessageKeyEntry,
  WRAPPED_KEY_LENGTH,
} from './message-format.js';
export { decodeEnvelope, encodeEnvelope } from './message-wire.js';
export {
  contentKey,
  derivePasswordSecrets,
  derivePasswordSecretsAsync,
  MAX_PASSWORD_BYTES,
  PASSWORD_SALT_LENGTH,
  PASSWORD_SECRET_LENGTH,
  type PasswordSecrets,
  SCRYPT_MAX_MEMORY,
  SCRYPT_PARAMETERS,
} from './password.js';
export {
  decodeReference,
  encodeReference,
  MAX_REFERENCE_TEXT_LENGTH,
  PIN_LENGTH_RANGE,
  REFERENCE_KEY_LENGTH,
  REFERENCE_SALT_LENGTH,
  REFERENCE_VERSION,
  type Reference,
  type ReferencePassword,
  type ReferenceType,
  referenceFromUrl,
  referenceToUrl,
} from './reference.js';
export {
  deriveEpochKey,
  deriveRelationshipSecrets,
  MAX_EPOCH,
  MAX_RATCHET_STEPS,
  RELATIONSHIP_KEY_LENGTH,
  type RelationshipKeyInput,
  type RelationshipRole,
  type RelationshipSecrets,
  ratchetKey,
} from './relationship-keys.js';
export {
  openContent,
  SEALED_CONTENT_OVERHEAD,
  SEALED_CONTENT_VERSION,
  type SealedContentContext,
  sealContent,
  sealContentWithNonce,
} from './sealed-content.js';
