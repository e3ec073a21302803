export { type AccountEvent, type LoadedTemplate, TransportAccount } from './account.js';
export { AccountState, type StoredMessage } from './account-state.js';
export { BootstrapClient } from './bootstrap.js';
export { type BackboneEndpoint, connectBootstrap, connectDevice } from './connection.js';
export { HybridClock } from './datawallet/clock.js';
export {
  Datawallet,
  type DatawalletPush,
  deriveDatawalletKey,
  openBatch,
  sealBatch,
} from './datawallet/datawallet.js';
export { DatawalletState, type Modification } from './datawallet/state.js';
export { TransportError, type TransportErrorCode, TransportErrorCodes } from './errors.js';
export {
  type ByteSink,
  type DownloadedFile,
  type DownloadOptions,
  downloadFile,
} from './files/download.js';
export { type ByteSource, type UploadedFile, type UploadOptions, uploadFile } from './files/upload.js';
export {
  createIdentity,
  type DeviceJoinRequest,
  type DeviceSecrets,
  decodeDeviceSecrets,
  encodeDeviceSecrets,
  loadDeviceSecrets,
  prepareDeviceJoin,
  saveDeviceSecrets,
} from './identity.js';
export { FileKeyStore, type KeyStore, MemoryKeyStore } from './key-store.js';
export { credentialsExpired, loginDevice } from './login.js';
export type { Mailbox, MailboxEntry } from './mailbox.js';
export { openIncoming, type ReceivedMessage, sealOutgoing } from './messaging.js';
export {
  completeOnboarding,
  type OnboardingRequest,
  type PendingOnboarding,
  parseOnboardingRequest,
  startOnboarding,
} from './onboarding.js';
export type { RelationshipKeys } from './relationship-keys.js';
export { type CallOptions, callOperation } from './rpc.js';
export { DeviceSession, type MailboxOptions } from './session.js';
export {
  createToken,
  defaultReferenceBaseUrl,
  type Loader,
  loadTemplateContent,
  loadToken,
  parseReference,
  type SharedReference,
  type ShareOptions,
} from './shared-objects.js';
export { type IdentityKeys, signWithDevice, signWithIdentity } from './signing.js';
export type { AccountSnapshot, SnapshotPointer } from './snapshot.js';
