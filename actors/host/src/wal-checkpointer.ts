import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL back into the database file. */
export const walCheckpointIntervalMs = 500;

/**
 * The worker's code, plain CommonJS so that it runs without a TypeScript loader: its own connection to the
 * database file checkpoints the WAL passively (never waiting for, nor blocking, the actors' connection) every
 * interval, until told to stop.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
// Errors go back as text: better-sqlite3's own error class does not survive the trip between threads.
const report = (error) => parentPort.postMessage({ error: String((error && error.message) || error) });
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
} catch (error) {
  report(error);
  process.exit(1);
}
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { report(error); }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { report(error); }
  db.close();
  process.exit(0);
});
`;

/** A running checkpointer; `stop` checkpoints once more and ends the thread. */
export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Checkpoints a SQLite database's WAL from a thread of its own. Why: a checkpoint copies pages back into
 * the database file and fsyncs it, and better-sqlite3 runs everything on the calling thread, so the
 * automatic checkpoint of the actors' connection stalled their event loop for milliseconds every thousand
 * pages written (message ids are random, so each send batch dirties pages all over the indexes). The actors'
 * connection turns its automatic checkpoint off and this thread does the work meanwhile.
 */
export function startWalCheckpointer(
  file: string,
  onError: (message: string) => void,
  intervalMs: number = walCheckpointIntervalMs,
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { file, driver, intervalMs } });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError(message.error);
  });
  worker.on('error', (error) => onError(error.message));
  // The thread must not keep a process alive that is otherwise done.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      worker.postMessage('stop');
      await exited;
    },
  };
}
