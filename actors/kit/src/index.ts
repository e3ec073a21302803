export {
  type AccessAttempt,
  decideAccess,
  enforceAccess,
  type GateCodes,
  type GateVerdict,
  type GuardedRecord,
  guardedRecordColumns,
  loadThroughGate,
} from './access-gate.js';
export { type Actor, defineActor, type Handler, type HandlerContext, type Handlers } from './actor.js';
export {
  authenticateCaller,
  type BootstrapCaller,
  type Caller,
  type DeviceCaller,
  type TrustAnchors,
} from './caller.js';
export { batchEntries, type EntryBatch, maxBatchEntryBytes } from './entry-batches.js';
export { type ActorMetrics, createActorMetrics } from './metrics.js';
export {
  CreateOutbox1764150000001,
  IndexOutboxMsgId1764150000005,
  Outbox,
  OutboxEntity,
  type OutboxEntry,
} from './outbox.js';
export {
  type IdentityStanding,
  insertWithinHoldingQuota,
  loadQuotas,
  loadStandings,
  type Quotas,
  type QuotaTiers,
  quotaExceeded,
  quotasFor,
  requireRoom,
} from './quotas.js';
export { type Clock, RateLimiter } from './rate-limiter.js';
export { type ServedActor, type ServeOptions, serveActor } from './serve.js';
export {
  addressOfToken,
  callerIdentity,
  type GuardedRequest,
  newGuardedRecord,
  parseExpiry,
} from './shared-objects.js';
export { addToCounters, insertRows, selectRows, updateWhereIn } from './sql-bulk.js';
export { epochMs, epochMsColumn, recordFailedAttempt } from './sql-columns.js';
export { SqlStore } from './sql-store.js';
