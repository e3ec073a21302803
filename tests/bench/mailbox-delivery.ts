import { randomBytes } from 'node:crypto';
import { mailboxSubject } from '@enmesh/protocol';
import type { DeviceSession, MailboxEntry } from '@enmesh/transport';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { closeAll, createTestIdentity, type TestIdentity } from '../src/kit/identities.js';
import type { TestStack } from '../src/kit/stack.js';
import { drain, publishWindowed } from './drain.js';
import { createRawStream, type RawAckMode, type RawStream } from './raw-stream.js';
import { type Figure, figure, perSecond } from './report.js';

/** Sizes of the mailbox benchmark. */
export interface MailboxBenchOptions {
  readonly count: number;
  readonly size: number;
  /** Entries published and drained once, unmeasured, on each path before measuring. */
  readonly warmUp: number;
  /** Longest one drain may take. */
  readonly timeoutMs: number;
}

const defaults: MailboxBenchOptions = { count: 5000, size: 1024, warmUp: 500, timeoutMs: 30_000 };

/** How the SDK's entries are acknowledged: each `entry.ack()` awaited in turn, or all awaited at the end. */
type SdkAckMode = 'awaited' | 'pipelined';

/** Drains `count` entries from a device's mailbox (cursor 0) through the SDK; returns the ms taken. */
async function drainMailbox(session: DeviceSession, count: number, mode: SdkAckMode, timeoutMs: number) {
  const mailbox = await session.mailbox({ cursor: 0 });
  const acks: Promise<void>[] = [];
  return drain<MailboxEntry>(mailbox, {
    count,
    timeoutMs,
    handle: mode === 'awaited' ? (entry) => entry.ack() : (entry) => void acks.push(entry.ack()),
    finish: () => Promise.all(acks),
    stop: () => mailbox.close(),
  });
}

/** Publishes `count` entries into an identity's mailbox as `publishToMailbox` does, in windows of 256. */
function publishEntries(
  actor: NatsConnection,
  test: TestStack,
  token: string,
  count: number,
  payload: Uint8Array,
) {
  const subject = mailboxSubject(token, test.settings.broker.shardCount);
  return publishWindowed(jetstream(actor), subject, count, payload, (i) => `${token}:${i}`);
}

/**
 * Mailbox delivery: entries published into one identity's mailbox and drained by its devices through the
 * SDK, against the same messages in a plain APP-account stream drained by plain pull consumers.
 */
export async function benchMailboxDelivery(
  test: TestStack,
  options: MailboxBenchOptions = defaults,
): Promise<Figure[]> {
  const { count, size, warmUp, timeoutMs } = options;
  const payload = new Uint8Array(randomBytes(size));
  const actor = await test.stack.broker.connectActor('bench-publisher');
  const identities: TestIdentity[] = [];
  const streams: RawStream[] = [];
  try {
    // Warm-up (JIT, connections, file store), not measured.
    const warm = await createTestIdentity(test, 1);
    identities.push(warm);
    const rawWarm = await createRawStream(actor, 'bench_warm', 'bench.warm');
    streams.push(rawWarm);
    await publishEntries(actor, test, warm.token, warmUp, payload);
    await drainMailbox(warm.devices[0]!.session, warmUp, 'awaited', timeoutMs);
    await rawWarm.publish(warmUp, payload);
    await rawWarm.drain('warm', warmUp, 'ackAck', timeoutMs);

    const target = await createTestIdentity(test, 2);
    identities.push(target);
    const raw = await createRawStream(actor, 'bench_raw', 'bench.raw');
    streams.push(raw);
    const publishMs = await publishEntries(actor, test, target.token, count, payload);
    const rawPublishMs = await raw.publish(count, payload);

    // Alternate raw and SDK so that neither profits from running later.
    const rawMs: Partial<Record<RawAckMode, number>> = {};
    rawMs.ackAck = await raw.drain('bench_ackack', count, 'ackAck', timeoutMs);
    const sdkMs = await drainMailbox(target.devices[0]!.session, count, 'awaited', timeoutMs);
    rawMs.ack = await raw.drain('bench_ack', count, 'ack', timeoutMs);
    rawMs.ackAckPipelined = await raw.drain('bench_pipelined', count, 'ackAckPipelined', timeoutMs);
    const sdkPipelinedMs = await drainMailbox(target.devices[1]!.session, count, 'pipelined', timeoutMs);

    const rate = (ms: number | undefined) => perSecond(count, ms ?? Number.NaN);
    const common = { benchmark: 'mailbox delivery', unit: 'msgs/s', higherIsBetter: true } as const;
    return [
      figure({
        ...common,
        name: `SDK drain, entry.ack() awaited (${count} x ${size} B)`,
        value: rate(sdkMs),
        baselineName: 'raw consume, ackAck awaited',
        baseline: rate(rawMs.ackAck),
      }),
      figure({
        ...common,
        name: 'SDK drain, entry.ack() awaited',
        value: rate(sdkMs),
        baselineName: 'raw consume, plain ack',
        baseline: rate(rawMs.ack),
      }),
      figure({
        ...common,
        name: 'raw consume, ackAck awaited',
        value: rate(rawMs.ackAck),
        baselineName: 'raw consume, plain ack',
        baseline: rate(rawMs.ack),
      }),
      figure({
        ...common,
        name: 'SDK drain, entry.ack() not awaited each',
        value: rate(sdkPipelinedMs),
        baselineName: 'raw consume, ackAck not awaited each',
        baseline: rate(rawMs.ackAckPipelined),
      }),
      figure({
        ...common,
        name: 'mailbox publish (windows of 256)',
        value: rate(publishMs),
        baselineName: 'raw stream publish',
        baseline: rate(rawPublishMs),
      }),
    ];
  } finally {
    await closeAll(...identities);
    for (const stream of streams) await stream.remove().catch(() => undefined);
    await actor.close();
  }
}
