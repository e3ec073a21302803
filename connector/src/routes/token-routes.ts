import { z } from 'zod';
import type { RouteRegistry } from '../openapi/registry.js';
import { tokenSchema } from './dto-schemas.js';
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

const sharedFilters: FilterSpecs = {
  createdAt: 'date',
  expiresAt: 'date',
  forIdentity: 'id',
  passwordProtection: 'existence',
  'passwordProtection.password': 'text',
  'passwordProtection.passwordIsPin': 'partialBoolean',
  'passwordProtection.passwordLocationIndicator': 'text',
};
const ownFilters: FilterSpecs = { ...sharedFilters, createdByDevice: 'id' };
const peerFilters: FilterSpecs = { ...sharedFilters, createdBy: 'id' };

/** The optional body of a route that creates a token for an object (a template, a file). */
export const tokenForBody = z
  .strictObject({
    expiresAt: timestampSchema.optional(),
    ephemeral: z.boolean().optional(),
    forIdentity: addressSchema.nullish(),
    passwordProtection: passwordProtectionSchema.nullish(),
  })
  .prefault({});

/** Drops the properties a client sent as `null` (the reference allows null for "not given"). */
export function withoutNulls<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

/**
 * Registers the Tokens routes (scope `core:tokens`): create own tokens with JSON content, load peer tokens
 * by reference, list own and peer ones with filters, get (a QR code of the reference for
 * `Accept: image/png`) and delete.
 */
export function registerTokenRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const service = options.account.transport.tokens;
  const tags = ['Tokens'];
  const scopes = ['core:tokens'];
  const base = `${apiPrefix}/Tokens`;
  registry.add({
    method: 'post',
    path: `${base}/Own`,
    summary: 'Creates a token with JSON content.',
    tags,
    scopes,
    body: z.strictObject({
      content: z.record(z.string(), z.unknown()),
      expiresAt: timestampSchema,
      ephemeral: z.boolean().optional(),
      forIdentity: addressSchema.nullish(),
      passwordProtection: passwordProtectionSchema.nullish(),
    }),
    successStatus: 201,
    result: tokenSchema,
    handler: ({ body }) =>
      service.createOwnToken(
        withoutNulls(body) as Parameters<typeof service.createOwnToken>[0],
        callOptions(options),
      ),
  });
  registry.add({
    method: 'get',
    path: `${base}/Own`,
    summary: 'Lists own tokens.',
    tags,
    scopes,
    query: filterQuery(ownFilters),
    result: z.array(tokenSchema),
    handler: async ({ context }) =>
      applyFilters(await service.getTokens({ query: { isOwn: true } }), context.req.queries(), ownFilters),
  });
  registry.add({
    method: 'post',
    path: `${base}/Peer`,
    summary: "Loads a peer's token by its reference.",
    tags,
    scopes,
    body: z.strictObject({
      reference: z.string().min(10).max(2000),
      ephemeral: z.boolean().optional(),
      password: z.string().min(1).max(200).nullish(),
    }),
    successStatus: 201,
    result: tokenSchema,
    handler: ({ body }) => service.loadPeerToken(withoutNulls(body), callOptions(options)),
  });
  registry.add({
    method: 'get',
    path: `${base}/Peer`,
    summary: 'Lists loaded peer tokens.',
    tags,
    scopes,
    query: filterQuery(peerFilters),
    result: z.array(tokenSchema),
    handler: async ({ context }) =>
      applyFilters(await service.getTokens({ query: { isOwn: false } }), context.req.queries(), peerFilters),
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}`,
    summary: 'One stored token; with `Accept: image/png` a QR code of its reference.',
    tags,
    scopes,
    params: idParams('TOK'),
    alsoProduces: ['image/png'],
    result: tokenSchema,
    handler: async ({ params, context }) => {
      const token = await service.getToken({ id: params.id });
      return wantsPng(context) ? qrResponse(token.reference.url, 200) : token;
    },
  });
  registry.add({
    method: 'delete',
    path: `${base}/{id}`,
    summary: 'Deletes a token (an own one also on the backbone).',
    tags,
    scopes,
    params: idParams('TOK'),
    successStatus: 204,
    result: z.null(),
    handler: async ({ params }) => {
      await service.deleteToken({ tokenId: params.id }, callOptions(options));
      return null;
    },
  });
}
