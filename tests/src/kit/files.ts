import { createCipheriv, createHash } from 'node:crypto';
import type { TestPerson } from './accounts.js';
import { waitFor } from './wait.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/**
 * Relates two test people: `templator` creates a template, `requestor` loads it and asks, `templator`
 * accepts; returns once every device of both sees the relationship Active.
 */
export async function relate(templator: TestPerson, requestor: TestPerson): Promise<string> {
  const a = templator.devices[0]!.account;
  const { reference } = await a.createTemplate({ hello: 'files' }, { expiresAt: inDays(1) });
  const b = requestor.devices[0]!.account;
  const pending = await b.requestRelationship(await b.loadTemplate(reference), { hi: 'there' });
  await waitFor(
    () => a.state.relationships.get(pending.id) !== undefined,
    'the request to reach the templator',
  );
  await a.change('acceptRelationship', pending.id);
  await waitFor(
    () =>
      [...templator.devices, ...requestor.devices].every(
        (d) => d.account.state.relationships.get(pending.id)?.status === 'Active',
      ),
    'every device to see the relationship Active',
  );
  return pending.id;
}

/**
 * `size` pseudo-random bytes derived from `seed` (AES-128-CTR over zeros), yielded in pieces of
 * `pieceSize`: the same seed gives the same bytes, and nothing holds more than one piece.
 */
export async function* pseudoRandomBytes(
  seed: string,
  size: number,
  pieceSize = 64 * 1024,
): AsyncGenerator<Uint8Array> {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(pieceSize);
  for (let sent = 0; sent < size; sent += pieceSize) {
    yield cipher.update(zeros.subarray(0, Math.min(pieceSize, size - sent)));
  }
}

/** The bytes of `pseudoRandomBytes` in one buffer (for small sizes). */
export async function pseudoRandomBuffer(seed: string, size: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of pseudoRandomBytes(seed, size)) parts.push(part);
  return Buffer.concat(parts);
}

/** A sink that collects downloaded pieces, and their concatenation. */
export function collectingSink(): { sink: (chunk: Uint8Array) => void; bytes: () => Buffer } {
  const parts: Uint8Array[] = [];
  return { sink: (chunk) => void parts.push(chunk), bytes: () => Buffer.concat(parts) };
}
