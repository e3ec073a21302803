import type { OperationName, Operations, RequestOf, ResponseOf } from '@enmesh/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { Caller } from './caller.js';

/** What a handler learns about the call besides its request body. */
export interface HandlerContext {
  readonly caller: Caller;
  readonly log: Logger;
}

/** Handles one operation: takes the validated request, returns the response or throws a ProtocolError. */
export type Handler<N extends OperationName> = (
  request: RequestOf<N>,
  context: HandlerContext,
) => Promise<ResponseOf<N>>;

/** The handlers of an actor, by operation name. */
export type Handlers = { [N in OperationName]?: Handler<N> };

/** An actor: a name (its queue group) and its handlers. Stateless between messages, so replicas scale out. */
export interface Actor {
  readonly name: string;
  readonly handlers: Handlers;
  /** Runs once after the actor's subscriptions are in place (e.g. pushes derived broker state). */
  readonly start?: (nc: NatsConnection) => Promise<void>;
}

/** Declares an actor. */
export function defineActor(actor: Actor): Actor {
  return actor;
}

/** The operation table type, re-exported for handler authors. */
export type OperationTable = typeof Operations;
