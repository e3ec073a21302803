import type { Token } from '@enmesh/protocol';
import { z } from 'zod';
import type { AccountContext } from '../account/context.js';
import { referenceForms, referenceOfType } from '../account/file-rows.js';
import { type TokenDTO, tokenDto } from '../dto/shared-objects.js';
import { notFound, RuntimeError, RuntimeErrorCodes, validate } from '../errors.js';
import { TokenEntity, type TokenRow } from '../storage/entities.js';
import {
  addressSchema,
  byId,
  type CallOptions,
  expiresAtSchema,
  idOf,
  type PasswordProtectionInput,
  passwordProtectionSchema,
  referenceSchema,
  sharePassword,
} from './inputs.js';

const tokenContentSchema = z.record(z.string(), z.json());

const createInput = z.strictObject({
  content: tokenContentSchema,
  expiresAt: expiresAtSchema,
  ephemeral: z.boolean().optional(),
  forIdentity: addressSchema.optional(),
  passwordProtection: passwordProtectionSchema.optional(),
});
const loadInput = z.strictObject({
  reference: referenceSchema,
  ephemeral: z.boolean().optional(),
  password: z.string().min(1).max(200).optional(),
});
const getTokensInput = z.strictObject({
  query: z.strictObject({ isOwn: z.boolean().optional(), createdBy: addressSchema.optional() }).optional(),
});

/** What creating a token needs besides its content. */
export interface TokenOptions {
  readonly expiresAt: string;
  readonly ephemeral?: boolean | undefined;
  readonly forIdentity?: string | undefined;
  readonly passwordProtection?: PasswordProtectionInput | undefined;
}

/**
 * The tokens of an account (Enmeshed `TokensFacade`): JSON sealed on this device and stored on the
 * backbone; whoever holds the reference (and the password, when set) can load it.
 */
export class TokensService {
  readonly #context: AccountContext;

  /** Serves one account. */
  constructor(context: AccountContext) {
    this.#context = context;
  }

  /**
   * Creates a token with JSON content; stored locally unless `ephemeral`.
   * @throws RuntimeError `error.runtime.validation`; ProtocolError from the backbone (`invalidExpiry`, quotas).
   */
  async createOwnToken(input: z.input<typeof createInput>, options: CallOptions = {}): Promise<TokenDTO> {
    const { content, ...rest } = validate(createInput, input);
    return this.createToken(content, rest, options);
  }

  /**
   * Creates a token with already checked content (templates and files hand theirs out this way).
   * @throws ProtocolError from the backbone.
   */
  async createToken(content: unknown, options: TokenOptions, call: CallOptions = {}): Promise<TokenDTO> {
    const context = this.#context;
    const created = await context.transport.createToken(
      content,
      {
        expiresAt: new Date(options.expiresAt),
        ...(options.forIdentity ? { forIdentity: options.forIdentity } : {}),
        ...sharePassword(options.passwordProtection),
      },
      call,
    );
    const row = this.#row(created.token, content, true, options.passwordProtection, {
      truncatedReference: created.reference,
      url: created.url,
    });
    return this.#keep(row, options.ephemeral ?? false);
  }

  /**
   * Loads a peer's (or an own) token by reference; stored locally unless `ephemeral`.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.unsupportedReference`; TransportError
   *   `error.transport.passwordRequired`; ProtocolError `error.tokens.*`; CryptoError for a reference whose
   *   key does not open the token.
   */
  async loadPeerToken(input: z.input<typeof loadInput>, options: CallOptions = {}): Promise<TokenDTO> {
    const { reference, ephemeral, password } = validate(loadInput, input);
    const loaded = await this.loadToken(reference, password, options);
    return this.#keep(loaded, ephemeral ?? false);
  }

  /**
   * Loads a token by reference without storing it: its row as it would be stored.
   * @throws as `loadPeerToken`.
   */
  async loadToken(reference: string, password: string | undefined, options: CallOptions = {}) {
    const ref = referenceOfType(reference, ['token']);
    const loaded = await this.#context.transport.loadToken(reference, {
      ...(password === undefined ? {} : { password }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const protection: PasswordProtectionInput | undefined =
      password === undefined
        ? undefined
        : { password, ...(ref.password?.kind === 'pin' ? { passwordIsPin: true as const } : {}) };
    return this.#row(loaded.token, loaded.content ?? {}, false, protection, referenceForms(ref));
  }

  /**
   * The account's stored tokens, optionally only own or peer ones, or those of one creator.
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getTokens(input: z.input<typeof getTokensInput> = {}): Promise<TokenDTO[]> {
    const { query = {} } = validate(getTokensInput, input);
    const rows = await this.#context.store.manager.getRepository(TokenEntity).find({
      where: {
        identity: this.#context.address,
        ...(query.isOwn === undefined ? {} : { isOwn: query.isOwn }),
        ...(query.createdBy === undefined ? {} : { createdBy: query.createdBy }),
      },
      order: { createdAt: 'ASC' },
    });
    return rows.map((row) => tokenDto(row));
  }

  /**
   * One stored token.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async getToken(input: { id: string }): Promise<TokenDTO> {
    const { id } = validate(byId('TOK'), input);
    const row = await this.#context.store.manager
      .getRepository(TokenEntity)
      .findOneBy({ identity: this.#context.address, id });
    if (!row) throw notFound('token', id);
    return tokenDto(row);
  }

  /**
   * Deletes a token: on the backbone when it is this identity's own, and locally.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError from the backbone.
   */
  async deleteToken(input: { tokenId: string }, options: CallOptions = {}): Promise<void> {
    const { tokenId } = validate(z.strictObject({ tokenId: idOf('TOK') }), input);
    const { store, address, transport } = this.#context;
    const row = await store.manager.getRepository(TokenEntity).findOneBy({ identity: address, id: tokenId });
    if (!row) throw notFound('token', tokenId);
    if (row.isOwn) await transport.session.call('deleteToken', { id: tokenId }, options);
    await store.write(({ manager }) =>
      manager.getRepository(TokenEntity).delete({ identity: address, id: tokenId }),
    );
  }

  #row(
    token: Token,
    content: unknown,
    created: boolean,
    protection: PasswordProtectionInput | undefined,
    forms: { truncatedReference: string; url: string },
  ): TokenRow {
    const own = this.#context.address;
    if (typeof content !== 'object' || content === null) {
      throw new RuntimeError(RuntimeErrorCodes.wrongState, 'the token holds no JSON object');
    }
    return {
      identity: own,
      id: token.id,
      isOwn: created || token.createdBy === own,
      createdBy: token.createdBy ?? (created ? own : ''),
      createdByDevice: token.createdByDevice ?? (created ? this.#context.deviceId : ''),
      createdAt: token.createdAt,
      expiresAt: token.expiresAt,
      forIdentity: token.forIdentity ?? null,
      passwordProtection: protection ? JSON.stringify(protection) : null,
      content: JSON.stringify(content),
      ...forms,
    };
  }

  async #keep(row: TokenRow, ephemeral: boolean): Promise<TokenDTO> {
    if (!ephemeral) {
      await this.#context.store.write(({ manager }) => manager.getRepository(TokenEntity).save(row));
    }
    return tokenDto(row, ephemeral);
  }
}
