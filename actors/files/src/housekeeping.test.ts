import { type DeviceCaller, SqlStore } from '@enmesh/actor-kit';
import { fileChunkLength, Limits, randomBytes, toBase64Url } from '@enmesh/protocol';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesActor } from './actor.js';
import type { ChunkStore, FilesDeps } from './context.js';
import { FileEntity, fileEntities } from './entities.js';
import { CreateFiles1764150000004 } from './migrations/1764150000004-create-files.js';
import { deleteFile } from './ownership.js';
import { completeFile, createFile, putFileChunk } from './upload.js';

/** Chunks in memory, by file id and index. */
function memoryChunks(): ChunkStore & { ids(): string[] } {
  const chunks = new Map<string, Uint8Array>();
  return {
    put: async (id, index, data) => void chunks.set(`${id}.${index}`, data),
    get: async (id, index) => chunks.get(`${id}.${index}`),
    purge: async (id) => {
      for (const key of chunks.keys()) if (key.startsWith(`${id}.`)) chunks.delete(key);
    },
    ids: () => [...new Set([...chunks.keys()].map((key) => key.split('.')[0]!))],
  };
}

const day = 86_400_000;

describe('files housekeeping', () => {
  let db: DataSource;
  let now = Date.parse('2030-01-01T00:00:00Z');
  const chunks = memoryChunks();
  let deps: FilesDeps;
  const caller: DeviceCaller = {
    kind: 'device',
    identityToken: 'a1b2c3d4e5f6a1b2c3d4e5',
    deviceKey: `U${'A'.repeat(55)}`,
  };

  beforeAll(async () => {
    db = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: fileEntities,
      migrations: [CreateFiles1764150000004],
      migrationsRun: true,
    });
    await db.initialize();
    // The quota check reads the identities actor's table (read-only coupling); its three columns suffice.
    await db.query(
      'CREATE TABLE identities (token varchar PRIMARY KEY, tier varchar, "deletionStartedAt" bigint)',
    );
    await db.query("INSERT INTO identities VALUES (?, 'basic', NULL)", [caller.identityToken]);
    deps = {
      store: new SqlStore(db),
      chunks,
      clock: () => now,
      settings: {
        backboneHost: 'localhost',
        fileMaxBytes: Limits.fileMaxBytes,
        quotas: {
          basic: {
            tokens: 1,
            templates: 1,
            messagesPerHour: 1,
            relationships: 1,
            files: 100,
            storageBytes: 2 ** 40,
            devices: 1,
          },
        },
      },
    };
  });

  afterAll(() => db?.destroy());

  /** A complete one-chunk file expiring in `days`. */
  async function file(days: number, complete = true): Promise<string> {
    const expiresAt = new Date(now + days * day).toISOString();
    const { file } = await createFile(deps, caller, { size: 10, chunkSize: 1024, expiresAt });
    const data = toBase64Url(randomBytes(fileChunkLength(10, 1024, 0) + 16));
    await putFileChunk(deps, caller, { id: file.id, index: 0, data });
    if (complete) await completeFile(deps, caller, { id: file.id, metadata: 'AAAA' });
    return file.id;
  }

  const row = (id: string) => db.getRepository(FileEntity).findOneBy({ id });

  it('purges expired files and abandoned uploads, then forgets deleted and long-expired rows', async () => {
    const actor = createFilesActor(deps);
    const expiring = await file(1);
    const lasting = await file(90);
    const abandoned = await file(90, false);
    const deleted = await file(90);
    await deleteFile(deps, caller, { id: deleted });
    expect(chunks.ids().sort()).toEqual([expiring, lasting, abandoned].sort());

    now += 2 * day;
    await actor.housekeep();
    expect(chunks.ids()).toEqual([lasting]);
    expect((await row(expiring))?.deletedAt).toBe(now);
    expect((await row(abandoned))?.deletedAt).toBe(now);
    // The deleted file's row is gone after an hour; an expired one stays to answer `expired` for 30 days.
    expect(await row(deleted)).toBeNull();
    expect(await row(expiring)).not.toBeNull();

    now += 31 * day;
    await actor.housekeep();
    expect(await row(expiring)).toBeNull();
    // An abandoned upload was never visible to anyone else: it goes like a deleted file.
    expect(await row(abandoned)).toBeNull();
    now += 58 * day;
    await actor.housekeep();
    expect(chunks.ids()).toEqual([]);
    expect((await row(lasting))?.deletedAt).toBe(now);
  });
});
