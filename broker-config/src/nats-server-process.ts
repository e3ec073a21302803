import { type ChildProcess, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A broker start-up problem that a person can fix; `code` is stable, the message says what to do. */
export class BrokerStartError extends Error {
  readonly code: 'broker.portInUse' | 'broker.serverMissing' | 'broker.serverExited' | 'broker.notReady';

  /** Creates a start-up error with a stable code. */
  constructor(code: BrokerStartError['code'], message: string) {
    super(message);
    this.name = 'BrokerStartError';
    this.code = code;
  }
}

/**
 * Finds the nats-server binary: `explicitPath` if given, else the PATH, else /usr/sbin.
 * @throws BrokerStartError `broker.serverMissing` naming the command that installs it.
 */
export async function findNatsServer(explicitPath?: string): Promise<string> {
  const candidates = explicitPath
    ? [explicitPath]
    : [
        ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nats-server')),
        '/usr/sbin/nats-server',
      ];
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next place
    }
  }
  const where = explicitPath
    ? `nats-server was not found at ${explicitPath} (ENMESH_NATS_SERVER)`
    : 'nats-server is not installed';
  throw new BrokerStartError(
    'broker.serverMissing',
    `${where}. Install it with: sudo apt-get update && sudo apt-get install -y nats-server`,
  );
}

/**
 * Checks that a TCP port is free on the host.
 * @throws BrokerStartError `broker.portInUse` naming the setting that moves it.
 */
export async function assertPortFree(host: string, port: number, setting: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new BrokerStartError(
              'broker.portInUse',
              `port ${port} on ${host} is already in use; stop what uses it or set ${setting} to a free port`,
            )
          : error,
      );
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Options of a nats-server child process. */
export interface NatsServerProcessOptions {
  readonly binary: string;
  readonly configPath: string;
  readonly healthUrl: string;
  /** Receives each line the server logs. */
  readonly onLog?: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

/** A running nats-server child process. */
export interface NatsServerProcess {
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** Stops the server gracefully (SIGTERM, then SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Kills the server at once, as a crash would. */
  kill(): Promise<void>;
}

/**
 * Starts nats-server with a config file and waits until its health endpoint answers.
 * @throws BrokerStartError when the process exits early or is not healthy in time (with its last log lines).
 */
export async function startNatsServer(options: NatsServerProcessOptions): Promise<NatsServerProcess> {
  const child: ChildProcess = spawn(options.binary, ['-c', options.configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const onLine = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    options.onLog?.(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  while (true) {
    if (hasExited) {
      throw new BrokerStartError(
        'broker.serverExited',
        `nats-server exited during start:\n${recent.join('\n')}`,
      );
    }
    try {
      const response = await fetch(options.healthUrl, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new BrokerStartError(
        'broker.notReady',
        `nats-server did not become healthy:\n${recent.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const stopWith = async (signal: NodeJS.Signals, graceMs: number) => {
    if (hasExited) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    pid: child.pid ?? -1,
    exited,
    stop: (graceMs = 10_000) => stopWith('SIGTERM', graceMs),
    kill: () => stopWith('SIGKILL', 0),
  };
}
