import { z } from 'zod';
import type { RouteRegistry } from '../openapi/registry.js';
import { templateSchema, tokenSchema } from './dto-schemas.js';
import { applyFilters, type FilterSpecs, filterQuery } from './query-filter.js';
import {
  addressSchema,
  apiPrefix,
  callOptions,
  type DomainRouteOptions,
  idParams,
  passwordProtectionSchema,
  qrResponse,
  timestampSchema,
  wantsPng,
} from './route-kit.js';
import { tokenForBody, withoutNulls } from './token-routes.js';

const sharedFilters: FilterSpecs = {
  createdAt: 'date',
  expiresAt: 'date',
  maxNumberOfAllocations: 'number',
  forIdentity: 'id',
  passwordProtection: 'existence',
  'passwordProtection.password': 'text',
  'passwordProtection.passwordIsPin': 'partialBoolean',
  'passwordProtection.passwordLocationIndicator': 'text',
};
const allFilters: FilterSpecs = {
  ...sharedFilters,
  createdBy: 'id',
  createdByDevice: 'id',
  isOwn: 'boolean',
};
const ownFilters: FilterSpecs = { ...sharedFilters, createdByDevice: 'id' };
const peerFilters: FilterSpecs = { ...sharedFilters, createdBy: 'id' };

const createBody = z.strictObject({
  content: z
    .record(z.string(), z.unknown())
    .describe('A RelationshipTemplateContent or an ArbitraryRelationshipTemplateContent.'),
  expiresAt: timestampSchema,
  maxNumberOfAllocations: z.number().int().min(1).max(100_000).nullish(),
  forIdentity: addressSchema.nullish(),
  passwordProtection: passwordProtectionSchema.nullish(),
});

/** A reference to load: the compact text or the link, of the object or of a token for it. */
export const loadBody = z.strictObject({
  reference: z.string().min(10).max(2000),
  password: z.string().min(1).max(200).nullish(),
});

/**
 * Registers the RelationshipTemplates routes (scope `core:relationshipTemplates`): create own templates
 * (with `forIdentity`, password or PIN), load peer templates by reference (or a token's), list with
 * filters, get (a QR code of the reference for `Accept: image/png`), delete, and a token for an own
 * template (JSON, or a QR code of the token's reference).
 */
export function registerTemplateRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const service = options.account.transport.relationshipTemplates;
  const tags = ['RelationshipTemplates'];
  const scopes = ['core:relationshipTemplates'];
  const base = `${apiPrefix}/RelationshipTemplates`;
  const list = (isOwn: boolean | undefined) =>
    service.getRelationshipTemplates(isOwn === undefined ? {} : { query: { isOwn } });
  registry.add({
    method: 'post',
    path: `${base}/Own`,
    summary: 'Creates an own relationship template.',
    tags,
    scopes,
    body: createBody,
    successStatus: 201,
    result: templateSchema,
    handler: ({ body }) => service.createOwnRelationshipTemplate(withoutNulls(body), callOptions(options)),
  });
  registry.add({
    method: 'get',
    path: `${base}/Own`,
    summary: 'Lists own relationship templates.',
    tags,
    scopes,
    query: filterQuery(ownFilters),
    result: z.array(templateSchema),
    handler: async ({ context }) => applyFilters(await list(true), context.req.queries(), ownFilters),
  });
  registry.add({
    method: 'post',
    path: `${base}/Peer`,
    summary:
      "Loads a peer's template by its reference or a token's; needed before requesting a relationship.",
    tags,
    scopes,
    body: loadBody,
    successStatus: 201,
    result: templateSchema,
    handler: ({ body }) => service.loadPeerRelationshipTemplate(withoutNulls(body), callOptions(options)),
  });
  registry.add({
    method: 'get',
    path: `${base}/Peer`,
    summary: 'Lists loaded peer relationship templates.',
    tags,
    scopes,
    query: filterQuery(peerFilters),
    result: z.array(templateSchema),
    handler: async ({ context }) => applyFilters(await list(false), context.req.queries(), peerFilters),
  });
  registry.add({
    method: 'get',
    path: base,
    summary: 'Lists relationship templates, own and loaded.',
    tags,
    scopes,
    query: filterQuery(allFilters),
    result: z.array(templateSchema),
    handler: async ({ context }) => applyFilters(await list(undefined), context.req.queries(), allFilters),
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}`,
    summary: 'One relationship template; with `Accept: image/png` a QR code of its reference.',
    tags,
    scopes,
    params: idParams('RLT'),
    alsoProduces: ['image/png'],
    result: templateSchema,
    handler: async ({ params, context }) => {
      const template = await service.getRelationshipTemplate({ id: params.id });
      return wantsPng(context) ? qrResponse(template.reference.url, 200) : template;
    },
  });
  registry.add({
    method: 'delete',
    path: `${base}/{id}`,
    summary: 'Deletes a template (an own one also on the backbone).',
    tags,
    scopes,
    params: idParams('RLT'),
    successStatus: 204,
    result: z.null(),
    handler: async ({ params }) => {
      await service.deleteRelationshipTemplate({ templateId: params.id }, callOptions(options));
      return null;
    },
  });
  registry.add({
    method: 'post',
    path: `${base}/Own/{id}/Token`,
    summary: 'Creates a token for an own template; with `Accept: image/png` a QR code of its reference.',
    description: '`ephemeral` defaults to true and is forced for a QR code, as in the reference.',
    tags,
    scopes,
    params: idParams('RLT'),
    body: tokenForBody,
    successStatus: 201,
    alsoProduces: ['image/png'],
    result: tokenSchema,
    handler: async ({ params, body, context }) => {
      const png = wantsPng(context);
      const token = await service.createTokenForOwnRelationshipTemplate(
        { ...withoutNulls(body), templateId: params.id, ephemeral: png || (body.ephemeral ?? true) },
        callOptions(options),
      );
      return png ? qrResponse(token.reference.url, 201) : token;
    },
  });
}
