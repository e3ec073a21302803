import { z } from 'zod';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { RouteRegistry } from '../openapi/registry.js';
import type { DeliveryStore } from './delivery-store.js';
import type { EventLog } from './event-log.js';
import type { SseHub } from './sse.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

const eventSchema = z.object({
  id: z.string(),
  sequence: z.number().int(),
  namespace: z.string(),
  data: z.unknown(),
  time: z.string(),
});

const deliverySchema = z.object({
  id: z.string(),
  webhook: z.string(),
  eventId: z.string(),
  sequence: z.number().int(),
  namespace: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int(),
  nextAttemptAt: z.number().int(),
  lastAttemptAt: z.number().int().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

/**
 * Registers the event routes (scope `core:events`): the log by sequence and, when enabled, the SSE stream;
 * and the webhook routes (scope `core:webhooks`): configured webhooks with their queue counts, the dead
 * letters, and requeueing them one by one or all at once.
 */
export function registerEventRoutes(
  registry: RouteRegistry,
  options: {
    log: EventLog;
    pageSize: number;
    sse?: SseHub;
    webhooks?: {
      names: readonly string[];
      triggers: Readonly<Record<string, readonly string[]>>;
      deliveries: DeliveryStore;
      dispatcher: WebhookDispatcher;
    };
  },
): void {
  const page = z.coerce.number().int().min(1).max(options.pageSize).default(options.pageSize);
  const sequence = z.coerce.number().int().min(1);
  registry.add({
    method: 'get',
    path: '/api/core/v1/Events',
    summary: 'Lists events in sequence order from `from` (default 1).',
    tags: ['Events'],
    scopes: ['core:events'],
    query: z.object({ from: sequence.default(1), limit: page }),
    result: z.array(eventSchema),
    handler: ({ query }) => options.log.read(query.from, query.limit),
  });
  if (options.sse) {
    const sse = options.sse;
    registry.add({
      method: 'get',
      path: '/api/core/v1/Events/stream',
      summary: 'Streams events as Server-Sent Events from `from`, or after `Last-Event-ID`, or from now.',
      tags: ['Events'],
      scopes: ['core:events'],
      query: z.object({ from: sequence.optional() }),
      produces: 'text/event-stream',
      result: z.string().describe('`id: <sequence>` and `data: <event JSON>` per event'),
      handler: ({ query, context }) => sse.respond(context, query.from),
    });
  }
  const hooks = options.webhooks;
  if (!hooks) return;
  const tags = ['Webhooks'];
  const scopes = ['core:webhooks'];
  registry.add({
    method: 'get',
    path: '/api/core/v1/Webhooks',
    summary: 'Lists the configured webhooks with their deliveries per status.',
    tags,
    scopes,
    result: z.array(
      z.object({
        name: z.string(),
        triggers: z.array(z.string()),
        deliveries: z.record(z.string(), z.number()),
      }),
    ),
    handler: async () => {
      const counts = await hooks.deliveries.counts(hooks.names);
      return hooks.names.map((name) => ({
        name,
        triggers: [...(hooks.triggers[name] ?? [])],
        deliveries: Object.fromEntries(
          ['pending', 'delivered', 'dead'].map((status) => [
            status,
            counts.find((c) => c.webhook === name && c.status === status)?.count ?? 0,
          ]),
        ),
      }));
    },
  });
  registry.add({
    method: 'get',
    path: '/api/core/v1/Webhooks/DeadLetters',
    summary: 'Lists deliveries that failed their last attempt, oldest event first.',
    tags,
    scopes,
    query: z.object({
      webhook: z.string().max(100).optional(),
      limit: page,
      offset: z.coerce.number().int().min(0).default(0),
    }),
    result: z.array(deliverySchema),
    handler: ({ query }) =>
      hooks.deliveries.deadLetters({
        limit: query.limit,
        offset: query.offset,
        ...(query.webhook ? { webhook: query.webhook } : {}),
      }),
  });
  registry.add({
    method: 'post',
    path: '/api/core/v1/Webhooks/DeadLetters/{id}/Requeue',
    summary: 'Puts one dead letter back in its webhook queue with fresh attempts.',
    tags,
    scopes,
    params: z.object({ id: z.uuid() }),
    result: z.object({ requeued: z.number().int() }),
    handler: async ({ params }) => {
      const requeued = await hooks.deliveries.requeue({ id: params.id }, Date.now());
      if (requeued === 0)
        throw new ConnectorError(ConnectorErrorCodes.recordNotFound, 'No such dead letter.');
      hooks.dispatcher.notify();
      return { requeued };
    },
  });
  registry.add({
    method: 'post',
    path: '/api/core/v1/Webhooks/DeadLetters/Requeue',
    summary: 'Puts every dead letter (of one webhook, if given) back in its queue.',
    tags,
    scopes,
    query: z.object({ webhook: z.string().max(100).optional() }),
    result: z.object({ requeued: z.number().int() }),
    handler: async ({ query }) => {
      const requeued = await hooks.deliveries.requeue(
        query.webhook ? { webhook: query.webhook } : {},
        Date.now(),
      );
      hooks.dispatcher.notify();
      return { requeued };
    },
  });
}
