import type { LocalRequest, ValidationResult } from '@enmesh/consumption';
import { decideRequestParametersSchema, type Request } from '@enmesh/content';
import { z } from 'zod';
import type { ConsumptionBridge } from '../account/consumption-bridge.js';
import { validate, validateContent } from '../errors.js';
import { addressSchema, idOf } from './inputs.js';
import { checkQuery, matchesQuery, type Query, querySchema } from './query-filter.js';

const commonKeys = [
  'id',
  'peer',
  'createdAt',
  'status',
  'content.expiresAt',
  'content.items.@type',
  'content.items.items.@type',
  'source.type',
  'source.reference',
  'response.createdAt',
  'response.source.type',
  'response.source.reference',
  'response.content.result',
  'response.content.items.@type',
  'response.content.items.items.@type',
];
const incomingListInput = z.strictObject({
  query: querySchema([...commonKeys, 'wasAutomaticallyDecided']).optional(),
});
const outgoingListInput = z.strictObject({ query: querySchema(commonKeys).optional() });
const byId = z.strictObject({ id: idOf('REQ') });
const createInput = z.strictObject({ content: z.record(z.string(), z.unknown()), peer: addressSchema });
const canCreateInput = z.strictObject({
  content: z.record(z.string(), z.unknown()),
  peer: addressSchema.optional(),
});

function list(requests: readonly LocalRequest[], query: Query): LocalRequest[] {
  checkQuery(query);
  return requests.filter((request) => matchesQuery(request, query));
}

/** A Request's content as given to a use case (`@type` may be left out). */
function requestContent(content: Record<string, unknown>): Request {
  return validateContent({ '@type': 'Request', ...content }, ['Request'], 'content');
}

/**
 * The requests an account received (Enmeshed `IncomingRequestsFacade`): listed, checked and decided. A
 * decision is answered by the runtime's request module: by message, or with a new relationship when the
 * request came with a template.
 */
export class IncomingRequestsService {
  readonly #bridge: ConsumptionBridge;

  /** Serves one account. */
  constructor(bridge: ConsumptionBridge) {
    this.#bridge = bridge;
  }

  /**
   * The incoming requests matching the Connector's query filters, oldest first (expired ones marked so).
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getRequests(input: z.input<typeof incomingListInput> = {}): Promise<LocalRequest[]> {
    const { query = {} } = validate(incomingListInput, input);
    return list(await this.#bridge.write((c) => c.incomingRequests.getAll()), query as Query);
  }

  /**
   * One incoming request.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getRequest(input: z.input<typeof byId>): Promise<LocalRequest> {
    const { id } = validate(byId, input);
    return this.#bridge.write((c) => c.incomingRequests.get(id));
  }

  /**
   * Checks accepting a request with these item decisions; the result has the request's shape.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `recordNotFound`, `wrongStatus`,
   *   `expired`.
   */
  async canAccept(input: z.input<typeof decideRequestParametersSchema>): Promise<ValidationResult> {
    const params = validate(decideRequestParametersSchema, input);
    return this.#bridge.write((c) => c.incomingRequests.canAccept(params));
  }

  /**
   * Accepts a request: Decided, the response then goes out.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `recordNotFound`, `wrongStatus`,
   *   `expired`, and the first failed item check's code (`invalidAcceptParameters`,
   *   `attributeQueryMismatch`, …); nothing changes then.
   */
  async accept(input: z.input<typeof decideRequestParametersSchema>): Promise<LocalRequest> {
    const params = validate(decideRequestParametersSchema, input);
    return this.#bridge.write((c) => c.incomingRequests.accept(params));
  }

  /**
   * Checks rejecting a request with these item decisions.
   * @throws as `canAccept`.
   */
  async canReject(input: z.input<typeof decideRequestParametersSchema>): Promise<ValidationResult> {
    const params = validate(decideRequestParametersSchema, input);
    return this.#bridge.write((c) => c.incomingRequests.canReject(params));
  }

  /**
   * Rejects a request: Decided, the response then goes out.
   * @throws as `accept`.
   */
  async reject(input: z.input<typeof decideRequestParametersSchema>): Promise<LocalRequest> {
    const params = validate(decideRequestParametersSchema, input);
    return this.#bridge.write((c) => c.incomingRequests.reject(params));
  }
}

/**
 * The requests an account sends (Enmeshed `OutgoingRequestsFacade`): created as Draft, sent as message
 * content (`Open` once the runtime saw it sent), completed when the peer's response comes back.
 */
export class OutgoingRequestsService {
  readonly #bridge: ConsumptionBridge;

  /** Serves one account. */
  constructor(bridge: ConsumptionBridge) {
    this.#bridge = bridge;
  }

  /**
   * Checks a request before it is created (for `peer`, or for a template when absent).
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `cannotShareRequestWithYourself`.
   */
  async canCreate(input: z.input<typeof canCreateInput>): Promise<ValidationResult> {
    const { content, peer } = validate(canCreateInput, input);
    const request = requestContent(content);
    return this.#bridge.write((c) =>
      c.outgoingRequests.canCreate({ content: request, ...(peer ? { peer } : {}) }),
    );
  }

  /**
   * Creates a request for a peer as Draft; send its `content` as a message to make it Open.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `cannotShareRequestWithYourself`,
   *   `expired`, and the first failed item check's code.
   */
  async create(input: z.input<typeof createInput>): Promise<LocalRequest> {
    const { content, peer } = validate(createInput, input);
    const request = requestContent(content);
    return this.#bridge.write((c) => c.outgoingRequests.create({ content: request, peer }));
  }

  /**
   * The outgoing requests matching the Connector's query filters, oldest first.
   * @throws RuntimeError `error.runtime.validation`.
   */
  async getRequests(input: z.input<typeof outgoingListInput> = {}): Promise<LocalRequest[]> {
    const { query = {} } = validate(outgoingListInput, input);
    return list(await this.#bridge.write((c) => c.outgoingRequests.getAll()), query as Query);
  }

  /**
   * One outgoing request.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getRequest(input: z.input<typeof byId>): Promise<LocalRequest> {
    const { id } = validate(byId, input);
    return this.#bridge.write((c) => c.outgoingRequests.get(id));
  }

  /**
   * Deletes a Draft that was never sent.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `recordNotFound`, `wrongStatus`.
   */
  async discard(input: z.input<typeof byId>): Promise<void> {
    const { id } = validate(byId, input);
    await this.#bridge.write((c) => c.outgoingRequests.discard(id));
  }
}
