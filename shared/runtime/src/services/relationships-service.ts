import { type Relationship, RelationshipStatus } from '@enmesh/protocol';
import type { LoadedTemplate } from '@enmesh/transport';
import { z } from 'zod';
import type { AccountContext } from '../account/context.js';
import { findRelationshipRow, removeRelationship, storeRelationship } from '../account/relationship-rows.js';
import { type RelationshipDTO, relationshipDto } from '../dto/relationships.js';
import { notFound, RuntimeError, RuntimeErrorCodes, validate, validateContent } from '../errors.js';
import { RelationshipEntity, TemplateEntity } from '../storage/entities.js';
import { addressSchema, byId, type CallOptions, idOf, matches, oneOrMany } from './inputs.js';

const statusSchema = z.enum(Object.values(RelationshipStatus) as [string, ...string[]]);
const creationContentTypes = ['RelationshipCreationContent', 'ArbitraryRelationshipCreationContent'] as const;

const getRelationshipsInput = z.strictObject({
  query: z
    .strictObject({
      peer: oneOrMany(addressSchema).optional(),
      status: oneOrMany(statusSchema).optional(),
      templateId: oneOrMany(idOf('RLT')).optional(),
    })
    .optional(),
});
const relationshipIdInput = z.strictObject({ relationshipId: idOf('REL') });
const createInput = z.strictObject({ templateId: idOf('RLT'), creationContent: z.unknown() });
const canCreateInput = z.strictObject({ templateId: idOf('RLT'), creationContent: z.unknown().optional() });

/** The answer of `canCreateRelationship` (Enmeshed `CanCreateRelationshipResponse`). */
export type CanCreateRelationshipResult =
  | { readonly isSuccess: true }
  | { readonly isSuccess: false; readonly code: string; readonly message: string };

type Lifecycle =
  | 'acceptRelationship'
  | 'rejectRelationship'
  | 'revokeRelationship'
  | 'terminateRelationship'
  | 'requestReactivation'
  | 'acceptReactivation'
  | 'rejectReactivation'
  | 'revokeReactivation';

/**
 * The relationships of an account (Enmeshed `RelationshipsFacade`): read from local storage, changed on the
 * backbone. Every change is stored at once and announced as `transport.relationshipChanged` when it
 * arrives through the mailbox, so the events of both sides come in the backbone's order.
 */
export class RelationshipsService {
  readonly #context: AccountContext;

  /** Serves one account. */
  constructor(context: AccountContext) {
    this.#context = context;
  }

  /**
   * The account's relationships, optionally filtered by peer, status and template (a list matches any).
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getRelationships(input: z.input<typeof getRelationshipsInput> = {}): Promise<RelationshipDTO[]> {
    const { query = {} } = validate(getRelationshipsInput, input);
    const rows = await this.#context.store.manager
      .getRepository(RelationshipEntity)
      .find({ where: { identity: this.#context.address, removed: false }, order: { id: 'ASC' } });
    return rows
      .filter(
        (row) =>
          matches(query.peer, row.peer) &&
          matches(query.status, row.status) &&
          matches(query.templateId, row.templateId),
      )
      .map((row) => relationshipDto(row));
  }

  /**
   * One relationship by id.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async getRelationship(input: { id: string }): Promise<RelationshipDTO> {
    const { id } = validate(byId('REL'), input);
    return relationshipDto(await this.#row(id));
  }

  /**
   * The relationship with a peer that is not decomposed (the newest when there are several).
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async getRelationshipByAddress(input: { address: string }): Promise<RelationshipDTO> {
    const { address } = validate(z.strictObject({ address: addressSchema }), input);
    const rows = await this.getRelationships({ query: { peer: address } });
    const last = rows.at(-1);
    if (!last) throw notFound('relationship with', address);
    return last;
  }

  /**
   * Tells whether a relationship could be requested from a loaded template with this content, and if not,
   * the code creation would fail with.
   * @throws RuntimeError `error.runtime.validation` for a malformed template id; TransportError.
   */
  async canCreateRelationship(
    input: z.input<typeof canCreateInput>,
    options: CallOptions = {},
  ): Promise<CanCreateRelationshipResult> {
    const { templateId, creationContent } = validate(canCreateInput, input);
    if (creationContent !== undefined) {
      try {
        validateContent(creationContent, creationContentTypes, 'creationContent');
      } catch (error) {
        if (!RuntimeError.isRuntimeError(error)) throw error;
        return { isSuccess: false, code: error.code, message: error.message };
      }
    }
    if (!(await this.#peerTemplate(templateId))) {
      return {
        isSuccess: false,
        code: RuntimeErrorCodes.notFound,
        message: `no loaded peer template ${templateId}`,
      };
    }
    const answer = await this.#context.transport.session.call(
      'canCreateRelationship',
      { templateId },
      options,
    );
    return answer.isSuccess
      ? { isSuccess: true }
      : {
          isSuccess: false,
          code: answer.code ?? 'error.relationships.notAllowed',
          message: answer.message ?? '',
        };
  }

  /**
   * Requests a relationship from a loaded peer template, with content only the templator reads.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound` (template not loaded);
   *   ProtocolError `error.relationships.*` / `error.templates.*` from the backbone.
   */
  async createRelationship(
    input: z.input<typeof createInput>,
    options: CallOptions = {},
  ): Promise<RelationshipDTO> {
    const { templateId, creationContent } = validate(createInput, input);
    const content = validateContent(creationContent, creationContentTypes, 'creationContent');
    const template = await this.#peerTemplate(templateId);
    if (!template) throw notFound('loaded peer template', templateId);
    const context = this.#context;
    context.pendingCreations.set(templateId, content);
    try {
      const relationship = await context.transport.requestRelationship(template, content, options);
      return await this.#store(relationship, content);
    } finally {
      context.pendingCreations.delete(templateId);
    }
  }

  /** Accepts a request made to this identity (templator; Pending → Active). @throws as `#change`. */
  acceptRelationship(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('acceptRelationship', input, options);
  }

  /** Rejects a request made to this identity (Pending → Rejected). @throws as `#change`. */
  rejectRelationship(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('rejectRelationship', input, options);
  }

  /** Withdraws this identity's own request (Pending → Revoked). @throws as `#change`. */
  revokeRelationship(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('revokeRelationship', input, options);
  }

  /** Ends an active relationship (Active → Terminated). @throws as `#change`. */
  terminateRelationship(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('terminateRelationship', input, options);
  }

  /** Asks the peer to reactivate a terminated relationship. @throws as `#change`. */
  requestRelationshipReactivation(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('requestReactivation', input, options);
  }

  /** Accepts the peer's reactivation request (Terminated → Active). @throws as `#change`. */
  acceptRelationshipReactivation(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('acceptReactivation', input, options);
  }

  /** Rejects the peer's reactivation request. @throws as `#change`. */
  rejectRelationshipReactivation(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('rejectReactivation', input, options);
  }

  /** Withdraws this identity's reactivation request. @throws as `#change`. */
  revokeRelationshipReactivation(input: { relationshipId: string }, options?: CallOptions) {
    return this.#change('revokeReactivation', input, options);
  }

  /**
   * Decomposes a finished relationship: gone for this identity at once (the peer sees DeletionProposed);
   * announced as `transport.relationshipDecomposedBySelf`.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError
   *   `error.relationships.wrongStatus`.
   */
  async decomposeRelationship(input: { relationshipId: string }, options: CallOptions = {}): Promise<void> {
    const { relationshipId } = validate(relationshipIdInput, input);
    await this.#row(relationshipId);
    await this.#context.transport.decompose(relationshipId, options);
    const { store, address } = this.#context;
    await store.write(({ manager }) => removeRelationship(manager, address, relationshipId, store.now()));
  }

  /**
   * Runs one lifecycle step on the backbone and stores the result.
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`; ProtocolError
   *   `error.relationships.wrongStatus` / `notAllowed` / `reactivation…` from the backbone.
   */
  async #change(operation: Lifecycle, input: { relationshipId: string }, options: CallOptions = {}) {
    const { relationshipId } = validate(relationshipIdInput, input);
    await this.#row(relationshipId);
    const relationship = await this.#context.transport.change(operation, relationshipId, options);
    return this.#store(relationship);
  }

  async #store(relationship: Relationship, creationContent?: unknown): Promise<RelationshipDTO> {
    const { store, keys, transport } = this.#context;
    await keys.save(transport);
    const row = await store.write(({ manager }) =>
      storeRelationship(manager, this.#context, relationship, {
        ...(creationContent === undefined ? {} : { creationContent }),
        now: store.now(),
      }),
    );
    return relationshipDto(row);
  }

  async #row(id: string) {
    const row = await findRelationshipRow(this.#context.store.manager, this.#context.address, id);
    if (!row || row.removed) throw notFound('relationship', id);
    return row;
  }

  async #peerTemplate(templateId: string): Promise<LoadedTemplate | undefined> {
    const row = await this.#context.store.manager
      .getRepository(TemplateEntity)
      .findOneBy({ identity: this.#context.address, id: templateId, isOwn: false });
    if (!row || row.verifiedContent === null) return undefined;
    const raw = JSON.parse(row.verifiedContent) as LoadedTemplate['raw'];
    return { id: row.id, createdBy: row.createdBy, content: raw.content, raw };
  }
}
