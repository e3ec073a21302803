import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ErrorCodes, Limits, ProtocolError } from '@enmesh/protocol';
import { type AccountEvent, TransportAccount } from '@enmesh/transport';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { closeAll, createTestIdentity } from '../src/kit/identities.js';
import type { TestStack } from '../src/kit/stack.js';
import { waitFor } from '../src/kit/wait.js';
import { runLoad } from './load.js';
import { lastMessageEntryBytes } from './mailbox-entry.js';
import { coresBetween, machineBusyMs, processCpuMs } from './process-cpu.js';
import { createRawStream } from './raw-stream.js';
import { type Figure, figure, percentile, perSecond } from './report.js';

/** Sizes, rates and targets of the end-to-end messaging benchmark. */
export interface MessagingBenchOptions {
  /** Messages per measured throughput run. */
  readonly count: number;
  /** Sends in flight in each throughput run (one run per value). */
  readonly concurrencies: readonly number[];
  /** Messages sent and received once, unmeasured, before measuring. */
  readonly warmUp: number;
  /** Bytes of each message's JSON content. */
  readonly bodyBytes: number;
  /** Fixed send rate of the latency run (messages per second), and a lower one for comparison. */
  readonly rate: number;
  readonly lowRate: number;
  /** Seconds each fixed-rate run sends for. */
  readonly rateSeconds: number;
  /** Most sends in flight in a fixed-rate run (beyond it a send waits and falls behind its due time). */
  readonly rateMaxInFlight: number;
  /** Messages of the send-only and receive-only runs (below the unreceived cap of one sender). */
  readonly stageCount: number;
  /** Most messages sent and not yet received (see `SendWindow`). */
  readonly sendWindow: number;
  /** Messages per raw JetStream run, and publishes in flight. */
  readonly rawCount: number;
  readonly rawWindow: number;
  /** Longest any one run may take. */
  readonly timeoutMs: number;
  /** Targets of the acceptance criterion: e2e / raw throughput, and p99 latency at `rate`. */
  readonly targetRatio: number;
  readonly targetP99Ms: number;
  /**
   * When set, a V8 CPU profile of the end-to-end throughput runs is written to this file, and one of the
   * run at `rate` next to it (`<name>-1000ps.cpuprofile`).
   */
  readonly cpuProfile?: string;
  /**
   * Where the actors run, for the report: `in-process` (this Node process, the default) or `own-process`
   * (a process of their own, as deployed).
   */
  readonly actorsIn?: 'in-process' | 'own-process';
  /** The actors' process, when they run in one of their own: its CPU use is reported beside this one's. */
  readonly actorsPid?: number;
}

const defaults: MessagingBenchOptions = {
  count: 3000,
  concurrencies: [16, 64, 128, 256],
  warmUp: 200,
  bodyBytes: 1024,
  rate: 1000,
  lowRate: 250,
  rateSeconds: 3,
  rateMaxInFlight: 200,
  stageCount: 900,
  sendWindow: 600,
  rawCount: 20_000,
  rawWindow: 256,
  timeoutMs: 30_000,
  targetRatio: 0.4,
  targetP99Ms: 25,
  ...(process.env.ENMESH_BENCH_CPU_PROFILE ? { cpuProfile: process.env.ENMESH_BENCH_CPU_PROFILE } : {}),
};

/** Latency of messages sent at a fixed rate, and how well the sender kept to the rate. */
export interface LatencySummary {
  readonly rate: number;
  readonly count: number;
  /** From each send's start to its receipt, in ms. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** From each message's due time to its receipt (includes waiting to be sent), in ms. */
  readonly fromDueP99: number;
  /** Sends started per second; the sender kept up when that is the asked rate and few were late. */
  readonly achievedRate: number;
  /** How late sends started against their due time, in ms. */
  readonly lateP99: number;
  readonly lateMax: number;
  readonly keptUp: boolean;
  /** Messages received per second, from the first send to the last receipt: below the rate, a backlog grew. */
  readonly deliveredRate: number;
  /** Sends that met the recipient's full unreceived cap and waited. */
  readonly capWaits: number;
  /** How late this process's event loop ran its callbacks meanwhile (everything shares it), in ms. */
  readonly loopDelayP99: number;
  readonly loopDelayMax: number;
}

/** Everything the benchmark measured, for the JSON next to the figures. */
export interface MessagingDetails {
  readonly setup: string;
  readonly bodyBytes: number;
  readonly mailboxEntryBytes: number;
  /** The sender's own MessageSent entry for the same message (0: none, the sender has one device). */
  readonly senderEntryBytes: number;
  readonly throughput: readonly {
    concurrency: number;
    count: number;
    ms: number;
    msgsPerSecond: number;
    capWaits: number;
    /** CPU time of this Node process per wall-clock time (1 = one core busy throughout). */
    processCores: number;
    /** Busy cores of the whole machine meanwhile (this process, nats-server and anything else). */
    machineCores: number;
    /** Cores nats-server kept busy meanwhile, and the actors' process when they run in one of their own. */
    natsCores?: number;
    actorsCores?: number;
  }[];
  readonly bestThroughput: number;
  /**
   * The two halves alone, at the best concurrency: sends answered with both devices paused (SDK and actor),
   * then the recipient's backlog received with nothing else running.
   */
  readonly sendOnly: number;
  readonly receiveOnly: number;
  readonly raw: readonly { count: number; window: number; ms: number; msgsPerSecond: number }[];
  readonly rawCeiling: number;
  readonly ratio: number;
  readonly latency: LatencySummary;
  readonly lowRateLatency: LatencySummary;
  readonly rawLatency: LatencySummary;
  readonly sendWindow: number;
  readonly targets: {
    ratio: { target: number; value: number; met: boolean };
    p99Ms: { target: number; value: number; met: boolean };
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/** JSON content of exactly `bytes` bytes (ASCII). */
function contentOf(bytes: number): { text: string } {
  return { text: 'x'.repeat(Math.max(0, bytes - JSON.stringify({ text: '' }).length)) };
}

/** A device running a TransportAccount, its events handed to `onEvent` with their arrival time. */
interface Device {
  readonly account: TransportAccount;
  /** Stops taking events (the SDK stops pulling after the current one) until `resume`. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

function runDevice(account: TransportAccount, onEvent: (event: AccountEvent, at: number) => void): Device {
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  const running = (async () => {
    for await (const event of account.events({ cursor: 0 })) {
      onEvent(event, performance.now());
      if (gate) await gate.promise;
    }
  })().catch(() => undefined);
  const resume = () => {
    gate?.open();
    gate = undefined;
  };
  return {
    account,
    pause: () => {
      let open: () => void = () => undefined;
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate ??= { promise, open };
    },
    resume,
    stop: async () => {
      resume();
      await account.close();
      await running;
    },
  };
}

/**
 * The sender's flow control: at most `limit` messages sent and not yet received by the recipient's device.
 * The backbone refuses a sender's 1,001st message to one recipient that the recipient has not confirmed (a
 * spam brake; the SDK confirms received messages in batches, every 100 or 200 ms), so a sender that outran
 * its recipient would spend the run on refused sends and retries instead of messaging. The default limit
 * leaves room for the confirmations still on their way.
 */
class SendWindow {
  limit: number;
  #open = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Resolves when one more message may be sent. */
  acquire(): Promise<void> {
    if (this.#open < this.limit) {
      this.#open++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** One message arrived: a waiting send may go. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#open = Math.max(0, this.#open - 1);
  }
}

/** The recipient's side: the receive time of every decrypted and verified message, by id. */
class Recipient {
  readonly receivedAt = new Map<string, number>();
  readonly rejected: string[] = [];
  readonly #window: SendWindow;
  #waiter: { count: number; resolve: () => void } | undefined;

  constructor(window: SendWindow) {
    this.#window = window;
  }

  readonly onEvent = (event: AccountEvent, at: number): void => {
    if (event.type === 'messageRejected') this.rejected.push(`${event.id}: ${event.reason}`);
    if (event.type !== 'messageReceived') return;
    this.receivedAt.set(event.message.id, at);
    this.#window.release();
    if (this.#waiter && this.receivedAt.size >= this.#waiter.count) {
      this.#waiter.resolve();
      this.#waiter = undefined;
    }
  };

  /** Resolves once `count` messages in all were received; fails after `timeoutMs` or on a rejected one. */
  async untilReceived(count: number, timeoutMs: number): Promise<void> {
    if (this.receivedAt.size < count) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          new Promise<void>((resolve) => {
            this.#waiter = { count, resolve };
          }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`received ${this.receivedAt.size} of ${count} in ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
        this.#waiter = undefined;
      }
    }
    if (this.rejected.length > 0)
      throw new Error(`messages rejected: ${this.rejected.slice(0, 3).join('; ')}`);
  }
}

/** Lets the SDK's receipt batches (sent at the latest 200 ms after a message) and the devices settle. */
const quiesce = () => sleep(400);

/** `templator` publishes a template in a token; `requestor` loads it and asks; `templator` accepts. */
async function relate(templator: TransportAccount, requestor: TransportAccount): Promise<void> {
  const { url: templateUrl } = await templator.createTemplate({ name: 'bench' }, { expiresAt: inDays(1) });
  const { url: tokenUrl } = await templator.createToken({ templateUrl }, { expiresAt: inDays(1) });
  const token = await requestor.loadToken(tokenUrl);
  const loaded = await requestor.loadTemplate((token.content as { templateUrl: string }).templateUrl);
  const pending = await requestor.requestRelationship(loaded, { greeting: 'bench' });
  await waitFor(() => templator.state.relationships.has(pending.id), 'the request to reach the templator');
  await templator.change('acceptRelationship', pending.id);
  await waitFor(
    () => [templator, requestor].every((a) => a.state.relationships.get(pending.id)?.status === 'Active'),
    'both sides to see the relationship Active',
  );
}

/**
 * Sends one message when the window allows; should the recipient's unreceived cap still be full, waits
 * 50 ms and sends again, as an app would. Returns the message id.
 */
async function sendWithBackoff(
  window: SendWindow,
  from: TransportAccount,
  to: string,
  content: unknown,
  onCapWait: () => void,
): Promise<{ id: string; copiedToOwnDevices: boolean }> {
  await window.acquire();
  const deadline = performance.now() + 30_000;
  while (true) {
    try {
      return await from.sendMessage([to], content);
    } catch (error) {
      const full = ProtocolError.isProtocolError(error, ErrorCodes.messageTooManyUnreceived);
      if (!full || performance.now() > deadline) throw error;
      onCapWait();
      await sleep(50);
    }
  }
}

interface FixedRateRun {
  /** Each send's start and its lateness against its due time, in ms, in start order. */
  readonly starts: number[];
  readonly lates: number[];
  /** How late the event loop ran callbacks during the run, in ms. */
  readonly loopDelay: { p99: number; max: number };
}

/**
 * Starts `op(i)` for i = 0..count-1 at `rate` per second, each when due by the clock (late ones at once,
 * never more than `maxInFlight` running), and waits for all. Fails when one fails or after `timeoutMs`.
 */
async function atFixedRate(
  count: number,
  rate: number,
  maxInFlight: number,
  timeoutMs: number,
  op: (index: number, startedAt: number, dueAt: number) => Promise<void>,
): Promise<FixedRateRun> {
  const interval = 1000 / rate;
  const starts: number[] = [];
  const lates: number[] = [];
  const running = new Set<Promise<void>>();
  let failure: unknown;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const t0 = performance.now() + 1;
  const deadline = t0 + timeoutMs;
  for (let i = 0; i < count && failure === undefined; ) {
    const now = performance.now();
    if (now > deadline) throw new Error(`fixed-rate run of ${count} timed out after ${timeoutMs} ms`);
    const due = t0 + i * interval;
    if (now < due) {
      await sleep(due - now);
      continue;
    }
    if (running.size >= maxInFlight) {
      await Promise.race(running);
      continue;
    }
    starts.push(now);
    lates.push(now - due);
    const task: Promise<void> = op(i, now, due)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => running.delete(task));
    running.add(task);
    i++;
  }
  await Promise.all(running);
  loop.disable();
  if (failure !== undefined) throw failure;
  return { starts, lates, loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } };
}

/** Latency figures of a fixed-rate run from each message's start, due and receive times. */
function summarise(
  rate: number,
  messages: readonly { startedAt: number; dueAt: number; receivedAt: number }[],
  run: FixedRateRun,
  capWaits: number,
): LatencySummary {
  const latencies = messages.map((m) => m.receivedAt - m.startedAt);
  const first = run.starts[0] ?? 0;
  const last = run.starts.at(-1) ?? 0;
  const lastReceived = Math.max(...messages.map((m) => m.receivedAt));
  const achievedRate = perSecond(Math.max(0, run.starts.length - 1), last - first);
  const lateP99 = percentile(run.lates, 99);
  return {
    rate,
    count: messages.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    fromDueP99: percentile(
      messages.map((m) => m.receivedAt - m.dueAt),
      99,
    ),
    achievedRate,
    lateP99,
    lateMax: percentile(run.lates, 100),
    // Kept up: the sends went out at the asked rate, 99 % of them less than 20 intervals late.
    keptUp: achievedRate >= rate * 0.98 && lateP99 < 20_000 / rate,
    deliveredRate: perSecond(messages.length, lastReceived - first),
    capWaits,
    loopDelayP99: run.loopDelay.p99,
    loopDelayMax: run.loopDelay.max,
  };
}

interface RawResult {
  readonly ms: number;
  readonly messages: { startedAt: number; dueAt: number; receivedAt: number }[];
  readonly run?: FixedRateRun;
}

/**
 * The raw baseline: a new plain APP-account stream (as a mailbox shard: file storage, dedup window) fed by
 * async publishes with acks on `publisher`, `window` in flight (or at a fixed rate), and drained at the same
 * time by a pull consumer (`consume()`, same pull size and ack-pending limit as a device's) on another
 * connection that acks each message with a plain ack. Measured from the first publish to the last consume.
 */
async function rawRun(
  publisher: NatsConnection,
  consumerConnection: NatsConnection,
  name: string,
  payload: Uint8Array,
  count: number,
  pace: { window: number } | { rate: number; maxInFlight: number },
  timeoutMs: number,
): Promise<RawResult> {
  const subject = `bench.${name}`;
  const stream = await createRawStream(publisher, name, subject);
  try {
    const jsm = await jetstreamManager(consumerConnection);
    await jsm.consumers.add(name, {
      durable_name: 'bench',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30_000 * 1_000_000,
      max_ack_pending: Limits.mailboxMaxAckPending,
    });
    const consumer = await jetstream(consumerConnection).consumers.get(name, 'bench');
    const messages = await consumer.consume({ max_messages: 100, expires: 30_000 });
    const consumedAt = new Map<number, number>();
    let last = 0;
    const consuming = (async () => {
      for await (const msg of messages) {
        last = performance.now();
        consumedAt.set(msg.seq, last);
        msg.ack();
        if (consumedAt.size >= count) break;
      }
      // Plain acks are fire-and-forget: one round trip makes sure the server has them all.
      await consumerConnection.flush();
    })();
    const timer = setTimeout(() => void messages.stop(), timeoutMs);
    const js = jetstream(publisher);
    const sent = new Map<number, { startedAt: number; dueAt: number }>();
    const started = performance.now();
    let run: FixedRateRun | undefined;
    try {
      if ('rate' in pace) {
        run = await atFixedRate(
          count,
          pace.rate,
          pace.maxInFlight,
          timeoutMs,
          async (i, startedAt, dueAt) => {
            const ack = await js.publish(subject, payload, { msgID: `${name}:${i}` });
            sent.set(ack.seq, { startedAt, dueAt });
          },
        );
      } else {
        let next = 0;
        const worker = async () => {
          while (next < count) await js.publish(subject, payload, { msgID: `${name}:${next++}` });
        };
        await Promise.all(Array.from({ length: Math.min(pace.window, count) }, worker));
      }
      await consuming;
    } finally {
      clearTimeout(timer);
      await messages.close().catch(() => undefined);
    }
    if (consumedAt.size < count) throw new Error(`raw: consumed ${consumedAt.size} of ${count}`);
    const timed = [...sent].map(([seq, m]) => ({ ...m, receivedAt: consumedAt.get(seq) ?? Number.NaN }));
    return { ms: last - started, messages: timed, ...(run ? { run } : {}) };
  } finally {
    await stream.remove().catch(() => undefined);
  }
}

/** Starts a V8 CPU profile of this process; the returned function stops it and writes it to `file`. */
async function startProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(file, JSON.stringify(profile));
    console.log(`  (CPU profile written to ${file})`);
  };
}

/**
 * End-to-end messaging: identity A sends 1 KiB messages to B through the SDK (sealed, sends in flight together
 * coalesced into `sendMessages` requests to the messages actor, which checks and records them in SQL and
 * publishes the mailbox entries before answering) and B's device takes them from `events()` (decrypted, verified, acknowledged) and
 * confirms them in batches. Against it, the raw JetStream ceiling on the same server with payloads of the
 * size of B's real mailbox entry. Actors, both devices and the raw clients all run in this one Node process
 * (only nats-server is its own process), so they share one event loop and one core.
 */
export async function benchMessaging(
  test: TestStack,
  overrides: Partial<MessagingBenchOptions> = {},
): Promise<{ figures: Figure[]; details: MessagingDetails }> {
  const options = { ...defaults, ...overrides };
  const { count, warmUp, bodyBytes, timeoutMs } = options;
  const natsPid = test.stack.broker.server.pid;
  const content = contentOf(bodyBytes);
  const identities = await Promise.all([createTestIdentity(test, 1), createTestIdentity(test, 1)]);
  const [a, b] = identities.map((identity) => identity.devices[0]!.secrets);
  await closeAll(...identities);
  const window = new SendWindow(options.sendWindow);
  const recipient = new Recipient(window);
  const devices: Device[] = [];
  const publisher = await test.stack.broker.connectActor('bench-raw-publisher');
  const rawConsumer = await test.stack.broker.connectActor('bench-raw-consumer');
  try {
    // The sender's device runs its events too, as a real one does. With one device it gets no MessageSent
    // entries (the backbone copies a sent message only to identities with other devices), so it idles.
    let sentSeen = 0;
    let copiesExpected = 0;
    const sender = runDevice(await TransportAccount.open(test.endpoint, a!), (event) => {
      if (event.type === 'messageSent') sentSeen++;
    });
    devices.push(sender);
    const receiver = runDevice(await TransportAccount.open(test.endpoint, b!), recipient.onEvent);
    devices.push(receiver);
    await relate(sender.account, receiver.account);
    const to = receiver.account.address;

    let expected = 0;
    /** Sends `n` messages, `concurrency` at a time; returns their ids and the last answer's time. */
    const sendAll = async (n: number, concurrency: number) => {
      let capWaits = 0;
      const ids: string[] = [];
      await runLoad(
        n,
        concurrency,
        async () => {
          const answer = await sendWithBackoff(window, sender.account, to, content, () => capWaits++);
          ids.push(answer.id);
          if (answer.copiedToOwnDevices) copiesExpected++;
        },
        timeoutMs,
      );
      expected += n;
      return { ids, capWaits, answeredAt: performance.now() };
    };
    const lastReceipt = (ids: readonly string[]) =>
      Math.max(...ids.map((id) => recipient.receivedAt.get(id) ?? Number.NaN));

    // Warm-up (JIT, connections, prepared statements, file store), not measured.
    await sendAll(warmUp, 16);
    await recipient.untilReceived(expected, timeoutMs);
    await quiesce();

    // The size of B's real mailbox entry for such a message, for the raw payloads (and of A's MessageSent
    // entry, which carries the sender copy: the backbone publishes both for each message).
    const shards = test.settings.broker.shardCount;
    const jsm = await jetstreamManager(publisher);
    const lastEntryBytes = (address: string) => lastMessageEntryBytes(jsm, address, shards);
    const entryBytes = await lastEntryBytes(to);
    // The sender's copy exists only for an identity with other devices.
    const senderEntryBytes = copiesExpected > 0 ? await lastEntryBytes(sender.account.address) : 0;
    const payload = new Uint8Array(randomBytes(entryBytes));

    const raw: MessagingDetails['raw'][number][] = [];
    const rawWindow = options.rawWindow;
    const rawThroughput = async (name: string, n: number) => {
      const { ms } = await rawRun(publisher, rawConsumer, name, payload, n, { window: rawWindow }, timeoutMs);
      return { count: n, window: rawWindow, ms, msgsPerSecond: perSecond(n, ms) };
    };
    await rawThroughput('bench_e2e_raw_warm', 2000);
    raw.push(await rawThroughput('bench_e2e_raw_1', options.rawCount));

    // Throughput: from the first send to the last message received, decrypted and verified on B.
    const stopProfile = options.cpuProfile ? await startProfile(options.cpuProfile) : undefined;
    const throughput: MessagingDetails['throughput'][number][] = [];
    for (const concurrency of options.concurrencies) {
      const cpu = process.cpuUsage();
      const busy = machineBusyMs();
      const nats = processCpuMs(natsPid);
      const actors = processCpuMs(options.actorsPid);
      const startedAt = performance.now();
      const { ids, capWaits } = await sendAll(count, concurrency);
      await recipient.untilReceived(expected, timeoutMs);
      const used = process.cpuUsage(cpu);
      const wall = performance.now() - startedAt;
      const processCores = (used.user + used.system) / 1000 / wall;
      const machineCores = (machineBusyMs() - busy) / wall;
      const natsCores = coresBetween(nats, processCpuMs(natsPid), wall);
      const actorsCores = coresBetween(actors, processCpuMs(options.actorsPid), wall);
      const ms = lastReceipt(ids) - startedAt;
      const msgsPerSecond = perSecond(count, ms);
      throughput.push({
        concurrency,
        count,
        ms,
        msgsPerSecond,
        capWaits,
        processCores,
        machineCores,
        ...(natsCores === undefined ? {} : { natsCores }),
        ...(actorsCores === undefined ? {} : { actorsCores }),
      });
      await quiesce();
    }
    await stopProfile?.();

    // Each half alone: sends answered while both devices are paused (SDK + actor), then B's backlog received
    // with nothing else running; then A's device catches up with its MessageSent entries.
    await waitFor(() => sentSeen >= copiesExpected, 'the sender device to see its sent messages', timeoutMs);
    sender.pause();
    receiver.pause();
    // Below the cap (nothing unconfirmed is left after quiescing), so no window: B receives nothing meanwhile.
    window.limit = Number.POSITIVE_INFINITY;
    const sendStarted = performance.now();
    const bestRun = throughput.reduce((x, y) => (y.msgsPerSecond > x.msgsPerSecond ? y : x));
    const stage = await sendAll(options.stageCount, bestRun.concurrency);
    const sendOnly = perSecond(options.stageCount, stage.answeredAt - sendStarted);
    window.limit = options.sendWindow;
    const resumedAt = performance.now();
    receiver.resume();
    await recipient.untilReceived(expected, timeoutMs);
    const receiveOnly = perSecond(options.stageCount, lastReceipt(stage.ids) - resumedAt);
    sender.resume();
    await waitFor(() => sentSeen >= copiesExpected, 'the sender device to catch up', timeoutMs);
    await quiesce();

    // Latency at fixed rates: each message from its send's start to its arrival on B.
    const fixedRate = async (rate: number) => {
      const n = Math.round(rate * options.rateSeconds);
      const sent: { id: string; startedAt: number; dueAt: number }[] = [];
      let capWaits = 0;
      const run = await atFixedRate(
        n,
        rate,
        options.rateMaxInFlight,
        timeoutMs,
        async (_, startedAt, dueAt) => {
          const { id } = await sendWithBackoff(window, sender.account, to, content, () => capWaits++);
          sent.push({ id, startedAt, dueAt });
        },
      );
      expected += n;
      await recipient.untilReceived(expected, timeoutMs);
      await quiesce();
      const timed = sent.map((m) => ({ ...m, receivedAt: recipient.receivedAt.get(m.id) ?? Number.NaN }));
      return summarise(rate, timed, run, capWaits);
    };
    const stopRateProfile = options.cpuProfile
      ? await startProfile(options.cpuProfile.replace(/(\.cpuprofile)?$/, `-${options.rate}ps.cpuprofile`))
      : undefined;
    const latency = await fixedRate(options.rate);
    await stopRateProfile?.();
    const lowRateLatency = await fixedRate(options.lowRate);

    // The raw path at the same rate, then its ceiling once more (so that neither side only runs first).
    const rawRate = await rawRun(
      publisher,
      rawConsumer,
      'bench_e2e_raw_rate',
      payload,
      Math.round(options.rate * options.rateSeconds),
      { rate: options.rate, maxInFlight: options.rateMaxInFlight },
      timeoutMs,
    );
    const rawLatency = summarise(
      options.rate,
      rawRate.messages,
      rawRate.run ?? { starts: [], lates: [], loopDelay: { p99: 0, max: 0 } },
      0,
    );
    raw.push(await rawThroughput('bench_e2e_raw_2', options.rawCount));

    const bestThroughput = Math.max(...throughput.map((t) => t.msgsPerSecond));
    const rawCeiling = Math.max(...raw.map((r) => r.msgsPerSecond));
    const ratio = bestThroughput / rawCeiling;
    const details: MessagingDetails = {
      setup:
        options.actorsIn === 'own-process'
          ? 'the actors (SQLite) run in a Node process of their own, as deployed; sender A, recipient B (one ' +
            'device each) and the raw clients share this process; nats-server is its own process; all on 127.0.0.1'
          : 'one Node process runs the actors (SQLite), sender A and recipient B (one device each) and the raw ' +
            'clients, sharing one event loop; nats-server is its own process; all on 127.0.0.1',
      bodyBytes,
      mailboxEntryBytes: entryBytes,
      senderEntryBytes,
      throughput,
      bestThroughput,
      sendOnly,
      receiveOnly,
      raw,
      rawCeiling,
      ratio,
      latency,
      lowRateLatency,
      rawLatency,
      sendWindow: options.sendWindow,
      targets: {
        ratio: { target: options.targetRatio, value: ratio, met: ratio >= options.targetRatio },
        p99Ms: { target: options.targetP99Ms, value: latency.p99, met: latency.p99 < options.targetP99Ms },
      },
    };
    return { figures: figuresOf(details, options), details };
  } finally {
    await Promise.all(devices.map((device) => device.stop()));
    await publisher.close();
    await rawConsumer.close();
  }
}

function figuresOf(d: MessagingDetails, o: MessagingBenchOptions): Figure[] {
  const benchmark =
    o.actorsIn === 'own-process'
      ? 'end-to-end messaging, actors in their own process'
      : 'end-to-end messaging';
  const rates = { benchmark, unit: 'msgs/s', higherIsBetter: true } as const;
  const ms = { benchmark, unit: 'ms', higherIsBetter: false } as const;
  const ceiling = `raw JetStream ceiling (${d.mailboxEntryBytes} B)`;
  const best = d.throughput.find((t) => t.msgsPerSecond === d.bestThroughput);
  const latencies = (l: LatencySummary, ps: readonly ('p50' | 'p99' | 'max')[]) =>
    ps.map((p) =>
      figure({
        ...ms,
        name: `e2e latency ${p} at ${l.rate}/s${l.rate === o.rate && p === 'p99' ? ` (target < ${o.targetP99Ms})` : ''}`,
        value: l[p],
        baselineName: `raw publish->consume ${p} at ${d.rawLatency.rate}/s`,
        baseline: d.rawLatency[p],
      }),
    );
  return [
    ...d.throughput.map((t) =>
      figure({
        ...rates,
        name: `e2e ${t.count} x ${d.bodyBytes} B, ${t.concurrency} in flight`,
        value: t.msgsPerSecond,
        baselineName: ceiling,
        baseline: d.rawCeiling,
      }),
    ),
    figure({
      ...rates,
      name: `e2e best (${best?.concurrency} in flight; target ratio >= ${o.targetRatio})`,
      value: d.bestThroughput,
      baselineName: ceiling,
      baseline: d.rawCeiling,
    }),
    figure({
      ...rates,
      name: `e2e send only, ${o.stageCount} answered (both devices paused)`,
      value: d.sendOnly,
      baselineName: ceiling,
      baseline: d.rawCeiling,
    }),
    figure({
      ...rates,
      name: `e2e receive only, ${o.stageCount} backlog via events()`,
      value: d.receiveOnly,
      baselineName: ceiling,
      baseline: d.rawCeiling,
    }),
    figure({
      ...rates,
      name: `raw publish+consume run 1 (${d.raw[0]?.count}, ${o.rawWindow} in flight)`,
      value: d.raw[0]?.msgsPerSecond ?? Number.NaN,
      baselineName: 'raw run 2 (after the e2e runs)',
      baseline: d.raw[1]?.msgsPerSecond ?? Number.NaN,
    }),
    ...latencies(d.latency, ['p50', 'p99', 'max']),
    figure({
      ...rates,
      name: `e2e sends started per second at ${o.rate}/s (${d.latency.keptUp ? 'kept up' : 'fell behind'})`,
      value: d.latency.achievedRate,
      baselineName: 'raw publishes started per second',
      baseline: d.rawLatency.achievedRate,
    }),
    figure({
      ...ms,
      name: `e2e send lateness p99 at ${o.rate}/s`,
      value: d.latency.lateP99,
      baselineName: 'raw publish lateness p99',
      baseline: d.rawLatency.lateP99,
    }),
    ...latencies(d.lowRateLatency, ['p50', 'p99']),
  ];
}

/** Prints the acceptance criterion's targets, whether this run met them, and what explains the figures. */
export function printMessagingTargets(d: MessagingDetails): void {
  const mark = (met: boolean) => (met ? 'met' : 'MISSED');
  const n = (value: number, digits = 0) => value.toFixed(digits);
  const { ratio, p99Ms } = d.targets;
  const l = d.latency;
  const low = d.lowRateLatency;
  const lines = [
    `setup: ${d.setup}`,
    `target e2e / raw >= ${ratio.target}: ${n(d.bestThroughput)} / ${n(d.rawCeiling)} msgs/s = ` +
      `${n(ratio.value, 3)} -> ${mark(ratio.met)}`,
    `  per concurrency: ${d.throughput
      .map(
        (t) =>
          `${t.concurrency}: ${n(t.msgsPerSecond)}/s (cores busy: ${n(t.processCores, 2)} this process, ` +
          `${t.actorsCores === undefined ? '' : `${n(t.actorsCores, 2)} actors, `}` +
          `${t.natsCores === undefined ? '' : `${n(t.natsCores, 2)} nats-server, `}` +
          `${n(t.machineCores, 2)} machine of ${cpus().length})`,
      )
      .join('; ')}`,
    `  halves alone: ${n(d.sendOnly)} sends/s answered (SDK + actor), ${n(d.receiveOnly)} msgs/s received ` +
      `(B's events()); mailbox entries ${d.mailboxEntryBytes} B (B) + ` +
      `${d.senderEntryBytes > 0 ? `${d.senderEntryBytes} B (A's sent copy)` : 'none for A (one device: no sent copy)'} for a ` +
      `${d.bodyBytes} B body; at most ` +
      `${d.sendWindow} messages sent and not yet received`,
    `target p99 < ${p99Ms.target} ms at ${l.rate}/s: ${n(p99Ms.value, 1)} ms -> ${mark(p99Ms.met)}`,
    `  the sender ${l.keptUp ? 'kept up' : 'fell behind'}: ${n(l.achievedRate)} sends/s started, lateness ` +
      `p99 ${n(l.lateP99, 1)} ms, max ${n(l.lateMax)} ms; ${n(l.deliveredRate)} msgs/s delivered ` +
      `(${l.deliveredRate >= l.rate * 0.98 ? 'no backlog' : 'a backlog grew'}); from due time p99 ` +
      `${n(l.fromDueP99, 1)} ms; event-loop delay p99 ${n(l.loopDelayP99, 1)} ms, max ` +
      `${n(l.loopDelayMax, 1)} ms; ${l.capWaits} waits on the unreceived cap`,
    `  at ${low.rate}/s: p50 ${n(low.p50, 1)} ms, p99 ${n(low.p99, 1)} ms, max ${n(low.max, 1)} ms, ` +
      `${n(low.deliveredRate)} msgs/s delivered; event-loop delay p99 ${n(low.loopDelayP99, 1)} ms`,
  ];
  for (const line of lines) console.log(`  ${line}`);
}
