import { z } from 'zod';
import type { RouteRegistry } from '../openapi/registry.js';
import {
  attributeSchema,
  forwardingDetailsSchema,
  iqlValidationSchema,
  successionSchema,
  tagCollectionSchema,
} from './consumption-schemas.js';
import { canCreateSchema } from './dto-schemas.js';
import { applyFilters, booleanParam, type FilterSpecs, filterQuery, filtersOf } from './query-filter.js';
import { addressSchema, apiPrefix, type DomainRouteOptions, idParams, idSchema } from './route-kit.js';

const contentFilters = {
  'content.@type': 'text',
  'content.tags': 'text',
  'content.key': 'text',
  'content.isTechnical': 'boolean',
  'content.confidentiality': 'text',
  'content.value.@type': 'text',
} as const;
const deletionFilters = {
  deletionInfo: 'text',
  'deletionInfo.deletionStatus': 'text',
  'deletionInfo.deletionDate': 'text',
} as const;
const allFilters: FilterSpecs = {
  '@type': 'text',
  createdAt: 'date',
  ...contentFilters,
  'content.owner': 'text',
  succeeds: 'text',
  succeededBy: 'text',
  sourceReference: 'text',
  peer: 'text',
  initialAttributePeer: 'text',
  'deletionInfo.deletionStatus': 'text',
  'deletionInfo.deletionDate': 'text',
};
const ownFilters: FilterSpecs = {
  createdAt: 'date',
  'content.tags': 'text',
  'content.value.@type': 'text',
  ...deletionFilters,
};
const sharedFilters: FilterSpecs = {
  '@type': 'text',
  createdAt: 'date',
  ...contentFilters,
  sourceReference: 'text',
  ...deletionFilters,
};
const peerFilters: FilterSpecs = { ...sharedFilters, initialAttributePeer: 'text' };
const listOptions = ['onlyLatestVersions', 'hideTechnical'];
/** A parsed boolean option of a list query (the filters' index signature widens its type). */
const flag = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

const ownContent = z.strictObject({
  value: z.record(z.string(), z.unknown()).describe('An AttributeValue (`@type` and its fields).'),
  tags: z.array(z.string().max(250)).max(20).optional(),
});
const attributeId = idSchema('ATT');
const peerParams = z.strictObject({ peer: addressSchema });
const queryBody = z.strictObject({ query: z.record(z.string(), z.unknown()) });

/**
 * The attribute tag collection: the backbone offers no tags (`bkb:…`), so the collection is empty; the tags
 * an attribute may carry without it (`x:…`, `urn:…`, `language:…`, `mimetype:…`) need none.
 */
const tagCollection = { supportedLanguages: [], tagsForAttributeValueTypes: {} };

/**
 * Registers the Attributes routes (scope `core:attributes`) on the runtime's attribute service: own
 * identity attributes (check, create, succeed, tell a peer of a succession), the lists with the reference's
 * filters, versions, forwarding details, deletion with notification, the tag collection and the four
 * attribute queries with IQL validation; and `GET /Relationships/{id}/Attributes` (scope
 * `core:relationships`). Fixed paths are registered before `/Attributes/{id}`.
 */
export function registerAttributeRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const service = options.account.consumption.attributes;
  const tags = ['Attributes'];
  const scopes = ['core:attributes'];
  const base = `${apiPrefix}/Attributes`;
  registry.add({
    method: 'put',
    path: `${base}/CanCreate`,
    summary: 'Tells whether an OwnIdentityAttribute with this content can be created (valid, no equal one).',
    tags,
    scopes,
    body: z.strictObject({ content: ownContent }),
    result: canCreateSchema,
    handler: ({ body }) => service.canCreateOwnIdentityAttribute(body),
  });
  registry.add({
    method: 'post',
    path: base,
    summary: 'Creates an OwnIdentityAttribute (the default of its value type when it is the first).',
    tags,
    scopes,
    body: z.strictObject({ content: ownContent }),
    successStatus: 201,
    result: attributeSchema,
    handler: ({ body }) => service.createOwnIdentityAttribute(body),
  });
  registry.add({
    method: 'get',
    path: base,
    summary: 'Lists the attributes: own, shared with peers and received from them.',
    tags,
    scopes,
    query: filterQuery(allFilters),
    result: z.array(attributeSchema),
    handler: async ({ context }) =>
      applyFilters(await service.getAttributes(), context.req.queries(), allFilters),
  });
  registry.add({
    method: 'get',
    path: `${base}/Own/Identity`,
    summary: 'Lists the OwnIdentityAttributes (by default only the latest versions).',
    tags,
    scopes,
    query: filterQuery(ownFilters).extend({ onlyLatestVersions: booleanParam }),
    result: z.array(attributeSchema),
    handler: async ({ query, context }) =>
      applyFilters(
        await service.getOwnIdentityAttributes({ onlyLatestVersions: flag(query.onlyLatestVersions, true) }),
        filtersOf(context.req.queries(), listOptions),
        ownFilters,
      ),
  });
  registry.add({
    method: 'get',
    path: `${base}/Own/Shared/{peer}`,
    summary: 'Lists the own attributes shared with a peer (by default the newest version shared of each).',
    tags,
    scopes,
    params: peerParams,
    query: filterQuery(sharedFilters).extend({
      onlyLatestVersions: booleanParam,
      hideTechnical: booleanParam,
    }),
    result: z.array(attributeSchema),
    handler: async ({ params, query, context }) =>
      applyFilters(
        await service.getOwnAttributesSharedWithPeer({
          peer: params.peer,
          onlyLatestVersions: flag(query.onlyLatestVersions, true),
          hideTechnical: flag(query.hideTechnical, false),
        }),
        filtersOf(context.req.queries(), listOptions),
        sharedFilters,
      ),
  });
  registry.add({
    method: 'get',
    path: `${base}/Peer/{peer}`,
    summary: 'Lists the attributes received from a peer (by default only the latest versions).',
    tags,
    scopes,
    params: peerParams,
    query: filterQuery(peerFilters).extend({ onlyLatestVersions: booleanParam, hideTechnical: booleanParam }),
    result: z.array(attributeSchema),
    handler: async ({ params, query, context }) =>
      applyFilters(
        await service.getPeerAttributes({
          peer: params.peer,
          onlyLatestVersions: flag(query.onlyLatestVersions, true),
          hideTechnical: flag(query.hideTechnical, false),
        }),
        filtersOf(context.req.queries(), listOptions),
        peerFilters,
      ),
  });
  registry.add({
    method: 'get',
    path: `${base}/TagCollection`,
    summary: 'The attribute tag collection of the backbone (empty: it offers no `bkb:` tags).',
    description:
      'Tags of the forms `x:…`, `X:…`, `urn:…`, `language:<ISO 639-1>` and `mimetype:<type>/<subtype>` ' +
      'need no collection. Answered as one object, as the Enmeshed Connector does.',
    tags,
    scopes,
    result: tagCollectionSchema,
    handler: () => tagCollection,
  });
  registerQueryRoutes(registry, options, base);
  registry.add({
    method: 'get',
    path: `${base}/{id}/Versions`,
    summary: 'Every version of an attribute, newest first.',
    tags,
    scopes,
    params: idParams('ATT'),
    result: z.array(attributeSchema),
    handler: ({ params }) => service.getVersionsOfAttribute({ attributeId: params.id }),
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}/Versions/Shared`,
    summary: 'The versions of an attribute a peer has (by default only the newest of them).',
    tags,
    scopes,
    params: idParams('ATT'),
    query: z.strictObject({ peer: addressSchema, onlyLatestVersions: booleanParam }),
    result: z.array(attributeSchema),
    handler: ({ params, query }) =>
      service.getVersionsOfAttributeSharedWithPeer({
        attributeId: params.id,
        peer: query.peer,
        onlyLatestVersions: flag(query.onlyLatestVersions, true),
      }),
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}/ForwardingDetails`,
    summary: 'The sharings of an attribute with peers, oldest first.',
    tags,
    scopes,
    params: idParams('ATT'),
    result: z.array(forwardingDetailsSchema),
    handler: ({ params }) => service.getForwardingDetailsOfAttribute({ attributeId: params.id }),
  });
  registry.add({
    method: 'post',
    path: `${base}/{predecessorId}/Succeed`,
    summary: 'Succeeds an OwnIdentityAttribute, or an OwnRelationshipAttribute (whose peer is told at once).',
    tags,
    scopes,
    params: z.strictObject({ predecessorId: attributeId }),
    body: z.strictObject({ successorContent: ownContent }),
    successStatus: 201,
    result: successionSchema,
    handler: ({ params, body }) =>
      service.succeedAttribute({
        predecessorId: params.predecessorId,
        successorContent: body.successorContent,
      }),
  });
  registry.add({
    method: 'post',
    path: `${base}/{attributeId}/NotifyPeer`,
    summary: 'Tells a peer that an OwnIdentityAttribute shared with it before was succeeded by this one.',
    tags,
    scopes,
    params: z.strictObject({ attributeId }),
    body: z.strictObject({ peer: addressSchema }),
    successStatus: 201,
    result: successionSchema,
    handler: ({ params, body }) =>
      service.notifyPeerAboutOwnIdentityAttributeSuccession({
        attributeId: params.attributeId,
        peer: body.peer,
      }),
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}`,
    summary: 'One attribute.',
    tags,
    scopes,
    params: idParams('ATT'),
    result: attributeSchema,
    handler: ({ params }) => service.getAttribute({ id: params.id }),
  });
  registry.add({
    method: 'delete',
    path: `${base}/{id}`,
    summary: 'Deletes an attribute with its predecessors and tells the peers concerned by notification.',
    tags,
    scopes,
    params: idParams('ATT'),
    result: z.object({ notificationIds: z.array(z.string()) }),
    handler: ({ params }) => service.deleteAttributeAndNotify({ attributeId: params.id }),
  });
  registry.add({
    method: 'get',
    path: `${apiPrefix}/Relationships/{id}/Attributes`,
    summary:
      'The attributes of a relationship: the own ones shared with the peer and those received from it.',
    tags: ['Relationships'],
    scopes: ['core:relationships'],
    params: idParams('REL'),
    result: z.array(attributeSchema),
    handler: async ({ params }) => {
      const { peer } = await options.account.transport.relationships.getRelationship({ id: params.id });
      const [own, received] = await Promise.all([
        service.getOwnAttributesSharedWithPeer({ peer }),
        service.getPeerAttributes({ peer }),
      ]);
      return [...own, ...received].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
  });
}

/** The four attribute queries and IQL validation. */
function registerQueryRoutes(registry: RouteRegistry, options: DomainRouteOptions, base: string): void {
  const service = options.account.consumption.attributes;
  const tags = ['Attributes'];
  const scopes = ['core:attributes'];
  registry.add({
    method: 'post',
    path: `${base}/ExecuteIdentityAttributeQuery`,
    summary: 'The latest OwnIdentityAttributes an IdentityAttributeQuery (`valueType`, `tags`) selects.',
    tags,
    scopes,
    body: queryBody,
    successStatus: 201,
    result: z.array(attributeSchema),
    handler: ({ body }) => service.executeIdentityAttributeQuery(body),
  });
  registry.add({
    method: 'post',
    path: `${base}/ExecuteRelationshipAttributeQuery`,
    summary: 'The RelationshipAttribute a RelationshipAttributeQuery asks for (404 when there is none).',
    description:
      'The relationship is the one with the query’s owner; when the owner is this identity, `peer` names it.',
    tags,
    scopes,
    body: queryBody.extend({ peer: addressSchema.optional() }),
    successStatus: 201,
    result: attributeSchema,
    handler: ({ body }) => service.executeRelationshipAttributeQuery(body),
  });
  registry.add({
    method: 'post',
    path: `${base}/ExecuteThirdPartyRelationshipAttributeQuery`,
    summary: 'The RelationshipAttributes of relationships with third parties a query selects.',
    tags,
    scopes,
    body: queryBody,
    successStatus: 201,
    result: z.array(attributeSchema),
    handler: ({ body }) => service.executeThirdPartyRelationshipAttributeQuery(body),
  });
  registry.add({
    method: 'post',
    path: `${base}/ExecuteIQLQuery`,
    summary: 'The latest OwnIdentityAttributes an IQL query selects.',
    tags,
    scopes,
    body: queryBody,
    result: z.array(attributeSchema),
    handler: ({ body }) => service.executeIQLQuery(body),
  });
  registry.add({
    method: 'post',
    path: `${base}/ValidateIQLQuery`,
    summary: 'Tells whether a text is a valid IQL query and, if not, what is wrong and where.',
    tags,
    scopes,
    body: z.strictObject({ query: z.strictObject({ queryString: z.string().max(1000) }) }),
    result: iqlValidationSchema,
    handler: ({ body }) => service.validateIQLQuery(body),
  });
}
