import { Limits } from '@enmesh/protocol';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JsMsg,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { drain, publishWindowed } from './drain.js';

const nanos = (ms: number) => ms * 1_000_000;

/**
 * How the raw consumer acknowledges: `ackAck` awaits the server's confirmation of each message before taking
 * the next, `ackAckPipelined` asks for confirmations without waiting (all awaited at the end), `ack` sends
 * plain acks (no confirmation; one flush at the end).
 */
export type RawAckMode = 'ackAck' | 'ackAckPipelined' | 'ack';

/** A plain stream in the APP account, the baseline of mailbox delivery. */
export interface RawStream {
  readonly name: string;
  readonly subject: string;
  /** Publishes `count` messages as the mailbox publisher does; returns the ms taken. */
  publish(count: number, payload: Uint8Array): Promise<number>;
  /** Drains everything through a new durable pull consumer; returns the ms taken. */
  drain(durable: string, count: number, mode: RawAckMode, timeoutMs: number): Promise<number>;
  /** Deletes the stream. */
  remove(): Promise<void>;
}

/**
 * Creates a file stream `name` on `subject` (same storage, byte limit and dedup window as a mailbox shard)
 * through an APP-account connection.
 */
export async function createRawStream(nc: NatsConnection, name: string, subject: string): Promise<RawStream> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({
    name,
    subjects: [subject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
    max_bytes: 64 * 1024 * 1024,
    max_msg_size: 1024 * 1024,
    discard: DiscardPolicy.New,
    duplicate_window: nanos(2 * 60 * 1000),
  });
  return {
    name,
    subject,
    publish: (count, payload) => publishWindowed(js, subject, count, payload, (i) => `${name}:${i}`),
    drain: async (durable, count, mode, timeoutMs) => {
      // The same consumer limits and pull size as a device's mailbox consumer (SDK default batch 100).
      await jsm.consumers.add(name, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(30_000),
        max_ack_pending: Limits.mailboxMaxAckPending,
      });
      const consumer = await js.consumers.get(name, durable);
      const messages = await consumer.consume({ max_messages: 100, expires: 30_000 });
      const confirmations: Promise<boolean>[] = [];
      const handlers: Record<RawAckMode, (msg: JsMsg) => Promise<void> | void> = {
        ackAck: async (msg) => {
          await msg.ackAck();
        },
        ackAckPipelined: (msg) => void confirmations.push(msg.ackAck()),
        ack: (msg) => msg.ack(),
      };
      return drain<JsMsg>(messages, {
        count,
        timeoutMs,
        handle: handlers[mode],
        // Plain acks are fire-and-forget: a flush (one round trip) makes sure the server has them all.
        finish: () => (mode === 'ack' ? nc.flush() : Promise.all(confirmations)),
        stop: () => messages.stop(),
      });
    },
    remove: async () => {
      await jsm.streams.delete(name);
    },
  };
}
