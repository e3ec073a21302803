import { Limits, mailboxStreamName, mailboxStreamSubjects } from '@enmesh/protocol';
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { type BrokerSettings, mailboxStreamBytes } from './settings.js';

const nanos = (ms: number) => ms * 1_000_000;

/** The config of one mailbox shard stream: mailboxes `mbx.<n>.<identity>`, bounded per mailbox and in age. */
export function mailboxStreamConfig(
  settings: BrokerSettings,
  shard: number,
): Partial<StreamConfig> & { name: string } {
  return {
    name: mailboxStreamName(shard),
    subjects: [mailboxStreamSubjects(shard)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
    max_age: nanos(settings.mailboxMaxAgeMs),
    max_bytes: mailboxStreamBytes(settings),
    max_msg_size: 1024 * 1024,
    max_msgs_per_subject: settings.mailboxMaxEntries,
    // A full mailbox refuses the next entry (the sender sees an error) instead of dropping the oldest.
    discard: DiscardPolicy.New,
    discard_new_per_subject: true,
    duplicate_window: nanos(2 * 60 * 1000),
    allow_direct: false,
    deny_delete: true,
  };
}

/**
 * The consumer through which one device reads its identity's mailbox: named by the device key (the only
 * name its permissions allow), filtered to the identity's subject, started after the device's cursor, and
 * removed by the server after `inactiveMs` without a pull.
 */
export function deviceConsumerConfig(input: {
  devicePublicKey: string;
  mailboxSubject: string;
  startSequence: number;
  inactiveMs: number;
}): Partial<ConsumerConfig> {
  return {
    durable_name: input.devicePublicKey,
    filter_subject: input.mailboxSubject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(30_000),
    ...(input.startSequence > 1
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: input.startSequence }
      : { deliver_policy: DeliverPolicy.All }),
    max_ack_pending: Limits.mailboxMaxAckPending,
    max_waiting: Limits.mailboxMaxWaiting,
    max_batch: Limits.mailboxMaxBatch,
    max_expires: nanos(Limits.mailboxMaxExpiresMs),
    max_bytes: Limits.mailboxMaxBytes,
    inactive_threshold: nanos(input.inactiveMs),
  };
}

/** Creates each mailbox shard stream, or updates it to the declared config; safe to run at every start. */
export async function applyMailboxStreams(jsm: JetStreamManager, settings: BrokerSettings): Promise<void> {
  for (let shard = 0; shard < settings.shardCount; shard++) {
    const config = mailboxStreamConfig(settings, shard);
    const name = mailboxStreamName(shard);
    const exists = await jsm.streams.info(name).then(
      () => true,
      () => false,
    );
    if (exists) await jsm.streams.update(name, config);
    else await jsm.streams.add(config);
  }
}
