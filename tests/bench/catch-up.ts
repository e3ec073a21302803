import { randomBytes } from 'node:crypto';
import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import { TransportAccount } from '@enmesh/transport';
import { jetstreamManager } from '@nats-io/jetstream';
import { closeAll, createTestIdentity } from '../src/kit/identities.js';
import type { TestStack } from '../src/kit/stack.js';
import { waitFor } from '../src/kit/wait.js';
import { runLoad } from './load.js';
import { lastMessageEntryBytes } from './mailbox-entry.js';
import { createRawStream } from './raw-stream.js';
import { elapsedMs, type Figure, figure, percentile, perSecond } from './report.js';

/** Sizes of the catch-up benchmark. */
export interface CatchUpBenchOptions {
  /** Messages that arrive while the device is offline, per round. */
  readonly backlog: number;
  /**
   * Identities sending them: the backbone caps unconfirmed messages per sender and recipient at 1,000, so a
   * backlog of 10,000 comes from ten senders, as an inbox fills in life.
   */
  readonly senders: number;
  readonly rounds: number;
  /** Sends in flight while the recipient is offline. */
  readonly concurrency: number;
  readonly bodyBytes: number;
  readonly timeoutMs: number;
}

const defaults: CatchUpBenchOptions = {
  backlog: 10_000,
  senders: 10,
  rounds: 3,
  concurrency: 64,
  bodyBytes: 1024,
  timeoutMs: 30_000,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/** `templator` publishes a template in a token; `requestor` asks; `templator` accepts (both consuming). */
async function relate(templator: TransportAccount, requestor: TransportAccount): Promise<void> {
  const { reference } = await templator.createTemplate({ name: 'bench' }, { expiresAt: inDays(1) });
  const pending = await requestor.requestRelationship(await requestor.loadTemplate(reference), {
    greeting: 'bench',
  });
  await waitFor(() => templator.state.relationships.has(pending.id), 'the request to reach the templator');
  await templator.change('acceptRelationship', pending.id);
  await waitFor(
    () => [templator, requestor].every((a) => a.state.relationships.get(pending.id)?.status === 'Active'),
    'both sides to see the relationship Active',
  );
}

/**
 * Consumes `account.events()` in the background until `done()` holds after an event (the relationship set-up
 * only); the SDK keeps its state in the account, so the same account catches up later from the cursor.
 */
function consumeUntil(account: TransportAccount, done: () => boolean, onCursor: (cursor: number) => void) {
  return (async () => {
    for await (const _ of account.events({ cursor: 0, onCursor })) if (done()) break;
  })();
}

/** Everything the benchmark measured, for the JSON next to the figures. */
export interface CatchUpDetails {
  readonly setup: string;
  readonly bodyBytes: number;
  readonly mailboxEntryBytes: number;
  readonly backlog: number;
  readonly senders: number;
  readonly rounds: number;
  /** Per round: ms from opening `events({cursor})` to the last message decrypted; and the raw drain's ms. */
  readonly sdkMs: readonly number[];
  readonly rawMs: readonly number[];
  readonly sendMsgsPerSecond: number;
  /**
   * Messages refused as replays: none expected, since an entry handed out again after a reopen (the last one
   * of each round, acknowledged only on the next) is skipped by its sequence and a repeated message is dropped.
   */
  readonly replays: number;
}

/**
 * Catch-up of an offline device: `senders` identities send `backlog` 1 KiB messages to B (64 in flight, in
 * turn) while B's device does not consume its mailbox; then B opens `events({cursor})` from its last cursor
 * and takes the backlog (decrypted, verified, acknowledged, receipts confirmed on close). The baseline: a plain APP-account
 * stream holding the same number of entries of B's real mailbox-entry size, drained by a new pull consumer
 * (same pull size, plain acks) — consumer creation included, as the SDK's mailbox open is.
 */
export async function benchCatchUp(
  test: TestStack,
  overrides: Partial<CatchUpBenchOptions> = {},
): Promise<{ figures: Figure[]; details: CatchUpDetails }> {
  const o = { ...defaults, ...overrides };
  const content = { text: 'x'.repeat(Math.max(0, o.bodyBytes - JSON.stringify({ text: '' }).length)) };
  const identities = await Promise.all(
    Array.from({ length: o.senders + 1 }, () => createTestIdentity(test, 1)),
  );
  await closeAll(...identities);
  const [bSecrets, ...senderSecrets] = identities.map((identity) => identity.devices[0]!.secrets);
  const b = await TransportAccount.open(test.endpoint, bSecrets!);
  const senders = await Promise.all(
    senderSecrets.map((secrets) => TransportAccount.open(test.endpoint, secrets)),
  );
  const nc = await test.stack.broker.connectActor('bench-catch-up-raw');
  try {
    let cursor = 0;
    const active = (account: TransportAccount, n: number) => () =>
      [...account.state.relationships.values()].filter((r) => r.status === 'Active').length >= n;
    const consuming = senders.map((a) => consumeUntil(a, active(a, 1), () => undefined));
    consuming.push(
      consumeUntil(b, active(b, senders.length), (c) => {
        cursor = c;
      }),
    );
    for (const a of senders) await relate(b, a);
    // From here on no device consumes (the senders' MessageSent entries only pile up in their mailboxes).
    await Promise.all(consuming);
    const to = b.address;

    let turn = 0;
    const sendBacklog = async (n: number) => {
      await runLoad(
        n,
        o.concurrency,
        async () => {
          const a = senders[turn++ % senders.length]!;
          const deadline = performance.now() + o.timeoutMs;
          while (true) {
            try {
              await a.sendMessage([to], content);
              return;
            } catch (error) {
              const full = ProtocolError.isProtocolError(error, ErrorCodes.messageTooManyUnreceived);
              if (!full || performance.now() > deadline) throw error;
              await sleep(50);
            }
          }
        },
        o.timeoutMs,
      );
    };
    let replays = 0;
    /** B comes online: from its cursor until `n` messages were received; returns the ms. */
    const catchUp = async (n: number) => {
      let received = 0;
      const rejected: string[] = [];
      const started = performance.now();
      const events = b.events({
        cursor,
        onCursor: (c) => {
          cursor = c;
        },
      });
      const timer = setTimeout(() => void b.close(), o.timeoutMs);
      let ms = Number.NaN;
      try {
        for await (const event of events) {
          if (event.type === 'messageRejected') {
            if (event.reason === 'replayed') replays++;
            else rejected.push(`${event.id}: ${event.reason}`);
          }
          if (event.type === 'messageReceived' && ++received >= n) {
            ms = performance.now() - started;
            break;
          }
        }
      } finally {
        clearTimeout(timer);
      }
      if (received < n) throw new Error(`caught up ${received} of ${n} in ${o.timeoutMs} ms`);
      if (rejected.length > 0) throw new Error(`messages rejected: ${rejected.slice(0, 3).join('; ')}`);
      return ms;
    };

    // Warm-up round (not measured), then B's real mailbox entry size for the raw payloads.
    await sendBacklog(100);
    await catchUp(100);
    const jsm = await jetstreamManager(nc);
    const entryBytes = await lastMessageEntryBytes(jsm, to, test.settings.broker.shardCount);
    const payload = new Uint8Array(randomBytes(entryBytes));

    const sdkMs: number[] = [];
    const rawMs: number[] = [];
    let sendMs = 0;
    for (let round = 0; round < o.rounds; round++) {
      // The receipts of the previous round reach the backbone (the cap counts unconfirmed messages).
      await sleep(300);
      sendMs += await elapsedMs(() => sendBacklog(o.backlog));
      sdkMs.push(await catchUp(o.backlog));

      const name = `bench_catch_up_raw_${round}`;
      const raw = await createRawStream(nc, name, `bench.${name}`);
      try {
        await raw.publish(o.backlog, payload);
        rawMs.push(await elapsedMs(() => raw.drain('bench', o.backlog, 'ack', o.timeoutMs)));
      } finally {
        await raw.remove().catch(() => undefined);
      }
    }
    const details: CatchUpDetails = {
      setup:
        'one Node process runs the actors (SQLite), the devices and the raw client; nats-server is its ' +
        'own process; B offline = no events() open while the senders send',
      bodyBytes: o.bodyBytes,
      mailboxEntryBytes: entryBytes,
      backlog: o.backlog,
      senders: o.senders,
      rounds: o.rounds,
      sdkMs,
      rawMs,
      sendMsgsPerSecond: perSecond(o.rounds * o.backlog, sendMs),
      replays,
    };
    return { figures: figuresOf(details), details };
  } finally {
    await Promise.all([...senders.map((a) => a.close()), b.close(), nc.close()]);
  }
}

function figuresOf(d: CatchUpDetails): Figure[] {
  const benchmark = 'offline catch-up';
  const total = d.backlog * d.rounds;
  const sum = (values: readonly number[]) => values.reduce((x, y) => x + y, 0);
  const raw = `raw JetStream drain (${d.mailboxEntryBytes} B entries)`;
  return [
    figure({
      benchmark,
      name: `catch-up ${d.rounds} x ${d.backlog} backlog via events({cursor})`,
      unit: 'msgs/s',
      higherIsBetter: true,
      value: perSecond(total, sum(d.sdkMs)),
      baselineName: raw,
      baseline: perSecond(total, sum(d.rawMs)),
    }),
    ...(['50', '100'] as const).map((p) =>
      figure({
        benchmark,
        name: `catch-up time of ${d.backlog} (${p === '50' ? 'median' : 'slowest'} of ${d.rounds})`,
        unit: 'ms',
        higherIsBetter: false,
        value: percentile(d.sdkMs, Number(p)),
        baselineName: `raw drain of ${d.backlog}`,
        baseline: percentile(d.rawMs, Number(p)),
      }),
    ),
  ];
}

/** Prints what the figures cannot hold. */
export function printCatchUpNotes(d: CatchUpDetails): void {
  console.log(`  setup: ${d.setup}`);
  console.log(
    `  ${d.backlog} messages from ${d.senders} senders per round (the backbone caps unconfirmed messages ` +
      'per sender and recipient at 1,000)',
  );
  console.log(
    `  sends while B offline: ${Math.round(d.sendMsgsPerSecond)} msgs/s; mailbox entry ${d.mailboxEntryBytes} B ` +
      `for a ${d.bodyBytes} B body; ${d.replays} messages refused as replays`,
  );
}
