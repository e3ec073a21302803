import type { AccountEvent } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPerson, stopAll, type TestPerson } from './kit/accounts.js';
import { type ActorProcess, startActorProcess } from './kit/actor-process.js';
import { startTestStack, type TestStack } from './kit/stack.js';
import { waitFor } from './kit/wait.js';

const burst = 150;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
type Received = Extract<AccountEvent, { type: 'messageReceived' }>;

/**
 * Crashes in the middle of a burst of messages: the actor process killed and restarted, the nats-server
 * killed and restarted. Every message must reach every recipient device exactly once.
 */
describe('faults during a burst', { timeout: 120_000 }, () => {
  let test: TestStack;
  let actors: ActorProcess;
  let alice: TestPerson;
  let bob: TestPerson;

  beforeAll(async () => {
    test = await startTestStack({ actors: false });
    actors = await startActorProcess(test);
    [alice, bob] = await Promise.all([createTestPerson(test, 1), createTestPerson(test, 2)]);
    const a = alice.devices[0]!.account;
    const { url } = await a.createTemplate({}, { expiresAt: inDays(1) });
    const b = bob.devices[0]!.account;
    const pending = await b.requestRelationship(await b.loadTemplate(url), {});
    await a.change('acceptRelationship', pending.id);
    await waitFor(
      () =>
        [...alice.devices, ...bob.devices].every(
          (d) => d.account.state.relationships.get(pending.id)?.status === 'Active',
        ),
      'the relationship to be Active everywhere',
    );
  });

  afterAll(async () => {
    await stopAll(alice, bob);
    await actors?.stop();
    await test?.destroy();
  });

  /** Sends `burst` messages with a few in flight at once, running `fault` after a third of them. */
  async function sendBurst(label: string, fault: () => Promise<void>): Promise<string[]> {
    const ids: string[] = [];
    let next = 0;
    let faulted: Promise<void> | undefined;
    const worker = async () => {
      while (next < burst) {
        const index = next++;
        if (index === Math.floor(burst / 3)) faulted = fault();
        const answer = await alice.devices[0]!.account.sendMessage(
          [bob.address],
          { label, index },
          { retryForMs: 60_000 },
        );
        ids.push(answer.id);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await faulted;
    return ids;
  }

  function expectExactlyOnce(ids: string[]) {
    for (const device of bob.devices) {
      const got = device.events
        .filter((e): e is Received => e.type === 'messageReceived')
        .map((e) => e.message.id);
      const wanted = new Set(ids);
      const mine = got.filter((id) => wanted.has(id));
      expect(mine.length).toBe(ids.length);
      expect(new Set(mine).size).toBe(ids.length);
      expect(device.events.filter((e) => e.type === 'messageRejected')).toEqual([]);
    }
  }

  const receivedAll = (ids: string[]) => () =>
    bob.devices.every((device) => {
      const got = new Set(
        device.events.filter((e): e is Received => e.type === 'messageReceived').map((e) => e.message.id),
      );
      return ids.every((id) => got.has(id));
    });

  it('loses and duplicates nothing when the actor process is killed mid-burst and restarted', async () => {
    const ids = await sendBurst('actor crash', async () => {
      await actors.kill();
      actors = await startActorProcess(test);
    });
    expect(new Set(ids).size).toBe(burst);
    await waitFor(receivedAll(ids), 'every message on every device', 30_000);
    expectExactlyOnce(ids);
  });

  it('loses and duplicates nothing when nats-server is killed mid-burst and restarted', async () => {
    const ids = await sendBurst('server crash', async () => {
      await test.stack.broker.restartServer({ kill: true });
    });
    expect(new Set(ids).size).toBe(burst);
    await waitFor(receivedAll(ids), 'every message on every device', 60_000);
    expectExactlyOnce(ids);
  });
});
