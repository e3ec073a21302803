import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestStack } from './stack.js';
import { waitFor } from './wait.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** An actor process started by a test, which the test can kill like a crash. */
export interface ActorProcess {
  readonly child: ChildProcess;
  output(): string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `npm run actors` (the actors in a process of their own) against a test stack; waits until ready. */
export async function startActorProcess(test: TestStack): Promise<ActorProcess> {
  // For benchmarks: ENMESH_ACTORS_CPU_PROFILE_DIR=<dir> makes the process write a V8 CPU profile there on exit.
  const profileDir = process.env.ENMESH_ACTORS_CPU_PROFILE_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const main = join(root, 'actors/host/src/actors-main.ts');
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', main], {
    cwd: root,
    env: { ...process.env, ...test.env, ENMESH_HEALTH_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`the actor process exited:\n${text}`);
      return text.includes('enmesh actors ready');
    },
    'the actor process to be ready',
    30_000,
  );
  return {
    child,
    output: () => text,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
