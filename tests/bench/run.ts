/**
 * `npm run bench`: every benchmark against a baseline measured in the same run, on one in-process backbone
 * (its own nats-server on free 127.0.0.1 ports, SQLite, a temporary data directory). Prints each figure,
 * its baseline and their ratio, and writes them all to `bench-results/`. Not a test: vitest never loads it.
 * Name benchmarks to run only those: `npm run bench -- messaging` (crypto, mailbox, registration, messaging,
 * catch-up, files).
 * `ENMESH_BENCH_CPU_PROFILE=<file>` writes V8 CPU profiles of the end-to-end messaging runs (see messaging.ts).
 */
import { startActorProcess } from '../src/kit/actor-process.js';
import { startTestStack, type TestStack } from '../src/kit/stack.js';
import { benchCatchUp, type CatchUpDetails, printCatchUpNotes } from './catch-up.js';
import { benchConnector } from './connector.js';
import { benchCrypto } from './crypto.js';
import { benchFiles } from './files.js';
import { benchMailboxDelivery } from './mailbox-delivery.js';
import { benchMessaging, type MessagingDetails, printMessagingTargets } from './messaging.js';
import { benchRegistration } from './registration.js';
import { type Figure, printFigure, printHeading, writeResults } from './report.js';

/** The whole run must end well within 4 minutes; past this it is stopped and fails. */
const watchdogMs = 230_000;

let stack: TestStack | undefined;
let stopping: Promise<void> | undefined;

/** Stops the backbone and removes its data directory (once, however often it is called). */
function cleanUp(): Promise<void> {
  stopping ??= stack
    ? stack.destroy().catch((error) => console.error('cleanup failed:', error))
    : Promise.resolve();
  return stopping;
}

function abort(reason: string, code: number): void {
  console.error(reason);
  void cleanUp().finally(() => process.exit(code));
}

/** Benchmarks named on the command line (`npm run bench -- messaging`); all when none is named. */
const selected = new Set(process.argv.slice(2));
const known = [
  'crypto',
  'mailbox',
  'registration',
  'messaging',
  'messaging-split',
  'catch-up',
  'connector',
  'files',
];
const unknown = [...selected].filter((name) => !known.includes(name));
if (unknown.length > 0)
  throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${known.join(', ')}`);
const runs = (name: string) => selected.size === 0 || selected.has(name);

/** Runs one benchmark (when selected), prints its figures and adds them to `all`. */
async function section(
  name: string,
  title: string,
  all: Figure[],
  run: () => Promise<Figure[]> | Figure[],
): Promise<void> {
  if (!runs(name)) return;
  printHeading(title);
  const figures = await run();
  for (const f of figures) printFigure(f);
  all.push(...figures);
}

/** The settings of every benchmark stack. */
const benchEnv: Record<string, string> = {
  // One host registers hundreds of identities in seconds; lift the global bootstrap limit too.
  ENMESH_BOOTSTRAP_RATE_GLOBAL: '100000',
  ENMESH_BOOTSTRAP_BURST_GLOBAL: '100000',
  // Mailboxes (80 %) and files (15 %, 1.2 GiB: room for the 200 MiB file) reserve 95 % of the account's
  // JetStream storage; the raw baseline streams (64 MiB each, up to two at once, or the 200 MiB of raw file
  // chunks) need room in the rest (410 MiB). A reservation only: the runs write far less.
  ENMESH_JETSTREAM_MAX_FILE_BYTES: String(8 * 1024 ** 3),
  // A throughput run sends tens of thousands of messages from one identity within the hour.
  ENMESH_QUOTA_MESSAGES_PER_HOUR: '10000000',
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  await section(
    'crypto',
    'crypto: @enmesh/protocol (node:crypto; libsodium for small AEAD inputs) vs tweetnacl, ops/s',
    figures,
    () => benchCrypto(),
  );
  stack = await startTestStack({ env: benchEnv });
  const test = stack;
  await section('mailbox', 'mailbox delivery: SDK vs raw JetStream, msgs/s', figures, () =>
    benchMailboxDelivery(test),
  );
  await section('registration', 'identity registration: SDK vs echo round trips', figures, () =>
    benchRegistration(test),
  );
  // The deployed setup runs before the in-process one: measured here, run right after the in-process section
  // (whose actors had run in this process) it gave 0.37 of the raw ceiling, against 0.42-0.47 when run alone or
  // after the lighter sections. Each setup is then measured as it would run, not after the other.
  let split: MessagingDetails | undefined;
  await section(
    'messaging-split',
    'end-to-end messages with the actors in a process of their own (as deployed) vs raw JetStream',
    figures,
    async () => {
      // A stack of its own whose actors run in a separate Node process (`npm run actors`).
      const own = await startTestStack({ env: benchEnv, actors: false });
      const actors = await startActorProcess(own);
      try {
        const result = await benchMessaging(own, {
          actorsIn: 'own-process',
          ...(actors.child.pid === undefined ? {} : { actorsPid: actors.child.pid }),
        });
        split = result.details;
        return result.figures;
      } finally {
        await actors.stop();
        await own.destroy();
      }
    },
  );
  if (split) {
    printMessagingTargets(split);
    details.messagingActorsInOwnProcess = split;
  }
  let messaging: MessagingDetails | undefined;
  await section(
    'messaging',
    'end-to-end messages (SDK -> actor -> mailbox -> device) vs raw JetStream',
    figures,
    async () => {
      const result = await benchMessaging(test);
      messaging = result.details;
      return result.figures;
    },
  );
  if (messaging) {
    printMessagingTargets(messaging);
    details.messaging = messaging;
  }
  let catchUp: CatchUpDetails | undefined;
  await section(
    'catch-up',
    'offline catch-up: SDK events({cursor}) vs raw JetStream drain',
    figures,
    async () => {
      const result = await benchCatchUp(test);
      catchUp = result.details;
      return result.figures;
    },
  );
  if (catchUp) {
    printCatchUpNotes(catchUp);
    details.catchUp = catchUp;
  }
  await section(
    'connector',
    'connector: REST send -> peer webhook vs the SDK runtime, msgs/s',
    figures,
    async () => {
      const result = await benchConnector(test);
      details.connector = result.details;
      return result.figures;
    },
  );
  await section('files', 'files: SDK upload/download vs raw JetStream chunks, MiB/s', figures, async () => {
    const result = await benchFiles(test);
    details.files = result.details;
    return result.figures;
  });
  const file = await writeResults(figures, startedAt, Date.now() - startedAt.getTime(), undefined, details);
  console.log(`\n${figures.length} figures written to ${file} and latest.json`);
}

const watchdog = setTimeout(
  () => abort(`benchmarks did not finish in ${watchdogMs / 1000} s`, 1),
  watchdogMs,
);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => abort(`${signal}: stopping`, 130));

let code = 0;
try {
  await main();
} catch (error) {
  console.error('benchmark failed:', error);
  code = 1;
} finally {
  await cleanUp();
  clearTimeout(watchdog);
}
// Exit explicitly: a client library's lingering timer must not keep a finished run alive.
process.exit(code);
