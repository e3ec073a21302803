import { createFilesActor, jetStreamChunkStore } from '@enmesh/actor-files';
import { createIdentitiesActor, type IdentitiesDeps } from '@enmesh/actor-identities';
import {
  createActorMetrics,
  Outbox,
  type OutboxEntry,
  type QuotaTiers,
  RateLimiter,
  type ServedActor,
  SqlStore,
  serveActor,
} from '@enmesh/actor-kit';
import { createMessagesActor } from '@enmesh/actor-messages';
import { createRelationshipsActor } from '@enmesh/actor-relationships';
import { createTokensActor } from '@enmesh/actor-tokens';
import {
  accountKeys,
  type BrokerSecrets,
  devAccountPusher,
  deviceConsumerConfig,
  deviceJwtMinter,
} from '@enmesh/broker-config';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, headers as natsHeaders } from '@nats-io/nats-core';
import { fromSeed } from '@nats-io/nkeys';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { type DeletionStep, runIdentityDeletions } from './identity-deletion-job.js';

/** What the actors of one process need. */
export interface ActorsDeps {
  readonly nc: NatsConnection;
  readonly sys: NatsConnection;
  readonly db: DataSource;
  readonly secrets: BrokerSecrets;
  readonly log: Logger;
  readonly settings: {
    backboneHost: string;
    shardCount: number;
    deviceJwtLifetimeMs: number;
    mailboxInactiveMs: number;
    fileMaxBytes: number;
    /** Time between starting an identity's deletion and the deletion. */
    deletionGracePeriodMs: number;
  };
  readonly bootstrapRate: { perHost: number; burstPerHost: number; global: number; burstGlobal: number };
  /** What each identity may hold or do, per tier. */
  readonly quotas: QuotaTiers;
  readonly clock?: () => number;
  /** Called after each step of an identity's deletion; tests throw here to stop the job half-way. */
  readonly afterDeletionStep?: (step: DeletionStep) => void;
  /** How often housekeeping runs (expired challenges, revocations); default ten minutes. */
  readonly housekeepingMs?: number;
}

/** The running actors of a process. */
export interface RunningActors {
  readonly served: readonly ServedActor[];
  readonly metrics: ReturnType<typeof createActorMetrics>;
  /** Runs the identity deletion job now (it also runs on the housekeeping timer); returns how many went. */
  runIdentityDeletions(): Promise<number>;
  /** Runs every actor's housekeeping now (it also runs on the timer). */
  housekeep(): Promise<void>;
  /** Stops taking requests, answers those in flight. */
  drain(): Promise<void>;
}

/**
 * Wires and serves the backbone actors on one connection (the process's composition root for actors):
 * each actor gets its ports (broker capabilities, database, clock) in plain code.
 */
export async function startActors(deps: ActorsDeps): Promise<RunningActors> {
  const metrics = createActorMetrics();
  const keys = accountKeys(deps.secrets);
  const trust = {
    deviceAccount: keys.dev,
    bootstrapUser: fromSeed(new TextEncoder().encode(deps.secrets.bootstrapUser)).getPublicKey(),
  };
  const bootstrapLimiter = new RateLimiter({
    perKeyRate: deps.bootstrapRate.perHost,
    perKeyBurst: deps.bootstrapRate.burstPerHost,
    globalRate: deps.bootstrapRate.global,
    globalBurst: deps.bootstrapRate.burstGlobal,
  });
  const store = new SqlStore(deps.db);
  const clock = deps.clock ?? Date.now;
  const jsm = await jetstreamManager(deps.nc);
  const js = jetstream(deps.nc);
  const outbox = new Outbox(store, js, {
    clock,
    onRefused: (entry, error) =>
      deps.log.warn({ msgId: entry.msgId, err: error.message }, 'mailbox entry refused; dropped'),
  });
  const publish = async (entry: OutboxEntry) => {
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(entry.headers ?? {})) headers.set(name, value);
    const ack = await js.publish(entry.subject, entry.payload, { msgID: entry.msgId, headers });
    return ack.seq;
  };
  const identityDeps: IdentitiesDeps = {
    store,
    jsm,
    broker: {
      mintDeviceJwt: deviceJwtMinter(deps.secrets),
      pushRevocations: devAccountPusher(deps.secrets, deps.sys),
      deviceConsumerConfig,
    },
    outbox,
    publish,
    settings: { ...deps.settings, quotas: deps.quotas },
    clock,
  };
  const identities = createIdentitiesActor(identityDeps);
  const backbone = {
    backboneHost: deps.settings.backboneHost,
    shardCount: deps.settings.shardCount,
    quotas: deps.quotas,
  };
  const tokens = createTokensActor({ store, clock, settings: backbone });
  const relationships = createRelationshipsActor({ store, outbox, clock, settings: backbone });
  const messages = createMessagesActor({ store, publish, outbox, clock, settings: backbone });
  const chunks = jetStreamChunkStore(jetstream(deps.nc), jsm);
  const files = createFilesActor({
    store,
    chunks,
    clock,
    settings: {
      backboneHost: deps.settings.backboneHost,
      fileMaxBytes: deps.settings.fileMaxBytes,
      quotas: deps.quotas,
    },
  });
  const actors = [identities, tokens, relationships, messages, files];
  const served = actors.map((actor) =>
    serveActor(deps.nc, actor, { trust, log: deps.log, metrics, bootstrapLimiter }),
  );
  await deps.nc.flush();
  for (const actor of actors) await actor.start?.(deps.nc);
  // Publishes what a crash left in the outbox, then keeps relaying on the housekeeping timer.
  await outbox.flush();
  const relay = setInterval(() => {
    outbox.flush().catch((error: Error) => deps.log.warn({ err: error.message }, 'outbox relay failed'));
  }, 1000);
  relay.unref();
  const deletionJob = {
    identities: identityDeps,
    chunks,
    log: deps.log,
    ...(deps.afterDeletionStep ? { afterStep: deps.afterDeletionStep } : {}),
  };
  // One run at a time in this process: the timer and an explicit call share the run in progress.
  let deleting: Promise<number> | undefined;
  const runDeletions = () => {
    deleting ??= runIdentityDeletions(deletionJob).finally(() => {
      deleting = undefined;
    });
    return deleting;
  };
  const timer = setInterval(() => {
    runDeletions().catch((error: Error) =>
      deps.log.warn({ err: error.message }, 'identity deletion job stopped; the next run resumes it'),
    );
    for (const actor of actors) {
      actor
        .housekeep()
        .catch((error: Error) =>
          deps.log.warn({ actor: actor.name, err: error.message }, 'housekeeping failed'),
        );
    }
  }, deps.housekeepingMs ?? 600_000);
  timer.unref();
  return {
    served,
    metrics,
    runIdentityDeletions: runDeletions,
    housekeep: async () => {
      for (const actor of actors) await actor.housekeep();
    },
    async drain() {
      clearInterval(timer);
      clearInterval(relay);
      await Promise.all(served.map((actor) => actor.drain()));
    },
  };
}
