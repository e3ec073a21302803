import { z } from 'zod';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { RouteRegistry } from '../openapi/registry.js';
import { announcementSchema, identityMetadataSchema } from './consumption-schemas.js';
import { addressSchema, apiPrefix, type DomainRouteOptions } from './route-kit.js';

const keySchema = z.string().min(1).max(100);
const metadataQuery = z.strictObject({ reference: addressSchema, key: keySchema.optional() });

/**
 * Registers the IdentityMetadata routes (scope `core:identityMetadata`: local notes about an identity under
 * a key), `GET /Announcements` (scope `core:announcements`: the backbone publishes no announcements, so the
 * list is empty) and `POST /BackboneNotifications` (scope `core:backboneNotifications`: the backbone has no
 * backbone notifications; a valid call answers 400 `error.connector.backboneNotifications.notSupported`).
 */
export function registerMetadataRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const metadata = options.account.consumption.identityMetadata;
  const tags = ['IdentityMetadata'];
  const scopes = ['core:identityMetadata'];
  const path = `${apiPrefix}/IdentityMetadata`;
  registry.add({
    method: 'put',
    path,
    summary: 'Sets the metadata of an identity under a key (or none), replacing what was there.',
    tags,
    scopes,
    body: z.strictObject({
      reference: addressSchema,
      key: keySchema.nullish(),
      value: z
        .unknown()
        .refine((value) => value !== undefined, 'is required')
        .describe('Any JSON value.'),
    }),
    result: identityMetadataSchema,
    handler: ({ body }) =>
      metadata.upsertIdentityMetadata({
        reference: body.reference,
        value: body.value,
        ...(body.key ? { key: body.key } : {}),
      }),
  });
  registry.add({
    method: 'get',
    path,
    summary: 'The metadata of an identity under a key (or none).',
    tags,
    scopes,
    query: metadataQuery,
    result: identityMetadataSchema,
    handler: ({ query }) => metadata.getIdentityMetadata(query),
  });
  registry.add({
    method: 'delete',
    path,
    summary: 'Deletes the metadata of an identity under a key (or none).',
    tags,
    scopes,
    query: metadataQuery,
    successStatus: 204,
    result: z.null(),
    handler: async ({ query }) => {
      await metadata.deleteIdentityMetadata(query);
      return null;
    },
  });
  registry.add({
    method: 'get',
    path: `${apiPrefix}/Announcements`,
    summary: 'The backbone’s announcements: none, the backbone publishes no announcements.',
    tags: ['Announcements'],
    scopes: ['core:announcements'],
    query: z.strictObject({
      language: z
        .string()
        .regex(/^[a-z]{2}$/, 'must be a two-letter ISO 639 code')
        .describe('The language of the announcements.'),
    }),
    result: z.array(announcementSchema),
    handler: () => [],
  });
  registry.add({
    method: 'post',
    path: `${apiPrefix}/BackboneNotifications`,
    summary: 'Not supported: the backbone has no backbone notifications (400, with the input checked first).',
    description:
      'A valid call answers 400 `error.connector.backboneNotifications.notSupported`; send a Notification ' +
      'by message to peers instead.',
    tags: ['BackboneNotifications'],
    scopes: ['core:backboneNotifications'],
    body: z.strictObject({
      recipients: z.array(addressSchema).min(1).max(50),
      code: z.string().min(1).max(100),
    }),
    successStatus: 204,
    result: z.null(),
    handler: () => {
      throw new ConnectorError(
        ConnectorErrorCodes.backboneNotificationsNotSupported,
        'The backbone has no backbone notifications; send a Notification by message instead.',
      );
    },
  });
}
