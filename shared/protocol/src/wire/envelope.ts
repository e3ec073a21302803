import { z } from 'zod';
import { type ErrorCode, ErrorCodes, isErrorCode, ProtocolError } from '../errors.js';

/** The error half of a reply: a stable code, a message, and optional details. */
export const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

/** A backbone reply: exactly one of `{result}` or `{error}`. */
export const replyEnvelopeSchema = z.union([
  z.object({ result: z.unknown() }).strict(),
  z.object({ error: errorBodySchema }).strict(),
]);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a successful reply. */
export function encodeResult(result: unknown): Uint8Array {
  return encoder.encode(JSON.stringify({ result }));
}

/** Encodes an error reply; only the code, message and details travel, never a stack or a cause. */
export function encodeError(error: ProtocolError): Uint8Array {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.details) body.details = error.details;
  return encoder.encode(JSON.stringify({ error: body }));
}

/**
 * Decodes a reply: returns `result`, or throws the reply's error as a ProtocolError.
 * @throws ProtocolError with the reply's code, or `error.protocol.malformedRequest` for an unreadable reply.
 */
export function decodeReply(data: Uint8Array): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch (cause) {
    throw new ProtocolError(ErrorCodes.malformedRequest, 'the reply is not JSON', { cause });
  }
  const envelope = replyEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) throw new ProtocolError(ErrorCodes.malformedRequest, 'the reply is not an envelope');
  if ('result' in envelope.data) return envelope.data.result;
  const { code, message, details } = envelope.data.error;
  const known: ErrorCode = isErrorCode(code) ? code : ErrorCodes.internal;
  throw new ProtocolError(known, message, details ? { details } : {});
}
