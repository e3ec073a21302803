import { TransportError, TransportErrorCodes } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serialises application content (any JSON value) to bytes. */
export function jsonToBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * Parses bytes that must be JSON.
 * @throws TransportError `error.transport.unexpectedReply` when they are not.
 */
export function bytesToJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new TransportError(TransportErrorCodes.unexpectedReply, 'the content is not JSON', { cause });
  }
}

/**
 * The canonical bytes of a flat record for signing: a JSON array of its values in the given key order.
 * Field order is fixed by the caller, so both sides compute the same bytes whatever the object's key order.
 */
export function canonicalFields(
  label: string,
  record: Record<string, string>,
  keys: readonly string[],
): Uint8Array {
  return encoder.encode(JSON.stringify([label, ...keys.map((key) => record[key] ?? null)]));
}
