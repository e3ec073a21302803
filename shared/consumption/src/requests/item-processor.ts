/**
 * What a request item processor does for one request item type, on both sides: the sender checks an
 * item before sending it and applies the peer's response item; the recipient checks prerequisites,
 * checks and carries out an accept or a reject and builds the response item.
 */
import type { DecideRequestItemParameters, Request, RequestItem, ResponseItem } from '@enmesh/content';
import type { Tx } from '../context.js';
import { ConsumptionErrorCodes } from '../errors.js';
import { failure, success, type ValidationResult } from '../validation.js';
import type { LocalRequest } from './local-request.js';

/** The parameters of an accepted item. */
export type AcceptItemParameters = Extract<DecideRequestItemParameters, { accept: true }>;
/** The parameters of a rejected item. */
export type RejectItemParameters = Extract<DecideRequestItemParameters, { accept: false }>;

/** The processor of one request item type. */
export interface RequestItemProcessor<I extends RequestItem = RequestItem> {
  /** The accept response items a recipient may answer this item with. */
  readonly acceptResponseTypes: readonly ResponseItem['@type'][];
  /** Sender: checks an item before it is sent to `peer` (unknown for templates). */
  canCreateOutgoing(tx: Tx, item: I, request: Request, peer: string | undefined): Promise<ValidationResult>;
  /** Sender: called when the request went out (e.g. to note a deletion request as sent). */
  onSent(tx: Tx, item: I, request: LocalRequest): Promise<void>;
  /** Recipient: whether the item can be decided on at all. */
  checkPrerequisitesOfIncoming(tx: Tx, item: I, request: LocalRequest): Promise<boolean>;
  /** Recipient: checks accepting the item with these (shape-checked) parameters. */
  canAccept(tx: Tx, item: I, params: AcceptItemParameters, request: LocalRequest): Promise<ValidationResult>;
  /** Recipient: accepts the item (creating or sharing attributes) and returns the response item. */
  accept(tx: Tx, item: I, params: AcceptItemParameters, request: LocalRequest): Promise<ResponseItem>;
  /** Recipient: checks rejecting the item. */
  canReject(tx: Tx, item: I, params: RejectItemParameters, request: LocalRequest): Promise<ValidationResult>;
  /** Recipient: rejects the item and returns the response item. */
  reject(tx: Tx, item: I, params: RejectItemParameters, request: LocalRequest): Promise<ResponseItem>;
  /** Sender: checks the peer's response item. */
  canApplyIncomingResponseItem(
    tx: Tx,
    responseItem: ResponseItem,
    item: I,
    request: LocalRequest,
  ): Promise<ValidationResult>;
  /** Sender: applies the peer's response item (creating the peer's attributes, forwarding details…). */
  applyIncomingResponseItem(
    tx: Tx,
    responseItem: ResponseItem,
    item: I,
    request: LocalRequest,
  ): Promise<void>;
}

/** A RejectResponseItem carrying the code and message the recipient gave. */
export function rejectResponseItem(params: RejectItemParameters): ResponseItem {
  const item: ResponseItem = { '@type': 'RejectResponseItem', result: 'Rejected' };
  if (params.code !== undefined) item.code = params.code;
  if (params.message !== undefined) item.message = params.message;
  return item;
}

/** Checks that a response item is of a type the processor's item can be answered with. */
export function checkResponseItemType(
  processor: Pick<RequestItemProcessor, 'acceptResponseTypes'>,
  responseItem: ResponseItem,
): ValidationResult {
  const allowed = [...processor.acceptResponseTypes, 'RejectResponseItem', 'ErrorResponseItem'];
  return allowed.includes(responseItem['@type'])
    ? success()
    : failure(
        ConsumptionErrorCodes.invalidResponseItem,
        `a ${responseItem['@type']} does not answer this request item`,
      );
}

/**
 * A processor from overrides of the generic behaviour: everything may be created, accepted (with an
 * AcceptResponseItem) and rejected, and nothing is applied on the sender's side.
 */
export function defineProcessor<I extends RequestItem>(
  overrides: Partial<RequestItemProcessor<I>> = {},
): RequestItemProcessor<I> {
  const processor: RequestItemProcessor<I> = {
    acceptResponseTypes: ['AcceptResponseItem'],
    canCreateOutgoing: async () => success(),
    onSent: async () => {},
    checkPrerequisitesOfIncoming: async () => true,
    canAccept: async () => success(),
    accept: async () => ({ '@type': 'AcceptResponseItem', result: 'Accepted' }),
    canReject: async () => success(),
    reject: async (_tx, _item, params) => rejectResponseItem(params),
    canApplyIncomingResponseItem: async (_tx, responseItem) => checkResponseItemType(processor, responseItem),
    applyIncomingResponseItem: async () => {},
    ...overrides,
  };
  if (overrides.canApplyIncomingResponseItem !== undefined) {
    const specific = overrides.canApplyIncomingResponseItem;
    processor.canApplyIncomingResponseItem = async (tx, responseItem, item, request) => {
      const byType = checkResponseItemType(processor, responseItem);
      return byType.isSuccess ? specific(tx, responseItem, item, request) : byType;
    };
  }
  return processor;
}
