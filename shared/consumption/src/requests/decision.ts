/**
 * Checking a decision on an incoming request against the request (same shape, groups answered as
 * groups, every mustBeAccepted item accepted when the request is accepted, nothing accepted when it is
 * rejected) and per item against its processor.
 */
import {
  acceptParametersByItemType,
  type DecideRequestItemParameters,
  type RequestItem,
  type RequestItemGroup,
} from '@enmesh/content';
import type { Tx } from '../context.js';
import { ConsumptionErrorCodes } from '../errors.js';
import { combine, failure, success, type ValidationResult } from '../validation.js';
import type { AcceptItemParameters, RejectItemParameters } from './item-processor.js';
import type { LocalRequest } from './local-request.js';
import { type ProcessorRegistry, processorFor } from './processors.js';

/** The decisions on the items of a request, per item or group, in the order of the request. */
export type DecisionItems = readonly (
  | DecideRequestItemParameters
  | { items: readonly DecideRequestItemParameters[] }
)[];

/** Pairs every request item with its decision, or the failure when the shapes differ. */
export function pairItems(
  request: LocalRequest,
  decisions: DecisionItems,
):
  | { pairs: { item: RequestItem; decision: DecideRequestItemParameters; group: number | undefined }[] }
  | ValidationResult {
  const entries = request.content.items;
  if (entries.length !== decisions.length) {
    return failure(
      ConsumptionErrorCodes.invalidNumberOfItems,
      `the request has ${entries.length} items, the decision ${decisions.length}`,
    );
  }
  const pairs: { item: RequestItem; decision: DecideRequestItemParameters; group: number | undefined }[] = [];
  for (const [index, entry] of entries.entries()) {
    const decision = decisions[index]!;
    const isGroupDecision = 'items' in decision;
    if (entry['@type'] === 'RequestItemGroup') {
      if (!isGroupDecision) {
        return failure(
          ConsumptionErrorCodes.requestItemGroupAnsweredAsRequestItem,
          'a group was answered as an item',
        );
      }
      const group = entry as RequestItemGroup;
      if (group.items.length !== decision.items.length) {
        return failure(
          ConsumptionErrorCodes.invalidNumberOfItems,
          `the group ${index} has ${group.items.length} items, the decision ${decision.items.length}`,
        );
      }
      for (const [i, item] of group.items.entries())
        pairs.push({ item, decision: decision.items[i]!, group: index });
    } else {
      if (isGroupDecision) {
        return failure(
          ConsumptionErrorCodes.requestItemAnsweredAsRequestItemGroup,
          'an item was answered as a group',
        );
      }
      pairs.push({ item: entry as RequestItem, decision, group: undefined });
    }
  }
  return { pairs };
}

/**
 * Checks a decision (accepting or rejecting the whole request) without changing anything; the result has
 * the shape of the request.
 */
export async function validateDecision(
  tx: Tx,
  processors: ProcessorRegistry,
  request: LocalRequest,
  decisions: DecisionItems,
  acceptRequest: boolean,
): Promise<ValidationResult> {
  const paired = pairItems(request, decisions);
  if (!('pairs' in paired)) return paired;
  const results: ValidationResult[] = [];
  for (const { item, decision } of paired.pairs) {
    results.push(await validateItem(tx, processors, request, item, decision, acceptRequest));
  }
  const shaped: ValidationResult[] = [];
  let next = 0;
  for (const entry of request.content.items) {
    if (entry['@type'] === 'RequestItemGroup') {
      const items = results.slice(next, next + entry.items.length);
      next += entry.items.length;
      shaped.push(combine(items));
    } else {
      shaped.push(results[next++]!);
    }
  }
  return combine(shaped);
}

async function validateItem(
  tx: Tx,
  processors: ProcessorRegistry,
  request: LocalRequest,
  item: RequestItem,
  decision: DecideRequestItemParameters,
  acceptRequest: boolean,
): Promise<ValidationResult> {
  const processor = processorFor(processors, item);
  if (!decision.accept) {
    if (acceptRequest && item.mustBeAccepted) {
      return failure(
        ConsumptionErrorCodes.mustBeAcceptedItemNotAccepted,
        `the ${item['@type']} must be accepted when the request is accepted`,
      );
    }
    return processor.canReject(tx, item, decision as RejectItemParameters, request);
  }
  if (!acceptRequest) {
    return failure(
      ConsumptionErrorCodes.itemAcceptedButRequestNotAccepted,
      'no item can be accepted when the request is rejected',
    );
  }
  const shape = acceptParametersByItemType[item['@type']].safeParse(decision);
  if (!shape.success) {
    return failure(
      ConsumptionErrorCodes.invalidAcceptParameters,
      `the accept parameters do not fit a ${item['@type']}: ${shape.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  try {
    return await processor.canAccept(tx, item, decision as AcceptItemParameters, request);
  } catch (error) {
    return failure(
      ConsumptionErrorCodes.invalidAcceptParameters,
      error instanceof Error ? error.message : 'the accept parameters cannot be checked',
    );
  }
}

/** A successful result of a request's shape (used when nothing needs checking). */
export function successFor(request: LocalRequest): ValidationResult {
  return success(
    request.content.items.map((entry) =>
      entry['@type'] === 'RequestItemGroup' ? success(entry.items.map(() => success())) : success(),
    ),
  );
}
