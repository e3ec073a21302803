import { fromBase64Url, type Reference, toBase64Url } from '@enmesh/protocol';
import type { ByteSource } from '@enmesh/transport';
import { z } from 'zod';
import type { AccountContext } from '../account/context.js';
import { loadFileRow, referenceOfType } from '../account/file-rows.js';
import { type FileDTO, fileDto } from '../dto/files.js';
import type { TokenDTO } from '../dto/shared-objects.js';
import { notFound, RuntimeError, RuntimeErrorCodes, validate } from '../errors.js';
import { FileEntity, type FileRow } from '../storage/entities.js';
import {
  addressSchema,
  byId,
  type CallOptions,
  expiresAtSchema,
  idOf,
  passwordProtectionSchema,
  referenceSchema,
} from './inputs.js';
import type { TokensService } from './tokens-service.js';

const isByteSource = (value: unknown): value is ByteSource | Uint8Array =>
  value instanceof Uint8Array ||
  (typeof value === 'object' &&
    value !== null &&
    (Symbol.asyncIterator in value || Symbol.iterator in value) &&
    typeof value !== 'string');

const uploadInput = z
  .strictObject({
    content: z.custom<ByteSource | Uint8Array>(isByteSource, 'must be bytes or a byte stream'),
    filename: z.string().min(1).max(300),
    mimetype: z
      .string()
      .regex(/^[\x21-\x7e]+\/[\x21-\x7e]+$/, 'must be a media type')
      .max(200),
    size: z.number().int().min(0).optional(),
    expiresAt: expiresAtSchema.optional(),
    title: z.string().min(1).max(300).optional(),
    description: z.string().max(10_000).optional(),
    tags: z.array(z.string().min(1).max(100)).max(50).optional(),
  })
  .refine((value) => value.content instanceof Uint8Array || value.size !== undefined, {
    message: 'the size of a byte stream must be given',
    path: ['size'],
  });
const loadInput = z.strictObject({
  reference: referenceSchema,
  password: z.string().min(1).max(200).optional(),
});
const getFilesInput = z.strictObject({
  query: z
    .strictObject({
      isOwn: z.boolean().optional(),
      createdBy: addressSchema.optional(),
      mimetype: z.string().optional(),
    })
    .optional(),
});
const fileIdInput = z.strictObject({ fileId: idOf('FIL') });
const tokenInput = z.strictObject({
  fileId: idOf('FIL'),
  expiresAt: expiresAtSchema.optional(),
  ephemeral: z.boolean().optional(),
  forIdentity: addressSchema.optional(),
  passwordProtection: passwordProtectionSchema.optional(),
});
const claimInput = z.strictObject({
  fileId: idOf('FIL'),
  ownershipToken: z.string().regex(/^[A-Za-z0-9]{20,64}$/),
});

/** What a token for a file carries (Enmeshed `TokenContentFile`). */
const tokenContentSchema = z.object({
  '@type': z.literal('TokenContentFile'),
  fileId: idOf('FIL'),
  secretKey: z.object({ key: z.string(), alg: z.number() }),
});

/** A downloaded file's bytes with its name and type. */
export interface DownloadedFileContent {
  readonly content: Uint8Array;
  readonly filename: string;
  readonly mimetype: string;
}

const yearMs = 365 * 24 * 3600 * 1000;

/**
 * The files of an account (Enmeshed `FilesFacade`): uploaded sealed chunk by chunk, shared by reference
 * (or token), downloaded with every chunk verified.
 */
export class FilesService {
  readonly #context: AccountContext;
  readonly #tokens: TokensService;

  /** Serves one account; tokens for files are made with `tokens`. */
  constructor(context: AccountContext, tokens: TokensService) {
    this.#context = context;
    this.#tokens = tokens;
  }

  /**
   * Uploads a file from bytes or a byte stream (with its `size`); by default it expires in a year.
   * @throws RuntimeError `error.runtime.validation`; ProtocolError `error.files.*`; TransportError
   *   `error.transport.fileSizeMismatch`.
   */
  async uploadOwnFile(input: z.input<typeof uploadInput>, options: CallOptions = {}): Promise<FileDTO> {
    const parsed = validate(uploadInput, input);
    const context = this.#context;
    const content = parsed.content;
    const size = content instanceof Uint8Array ? content.length : (parsed.size ?? 0);
    const expiresAt = parsed.expiresAt ?? new Date(Date.parse(context.store.now()) + yearMs).toISOString();
    const uploaded = await context.transport.uploadFile(content instanceof Uint8Array ? [content] : content, {
      name: parsed.filename,
      mimeType: parsed.mimetype,
      size,
      expiresAt: new Date(expiresAt),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const file = uploaded.file;
    const row: FileRow = {
      identity: context.address,
      id: file.id,
      isOwn: true,
      filename: parsed.filename,
      mimetype: parsed.mimetype,
      filesize: size,
      title: parsed.title ?? null,
      description: parsed.description ?? null,
      tags: parsed.tags ? JSON.stringify(parsed.tags) : null,
      createdAt: file.createdAt,
      createdBy: file.createdBy,
      createdByDevice: file.createdByDevice,
      expiresAt: file.expiresAt,
      owner: file.owner,
      ownershipToken: uploaded.ownershipToken,
      ownershipIsLocked: file.ownershipIsLocked,
      sha256: uploaded.sha256,
      truncatedReference: uploaded.reference,
      url: uploaded.url,
    };
    await context.store.write(({ manager }) => manager.getRepository(FileEntity).save(row));
    return fileDto(row, context.address);
  }

  /**
   * A file known locally, or loaded by its reference (or a token for it) and stored.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.unsupportedReference`; ProtocolError
   *   `error.files.*` / `error.tokens.*`; TransportError `error.transport.fileIntegrity`.
   */
  async getOrLoadFile(input: z.input<typeof loadInput>, options: CallOptions = {}): Promise<FileDTO> {
    const { reference, password } = validate(loadInput, input);
    const ref = await this.#fileReference(reference, password, options);
    const known = await this.#find(ref.id);
    if (known) return fileDto(known, this.#context.address);
    return fileDto(await this.storeLoaded(ref, options), this.#context.address);
  }

  /**
   * Loads a file's metadata by reference and stores it (used for attachments too).
   * @throws as `getOrLoadFile`.
   */
  async storeLoaded(ref: Reference, options: CallOptions = {}): Promise<FileRow> {
    const row = await loadFileRow(this.#context, ref, options);
    await this.#context.store.write(({ manager }) => manager.getRepository(FileEntity).save(row));
    return row;
  }

  /**
   * The account's stored files, optionally only own or peer ones, of one creator or one media type.
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getFiles(input: z.input<typeof getFilesInput> = {}): Promise<FileDTO[]> {
    const { query = {} } = validate(getFilesInput, input);
    const rows = await this.#context.store.manager.getRepository(FileEntity).find({
      where: {
        identity: this.#context.address,
        ...(query.isOwn === undefined ? {} : { isOwn: query.isOwn }),
        ...(query.createdBy === undefined ? {} : { createdBy: query.createdBy }),
        ...(query.mimetype === undefined ? {} : { mimetype: query.mimetype }),
      },
      order: { createdAt: 'ASC' },
    });
    return rows.map((row) => fileDto(row, this.#context.address));
  }

  /**
   * One stored file.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async getFile(input: { id: string }): Promise<FileDTO> {
    const { id } = validate(byId('FIL'), input);
    return fileDto(await this.#stored(id), this.#context.address);
  }

  /**
   * Downloads a stored file's content, every chunk verified.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; TransportError
   *   `error.transport.fileIntegrity`; ProtocolError `error.files.*`.
   */
  async downloadFile(input: { id: string }, options: CallOptions = {}): Promise<DownloadedFileContent> {
    const { id } = validate(byId('FIL'), input);
    return this.download(await this.#stored(id), options);
  }

  /** Downloads the content of a file row. @throws as `downloadFile`. */
  async download(row: FileRow, options: CallOptions = {}): Promise<DownloadedFileContent> {
    const pieces: Uint8Array[] = [];
    const downloaded = await this.#context.transport.downloadFile(
      row.truncatedReference,
      (piece) => void pieces.push(new Uint8Array(piece)),
      options.signal ? { signal: options.signal } : {},
    );
    return {
      content: new Uint8Array(Buffer.concat(pieces)),
      filename: downloaded.name,
      mimetype: downloaded.mimeType,
    };
  }

  /**
   * Creates a token pointing to a stored file (`TokenContentFile`), by default until the file expires.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError from the backbone.
   */
  async createTokenForFile(input: z.input<typeof tokenInput>, options: CallOptions = {}): Promise<TokenDTO> {
    const parsed = validate(tokenInput, input);
    const row = await this.#stored(parsed.fileId);
    const ref = referenceOfType(row.truncatedReference, ['file']);
    const content = {
      '@type': 'TokenContentFile',
      fileId: row.id,
      secretKey: { key: toBase64Url(ref.key), alg: 3 },
    };
    return this.#tokens.createToken(
      content,
      {
        expiresAt: parsed.expiresAt ?? row.expiresAt,
        ephemeral: parsed.ephemeral,
        forIdentity: parsed.forIdentity,
        passwordProtection: parsed.passwordProtection,
      },
      options,
    );
  }

  /**
   * Issues a new ownership token for an own file (which also lifts a lock after a wrong token).
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError
   *   `error.files.notOwner`.
   */
  async regenerateFileOwnershipToken(input: { fileId: string }, options: CallOptions = {}): Promise<FileDTO> {
    const { fileId } = validate(fileIdInput, input);
    await this.#stored(fileId);
    const answer = await this.#context.transport.session.call(
      'regenerateFileOwnershipToken',
      { id: fileId },
      options,
    );
    return this.#update(fileId, answer.file, answer.ownershipToken);
  }

  /**
   * Takes over a stored peer file with its ownership token.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError
   *   `error.files.wrongOwnershipToken` / `ownershipLocked`.
   */
  async claimFileOwnership(input: z.input<typeof claimInput>, options: CallOptions = {}): Promise<FileDTO> {
    const { fileId, ownershipToken } = validate(claimInput, input);
    await this.#stored(fileId);
    const answer = await this.#context.transport.session.call(
      'claimFileOwnership',
      { id: fileId, ownershipToken },
      options,
    );
    return this.#update(fileId, answer.file, answer.ownershipToken);
  }

  /**
   * Deletes a file: on the backbone when this identity owns it, and locally.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError `error.files.*`.
   */
  async deleteFile(input: { fileId: string }, options: CallOptions = {}): Promise<void> {
    const { fileId } = validate(fileIdInput, input);
    const row = await this.#stored(fileId);
    const { store, address, transport } = this.#context;
    if (row.owner === address) await transport.session.call('deleteFile', { id: fileId }, options);
    await store.write(({ manager }) =>
      manager.getRepository(FileEntity).delete({ identity: address, id: fileId }),
    );
  }

  async #update(
    fileId: string,
    file: { owner: string; ownershipIsLocked: boolean },
    ownershipToken: string,
  ): Promise<FileDTO> {
    const { store, address } = this.#context;
    const update = { owner: file.owner, ownershipIsLocked: file.ownershipIsLocked, ownershipToken };
    await store.write(({ manager }) =>
      manager.getRepository(FileEntity).update({ identity: address, id: fileId }, update),
    );
    return fileDto({ ...(await this.#stored(fileId)), ...update }, address);
  }

  /** The file reference behind a file reference or a token for one. */
  async #fileReference(
    reference: string,
    password: string | undefined,
    options: CallOptions,
  ): Promise<Reference> {
    const ref = referenceOfType(reference, ['file', 'token']);
    if (ref.type === 'file') return ref;
    const token = await this.#tokens.loadToken(reference, password, options);
    const parsed = tokenContentSchema.safeParse(JSON.parse(token.content));
    if (!parsed.success) {
      throw new RuntimeError(RuntimeErrorCodes.unsupportedReference, 'the token does not point to a file', {
        faults: [{ path: '$.reference', message: 'must be a file reference or a token for one' }],
      });
    }
    return {
      type: 'file',
      id: parsed.data.fileId,
      key: fromBase64Url(parsed.data.secretKey.key),
      host: token.createdBy.split(':')[2] ?? '',
    };
  }

  #find(id: string): Promise<FileRow | null> {
    return this.#context.store.manager
      .getRepository(FileEntity)
      .findOneBy({ identity: this.#context.address, id });
  }

  async #stored(id: string): Promise<FileRow> {
    const row = await this.#find(id);
    if (!row) throw notFound('file', id);
    return row;
  }
}
