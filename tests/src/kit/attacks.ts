import type { NatsConnection } from '@nats-io/nats-core';

/** The outcome of an attempt: allowed (with the reply), or denied with the server's reason. */
export type Attempt = { allowed: true; reply: string } | { allowed: false; reason: string };

/** Sends a request and reports whether the server let it through and what came back. */
export async function tryRequest(
  nc: NatsConnection,
  subject: string,
  body = '{}',
  timeoutMs = 1000,
): Promise<Attempt> {
  try {
    const reply = await nc.request(subject, body, { timeout: timeoutMs });
    return { allowed: true, reply: new TextDecoder().decode(reply.data) };
  } catch (error) {
    const text = `${(error as Error).message} ${String((error as Error).cause ?? '')}`;
    return { allowed: false, reason: text };
  }
}

/** Subscribes and reports whether the server refused the subscription. */
export async function trySubscribe(nc: NatsConnection, subject: string, waitMs = 500): Promise<Attempt> {
  const sub = nc.subscribe(subject);
  const outcome = await Promise.race([
    (async (): Promise<Attempt> => {
      try {
        for await (const _ of sub) {
          // any delivery means the subscription was allowed
          return { allowed: true, reply: 'message' };
        }
        return { allowed: true, reply: 'closed' };
      } catch (error) {
        return { allowed: false, reason: (error as Error).message };
      }
    })(),
    nc
      .flush()
      .then(
        () =>
          new Promise<Attempt>((resolve) =>
            setTimeout(() => resolve({ allowed: true, reply: 'open' }), waitMs),
          ),
      ),
  ]);
  sub.unsubscribe();
  return outcome;
}

/** True when the attempt was refused by the server's permissions (not merely unanswered). */
export function deniedByPermissions(attempt: Attempt): boolean {
  return !attempt.allowed && /permissions violation/i.test(attempt.reason);
}
