import { z } from 'zod';
import type { RouteRegistry } from '../openapi/registry.js';
import { fileSchema, tokenSchema } from './dto-schemas.js';
import { applyFilters, type FilterSpecs, filterQuery } from './query-filter.js';
import {
  apiPrefix,
  callOptions,
  type DomainRouteOptions,
  downloadResponse,
  idParams,
  qrResponse,
  timestampSchema,
  wantsPng,
} from './route-kit.js';
import { loadBody } from './template-routes.js';
import { tokenForBody, withoutNulls } from './token-routes.js';

const sharedFilters: FilterSpecs = {
  createdAt: 'date',
  description: 'text',
  expiresAt: 'date',
  filename: 'text',
  tags: 'text',
  filesize: 'number',
  mimetype: 'text',
  title: 'text',
};
const ownerFilters: FilterSpecs = { ownershipToken: 'text', ownershipIsLocked: 'boolean' };
const allFilters: FilterSpecs = {
  ...sharedFilters,
  ...ownerFilters,
  createdBy: 'id',
  createdByDevice: 'id',
  isOwn: 'boolean',
};
const ownFilters: FilterSpecs = { ...sharedFilters, ...ownerFilters, createdByDevice: 'id' };
const peerFilters: FilterSpecs = { ...sharedFilters, createdBy: 'id' };

const tag = z.string().min(1).max(100);
const uploadBody = z.strictObject({
  file: z.file().describe('The content; its name and media type become `filename` and `mimetype`.'),
  expiresAt: timestampSchema.optional().describe('Default: in a year.'),
  title: z.string().min(1).max(300).optional(),
  description: z.string().max(10_000).optional(),
  tags: z.union([tag, z.array(tag).max(50)]).optional(),
});

const idOrReference = z.strictObject({
  idOrReference: z
    .string()
    .min(10)
    .max(2000)
    .describe('A file id (`FIL…`) or a truncated reference of a file or of a token for one.'),
});

/**
 * Registers the Files routes (scope `core:files`): upload own files (multipart), load peer files by
 * reference (or a token's), list all, own and peer ones with filters, get by id or reference (a QR code of
 * the reference for `Accept: image/png`), download, a token for a file (JSON or QR code), a new ownership
 * token, and delete.
 */
export function registerFileRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const service = options.account.transport.files;
  const tags = ['Files'];
  const scopes = ['core:files'];
  const base = `${apiPrefix}/Files`;
  const list = (isOwn: boolean | undefined) =>
    service.getFiles(isOwn === undefined ? {} : { query: { isOwn } });
  registry.add({
    method: 'get',
    path: base,
    summary: 'Lists files, own and loaded.',
    tags,
    scopes,
    query: filterQuery(allFilters),
    result: z.array(fileSchema),
    handler: async ({ context }) => applyFilters(await list(undefined), context.req.queries(), allFilters),
  });
  registry.add({
    method: 'post',
    path: `${base}/Own`,
    summary: 'Uploads a file, sealed chunk by chunk (multipart: file, expiresAt, title, description, tags).',
    description: 'The body is bounded by `infrastructure.httpServer.bodyLimitBytes`.',
    tags,
    scopes,
    bodyType: 'multipart',
    body: uploadBody,
    successStatus: 201,
    result: fileSchema,
    handler: async ({ body }) => {
      const content = new Uint8Array(await body.file.arrayBuffer());
      return service.uploadOwnFile(
        {
          content,
          filename: body.file.name || 'file',
          mimetype: body.file.type.split(';')[0]?.trim() || 'application/octet-stream',
          ...(body.expiresAt ? { expiresAt: body.expiresAt } : {}),
          ...(body.title ? { title: body.title } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.tags ? { tags: typeof body.tags === 'string' ? [body.tags] : body.tags } : {}),
        },
        callOptions(options),
      );
    },
  });
  registry.add({
    method: 'get',
    path: `${base}/Own`,
    summary: 'Lists own files.',
    tags,
    scopes,
    query: filterQuery(ownFilters),
    result: z.array(fileSchema),
    handler: async ({ context }) => applyFilters(await list(true), context.req.queries(), ownFilters),
  });
  registry.add({
    method: 'post',
    path: `${base}/Peer`,
    summary: "Loads a peer's file metadata by its reference or a token's.",
    tags,
    scopes,
    body: loadBody,
    successStatus: 201,
    result: fileSchema,
    handler: ({ body }) => service.getOrLoadFile(withoutNulls(body), callOptions(options)),
  });
  registry.add({
    method: 'get',
    path: `${base}/Peer`,
    summary: 'Lists loaded peer files.',
    tags,
    scopes,
    query: filterQuery(peerFilters),
    result: z.array(fileSchema),
    handler: async ({ context }) => applyFilters(await list(false), context.req.queries(), peerFilters),
  });
  registry.add({
    method: 'get',
    path: `${base}/{idOrReference}`,
    summary: 'A file by id, or loaded by reference; with `Accept: image/png` a QR code of its reference.',
    tags,
    scopes,
    params: idOrReference,
    alsoProduces: ['image/png'],
    result: fileSchema,
    handler: async ({ params, context }) => {
      const key = params.idOrReference;
      const file = /^FIL[A-Za-z0-9]{17,40}$/.test(key)
        ? await service.getFile({ id: key })
        : await service.getOrLoadFile({ reference: key }, callOptions(options));
      return wantsPng(context) ? qrResponse(file.reference.url, 200) : file;
    },
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}/Download`,
    summary: "A file's content, every chunk verified.",
    tags,
    scopes,
    params: idParams('FIL'),
    produces: 'application/octet-stream',
    result: z.string().describe('the file content'),
    handler: async ({ params }) =>
      downloadResponse(await service.downloadFile({ id: params.id }, callOptions(options))),
  });
  registry.add({
    method: 'post',
    path: `${base}/{id}/Token`,
    summary: 'Creates a token for a file; with `Accept: image/png` a QR code of its reference.',
    description: '`ephemeral` defaults to true and is forced for a QR code, as in the reference.',
    tags,
    scopes,
    params: idParams('FIL'),
    body: tokenForBody,
    successStatus: 201,
    alsoProduces: ['image/png'],
    result: tokenSchema,
    handler: async ({ params, body, context }) => {
      const png = wantsPng(context);
      const token = await service.createTokenForFile(
        { ...withoutNulls(body), fileId: params.id, ephemeral: png || (body.ephemeral ?? true) },
        callOptions(options),
      );
      return png ? qrResponse(token.reference.url, 201) : token;
    },
  });
  registry.add({
    method: 'patch',
    path: `${base}/{id}/RegenerateOwnershipToken`,
    summary: 'Issues a new ownership token for an own file (the old one stops working).',
    tags,
    scopes,
    params: idParams('FIL'),
    result: fileSchema,
    handler: ({ params }) =>
      service.regenerateFileOwnershipToken({ fileId: params.id }, callOptions(options)),
  });
  registry.add({
    method: 'delete',
    path: `${base}/{id}`,
    summary: 'Deletes a file (an owned one also on the backbone).',
    tags,
    scopes,
    params: idParams('FIL'),
    successStatus: 204,
    result: z.null(),
    handler: async ({ params }) => {
      await service.deleteFile({ fileId: params.id }, callOptions(options));
      return null;
    },
  });
}
