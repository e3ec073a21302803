import type { MessageDTO } from '@enmesh/runtime';
import { z } from 'zod';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { RouteRegistry } from '../openapi/registry.js';
import { fileSchema, messageSchema, messageWithAttachmentsSchema } from './dto-schemas.js';
import { applyFilters, type FilterSpecs, filterQuery } from './query-filter.js';
import {
  addressSchema,
  apiPrefix,
  callOptions,
  type DomainRouteOptions,
  downloadResponse,
  idParams,
  idSchema,
} from './route-kit.js';

const filters: FilterSpecs = {
  isOwn: 'partialBoolean',
  createdBy: 'id',
  createdByDevice: 'id',
  createdAt: 'date',
  'recipients.address': 'id',
  'recipients.relationshipId': 'text',
  participant: {
    kind: 'id',
    read: (message: MessageDTO) => [message.createdBy, ...message.recipients.map((r) => r.address)],
  },
  attachments: 'id',
  'content.@type': 'text',
  'content.subject': 'text',
  'content.body': 'text',
  'content.bodyFormat': 'text',
};

const attachmentParams = z.strictObject({ messageId: idSchema('MSG'), attachmentId: idSchema('FIL') });

/**
 * Registers the Messages routes (scope `core:messages`): send (Mail, Request, ResponseWrapper, Notification
 * or ArbitraryMessageContent, with attachments of stored files), list with filters, get with the
 * attachments' metadata, and an attachment's metadata and content.
 */
export function registerMessageRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const service = options.account.transport.messages;
  const tags = ['Messages'];
  const scopes = ['core:messages'];
  const base = `${apiPrefix}/Messages`;
  registry.add({
    method: 'post',
    path: base,
    summary: 'Sends a message, end-to-end encrypted, to peers with an active relationship.',
    tags,
    scopes,
    body: z.strictObject({
      recipients: z.array(addressSchema).min(1).max(50),
      content: z.record(z.string(), z.unknown()),
      attachments: z.array(idSchema('FIL')).max(20).nullish(),
    }),
    successStatus: 201,
    result: messageSchema,
    handler: ({ body }) =>
      service.sendMessage(
        {
          recipients: body.recipients,
          content: body.content,
          ...(body.attachments ? { attachments: body.attachments } : {}),
        },
        callOptions(options),
      ),
  });
  registry.add({
    method: 'get',
    path: base,
    summary: 'Lists messages, sent and received, oldest first.',
    tags,
    scopes,
    query: filterQuery(filters),
    result: z.array(messageSchema),
    handler: async ({ context }) => applyFilters(await service.getMessages(), context.req.queries(), filters),
  });
  registry.add({
    method: 'get',
    path: `${base}/{id}`,
    summary: "One message with its attachments' metadata.",
    tags,
    scopes,
    params: idParams('MSG'),
    result: messageWithAttachmentsSchema,
    handler: ({ params }) => service.getMessage({ id: params.id }, callOptions(options)),
  });
  registry.add({
    method: 'get',
    path: `${base}/{messageId}/Attachments/{attachmentId}`,
    summary: 'The metadata of one attachment of a message.',
    tags,
    scopes,
    params: attachmentParams,
    result: fileSchema,
    handler: async ({ params }) => {
      const message = await service.getMessage({ id: params.messageId }, callOptions(options));
      const attachment = message.attachments.find((file) => file.id === params.attachmentId);
      if (!attachment) {
        throw new ConnectorError(
          ConnectorErrorCodes.recordNotFound,
          `Message ${params.messageId} has no attachment ${params.attachmentId}.`,
        );
      }
      return attachment;
    },
  });
  registry.add({
    method: 'get',
    path: `${base}/{messageId}/Attachments/{attachmentId}/Download`,
    summary: 'The content of one attachment of a message, every chunk verified.',
    tags,
    scopes,
    params: attachmentParams,
    produces: 'application/octet-stream',
    result: z.string().describe('the file content'),
    handler: async ({ params }) =>
      downloadResponse(
        await service.downloadAttachment(
          { id: params.messageId, attachmentId: params.attachmentId },
          callOptions(options),
        ),
      ),
  });
}
