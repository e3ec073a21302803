import { randomBytes } from 'node:crypto';
import { BootstrapClient, createIdentity } from '@enmesh/transport';
import type { NatsConnection } from '@nats-io/nats-core';
import type { TestStack } from '../src/kit/stack.js';
import { type LoadResult, runLoad } from './load.js';
import { type Figure, figure, percentile, perSecond } from './report.js';

/** Sizes of the registration benchmark. */
export interface RegistrationBenchOptions {
  readonly sequential: number;
  readonly concurrent: number;
  readonly concurrency: number;
  /** Registrations and echo pairs done first, unmeasured. */
  readonly warmUp: number;
  /** Bytes of each echo request (about the size of a registration request). */
  readonly echoBytes: number;
}

const defaults: RegistrationBenchOptions = {
  sequential: 200,
  concurrent: 200,
  concurrency: 8,
  warmUp: 20,
  echoBytes: 512,
};

const echoSubject = 'bench.echo';

/** Serves `bench.echo` on its own APP-account connection: answers every request with its own body. */
async function startEcho(test: TestStack): Promise<NatsConnection> {
  const nc = await test.stack.broker.connectActor('bench-echo');
  nc.subscribe(echoSubject, {
    callback: (error, msg) => {
      if (!error) msg.respond(msg.data);
    },
  });
  await nc.flush();
  return nc;
}

function loadFigures(what: string, sdk: LoadResult, echo: LoadResult): Figure[] {
  const latency = { benchmark: 'identity registration', unit: 'ms', higherIsBetter: false } as const;
  return [
    figure({
      benchmark: 'identity registration',
      unit: 'identities/s',
      higherIsBetter: true,
      name: `createIdentity, ${what}`,
      value: perSecond(sdk.count, sdk.ms),
      baselineName: 'echo pairs (2 round trips)',
      baseline: perSecond(echo.count, echo.ms),
    }),
    ...[50, 99].map((p) =>
      figure({
        ...latency,
        name: `createIdentity p${p}, ${what}`,
        value: percentile(sdk.latencies, p),
        baselineName: `echo pair p${p}`,
        baseline: percentile(echo.latencies, p),
      }),
    ),
  ];
}

/**
 * Identity registration through the SDK (challenge + register: two Ed25519 verifications, a JWT minted, rows
 * written) against the same number of request/reply pairs to a trivial echo responder in the APP account.
 */
export async function benchRegistration(
  test: TestStack,
  options: RegistrationBenchOptions = defaults,
): Promise<Figure[]> {
  const { sequential, concurrent, concurrency, warmUp, echoBytes } = options;
  const echo = await startEcho(test);
  const client = await test.stack.broker.connectActor('bench-echo-client');
  const bootstrap = await BootstrapClient.connect(test.endpoint, test.bootstrapCreds);
  try {
    const payload = new Uint8Array(randomBytes(echoBytes));
    const register = async () => {
      await createIdentity(bootstrap, { deviceName: 'bench device' });
    };
    const echoPair = async () => {
      await client.request(echoSubject, payload, { timeout: 10_000 });
      await client.request(echoSubject, payload, { timeout: 10_000 });
    };
    await runLoad(warmUp, concurrency, register);
    await runLoad(warmUp, concurrency, echoPair);

    const echoSequential = await runLoad(sequential, 1, echoPair);
    const sdkSequential = await runLoad(sequential, 1, register);
    const sdkConcurrent = await runLoad(concurrent, concurrency, register);
    const echoConcurrent = await runLoad(concurrent, concurrency, echoPair);
    return [
      ...loadFigures(`${sequential} sequential`, sdkSequential, echoSequential),
      ...loadFigures(`${concurrent} at concurrency ${concurrency}`, sdkConcurrent, echoConcurrent),
    ];
  } finally {
    await bootstrap.close();
    await client.close();
    await echo.close();
  }
}
