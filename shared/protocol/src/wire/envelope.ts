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

/** The error body of a reply (or of one item of a batch reply): code, message and details, never a stack. */
export function errorBody(error: ProtocolError): z.infer<typeof errorBodySchema> {
  return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
}

/** The ProtocolError an error body stands for; a code this version does not know reads as internal. */
export function errorFromBody(body: z.infer<typeof errorBodySchema>): ProtocolError {
  const known: ErrorCode = isErrorCode(body.code) ? body.code : ErrorCodes.internal;
  return new ProtocolError(known, body.message, body.details ? { details: body.details } : {});
}

/** Encodes an error reply; only the code, message and details travel, never a stack or a cause. */
export function encodeError(error: ProtocolError): Uint8Array {
  return encoder.encode(JSON.stringify({ error: errorBody(error) }));
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
  throw errorFromBody(envelope.data.error);
}
