import {
  type Access,
  ErrorCodes,
  encodeError,
  encodeResult,
  Limits,
  type OperationName,
  type OperationSpec,
  Operations,
  ProtocolError,
  parseRequestSubject,
} from '@enmesh/protocol';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { Actor, HandlerContext } from './actor.js';
import { authenticateCaller, type TrustAnchors } from './caller.js';
import type { ActorMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';

/** What serving an actor needs, passed in by the process's composition root. */
export interface ServeOptions {
  readonly trust: TrustAnchors;
  readonly log: Logger;
  readonly metrics: ActorMetrics;
  /** Limits bootstrap calls per client host and in total. */
  readonly bootstrapLimiter: RateLimiter;
  /** Most requests handled at once by this replica; beyond it, callers get `error.protocol.unavailable`. */
  readonly maxInFlight?: number;
}

/** A served actor: its state and its graceful drain. */
export interface ServedActor {
  readonly name: string;
  /** In-flight requests right now. */
  inFlight(): number;
  /** Whether the actor accepts requests. */
  isServing(): boolean;
  /** Stops taking requests and waits for those in flight to be answered. */
  drain(): Promise<void>;
}

type Route = { name: OperationName; spec: OperationSpec };
const decoder = new TextDecoder();

function routesOf(actor: Actor): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const name of Object.keys(actor.handlers) as OperationName[]) {
    const spec: OperationSpec = Operations[name];
    routes.set(`${spec.access}:${spec.service}.${spec.operation}`, { name, spec });
  }
  return routes;
}

function subscriptionSubjects(routes: Map<string, Route>): Set<string> {
  const subjects = new Set<string>();
  for (const { spec } of routes.values()) {
    subjects.add(spec.access === 'device' ? `bb.req.*.*.${spec.service}.*` : `bb.pub.${spec.service}.*`);
  }
  return subjects;
}

function parseBody(data: Uint8Array, spec: OperationSpec): unknown {
  let json: unknown;
  try {
    json = data.length === 0 ? {} : JSON.parse(decoder.decode(data));
  } catch {
    throw new ProtocolError(ErrorCodes.malformedRequest, 'the request body is not JSON');
  }
  const parsed = spec.request.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(body)';
    throw new ProtocolError(
      ErrorCodes.malformedRequest,
      `invalid request: ${path}: ${issue?.message ?? 'invalid'}`,
      {
        details: { path },
      },
    );
  }
  return parsed.data;
}

/**
 * Serves an actor on a connection: a queue-group subscription per service, strict subject parsing,
 * authorisation from `Nats-Request-Info`, size limits, schema validation, rate limits for bootstrap calls,
 * and one reply per request: `{result}` or `{error: {code, message}}`. A handler's unexpected error is logged
 * (without the request body) and answered as `error.protocol.internal`; the actor keeps serving.
 */
export function serveActor(nc: NatsConnection, actor: Actor, options: ServeOptions): ServedActor {
  const routes = routesOf(actor);
  const maxInFlight = options.maxInFlight ?? 256;
  const log = options.log.child({ actor: actor.name });
  const pending = new Set<Promise<void>>();
  let serving = true;

  const handle = async (msg: Msg): Promise<void> => {
    const started = process.hrtime.bigint();
    let operation = 'unknown';
    let outcome = 'ok';
    try {
      const subject = parseRequestSubject(msg.subject);
      if (!subject) throw new ProtocolError(ErrorCodes.unknownOperation, 'unknown subject');
      const access: Access = subject.kind;
      const route = routes.get(`${access}:${subject.service}.${subject.operation}`);
      if (!route)
        throw new ProtocolError(
          ErrorCodes.unknownOperation,
          `unknown operation ${subject.service}.${subject.operation}`,
        );
      operation = route.name;
      const limit = access === 'bootstrap' ? Limits.bootstrapRequestBytes : Limits.devicePayloadBytes;
      if (msg.data.length > limit) {
        throw new ProtocolError(ErrorCodes.payloadTooLarge, `the request exceeds ${limit} bytes`, {
          details: { limit },
        });
      }
      const caller = authenticateCaller(msg, subject, options.trust);
      if (caller.kind === 'bootstrap' && !options.bootstrapLimiter.tryTake(caller.host)) {
        throw new ProtocolError(ErrorCodes.rateLimited, 'too many requests; retry later');
      }
      const request = parseBody(msg.data, route.spec);
      const context: HandlerContext = { caller, log };
      const handler = actor.handlers[route.name] as (r: unknown, c: HandlerContext) => Promise<unknown>;
      const result = await handler(request, context);
      msg.respond(encodeResult(result));
    } catch (error) {
      const failure = ProtocolError.isProtocolError(error)
        ? error
        : new ProtocolError(ErrorCodes.internal, 'internal error');
      if (!ProtocolError.isProtocolError(error)) {
        log.error(
          {
            operation,
            err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
          },
          'handler failed',
        );
      }
      outcome = failure.code;
      msg.respond(encodeError(failure));
    } finally {
      options.metrics.requests.inc({ actor: actor.name, operation, outcome });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.metrics.duration.observe({ actor: actor.name, operation }, seconds);
    }
  };

  const subscriptions: Subscription[] = [];
  for (const subject of subscriptionSubjects(routes)) {
    subscriptions.push(
      nc.subscribe(subject, {
        queue: `actor.${actor.name}`,
        callback: (error, msg) => {
          if (error) {
            log.error({ err: error.message }, 'subscription error');
            return;
          }
          if (!serving || pending.size >= maxInFlight) {
            msg.respond(encodeError(new ProtocolError(ErrorCodes.unavailable, 'the service is busy; retry')));
            return;
          }
          const task = handle(msg).finally(() => pending.delete(task));
          pending.add(task);
        },
      }),
    );
  }

  return {
    name: actor.name,
    inFlight: () => pending.size,
    isServing: () => serving && !nc.isClosed(),
    async drain() {
      serving = false;
      await Promise.all(subscriptions.map((sub) => sub.drain().catch(() => undefined)));
      await Promise.allSettled([...pending]);
    },
  };
}
