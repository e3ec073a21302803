import { type AccountEvent, TransportAccount } from '@enmesh/transport';
import { createTestIdentity, type TestIdentity } from './identities.js';
import type { TestStack } from './stack.js';

/** A test identity whose devices each run a TransportAccount and collect its events. */
export interface TestPerson {
  readonly identity: TestIdentity;
  readonly address: string;
  readonly devices: { account: TransportAccount; events: AccountEvent[]; stop: () => Promise<void> }[];
}

/** Creates an identity with `deviceCount` devices, each consuming its mailbox into an event list. */
export async function createTestPerson(test: TestStack, deviceCount: number): Promise<TestPerson> {
  const identity = await createTestIdentity(test, deviceCount);
  const devices = await Promise.all(
    identity.devices.map(async ({ secrets, session }) => {
      await session.close();
      const account = await TransportAccount.open(test.endpoint, secrets);
      const events: AccountEvent[] = [];
      const iterator = account.events({ cursor: 0 });
      let stopped = false;
      const running = (async () => {
        for await (const event of iterator) {
          events.push(event);
          if (stopped) break;
        }
      })().catch(() => undefined);
      return {
        account,
        events,
        stop: async () => {
          stopped = true;
          await account.close();
          await running;
        },
      };
    }),
  );
  return { identity, address: identity.address, devices };
}

/** Stops every device of the people. */
export async function stopAll(...people: TestPerson[]): Promise<void> {
  await Promise.all(people.flatMap((person) => person.devices.map((device) => device.stop())));
}
