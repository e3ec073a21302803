import { fromBase64Url, type Reference, type Template, toBase64Url } from '@enmesh/protocol';
import { loadTemplateContent } from '@enmesh/transport';
import { z } from 'zod';
import type { AccountContext } from '../account/context.js';
import { referenceForms, referenceOfType } from '../account/file-rows.js';
import { type RelationshipTemplateDTO, type TokenDTO, templateDto } from '../dto/shared-objects.js';
import { notFound, RuntimeError, RuntimeErrorCodes, validate, validateContent } from '../errors.js';
import { TransportEventNames } from '../events/runtime-event.js';
import { TemplateEntity, type TemplateRow } from '../storage/entities.js';
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
import type { TokensService } from './tokens-service.js';

const templateContentTypes = ['RelationshipTemplateContent', 'ArbitraryRelationshipTemplateContent'] as const;

const createInput = z.strictObject({
  content: z.unknown(),
  expiresAt: expiresAtSchema,
  maxNumberOfAllocations: z.number().int().min(1).max(100_000).optional(),
  forIdentity: addressSchema.optional(),
  passwordProtection: passwordProtectionSchema.optional(),
});
const loadInput = z.strictObject({
  reference: referenceSchema,
  password: z.string().min(1).max(200).optional(),
});
const getTemplatesInput = z.strictObject({
  query: z.strictObject({ isOwn: z.boolean().optional(), createdBy: addressSchema.optional() }).optional(),
});
const tokenInput = z.strictObject({
  templateId: idOf('RLT'),
  expiresAt: expiresAtSchema.optional(),
  ephemeral: z.boolean().optional(),
  forIdentity: addressSchema.optional(),
  passwordProtection: passwordProtectionSchema.optional(),
});

/** What a token for a template carries (Enmeshed `TokenContentRelationshipTemplate`). */
const tokenContentSchema = z.object({
  '@type': z.literal('TokenContentRelationshipTemplate'),
  templateId: idOf('RLT'),
  secretKey: z.object({ key: z.string(), alg: z.number() }),
  forIdentity: z.string().optional(),
  passwordProtection: z.object({ passwordType: z.string(), salt: z.string() }).optional(),
});

/**
 * Checks a template's content before it is created (the requests it offers, for `forIdentity` when given).
 * @throws RuntimeError `error.runtime.validation` with the path of the first item that cannot be sent.
 */
export type TemplateContentCheck = (content: unknown, forIdentity: string | undefined) => Promise<void>;

/**
 * The relationship templates of an account (Enmeshed `RelationshipTemplatesFacade`): own ones to hand out
 * (as reference, link or token), and peers' ones loaded to request a relationship from.
 */
export class TemplatesService {
  readonly #context: AccountContext;
  readonly #tokens: TokensService;
  readonly #checkContent: TemplateContentCheck | undefined;

  /**
   * Serves one account; tokens for templates are made with `tokens`; `checkContent` checks the requests a
   * template offers before it is created.
   */
  constructor(context: AccountContext, tokens: TokensService, checkContent?: TemplateContentCheck) {
    this.#context = context;
    this.#tokens = tokens;
    this.#checkContent = checkContent;
  }

  /**
   * Creates a template with `RelationshipTemplateContent` (its requests checked as outgoing requests) or
   * `ArbitraryRelationshipTemplateContent`.
   * @throws RuntimeError `error.runtime.validation`; ProtocolError from the backbone.
   */
  async createOwnRelationshipTemplate(
    input: z.input<typeof createInput>,
    options: CallOptions = {},
  ): Promise<RelationshipTemplateDTO> {
    const parsed = validate(createInput, input);
    const content = validateContent(parsed.content, templateContentTypes, 'content');
    await this.#checkContent?.(content, parsed.forIdentity);
    const context = this.#context;
    const created = await context.transport.createTemplate(
      content,
      {
        expiresAt: new Date(parsed.expiresAt),
        ...(parsed.forIdentity ? { forIdentity: parsed.forIdentity } : {}),
        ...(parsed.maxNumberOfAllocations ? { maxNumberOfAllocations: parsed.maxNumberOfAllocations } : {}),
        ...sharePassword(parsed.passwordProtection),
      },
      options,
    );
    const row = this.#row(created.template, content, true, parsed.passwordProtection, {
      truncatedReference: created.reference,
      url: created.url,
    });
    row.creatorPublicKey = toBase64Url(context.transport.identity.publicKey);
    await context.store.write(({ manager }) => manager.getRepository(TemplateEntity).save(row));
    return templateDto(row);
  }

  /**
   * Loads a peer's template by its reference or by the reference of a token pointing to it, verifies its
   * creator's signature, stores it and announces `transport.peerRelationshipTemplateLoaded`.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.unsupportedReference`; ProtocolError
   *   `error.templates.*` / `error.tokens.*`; TransportError `error.transport.invalidTemplate`,
   *   `error.transport.passwordRequired`.
   */
  async loadPeerRelationshipTemplate(
    input: z.input<typeof loadInput>,
    options: CallOptions = {},
  ): Promise<RelationshipTemplateDTO> {
    const { reference, password } = validate(loadInput, input);
    const context = this.#context;
    const ref = await this.#templateReference(reference, password, options);
    const text = referenceForms(ref).truncatedReference;
    const call = { ...(password === undefined ? {} : { password }), ...options };
    // The transport verifies the template but returns its content only; the backbone's description comes
    // from a second read (allocations are per identity, so it allocates nothing more).
    const verified = await context.transport.loadTemplate(text, call);
    const { template } = await loadTemplateContent(context.transport.session, text, call);
    const protection =
      password === undefined
        ? undefined
        : { password, ...(ref.password?.kind === 'pin' ? { passwordIsPin: true as const } : {}) };
    const row = this.#row(
      template,
      verified.content,
      template.createdBy === context.address,
      protection,
      referenceForms(ref),
    );
    row.creatorPublicKey = verified.raw.identityPublicKey;
    row.verifiedContent = row.isOwn ? null : JSON.stringify(verified.raw);
    return context.store.write(async (tx) => {
      await tx.manager.getRepository(TemplateEntity).save(row);
      const dto = templateDto(row);
      if (!row.isOwn) await tx.emit(context.address, TransportEventNames.peerRelationshipTemplateLoaded, dto);
      return dto;
    });
  }

  /**
   * The account's stored templates, optionally only own or peer ones, or those of one creator.
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getRelationshipTemplates(
    input: z.input<typeof getTemplatesInput> = {},
  ): Promise<RelationshipTemplateDTO[]> {
    const { query = {} } = validate(getTemplatesInput, input);
    const rows = await this.#context.store.manager.getRepository(TemplateEntity).find({
      where: {
        identity: this.#context.address,
        ...(query.isOwn === undefined ? {} : { isOwn: query.isOwn }),
        ...(query.createdBy === undefined ? {} : { createdBy: query.createdBy }),
      },
      order: { createdAt: 'ASC' },
    });
    return rows.map(templateDto);
  }

  /**
   * One stored template.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async getRelationshipTemplate(input: { id: string }): Promise<RelationshipTemplateDTO> {
    const { id } = validate(byId('RLT'), input);
    return templateDto(await this.#stored(id));
  }

  /**
   * Deletes a template: on the backbone when it is this identity's own, and locally.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError from the backbone.
   */
  async deleteRelationshipTemplate(input: { templateId: string }, options: CallOptions = {}): Promise<void> {
    const { templateId } = validate(z.strictObject({ templateId: idOf('RLT') }), input);
    const row = await this.#stored(templateId);
    const { store, address, transport } = this.#context;
    if (row.isOwn) await transport.session.call('deleteTemplate', { id: templateId }, options);
    await store.write(({ manager }) =>
      manager.getRepository(TemplateEntity).delete({ identity: address, id: templateId }),
    );
  }

  /**
   * Creates a token that points to an own template (`TokenContentRelationshipTemplate`), by default until
   * the template expires and for the identity the template is for.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`, `error.runtime.notOwn`.
   */
  async createTokenForOwnRelationshipTemplate(
    input: z.input<typeof tokenInput>,
    options: CallOptions = {},
  ): Promise<TokenDTO> {
    const parsed = validate(tokenInput, input);
    const row = await this.#stored(parsed.templateId);
    if (!row.isOwn) {
      throw new RuntimeError(RuntimeErrorCodes.notOwn, `template ${row.id} is not this identity's own`);
    }
    const ref = referenceOfType(row.truncatedReference, ['template']);
    const forIdentity = parsed.forIdentity ?? row.forIdentity ?? undefined;
    const content = {
      '@type': 'TokenContentRelationshipTemplate',
      templateId: row.id,
      secretKey: { key: toBase64Url(ref.key), alg: 3 },
      ...(ref.forIdentity ? { forIdentity: ref.forIdentity } : {}),
      ...(ref.password
        ? {
            passwordProtection: {
              passwordType: ref.password.kind === 'pin' ? `pin${ref.password.length ?? 4}` : 'pw',
              salt: toBase64Url(ref.password.salt),
            },
          }
        : {}),
    };
    return this.#tokens.createToken(
      content,
      {
        expiresAt: parsed.expiresAt ?? row.expiresAt,
        ephemeral: parsed.ephemeral,
        forIdentity,
        passwordProtection: parsed.passwordProtection,
      },
      options,
    );
  }

  /** The template reference behind a template or token reference. */
  async #templateReference(reference: string, password: string | undefined, options: CallOptions) {
    const ref = referenceOfType(reference, ['template', 'token']);
    if (ref.type === 'template') return ref;
    const token = await this.#tokens.loadToken(reference, password, options);
    const parsed = tokenContentSchema.safeParse(JSON.parse(token.content));
    if (!parsed.success) {
      throw new RuntimeError(
        RuntimeErrorCodes.unsupportedReference,
        'the token does not point to a template',
        {
          faults: [{ path: '$.reference', message: 'must be a template reference or a token for one' }],
        },
      );
    }
    const content = parsed.data;
    const protection = content.passwordProtection;
    const template: Reference = {
      type: 'template',
      id: content.templateId,
      key: fromBase64Url(content.secretKey.key),
      host: token.createdBy.split(':')[2] ?? '',
      ...(content.forIdentity ? { forIdentity: content.forIdentity } : {}),
      ...(protection
        ? {
            password: {
              kind: protection.passwordType === 'pw' ? ('password' as const) : ('pin' as const),
              ...(protection.passwordType === 'pw'
                ? {}
                : { length: Number(protection.passwordType.slice(3)) }),
              salt: fromBase64Url(protection.salt),
            },
          }
        : {}),
    };
    return template;
  }

  #row(
    template: Template,
    content: unknown,
    isOwn: boolean,
    protection: PasswordProtectionInput | undefined,
    forms: { truncatedReference: string; url: string },
  ): TemplateRow {
    return {
      identity: this.#context.address,
      id: template.id,
      isOwn,
      createdBy: template.createdBy,
      createdByDevice: template.createdByDevice,
      createdAt: template.createdAt,
      expiresAt: template.expiresAt,
      maxNumberOfAllocations: template.maxNumberOfAllocations ?? null,
      forIdentity: template.forIdentity ?? null,
      passwordProtection: protection ? JSON.stringify(protection) : null,
      content: JSON.stringify(content),
      creatorPublicKey: null,
      verifiedContent: null,
      ...forms,
    };
  }

  async #stored(id: string): Promise<TemplateRow> {
    const row = await this.#context.store.manager
      .getRepository(TemplateEntity)
      .findOneBy({ identity: this.#context.address, id });
    if (!row) throw notFound('relationship template', id);
    return row;
  }
}
