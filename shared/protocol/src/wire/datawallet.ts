import { z } from 'zod';
import { Limits } from '../limits.js';
import { devicePublicKey, prefixedId } from './primitives.js';

/** A batch of datawallet modifications sealed with the identity's datawallet key, base64url. */
const sealedModifications = z
  .string()
  .min(1)
  .max(Math.ceil((Limits.datawalletBatchBytes * 4) / 3), 'the sealed batch is too large')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');

/**
 * Request to share a batch of modifications of this device's local state with the identity's other devices.
 * The backbone sees only its size: the batch is sealed with a key that only the identity's devices hold.
 * The id makes a repeated push (after a lost answer) land once.
 */
export const pushDatawalletRequest = z.strictObject({
  id: prefixedId('DWM'),
  sealed: sealedModifications,
});

/** The mailbox sequence at which the batch was stored. */
export const pushDatawalletResponse = z.strictObject({ sequence: z.number().int().nonnegative() });

/** The mailbox entry that carries a pushed batch to every device of the identity. */
export const datawalletEntrySchema = z.strictObject({
  '@type': z.literal('DatawalletModified'),
  id: prefixedId('DWM'),
  device: devicePublicKey,
  sealed: sealedModifications,
});
