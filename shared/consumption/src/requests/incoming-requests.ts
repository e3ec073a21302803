/**
 * Incoming requests: received → Open → DecisionRequired → (ManualDecisionRequired →) Decided → Completed,
 * and Expired once `expiresAt` has passed. Accepting or rejecting checks every item with its processor
 * first and changes nothing when any check fails.
 */
import {
  type DecideRequestItemParameters,
  type Request,
  type Response,
  type ResponseItem,
  type ResponseItemGroup,
  requestSchema,
} from '@enmesh/content';
import { type ConsumptionContext, runInTransaction, type Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';
import { checkContent, throwIfFailed, type ValidationResult } from '../validation.js';
import { type DecisionItems, pairItems, validateDecision } from './decision.js';
import type { AcceptItemParameters, RejectItemParameters } from './item-processor.js';
import {
  isExpiredAt,
  type LocalRequest,
  type LocalRequestSource,
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

/** A decision on an incoming request. */
export interface DecideRequestParams {
  requestId: string;
  items: DecisionItems;
}

/** Who decided: a person (any label the caller uses) or the decider module. */
export interface DecisionOptions {
  decider?: string;
  automatic?: boolean;
}

const undecided = [LocalRequestStatus.DecisionRequired, LocalRequestStatus.ManualDecisionRequired];
const final = [LocalRequestStatus.Completed, LocalRequestStatus.Expired, LocalRequestStatus.Decided];

/** Moves a request whose `expiresAt` has passed to Expired (unless decided or final); tells whether it did. */
export async function expireIfDue(tx: Tx, request: LocalRequest): Promise<boolean> {
  if (final.includes(request.status as (typeof final)[number]) || !isExpiredAt(request, tx.clock()))
    return false;
  await changeStatus(tx, request, LocalRequestStatus.Expired);
  return true;
}

/**
 * Loads an undecided incoming request for a decision.
 * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`, `expired`
 */
export async function requestToDecide(tx: Tx, requestId: string): Promise<LocalRequest> {
  const request = await getRequest(tx, requestId, false);
  requireStatus(request, undecided);
  if (isExpiredAt(request, tx.clock())) {
    throw new ConsumptionError(ConsumptionErrorCodes.expired, `the request ${requestId} has expired`, {
      details: { id: requestId },
    });
  }
  return request;
}

/**
 * Accepts or rejects an incoming request: checks every item, has each processor accept or reject its item,
 * stores the response and moves the request to Decided.
 * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`, `expired`, and the first failed check's code
 *   (`invalidAcceptParameters`, `attributeQueryMismatch`, `mustBeAcceptedItemNotAccepted`, …)
 */
export async function decideIncomingRequest(
  tx: Tx,
  processors: ProcessorRegistry,
  params: DecideRequestParams,
  acceptRequest: boolean,
  options: DecisionOptions = {},
): Promise<LocalRequest> {
  const request = await requestToDecide(tx, params.requestId);
  throwIfFailed(await validateDecision(tx, processors, request, params.items, acceptRequest));
  const paired = pairItems(request, params.items);
  if (!('pairs' in paired))
    throw new ConsumptionError(ConsumptionErrorCodes.invalidNumberOfItems, 'bad shape');
  const answers: ResponseItem[] = [];
  for (const { item, decision } of paired.pairs) {
    const processor = processorFor(processors, item);
    answers.push(
      decision.accept
        ? await processor.accept(tx, item, decision as AcceptItemParameters, request)
        : await processor.reject(tx, item, decision as RejectItemParameters, request),
    );
  }
  const items: (ResponseItem | ResponseItemGroup)[] = [];
  let next = 0;
  for (const entry of request.content.items) {
    if (entry['@type'] === 'RequestItemGroup') {
      items.push({ '@type': 'ResponseItemGroup', items: answers.slice(next, next + entry.items.length) });
      next += entry.items.length;
    } else {
      items.push(answers[next++]!);
    }
  }
  const response: Response = {
    '@type': 'Response',
    result: acceptRequest ? 'Accepted' : 'Rejected',
    requestId: request.id,
    items,
  };
  request.response = { createdAt: tx.now(), content: response };
  if (options.automatic === true) request.wasAutomaticallyDecided = true;
  if (options.decider !== undefined) request.decider = options.decider;
  await changeStatus(tx, request, LocalRequestStatus.Decided);
  return request;
}

/** Incoming request use cases, each in one transaction. */
export class IncomingRequestsController {
  readonly #context: ConsumptionContext;
  readonly #processors: ProcessorRegistry;

  /** Creates the controller; `processors` replaces built-in item processors. */
  constructor(context: ConsumptionContext, processors: Partial<ProcessorRegistry> = {}) {
    this.#context = context;
    this.#processors = { ...defaultProcessors, ...processors };
  }

  /** The processors in use. */
  get processors(): ProcessorRegistry {
    return this.#processors;
  }

  /**
   * Records a request received from `peer` (its id is the request's id, or a new one for a template's
   * request without one) as Open.
   * @throws {ConsumptionError} `invalidContent`; `recordAlreadyExists`; `cannotShareRequestWithYourself`
   */
  received(params: { content: Request; peer: string; source: LocalRequestSource }): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const content = checkContent(requestSchema, params.content, 'Request');
      if (params.peer === tx.address) {
        throw new ConsumptionError(
          ConsumptionErrorCodes.cannotShareRequestWithYourself,
          'a request from oneself',
        );
      }
      const request: LocalRequest = {
        id: content.id ?? tx.newId('REQ'),
        isOwn: false,
        peer: params.peer,
        createdAt: tx.now(),
        status: LocalRequestStatus.Open,
        content,
        source: { ...params.source },
      };
      await insertRequest(tx, request);
      tx.emit('consumption.incomingRequestReceived', { request });
      return request;
    });
  }

  /**
   * Checks the prerequisites of every item: Open → DecisionRequired (or Expired); stays Open when an item's
   * prerequisites are not met.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
   */
  checkPrerequisites(requestId: string): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, requestId, false);
      requireStatus(request, [LocalRequestStatus.Open]);
      if (await expireIfDue(tx, request)) return request;
      const paired = pairItems(request, itemsOf(request));
      for (const { item } of 'pairs' in paired ? paired.pairs : []) {
        if (!(await processorFor(this.#processors, item).checkPrerequisitesOfIncoming(tx, item, request))) {
          return request;
        }
      }
      await changeStatus(tx, request, LocalRequestStatus.DecisionRequired);
      return request;
    });
  }

  /**
   * DecisionRequired → ManualDecisionRequired.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
   */
  requireManualDecision(requestId: string): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, requestId, false);
      requireStatus(request, [LocalRequestStatus.DecisionRequired]);
      await changeStatus(tx, request, LocalRequestStatus.ManualDecisionRequired);
      return request;
    });
  }

  /**
   * Checks accepting a request with these item decisions; the result has the request's shape.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`, `expired`
   */
  canAccept(params: DecideRequestParams): Promise<ValidationResult> {
    return this.#check(params, true);
  }

  /**
   * Checks rejecting a request; the result has the request's shape.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`, `expired`
   */
  canReject(params: DecideRequestParams): Promise<ValidationResult> {
    return this.#check(params, false);
  }

  /**
   * Accepts a request (items as decided): DecisionRequired | ManualDecisionRequired → Decided.
   * @throws {ConsumptionError} as `decideIncomingRequest`; nothing changes then
   */
  accept(params: DecideRequestParams, options: DecisionOptions = {}): Promise<LocalRequest> {
    return runInTransaction(this.#context, (tx) =>
      decideIncomingRequest(tx, this.#processors, params, true, options),
    );
  }

  /**
   * Rejects a request (every item rejected): DecisionRequired | ManualDecisionRequired → Decided.
   * @throws {ConsumptionError} as `decideIncomingRequest`; nothing changes then
   */
  reject(params: DecideRequestParams, options: DecisionOptions = {}): Promise<LocalRequest> {
    return runInTransaction(this.#context, (tx) =>
      decideIncomingRequest(tx, this.#processors, params, false, options),
    );
  }

  /**
   * Decided → Completed, once the response went out (by message or with a new relationship).
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
   */
  complete(params: { requestId: string; responseSource?: LocalResponseSource }): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, params.requestId, false);
      requireStatus(request, [LocalRequestStatus.Decided]);
      if (request.response !== undefined && params.responseSource !== undefined) {
        request.response.source = { ...params.responseSource };
        await saveRequest(tx, request);
      }
      await changeStatus(tx, request, LocalRequestStatus.Completed);
      return request;
    });
  }

  /**
   * The incoming request with this id (Expired once its time has passed).
   * @throws {ConsumptionError} `recordNotFound`
   */
  get(requestId: string): Promise<LocalRequest> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, requestId, false);
      await expireIfDue(tx, request);
      return request;
    });
  }

  /** The incoming requests matching a filter, oldest first (expired ones marked so). */
  getAll(filter: RequestFilter = {}): Promise<LocalRequest[]> {
    return runInTransaction(this.#context, async (tx) => {
      const requests = await findRequests(tx, false, filter);
      for (const request of requests) await expireIfDue(tx, request);
      return requests;
    });
  }

  /**
   * Deletes an expired incoming request.
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
   */
  delete(requestId: string): Promise<void> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await getRequest(tx, requestId, false);
      await expireIfDue(tx, request);
      requireStatus(request, [LocalRequestStatus.Expired]);
      await removeRequest(tx, requestId);
    });
  }

  #check(params: DecideRequestParams, acceptRequest: boolean): Promise<ValidationResult> {
    return runInTransaction(this.#context, async (tx) => {
      const request = await requestToDecide(tx, params.requestId);
      return validateDecision(tx, this.#processors, request, params.items, acceptRequest);
    });
  }
}

function itemsOf(
  request: LocalRequest,
): DecideRequestItemParameters[] | { items: DecideRequestItemParameters[] }[] {
  return request.content.items.map((entry) =>
    entry['@type'] === 'RequestItemGroup'
      ? { items: entry.items.map(() => ({ accept: true }) as const) }
      : { accept: true },
  ) as DecideRequestItemParameters[];
}
