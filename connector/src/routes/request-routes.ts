import { z } from 'zod';
import type { RouteRegistry } from '../openapi/registry.js';
import { requestSchema, validationResultSchema } from './consumption-schemas.js';
import { applyFilters, type FilterSpecs, filterQuery } from './query-filter.js';
import { addressSchema, apiPrefix, type DomainRouteOptions, idParams } from './route-kit.js';

const outgoingFilters: FilterSpecs = {
  id: 'id',
  peer: 'text',
  createdAt: 'date',
  status: 'text',
  'content.expiresAt': 'date',
  'content.items.@type': 'text',
  'content.items.items.@type': 'text',
  'source.type': 'text',
  'source.reference': 'id',
  'response.createdAt': 'date',
  'response.source.type': 'text',
  'response.source.reference': 'id',
  // The reference calls it a BooleanFilter; the value is the text `Accepted` or `Rejected`.
  'response.content.result': 'text',
  'response.content.items.@type': 'text',
  'response.content.items.items.@type': 'text',
};
const incomingFilters: FilterSpecs = { ...outgoingFilters, wasAutomaticallyDecided: 'partialBoolean' };

const decision = z.strictObject({
  items: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .max(200)
    .describe('One decision per item of the request, in order: `{accept, …}`, or `{items}` for a group.'),
});
const requestContent = z
  .record(z.string(), z.unknown())
  .describe('The Request: `items` (RequestItems and RequestItemGroups), optional `expiresAt`, `title`, …');

type Step = 'canAccept' | 'accept' | 'canReject' | 'reject';
const steps: readonly { path: string; step: Step; summary: string }[] = [
  {
    path: 'CanAccept',
    step: 'canAccept',
    summary: 'Checks accepting an incoming request with these decisions.',
  },
  {
    path: 'Accept',
    step: 'accept',
    summary: 'Accepts an incoming request: it is Decided, and the response goes to the peer.',
  },
  {
    path: 'CanReject',
    step: 'canReject',
    summary: 'Checks rejecting an incoming request with these decisions.',
  },
  {
    path: 'Reject',
    step: 'reject',
    summary: 'Rejects an incoming request: it is Decided, and the response goes to the peer.',
  },
];

/**
 * Registers the Requests routes on the runtime's request services. Incoming (scope `core:requests` or
 * `core:requests:incoming`): list with filters, get, check and decide. Outgoing (`core:requests` or
 * `core:requests:outgoing`): validate, create as Draft (send its `content` with `POST /Messages` or put it
 * in a template's `onNewRelationship`), list with filters, get.
 */
export function registerRequestRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const incoming = options.account.consumption.incomingRequests;
  const outgoing = options.account.consumption.outgoingRequests;
  const tags = ['Requests'];
  const inScopes = ['core:requests', 'core:requests:incoming'];
  const outScopes = ['core:requests', 'core:requests:outgoing'];
  const base = `${apiPrefix}/Requests`;
  registry.add({
    method: 'get',
    path: `${base}/Incoming`,
    summary: 'Lists the incoming requests, oldest first.',
    tags,
    scopes: inScopes,
    query: filterQuery(incomingFilters),
    result: z.array(requestSchema),
    handler: async ({ context }) =>
      applyFilters(await incoming.getRequests(), context.req.queries(), incomingFilters),
  });
  registry.add({
    method: 'get',
    path: `${base}/Incoming/{id}`,
    summary: 'One incoming request.',
    tags,
    scopes: inScopes,
    params: idParams('REQ'),
    result: requestSchema,
    handler: ({ params }) => incoming.getRequest({ id: params.id }),
  });
  for (const { path, step, summary } of steps) {
    registry.add({
      method: 'put',
      path: `${base}/Incoming/{id}/${path}`,
      summary,
      tags,
      scopes: inScopes,
      params: idParams('REQ'),
      body: decision,
      result: step.startsWith('can') ? validationResultSchema : requestSchema,
      handler: ({ params, body }) => incoming[step]({ requestId: params.id, items: body.items as never }),
    });
  }
  registry.add({
    method: 'post',
    path: `${base}/Outgoing/Validate`,
    summary: 'Checks a request before it is created (for `peer`, or for a template when absent).',
    tags,
    scopes: outScopes,
    body: z.strictObject({ content: requestContent, peer: addressSchema.optional() }),
    successStatus: 201,
    result: validationResultSchema,
    handler: ({ body }) => outgoing.canCreate(body),
  });
  registry.add({
    method: 'post',
    path: `${base}/Outgoing`,
    summary: 'Creates an outgoing request for a peer as Draft; it is Open once sent by message.',
    tags,
    scopes: outScopes,
    body: z.strictObject({ content: requestContent, peer: addressSchema }),
    successStatus: 201,
    result: requestSchema,
    handler: ({ body }) => outgoing.create(body),
  });
  registry.add({
    method: 'get',
    path: `${base}/Outgoing`,
    summary: 'Lists the outgoing requests, oldest first.',
    tags,
    scopes: outScopes,
    query: filterQuery(outgoingFilters),
    result: z.array(requestSchema),
    handler: async ({ context }) =>
      applyFilters(await outgoing.getRequests(), context.req.queries(), outgoingFilters),
  });
  registry.add({
    method: 'get',
    path: `${base}/Outgoing/{id}`,
    summary: 'One outgoing request.',
    tags,
    scopes: outScopes,
    params: idParams('REQ'),
    result: requestSchema,
    handler: ({ params }) => outgoing.getRequest({ id: params.id }),
  });
}
