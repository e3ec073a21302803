import {
  decodeReply,
  type OperationName,
  Operations,
  type RequestOf,
  type ResponseOf,
} from '@enmesh/protocol';
import { errors, type NatsConnection } from '@nats-io/nats-core';
import { TransportError, TransportErrorCodes } from './errors.js';

/** Options of every network call. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Milliseconds to wait for the answer; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Sends one backbone request and returns its validated result.
 * @throws ProtocolError with the backbone's code; TransportError for timeouts, cancellation, no connection.
 */
export async function callOperation<N extends OperationName>(
  nc: NatsConnection,
  subject: string,
  name: N,
  body: RequestOf<N>,
  options: CallOptions = {},
): Promise<ResponseOf<N>> {
  options.signal?.throwIfAborted();
  const payload = JSON.stringify(body);
  let reply: Awaited<ReturnType<NatsConnection['request']>>;
  try {
    const pending = nc.request(subject, payload, { timeout: options.timeoutMs ?? 10_000 });
    reply = await (options.signal ? raceAbort(pending, options.signal) : pending);
  } catch (error) {
    if (error instanceof TransportError) throw error;
    if (error instanceof errors.TimeoutError || (error as Error).cause instanceof errors.TimeoutError) {
      throw new TransportError(TransportErrorCodes.timeout, `no answer to ${name} in time`, { cause: error });
    }
    throw new TransportError(TransportErrorCodes.notConnected, `cannot reach the backbone for ${name}`, {
      cause: error,
    });
  }
  const result = decodeReply(reply.data);
  const parsed = Operations[name].response.safeParse(result);
  if (!parsed.success) {
    throw new TransportError(
      TransportErrorCodes.unexpectedReply,
      `the answer to ${name} has an unexpected shape`,
    );
  }
  return parsed.data as ResponseOf<N>;
}

function raceAbort<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TransportError(TransportErrorCodes.aborted, 'the call was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
