export {
  type AccountKeys,
  accountKeys,
  actorUserCreds,
  appAccountJwt,
  bootstrapUserCreds,
  devAccountJwt,
  operatorJwt,
  sysAccountJwt,
  sysUserCreds,
} from './accounts.js';
export { brokerConnector, type RunningBroker, type StartBrokerOptions, startBroker } from './broker.js';
export { type DeviceJwtInput, deviceJwtMinter } from './device-credentials.js';
export { bootstrapPermissions, devicePermissionTemplate } from './device-template.js';
export { applyFilesStream, filesStreamConfig } from './files.js';
export { checkMailboxLayout } from './layout.js';
export { applyMailboxStreams, deviceConsumerConfig, mailboxStreamConfig } from './mailbox.js';
export {
  assertPortFree,
  BrokerStartError,
  findNatsServer,
  type NatsServerProcess,
  type NatsServerProcessOptions,
  startNatsServer,
} from './nats-server-process.js';
export { devAccountPusher } from './revocations.js';
export { type BrokerSecrets, loadOrCreateSecrets } from './secrets.js';
export { brokerPaths, renderServerConfig, writeServerConfig } from './server-config.js';
export {
  type BrokerSettings,
  defaultBrokerSettings,
  filesStreamBytes,
  mailboxStreamBytes,
} from './settings.js';
