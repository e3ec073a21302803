import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertPortFree } from '@enmesh/broker-config';
import { BootstrapClient, createIdentity, DeviceSession } from '@enmesh/transport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './kit/ports.js';

const root = join(import.meta.dirname, '..', '..');
const running = new Set<ChildProcess>();

/** Sends a signal to the process group of a started stack. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm start` as a user would, with its settings in the environment. */
function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a signal reaches npm and the stack alike, as Ctrl-C in a terminal does.
    detached: true,
  });
  running.add(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => text, exited };
}

async function waitForOutput(started: Started, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in time:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return started.output();
}

/** `npm start` as the README describes it: ready line, Ctrl-C, resume, clear errors. */
describe('npm start', { timeout: 60_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'enmesh-start-'));
    env = {
      ENMESH_DATA_DIR: dataDir,
      ENMESH_NATS_PORT: String(await freePort()),
      ENMESH_NATS_HTTP_PORT: String(await freePort()),
      ENMESH_HEALTH_PORT: String(await freePort()),
      ENMESH_CONNECTOR_PORT: String(await freePort()),
      ENMESH_MAILBOX_SHARDS: '4',
      ENMESH_JETSTREAM_MAX_FILE_BYTES: String(1024 ** 3),
      ENMESH_LOG_LEVEL: 'warn',
    };
  });

  afterEach(() => {
    for (const child of running) signalGroup(child, 'SIGKILL');
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the stack, prints one ready line, serves health, and stops cleanly on Ctrl-C', async () => {
    const started = npmStart(env);
    const output = await waitForOutput(started, /enmesh ready/);
    const ready = output.split('\n').filter((line) => line.includes('enmesh ready'));
    expect(ready).toHaveLength(1);
    expect(ready[0]).toContain(`nats://127.0.0.1:${env.ENMESH_NATS_PORT}`);
    const health = await fetch(`http://127.0.0.1:${env.ENMESH_HEALTH_PORT}/readyz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${env.ENMESH_HEALTH_PORT}/metrics`)).text();
    expect(metrics).toContain('enmesh_actor_requests_total');
    // One connector runs on this backbone with its identity, behind the API key the ready line shows.
    const connector = /connector: (http:\/\/127\.0\.0\.1:\d+)\/docs \(X-API-KEY: (\S+)\)/.exec(ready[0]!);
    expect(connector?.[1]).toBe(`http://127.0.0.1:${env.ENMESH_CONNECTOR_PORT}`);
    const identity = await fetch(`${connector![1]}/api/core/v1/Account/IdentityInfo`, {
      headers: { 'X-API-KEY': connector![2]! },
    });
    expect(((await identity.json()) as { result: { address: string } }).result.address).toMatch(/^did:e:/);
    expect((await fetch(`${connector![1]}/api/core/v1/Account/IdentityInfo`)).status).toBe(401);
    expect((await stat(join(dataDir, 'connector', 'api-key'))).mode & 0o777).toBe(0o600);
    const secrets = join(dataDir, 'secrets', 'broker-keys.json');
    expect((await stat(secrets)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'secrets'))).mode & 0o777).toBe(0o700);
    signalGroup(started.child, 'SIGINT');
    await waitForOutput(started, /enmesh stopped/);
    await started.exited;
    // Everything was stopped: nats-server's ports, the health port and the connector's are free again.
    for (const port of [
      env.ENMESH_NATS_PORT,
      env.ENMESH_NATS_HTTP_PORT,
      env.ENMESH_HEALTH_PORT,
      env.ENMESH_CONNECTOR_PORT,
    ]) {
      await expect(assertPortFree('127.0.0.1', Number(port), 'port')).resolves.toBeUndefined();
    }
    expect(started.output()).not.toMatch(/SU[A-Z2-7]{50,}/); // no nkey seed ever printed
  });

  it('resumes the same keys, accounts and identities on a second start', async () => {
    const keysBefore = await readFile(join(dataDir, 'secrets', 'broker-keys.json'), 'utf8');
    const endpoint = { servers: `nats://127.0.0.1:${env.ENMESH_NATS_PORT}` };
    let first = npmStart(env);
    await waitForOutput(first, /enmesh ready/);
    const bootstrap = await BootstrapClient.connect(
      endpoint,
      await readFile(join(dataDir, 'bootstrap.creds'), 'utf8'),
    );
    const secrets = await createIdentity(bootstrap, { deviceName: 'laptop' });
    await bootstrap.close();
    signalGroup(first.child, 'SIGTERM');
    await waitForOutput(first, /enmesh stopped/);
    await first.exited;

    first = npmStart(env);
    await waitForOutput(first, /enmesh ready/);
    expect(await readFile(join(dataDir, 'secrets', 'broker-keys.json'), 'utf8')).toBe(keysBefore);
    const session = await DeviceSession.fromSecrets(endpoint, secrets);
    expect((await session.listDevices()).map((device) => device.name)).toEqual(['laptop']);
    await session.close();
    signalGroup(first.child, 'SIGTERM');
    await waitForOutput(first, /enmesh stopped/);
  });

  it('says which port is taken and how to move it, without a stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(Number(env.ENMESH_NATS_PORT), '127.0.0.1', () => resolve()),
    );
    try {
      const started = npmStart(env);
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(`port ${env.ENMESH_NATS_PORT} on 127.0.0.1 is already in use`);
      expect(started.output()).toContain('ENMESH_NATS_PORT');
      expect(started.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('reports every invalid setting at once and exits with code 2', async () => {
    const started = npmStart({ ...env, ENMESH_NATS_PORT: 'x', ENMESH_MAILBOX_SHARDS: '-1' });
    expect(await started.exited).toBe(2);
    expect(started.output()).toContain('ENMESH_NATS_PORT=x');
    expect(started.output()).toContain('ENMESH_MAILBOX_SHARDS=-1');
  });

  it('names the command that installs nats-server when it cannot be found', async () => {
    const started = npmStart({ ...env, ENMESH_NATS_SERVER: join(dataDir, 'no-such-nats-server') });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('sudo apt-get update && sudo apt-get install -y nats-server');
    expect(started.output()).not.toMatch(/\n\s+at /);
  });

  it('refuses to change the shard count of an existing data directory', async () => {
    const started = npmStart({ ...env, ENMESH_MAILBOX_SHARDS: '8' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/created with 4 mailbox shards/);
  });
});
