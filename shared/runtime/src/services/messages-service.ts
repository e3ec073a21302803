import { timeOrderedId } from '@enmesh/protocol';
import { z } from 'zod';
import type { AccountContext } from '../account/context.js';
import { referenceOfType } from '../account/file-rows.js';
import type { FileDTO } from '../dto/files.js';
import { fileDto } from '../dto/files.js';
import {
  type MessageDTO,
  type MessageWithAttachmentsDTO,
  messageDto,
  type RecipientDTO,
} from '../dto/messages.js';
import { notFound, validate, validateContent, validationError } from '../errors.js';
import { TransportEventNames } from '../events/runtime-event.js';
import { FileEntity, MessageEntity, type MessageRow, RelationshipEntity } from '../storage/entities.js';
import type { DownloadedFileContent, FilesService } from './files-service.js';
import { addressSchema, byId, type CallOptions, idOf, matches, oneOrMany } from './inputs.js';

const messageContentTypes = [
  'Mail',
  'Request',
  'ResponseWrapper',
  'Notification',
  'ArbitraryMessageContent',
] as const;

const sendInput = z.strictObject({
  recipients: z
    .array(addressSchema)
    .min(1)
    .max(50)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a recipient'),
  content: z.unknown(),
  attachments: z.array(idOf('FIL')).max(20).optional(),
});
const getMessagesInput = z.strictObject({
  query: z
    .strictObject({
      isOwn: z.boolean().optional(),
      createdBy: oneOrMany(addressSchema).optional(),
      participant: addressSchema.optional(),
      contentType: oneOrMany(z.string()).optional(),
      wasRead: z.boolean().optional(),
    })
    .optional(),
});
const attachmentInput = z.strictObject({ id: idOf('MSG'), attachmentId: idOf('FIL') });

/**
 * The messages of an account (Enmeshed `MessagesFacade`): sent end-to-end encrypted over active
 * relationships (notifications also over terminated ones), listed from local storage.
 */
export class MessagesService {
  readonly #context: AccountContext;
  readonly #files: FilesService;

  /** Serves one account; attachments are read through `files`. */
  constructor(context: AccountContext, files: FilesService) {
    this.#context = context;
    this.#files = files;
  }

  /**
   * Sends a message (Mail, Request, ResponseWrapper, Notification or ArbitraryMessageContent) with
   * optional attachments (ids of stored files); announced as `transport.messageSent` (from the mailbox's
   * MessageSent entry when the identity has other devices, else once the backbone answered).
   * @throws RuntimeError `error.runtime.validation` (also for a Request to several recipients),
   *   `error.runtime.notFound` (an attachment); TransportError `error.transport.noRelationship`;
   *   ProtocolError `error.messages.*`.
   */
  async sendMessage(input: z.input<typeof sendInput>, options: CallOptions = {}): Promise<MessageDTO> {
    const parsed = validate(sendInput, input);
    const content = validateContent(parsed.content, messageContentTypes, 'content');
    if (content['@type'] === 'Request' && parsed.recipients.length > 1) {
      throw validationError([{ path: '$.recipients', message: 'a Request goes to exactly one recipient' }]);
    }
    const context = this.#context;
    const files = context.store.manager.getRepository(FileEntity);
    const attachments = parsed.attachments ?? [];
    const references: string[] = [];
    for (const [index, id] of attachments.entries()) {
      const row = await files.findOneBy({ identity: context.address, id });
      if (!row) throw validationError([{ path: `$.attachments[${index}]`, message: `no stored file ${id}` }]);
      references.push(row.truncatedReference);
    }
    const id = timeOrderedId('MSG', 20);
    const relationships = await this.#relationshipsByPeer();
    const draft: MessageRow = {
      identity: context.address,
      id,
      isOwn: true,
      createdBy: context.address,
      createdByDevice: context.deviceId,
      createdAt: context.store.now(),
      content: JSON.stringify(content),
      recipients: JSON.stringify(
        parsed.recipients.map((address): RecipientDTO => {
          const relationshipId = relationships.get(address);
          return { address, ...(relationshipId === undefined ? {} : { relationshipId }) };
        }),
      ),
      attachments: JSON.stringify(attachments),
      fileReferences: JSON.stringify(references),
      wasReadAt: null,
    };
    context.pendingSends.set(id, draft);
    try {
      const sent = await context.transport.sendMessage(parsed.recipients, content, {
        id,
        kind: content['@type'] === 'Notification' ? 'notification' : 'content',
        attachments: references,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const row = { ...draft, createdAt: sent.createdAt, wasReadAt: sent.createdAt };
      await context.store.write(async ({ manager, emit }) => {
        const repository = manager.getRepository(MessageEntity);
        // The mailbox entry may have been stored first; what this call knows is complete either way.
        if (await repository.existsBy({ identity: context.address, id })) {
          await repository.update(
            { identity: context.address, id },
            { createdByDevice: row.createdByDevice },
          );
        } else {
          await repository.insert(row);
        }
        // With no other device there is no MessageSent entry to announce it: this answer does.
        if (!sent.copiedToOwnDevices) {
          await emit(context.address, TransportEventNames.messageSent, messageDto(row));
        }
      });
      return messageDto(row);
    } finally {
      context.pendingSends.delete(id);
    }
  }

  /**
   * The account's messages, oldest first, optionally filtered (a list matches any): own or received, by
   * sender, by a participant (sender or recipient), by content `@type`, read or unread.
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getMessages(input: z.input<typeof getMessagesInput> = {}): Promise<MessageDTO[]> {
    const { query = {} } = validate(getMessagesInput, input);
    const rows = await this.#context.store.manager.getRepository(MessageEntity).find({
      where: {
        identity: this.#context.address,
        ...(query.isOwn === undefined ? {} : { isOwn: query.isOwn }),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows
      .map(messageDto)
      .filter(
        (message) =>
          matches(query.createdBy, message.createdBy) &&
          (query.participant === undefined ||
            message.createdBy === query.participant ||
            message.recipients.some((recipient) => recipient.address === query.participant)) &&
          matches(query.contentType, (message.content as { '@type'?: string })['@type']) &&
          (query.wasRead === undefined || query.wasRead === (message.wasReadAt !== undefined)),
      );
  }

  /**
   * One message with its attachments' metadata (loaded from the backbone when not stored yet).
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError `error.files.*`.
   */
  async getMessage(input: { id: string }, options: CallOptions = {}): Promise<MessageWithAttachmentsDTO> {
    const { id } = validate(byId('MSG'), input);
    const row = await this.#stored(id);
    const message = messageDto(row);
    const references = JSON.parse(row.fileReferences) as string[];
    const attachments: FileDTO[] = [];
    for (const [index, fileId] of message.attachments.entries()) {
      attachments.push(await this.#attachment(fileId, references[index], options));
    }
    return { ...message, attachments };
  }

  /**
   * Downloads one attachment of a message.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; TransportError
   *   `error.transport.fileIntegrity`; ProtocolError `error.files.*`.
   */
  async downloadAttachment(
    input: z.input<typeof attachmentInput>,
    options: CallOptions = {},
  ): Promise<DownloadedFileContent> {
    const { id, attachmentId } = validate(attachmentInput, input);
    const row = await this.#stored(id);
    const ids = JSON.parse(row.attachments) as string[];
    const index = ids.indexOf(attachmentId);
    if (index < 0) throw notFound(`attachment of message ${id}:`, attachmentId);
    const references = JSON.parse(row.fileReferences) as string[];
    await this.#attachment(attachmentId, references[index], options);
    return this.#files.downloadFile({ id: attachmentId }, options);
  }

  /** Marks a message read (on every device of the identity). @throws as `#setRead`. */
  markMessageAsRead(input: { id: string }): Promise<MessageDTO> {
    return this.#setRead(input, true);
  }

  /** Marks a message unread again. @throws as `#setRead`. */
  markMessageAsUnread(input: { id: string }): Promise<MessageDTO> {
    return this.#setRead(input, false);
  }

  /**
   * Sets the read time and announces `transport.messageWasReadAtChanged`; other devices follow through the
   * datawallet.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async #setRead(input: { id: string }, read: boolean): Promise<MessageDTO> {
    const { id } = validate(byId('MSG'), input);
    const context = this.#context;
    const row = await this.#stored(id);
    const wasReadAt = read ? (row.wasReadAt ?? context.store.now()) : null;
    if (wasReadAt === row.wasReadAt) return messageDto(row);
    const updated = { ...row, wasReadAt };
    await context.store.write(async (tx) => {
      await tx.manager.getRepository(MessageEntity).update({ identity: context.address, id }, { wasReadAt });
      await tx.emit(context.address, TransportEventNames.messageWasReadAtChanged, messageDto(updated));
    });
    context.transport.datawallet.set('messages', id, { readAt: wasReadAt });
    return messageDto(updated);
  }

  async #attachment(fileId: string, reference: string | undefined, options: CallOptions): Promise<FileDTO> {
    const own = this.#context.address;
    const row = await this.#context.store.manager
      .getRepository(FileEntity)
      .findOneBy({ identity: own, id: fileId });
    if (row) return fileDto(row, own);
    if (reference === undefined) throw notFound('file', fileId);
    return fileDto(await this.#files.storeLoaded(referenceOfType(reference, ['file']), options), own);
  }

  async #stored(id: string): Promise<MessageRow> {
    const row = await this.#context.store.manager
      .getRepository(MessageEntity)
      .findOneBy({ identity: this.#context.address, id });
    if (!row) throw notFound('message', id);
    return row;
  }

  async #relationshipsByPeer(): Promise<Map<string, string>> {
    const rows = await this.#context.store.manager
      .getRepository(RelationshipEntity)
      .findBy({ identity: this.#context.address, removed: false });
    return new Map(rows.map((row) => [row.peer, row.id]));
  }
}
