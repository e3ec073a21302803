/**
 * Outgoing requests: create → Draft → sent → Open → complete (the peer's response applied item by item)
 * → Completed; Expired once `expiresAt` has passed (a late response still completes it). A request sent
 * with a relationship template is created and completed at once when the response arrives.
 */
import {
  type Request,
  type RequestItem,
  type Response,
  type ResponseItem,
  requestSchema,
  responseMatchesRequest,
  responseSchema,
} from '@enmesh/content';
import { type ConsumptionContext, runInTransaction, type Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';
import { checkContent, combine, failure, throwIfFailed, type ValidationResult } from '../validation.js';
import {
  isExpiredAt,
  type LocalRequest,
  LocalRequestStatus,
  type LocalResponseSource,
} from './local-request.js';
import { defaultProcessors, type ProcessorRegistry, processorFor } from './processors.js';
import {
  changeStatus,
  findRequests,
  getRequest,
  insertRequest,
  type RequestFilter,
  removeRequest,
  requireStatus,
  saveRequest,
} from './request-store.js';

/** Pairs of request items and response items, in order (groups flattened). */
function pairResponse(request: Request, response: Response): { item: RequestItem; answer: ResponseItem }[] {
  const pairs: { item: RequestItem; answer: ResponseItem }[] = [];
  request.items.forEach((entry, index) => {
    const answer = response.items[index]!;
    if (entry['@type'] === 'RequestItemGroup' && answer['@type'] === 'ResponseItemGroup') {
      entry.items.forEach((item, i) => {
        pairs.push({ item, answer: answer.items[i]! });
      });
    } else if (entry['@type'] !== 'RequestItemGroup' && answer['@type'] !== 'ResponseItemGroup') {
      pairs.push({ item: entry, answer });
    }
  });
  return pairs;
}

/**
 * Checks a response against its request and applies every response item with its processor.
 * @throws {ConsumptionError} `invalidContent`, `responseDoesNotMatchRequest`, and the first failed item
 *   check's code (`invalidResponseItem`, `attributeQueryMismatch`, …)
 */
export async function applyResponse(
  tx: Tx,
  processors: ProcessorRegistry,
  request: LocalRequest,
  json: Response,
): Promise<Response> {
  const response = checkContent(responseSchema, json, 'Response');
  if (response.requestId !== request.id || !responseMatchesRequest(request.content, response)) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.responseDoesNotMatchRequest,
      `the response does not answer the request ${request.id}`,
    );
  }
  const pairs = pairResponse(request.content, response);
  const checks: ValidationResult[] = [];
  for (const { item, answer } of pairs) {
    checks.push(await processorFor(processors, item).canApplyIncomingResponseItem(tx, answer, item, request));
  }
  throwIfFailed(combine(checks));
  for (const { item, answer } of pairs) {
    await processorFor(processors, item).applyIncomingResponseItem(tx, answer, item, request);
  }
  return response;
}

/** Outgoing request use cases, each in one transaction. */
export class OutgoingRequestsController {
  readonly #context: ConsumptionContext;
  readonly #processors: ProcessorRegistry;

  /** Creates the controller; `processors` replaces built-in item processors. */
  constructor(context: ConsumptionContext, processors: Partial<ProcessorRegistry> = {}) {
    this.#context = context;
    this.#processors = { ...defaultProcessors, ...processors };
  }

  /**
   * Checks a request before it is created for `peer` (unknown for a template); the result has the
   * request's shape.
   * @throws {ConsumptionError} `invalidContent` when the request is not a valid Request
   */
  canCreate(params: { content: Request; peer?: string }): Promise<ValidationResult> {
    return runInTransaction(this.#context, (tx) => this.#canCreate(tx, params.content, params.peer));
  }

  /**
   * Creates an outgoing request for `peer` as a Draft, its content carrying the new request id.
   * @throws {ConsumptionError} `invalidContent`, `cannotShareRequestWithYourself`, and the first failed
   *   item check's code (`invalidRequestItem`, …)
   */
  create(params: { content: Request; peer: string }): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      throwIfFailed(await this.#canCreate(tx, params.content, params.peer));
      const id = tx.newId('REQ');
      const request: LocalRequest = {
        id,
        isOwn: true,
        peer: params.peer,
        createdAt: tx.now(),
        status: LocalRequestStatus.Draft,
        content: { ...params.content, id },
      };
      await insertRequest(tx, request);
      tx.emit('consumption.outgoingRequestCreated', request);
      return request;
    });
  }

  /**
   * Draft → Open, once the request went out with a message.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
   */
  sent(params: { requestId: string; messageId: string }): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, params.requestId, true);
      requireStatus(request, [LocalRequestStatus.Draft]);
      request.source = { type: 'Message', reference: params.messageId };
      await saveRequest(tx, request);
      for (const entry of request.content.items) {
        const items = entry['@type'] === 'RequestItemGroup' ? entry.items : [entry];
        for (const item of items) await processorFor(this.#processors, item).onSent(tx, item, request);
      }
      await changeStatus(tx, request, LocalRequestStatus.Open);
      return request;
    });
  }

  /**
   * Open | Expired → Completed with the peer's response, applying every response item.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`, and the errors of `applyResponse`;
   *   nothing changes then
   */
  complete(params: {
    requestId: string;
    response: Response;
    responseSource: LocalResponseSource;
  }): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, params.requestId, true);
      requireStatus(request, [LocalRequestStatus.Open, LocalRequestStatus.Expired]);
      const content = await applyResponse(tx, this.#processors, request, params.response);
      request.response = { createdAt: tx.now(), content, source: { ...params.responseSource } };
      await changeStatus(tx, request, LocalRequestStatus.Completed);
      return request;
    });
  }

  /**
   * Records and completes at once a request that went out with a relationship template, when the
   * response comes back (with the new relationship, or by message for an existing one).
   * @throws {ConsumptionError} `invalidContent`, `recordAlreadyExists` and the errors of `applyResponse`
   */
  createAndCompleteFromRelationshipTemplateResponse(params: {
    templateId: string;
    content: Request;
    peer: string;
    response: Response;
    responseSource: LocalResponseSource;
  }): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const parsed = checkContent(requestSchema, params.content, 'Request');
      const now = tx.now();
      const request: LocalRequest = {
        id: params.response.requestId,
        isOwn: true,
        peer: params.peer,
        createdAt: now,
        status: LocalRequestStatus.Completed,
        content: { ...parsed, id: params.response.requestId },
        source: { type: 'RelationshipTemplate', reference: params.templateId },
      };
      const content = await applyResponse(tx, this.#processors, request, params.response);
      request.response = { createdAt: now, content, source: { ...params.responseSource } };
      await insertRequest(tx, request);
      tx.emit(
        params.responseSource.type === 'Relationship'
          ? 'consumption.outgoingRequestFromRelationshipCreationCreatedAndCompleted'
          : 'consumption.outgoingRequestCreatedAndCompleted',
        request,
      );
      return request;
    });
  }

  /**
   * Deletes a Draft that was never sent.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
   */
  discard(requestId: string): Promise<void> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, requestId, true);
      requireStatus(request, [LocalRequestStatus.Draft]);
      await removeRequest(tx, requestId);
    });
  }

  /**
   * The outgoing request with this id (Expired once its time has passed without a response).
   * @throws {ConsumptionError} `recordNotFound`
   */
  get(requestId: string): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, requestId, true);
      await this.#expireIfDue(tx, request);
      return request;
    });
  }

  /** The outgoing requests matching a filter, oldest first. */
  getAll(filter: RequestFilter = {}): Promise<LocalRequest[]> {
    return runInTransaction(this.#context, async (tx) => {
      const requests = await findRequests(tx, true, filter);
      for (const request of requests) await this.#expireIfDue(tx, request);
      return requests;
    });
  }

  async #expireIfDue(tx: Tx, request: LocalRequest): Promise<void> {
    if (request.status === LocalRequestStatus.Open && isExpiredAt(request, tx.clock())) {
      await changeStatus(tx, request, LocalRequestStatus.Expired);
    }
  }

  async #canCreate(tx: Tx, json: Request, peer: string | undefined): Promise<ValidationResult> {
    const content = checkContent(requestSchema, json, 'Request');
    if (peer === tx.address) {
      throw new ConsumptionError(
        ConsumptionErrorCodes.cannotShareRequestWithYourself,
        'a request to oneself',
      );
    }
    if (isExpiredAt({ content }, tx.clock())) {
      return failure(ConsumptionErrorCodes.expired, 'the request would expire before it is sent');
    }
    const results: ValidationResult[] = [];
    for (const entry of content.items) {
      const items = entry['@type'] === 'RequestItemGroup' ? entry.items : [entry];
      const checks: ValidationResult[] = [];
      for (const item of items) {
        checks.push(await processorFor(this.#processors, item).canCreateOutgoing(tx, item, content, peer));
      }
      results.push(entry['@type'] === 'RequestItemGroup' ? combine(checks) : checks[0]!);
    }
    return combine(results);
  }
}
