import { ProtocolError } from '@enmesh/protocol';

/** Returns the stable code a call failed with, or 'no error' when it succeeded. */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return ProtocolError.isProtocolError(error)
      ? error.code
      : `not a protocol error: ${(error as Error).message}`;
  }
  return 'no error';
}
