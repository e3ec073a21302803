import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRuntime,
  type Runtime,
  RuntimeError,
  type RuntimeEvent,
  type RuntimeOptions,
} from '@enmesh/runtime';
import { DataSource } from 'typeorm';
import { type TestDatabase, type TestStack, testPostgresUrl } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';

/** A runtime of a test with the events it published, in order. */
export interface TestRuntime {
  readonly runtime: Runtime;
  readonly events: RuntimeEvent[];
  readonly dir: string;
  /** The PostgreSQL schema of the runtime's database, when it is not the SQLite file in `dir`. */
  readonly schema: string | undefined;
  /** Waits for the first event after `after` (a sequence) that has the name and matches; returns it. */
  next(namespace: string, match?: (data: never) => boolean, after?: number): Promise<RuntimeEvent>;
  /** Closes the runtime (its directory stays, so it can be started again). */
  close(): Promise<void>;
}

/** Days from now as ISO text. */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/**
 * Creates a runtime on the test backbone and starts its account; with `again`, re-opens that runtime's
 * directory and database.
 */
export async function startTestRuntime(
  stack: TestStack,
  options: {
    again?: TestRuntime;
    database?: TestDatabase;
    /** Further runtime options (automation rules, auto-acceptance of relationships). */
    runtime?: Pick<RuntimeOptions, 'automationRules' | 'autoAcceptRelationships'>;
  } = {},
): Promise<TestRuntime> {
  const dir = options.again?.dir ?? (await mkdtemp(join(tmpdir(), 'enmesh-runtime-')));
  const schema =
    options.again?.schema ??
    (options.database === 'postgres' ? `rt_${Math.random().toString(36).slice(2, 10)}` : undefined);
  const runtime = await createRuntime({
    endpoint: stack.endpoint,
    bootstrapCreds: stack.bootstrapCreds,
    ...(schema
      ? { databaseUrl: testPostgresUrl, postgresSchema: schema }
      : { sqlitePath: join(dir, 'runtime.sqlite') }),
    keyStore: join(dir, 'keys'),
    ...options.runtime,
  });
  const events: RuntimeEvent[] = [];
  runtime.events.subscribe((event) => void events.push(event));
  await runtime.start();
  return {
    runtime,
    events,
    dir,
    schema,
    async next(namespace, match = () => true, after = 0) {
      let found: RuntimeEvent | undefined;
      await waitFor(
        () => {
          found = events.find(
            (event) => event.sequence > after && event.namespace === namespace && match(event.data as never),
          );
          return found !== undefined;
        },
        `${namespace} at ${runtime.account.address}`,
        10_000,
      );
      return found!;
    },
    close: () => runtime.close(),
  };
}

/** Removes a test runtime's directory and PostgreSQL schema. */
export async function removeTestRuntime(test: TestRuntime): Promise<void> {
  await rm(test.dir, { recursive: true, force: true });
  if (!test.schema) return;
  const db = new DataSource({ type: 'postgres', url: testPostgresUrl });
  await db.initialize();
  try {
    await db.query(`DROP SCHEMA IF EXISTS "${test.schema}" CASCADE`);
  } finally {
    await db.destroy();
  }
}

/** The RuntimeError a call failed with (fails the test when it succeeded or failed otherwise). */
export async function runtimeError(promise: Promise<unknown>): Promise<RuntimeError> {
  try {
    await promise;
  } catch (error) {
    if (RuntimeError.isRuntimeError(error)) return error;
    throw new Error(`not a RuntimeError: ${String(error)}`);
  }
  throw new Error('the call succeeded');
}

/**
 * Relates two test runtimes: `templator` offers a template, `requestor` loads it and asks, `templator`
 * accepts; returns the relationship id once both sides see it Active.
 */
export async function relate(templator: TestRuntime, requestor: TestRuntime): Promise<string> {
  const t = templator.runtime.account.transport;
  const r = requestor.runtime.account.transport;
  const template = await t.relationshipTemplates.createOwnRelationshipTemplate({
    content: { '@type': 'ArbitraryRelationshipTemplateContent', value: {} },
    expiresAt: inDays(1),
  });
  await r.relationshipTemplates.loadPeerRelationshipTemplate({ reference: template.reference.url });
  const pending = await r.relationships.createRelationship({
    templateId: template.id,
    creationContent: { '@type': 'ArbitraryRelationshipCreationContent', value: {} },
  });
  await templator.next('transport.relationshipChanged', (data: { id: string }) => data.id === pending.id);
  await t.relationships.acceptRelationship({ relationshipId: pending.id });
  const active = (data: { id: string; status: string }) => data.id === pending.id && data.status === 'Active';
  await requestor.next('transport.relationshipChanged', active);
  await templator.next('transport.relationshipChanged', active);
  return pending.id;
}
