import { createHash } from 'node:crypto';
import type { DeletionStep } from '@enmesh/actor-host';
import type { AccountEvent } from '@enmesh/transport';
import { jetstreamManager } from '@nats-io/jetstream';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { errorCode } from './kit/errors.js';
import { pseudoRandomBuffer, relate } from './kit/files.js';
import { loginAgain } from './kit/identities.js';
import { startTestStack, type TestDatabase, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

type PeerDeletion = Extract<AccountEvent, { type: 'peerDeletionChanged' }>;
const day = 86_400_000;

/** Every row of every table of the backbone's database, as JSON text per table. */
async function dumpTables(db: DataSource, database: TestDatabase): Promise<Map<string, string>> {
  const schema = (db.options as { schema?: string }).schema ?? 'public';
  const tables: { name: string }[] =
    database === 'sqlite'
      ? await db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : await db.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1', [
          schema,
        ]);
  const dump = new Map<string, string>();
  for (const { name } of tables) {
    const table = database === 'sqlite' ? `"${name}"` : `"${schema}"."${name}"`;
    dump.set(name, JSON.stringify(await db.query(`SELECT * FROM ${table}`)));
  }
  return dump;
}

describe.each<TestDatabase>(['sqlite', 'postgres'])('identity deletion (%s)', (database) => {
  let test: TestStack;
  let now = Date.now();
  let failAt: DeletionStep | undefined;
  let alice: TestPerson;
  let bob: TestPerson;
  let carol: TestPerson;
  let fileId: string;
  const a = () => alice.devices[0]!.account;
  const peerEvents = (person: TestPerson) =>
    person.devices[0]!.events.filter(
      (e): e is PeerDeletion => e.type === 'peerDeletionChanged' && e.peer === alice.address,
    );

  beforeAll(async () => {
    test = await startTestStack({
      database,
      clock: () => now,
      afterDeletionStep: (step) => {
        if (step === failAt) {
          failAt = undefined;
          throw new Error(`stopped after ${step}`);
        }
      },
    });
    [alice, bob, carol] = await Promise.all([
      createTestPerson(test, 2),
      createTestPerson(test, 1),
      createTestPerson(test, 1),
    ]);
    await relate(alice, bob);
    await relate(carol, alice);
    await relate(bob, carol);
    await a().sendMessage([bob.address, carol.address], { text: 'before I go' });
    await bob.devices[0]!.account.sendMessage([alice.address], { text: 'take care' });
    await a().createToken({ note: 'mine' }, { expiresAt: new Date(now + day) });
    const bytes = await pseudoRandomBuffer('farewell', 5000);
    const uploaded = await a().uploadFile([bytes], {
      name: 'farewell.txt',
      mimeType: 'text/plain',
      size: bytes.length,
      expiresAt: new Date(now + 30 * day),
      chunkSize: 1024,
    });
    fileId = uploaded.id;
  });

  afterAll(async () => {
    await stopAll(alice, bob, carol);
    await test?.destroy();
  });

  it('tells peers and devices when it starts and is cancelled, and gives zero quotas meanwhile', async () => {
    const started = await a().startDeletion();
    expect(started).toMatchObject({
      status: 'ToBeDeleted',
      gracePeriodEndsAt: new Date(now + 14 * day).toISOString(),
    });
    expect(await errorCode(a().startDeletion())).toBe('error.identities.deletionAlreadyStarted');
    await waitFor(
      () => alice.devices[1]!.events.some((e) => e.type === 'identityDeletionChanged'),
      'the other device to learn of the deletion',
    );
    for (const peer of [bob, carol]) {
      await waitFor(() => peerEvents(peer).length === 1, 'the peer to learn of the deletion');
      expect(peerEvents(peer)[0]).toMatchObject({
        status: 'ToBeDeleted',
        gracePeriodEndsAt: started.gracePeriodEndsAt,
      });
    }
    // Zero of every quota: nothing new while the identity is to be deleted; logging in still works.
    expect(await errorCode(a().createToken({ x: 1 }, { expiresAt: new Date(now + day) }))).toBe(
      'error.quotas.exceeded',
    );
    expect(await errorCode(a().sendMessage([bob.address], { text: 'still here?' }))).toBe(
      'error.quotas.exceeded',
    );
    expect((await loginAgain(test, alice.identity.first)).address).toBe(alice.address);

    now += day;
    expect(await a().cancelDeletion()).toEqual({ status: 'Active' });
    expect(await errorCode(a().cancelDeletion())).toBe('error.identities.deletionNotStarted');
    await waitFor(() => peerEvents(bob).length === 2, 'the cancellation to reach the peer');
    expect(peerEvents(bob)[1]!.status).toBe('DeletionCancelled');
    await a().sendMessage([bob.address], { text: 'I stay a little longer' });

    now += day;
    expect((await a().startDeletion()).status).toBe('ToBeDeleted');
    await waitFor(() => peerEvents(bob).length === 3, 'the second start to reach the peer');
  });

  it('removes every trace after the grace period, also when the job stops half-way and runs again', async () => {
    const actors = test.stack.actors!;
    expect(await actors.runIdentityDeletions()).toBe(0); // still within the grace period
    now += 14 * day + 1;
    // From the end of the grace period the identity is refused everywhere, before the job has run.
    expect(await errorCode(a().deletionStatus())).toBe('error.identities.inDeletion');
    expect(await errorCode(loginAgain(test, alice.identity.first))).toBe('error.identities.inDeletion');

    failAt = 'messages';
    await expect(actors.runIdentityDeletions()).rejects.toThrow('stopped after messages');
    const halfway = await dumpTables(test.stack.db, database);
    expect(halfway.get('identities')).toContain(alice.identity.token);
    expect(halfway.get('relationships')).not.toContain(alice.identity.token);
    expect(await actors.runIdentityDeletions()).toBe(1);
    expect(await actors.runIdentityDeletions()).toBe(0);

    // Peers: the three kinds of event in order, and the relationships with the identity gone for them.
    await waitFor(() => peerEvents(bob).length === 4, 'the deletion to reach the peer');
    expect(peerEvents(bob).map((e) => e.status)).toEqual([
      'ToBeDeleted',
      'DeletionCancelled',
      'ToBeDeleted',
      'Deleted',
    ]);
    await waitFor(() => peerEvents(carol).length === 4, 'the deletion to reach the other peer');
    for (const peer of [bob, carol]) {
      const relationships = [...peer.devices[0]!.account.state.relationships.values()];
      expect(relationships.some((r) => r.from === alice.address || r.to === alice.address)).toBe(false);
      expect(relationships).toHaveLength(1); // bob and carol keep theirs
    }

    // SQL: no row names the identity, its token or its devices (revocations aside, below).
    const deviceKeys = alice.identity.devices.map((d) => d.secrets.device.publicKey);
    const traces = [alice.address, alice.identity.token, fileId, ...deviceKeys];
    const tables = await dumpTables(test.stack.db, database);
    // The scan sees the data: the relationship of the two peers is there.
    expect(tables.get('relationships')).toContain(bob.identity.token);
    for (const [table, rows] of tables) {
      if (table === 'device_revocations') continue;
      for (const trace of traces) expect(`${table}: ${rows}`).not.toContain(trace);
    }
    const audit = await dumpTables(test.stack.db, database);
    expect(audit.get('identity_deletion_audit')).toContain(
      createHash('sha256').update(alice.address).digest('hex'),
    );

    // Streams: no mailbox entry, chunk or consumer of the identity on any stream.
    const broker = await test.stack.broker.connectActor('inspector');
    try {
      const jsm = await jetstreamManager(broker);
      let seen = '';
      for await (const stream of jsm.streams.list()) {
        const info = await jsm.streams.info(stream.config.name, { subjects_filter: '>' });
        const subjects = Object.keys(info.state.subjects ?? {}).join(' ');
        seen += ` ${subjects}`;
        expect(subjects).not.toContain(alice.identity.token);
        expect(subjects).not.toContain(fileId);
        for await (const consumer of jsm.consumers.list(stream.config.name)) {
          expect(deviceKeys).not.toContain(consumer.name);
        }
      }
      expect(seen).toContain(bob.identity.token); // the scan sees the peers' mailboxes
    } finally {
      await broker.close();
    }

    // The devices' keys are refused, and the revocation entries naming them go once their JWTs expire.
    expect(await errorCode(loginAgain(test, alice.identity.first))).toBe('error.devices.notFound');
    now += test.settings.deviceJwtLifetimeMs + 2 * 60_000;
    await actors.housekeep();
    const later = await dumpTables(test.stack.db, database);
    for (const key of deviceKeys) expect(later.get('device_revocations')).not.toContain(key);
  });
});
