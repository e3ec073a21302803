import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../events/event-hub.js';
import { silentLogger } from '../events/logger.js';
import type { RuntimeEvent } from '../events/runtime-event.js';
import { openRuntimeDatabase } from './database.js';
import { AccountEntity } from './entities.js';
import { RuntimeStore } from './store.js';

const identity = 'did:e:localhost:dids:0123456789abcdef012345';

describe('the runtime store', () => {
  let dataSource: DataSource;
  let store: RuntimeStore;
  let hub: EventHub;

  beforeEach(async () => {
    dataSource = await openRuntimeDatabase({ sqlitePath: ':memory:' });
    store = new RuntimeStore(dataSource, {
      clock: () => Date.UTC(2030, 0, 1),
      onCommit: (events) => hub.publish(events),
    });
    hub = new EventHub(store, silentLogger, () => identity);
    await dataSource.getRepository(AccountEntity).insert({
      name: 'default',
      address: identity,
      deviceId: 'UDEVICE',
      createdAt: store.now(),
      mailboxCursor: 0,
      lastEventSequence: 0,
    });
  });

  afterEach(async () => {
    hub.close();
    await dataSource.destroy();
  });

  it('numbers events without gaps, also when writes race, and publishes them after the commit', async () => {
    const published: RuntimeEvent[] = [];
    hub.subscribe((event) => void published.push(event));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.write(async (tx) => {
          await tx.emit(identity, 'transport.test', { i });
          await tx.emit(identity, 'transport.test', { i, second: true });
        }),
      ),
    );
    expect(published.map((event) => event.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(published[0]).toMatchObject({ namespace: 'transport.test', eventTargetAddress: identity });
    expect(published[0]?.time).toBe('2030-01-01T00:00:00.000Z');
    expect(await hub.lastSequence()).toBe(40);
  });

  it('numbers nothing for a write that fails: its events vanish with its state change', async () => {
    await store.write((tx) => tx.emit(identity, 'transport.test', { n: 1 }));
    await expect(
      store.write(async (tx) => {
        await tx.emit(identity, 'transport.test', { n: 2 });
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    await store.write((tx) => tx.emit(identity, 'transport.test', { n: 3 }));
    const stored = await store.eventsAfter(identity, 0);
    expect(stored.map((event) => [event.sequence, event.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 3 }],
    ]);
  });

  it('reads an identity’s events after a sequence: the stored ones first, then each new one', async () => {
    for (let n = 1; n <= 3; n++) await store.write((tx) => tx.emit(identity, 'transport.test', { n }));
    const controller = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const event of hub.from(1, { signal: controller.signal })) {
        seen.push(event.sequence);
        if (event.sequence === 5) controller.abort();
      }
    })();
    await store.write((tx) => tx.emit(identity, 'transport.test', { n: 4 }));
    await store.write((tx) => tx.emit(identity, 'transport.test', { n: 5 }));
    await reading;
    expect(seen).toEqual([2, 3, 4, 5]);
  });
});
