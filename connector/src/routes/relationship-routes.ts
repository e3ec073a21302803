import type { RelationshipsService } from '@enmesh/runtime';
import { z } from 'zod';
import type { RouteRegistry } from '../openapi/registry.js';
import { canCreateSchema, relationshipSchema } from './dto-schemas.js';
import { applyFilters, type FilterSpecs, filterQuery } from './query-filter.js';
import { apiPrefix, callOptions, type DomainRouteOptions, idParams, idSchema } from './route-kit.js';

const creationContent = z
  .record(z.string(), z.unknown())
  .describe('A RelationshipCreationContent or an ArbitraryRelationshipCreationContent.');

const filters: FilterSpecs = { templateId: 'id', peer: 'id', status: 'text' };

type Step = keyof Pick<
  RelationshipsService,
  | 'acceptRelationship'
  | 'rejectRelationship'
  | 'revokeRelationship'
  | 'terminateRelationship'
  | 'requestRelationshipReactivation'
  | 'acceptRelationshipReactivation'
  | 'rejectRelationshipReactivation'
  | 'revokeRelationshipReactivation'
>;

const steps: readonly { path: string; step: Step; summary: string }[] = [
  {
    path: 'Accept',
    step: 'acceptRelationship',
    summary: 'Accepts a pending relationship requested from us.',
  },
  {
    path: 'Reject',
    step: 'rejectRelationship',
    summary: 'Rejects a pending relationship requested from us.',
  },
  { path: 'Revoke', step: 'revokeRelationship', summary: 'Withdraws our own pending request.' },
  { path: 'Terminate', step: 'terminateRelationship', summary: 'Ends an active relationship.' },
  {
    path: 'Reactivate',
    step: 'requestRelationshipReactivation',
    summary: 'Asks the peer to reactivate a terminated relationship.',
  },
  {
    path: 'Reactivate/Accept',
    step: 'acceptRelationshipReactivation',
    summary: "Accepts the peer's reactivation request.",
  },
  {
    path: 'Reactivate/Reject',
    step: 'rejectRelationshipReactivation',
    summary: "Rejects the peer's reactivation request.",
  },
  {
    path: 'Reactivate/Revoke',
    step: 'revokeRelationshipReactivation',
    summary: 'Withdraws our reactivation request.',
  },
];

/**
 * Registers the Relationships routes (scope `core:relationships`): list with filters, get, CanCreate,
 * create from a loaded peer template, the lifecycle steps (accept, reject, revoke, terminate, reactivation
 * and its answers) and decomposition (`DELETE`).
 */
export function registerRelationshipRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const service = options.account.transport.relationships;
  const tags = ['Relationships'];
  const scopes = ['core:relationships'];
  const base = `${apiPrefix}/Relationships`;
  registry.add({
    method: 'put',
    path: `${base}/CanCreate`,
    summary: 'Tells whether a relationship can be requested from a loaded peer template (with this content).',
    tags,
    scopes,
    body: z.strictObject({ templateId: idSchema('RLT'), creationContent: creationContent.optional() }),
    result: canCreateSchema,
    handler: ({ body }) => service.canCreateRelationship(body, callOptions(options)),
  });
  registry.add({
    method: 'post',
    path: base,
    summary: 'Requests a relationship from the creator of a loaded peer template.',
    tags,
    scopes,
    body: z.strictObject({ templateId: idSchema('RLT'), creationContent }),
    successStatus: 201,
    result: relationshipSchema,
    handler: ({ body }) => service.createRelationship(body, callOptions(options)),
  });
  registry.add({
    method: 'get',
    path: base,
    summary: 'Lists the relationships (decomposed ones are gone).',
    tags,
    scopes,
    query: filterQuery(filters),
    result: z.array(relationshipSchema),
    handler: async ({ context }) =>
      applyFilters(await service.getRelationships(), context.req.queries(), filters),
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}`,
    summary: 'One relationship.',
    tags,
    scopes,
    params: idParams('REL'),
    result: relationshipSchema,
    handler: ({ params }) => service.getRelationship({ id: params.id }),
  });
  registry.add({
    method: 'delete',
    path: `${base}/{id}`,
    summary: 'Decomposes a finished relationship: it is gone for us at once, the peer sees DeletionProposed.',
    tags,
    scopes,
    params: idParams('REL'),
    successStatus: 204,
    result: z.null(),
    handler: async ({ params }) => {
      await service.decomposeRelationship({ relationshipId: params.id }, callOptions(options));
      return null;
    },
  });
  for (const { path, step, summary } of steps) {
    registry.add({
      method: 'put',
      path: `${base}/{id}/${path}`,
      summary,
      tags,
      scopes,
      params: idParams('REL'),
      result: relationshipSchema,
      handler: ({ params }) => service[step]({ relationshipId: params.id }, callOptions(options)),
    });
  }
}
