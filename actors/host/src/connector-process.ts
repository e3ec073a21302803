import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

/** A connector the local stack runs as a child process. */
export interface RunningConnector {
  /** Where its REST API answers. */
  readonly url: string;
  /** The API key of the local stack (header `X-API-KEY`), kept in the data directory. */
  readonly apiKey: string;
  /** Stops it (SIGTERM: it drains), killing it after ten seconds. */
  stop(): Promise<void>;
}

/**
 * The local stack's API key: made once (it meets the connector's key policy: 30+ characters with upper and
 * lower case letters, digits and a special character) and kept 0600 in the data directory.
 */
async function localApiKey(folder: string): Promise<string> {
  const file = join(folder, 'api-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = `EnMesh-${randomBytes(24).toString('base64url')}-42`;
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    return key;
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the connector exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the connector did not become healthy within ${timeoutMs / 1000} s`);
}

/**
 * Starts one connector for the local stack (`npm start`): `connector/src/main.ts` in a child process,
 * configured through its environment (the Enmeshed Connector's keys) to use this backbone, a SQLite file and
 * the local API key; its log lines are forwarded with a `connector` mark. Resolves once `/health` answers.
 * @throws Error when it exits or does not become healthy in time (it is stopped then).
 */
export async function startConnectorProcess(options: {
  readonly dataDir: string;
  readonly natsUrl: string;
  readonly bootstrapCredsPath: string;
  readonly port: number;
  readonly logLevel: string;
  readonly log: Logger;
}): Promise<RunningConnector> {
  const folder = join(options.dataDir, 'connector');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const apiKey = await localApiKey(folder);
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('connector/src/main.ts'), 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      infrastructure__httpServer__host: '127.0.0.1',
      infrastructure__httpServer__port: String(options.port),
      infrastructure__httpServer__authentication__apiKey__keys__local__key: apiKey,
      transportLibrary__servers: options.natsUrl,
      transportLibrary__bootstrapCredsFile: options.bootstrapCredsPath,
      database__folder: folder,
      database__dbName: 'connector',
      logging__level: options.logLevel === 'silent' ? 'fatal' : options.logLevel,
    },
  });
  const log = options.log.child({ component: 'connector' });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => log.info(line));
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await waitForHealth(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, apiKey, stop };
}
