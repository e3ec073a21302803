/**
 * The decider: configurable automation rules that accept or reject incoming requests without a person.
 * A rule matches the request (peer, source, title, metadata) and an item (type, mustBeAccepted, any
 * fields of the item); its response says how to decide that item. Requests with a ConsentRequestItem or an
 * AuthenticationRequestItem always wait for a person, and so does a request with any item no rule decides.
 */
import {
  type DecideRequestItemParameters,
  decideRequestItemParametersSchema,
  type RequestItem,
  type RequestItemType,
} from '@enmesh/content';
import { findAttributes } from '../attributes/attribute-store.js';
import { type ConsumptionContext, runInTransaction, type Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes } from '../errors.js';
import { type DecisionItems, pairItems, validateDecision } from '../requests/decision.js';
import { decideIncomingRequest } from '../requests/incoming-requests.js';
import { AutomaticDecision, type LocalRequest, LocalRequestStatus } from '../requests/local-request.js';
import { manualDecisionItemTypes } from '../requests/processors/consent-and-authentication.js';
import type { ProcessorRegistry } from '../requests/processors.js';
import { changeStatus, getRequest, requireStatus } from '../requests/request-store.js';

/** What a rule asks of the request as a whole. */
export interface RequestMatch {
  peer?: string | readonly string[];
  sourceType?: 'Message' | 'RelationshipTemplate';
  title?: string;
  /** Fields the request's metadata must have (deep, partial match). */
  metadata?: Record<string, unknown>;
}

/** What a rule asks of an item. */
export interface ItemMatch {
  itemType?: RequestItemType | readonly RequestItemType[];
  mustBeAccepted?: boolean;
  /** Fields the item must have (deep, partial match), e.g. `{query: {valueType: 'GivenName'}}`. */
  content?: Record<string, unknown>;
}

/** How a rule decides an item: the accept or reject parameters of the item type. */
export type AutomationResponse = DecideRequestItemParameters;

/** An automation rule. */
export interface AutomationRule {
  request?: RequestMatch;
  item?: ItemMatch;
  response: AutomationResponse;
}

/**
 * Checks automation rules once, when the decider is configured.
 * @throws {ConsumptionError} `invalidAutomationRule` naming the first rule whose response is not valid
 */
export function validateAutomationRules(rules: readonly AutomationRule[]): void {
  rules.forEach((rule, index) => {
    if (!decideRequestItemParametersSchema.safeParse(rule.response).success) {
      throw new ConsumptionError(
        ConsumptionErrorCodes.invalidAutomationRule,
        `automation rule ${index} has an invalid response`,
        { details: { index } },
      );
    }
  });
}

function matches(pattern: unknown, value: unknown): boolean {
  if (typeof pattern !== 'object' || pattern === null) return pattern === value;
  if (Array.isArray(pattern)) {
    return (
      Array.isArray(value) && pattern.length === value.length && pattern.every((p, i) => matches(p, value[i]))
    );
  }
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, p]) => matches(p, (value as Record<string, unknown>)[key]));
}

function oneOf<T>(wanted: T | readonly T[] | undefined, actual: T): boolean {
  if (wanted === undefined) return true;
  return Array.isArray(wanted) ? wanted.includes(actual) : wanted === actual;
}

function ruleMatches(rule: AutomationRule, request: LocalRequest, item: RequestItem): boolean {
  const r = rule.request ?? {};
  const i = rule.item ?? {};
  return (
    oneOf(r.peer, request.peer) &&
    (r.sourceType === undefined || request.source?.type === r.sourceType) &&
    (r.title === undefined || request.content.title === r.title) &&
    (r.metadata === undefined || matches(r.metadata, request.content.metadata ?? {})) &&
    oneOf(i.itemType as RequestItemType | readonly RequestItemType[] | undefined, item['@type']) &&
    (i.mustBeAccepted === undefined || i.mustBeAccepted === item.mustBeAccepted) &&
    (i.content === undefined || matches(i.content, item))
  );
}

/** The parameters a rule's response gives an item, completed where the item needs more; or undefined. */
async function parametersFor(
  tx: Tx,
  response: AutomationResponse,
  item: RequestItem,
): Promise<DecideRequestItemParameters | undefined> {
  if (!response.accept) return response;
  const given = Object.keys(response).length > 1;
  switch (item['@type']) {
    case 'ReadAttributeRequestItem': {
      if (given) return response;
      if (item.query['@type'] !== 'IdentityAttributeQuery') return undefined;
      const [fallback] = await findAttributes(tx, {
        type: 'OwnIdentityAttribute',
        valueType: item.query.valueType,
        isDefault: true,
      });
      return fallback === undefined ? undefined : { accept: true, existingAttributeId: fallback.id };
    }
    case 'ProposeAttributeRequestItem':
      return given ? response : { accept: true, attribute: { ...item.attribute, owner: tx.address } };
    case 'DeleteAttributeRequestItem':
    case 'FormFieldRequestItem':
      return given ? response : undefined;
    default:
      return response;
  }
}

/**
 * Decides a request in DecisionRequired by the rules: accepts or rejects it (as AutomaticDecision) when
 * every item is decided and the decision passes the checks, else moves it to ManualDecisionRequired.
 * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
 */
export async function decideByRules(
  tx: Tx,
  processors: ProcessorRegistry,
  rules: readonly AutomationRule[],
  requestId: string,
): Promise<LocalRequest> {
  const request = await getRequest(tx, requestId, false);
  requireStatus(request, [LocalRequestStatus.DecisionRequired]);
  const manual = async () => {
    await changeStatus(tx, request, LocalRequestStatus.ManualDecisionRequired);
    return request;
  };
  const shape = request.content.items.map((entry) =>
    entry['@type'] === 'RequestItemGroup'
      ? { items: entry.items.map(() => ({ accept: true })) }
      : { accept: true },
  ) as DecisionItems;
  const paired = pairItems(request, shape);
  if (!('pairs' in paired)) return manual();
  const decisions: DecideRequestItemParameters[] = [];
  for (const { item } of paired.pairs) {
    if (manualDecisionItemTypes.includes(item['@type'])) return manual();
    const rule = rules.find((candidate) => ruleMatches(candidate, request, item));
    const decision = rule === undefined ? undefined : await parametersFor(tx, rule.response, item);
    if (decision === undefined) return manual();
    decisions.push(decision);
  }
  const acceptRequest =
    paired.pairs.every(({ item }, index) => decisions[index]!.accept || !item.mustBeAccepted) &&
    decisions.some((decision) => decision.accept);
  const final = decisions.map((decision) =>
    acceptRequest || !decision.accept ? decision : ({ accept: false } as DecideRequestItemParameters),
  );
  let next = 0;
  const items: DecisionItems = request.content.items.map((entry) =>
    entry['@type'] === 'RequestItemGroup' ? { items: entry.items.map(() => final[next++]!) } : final[next++]!,
  );
  const check = await validateDecision(tx, processors, request, items, acceptRequest);
  if (!check.isSuccess) return manual();
  return decideIncomingRequest(tx, processors, { requestId, items }, acceptRequest, {
    automatic: true,
    decider: AutomaticDecision,
  });
}

/** The decider over a consumption context, with its rules. */
export class Decider {
  readonly #context: ConsumptionContext;
  readonly #processors: ProcessorRegistry;
  readonly #rules: readonly AutomationRule[];

  /**
   * Creates the decider.
   * @throws {ConsumptionError} `invalidAutomationRule` for a rule with an invalid response
   */
  constructor(context: ConsumptionContext, rules: readonly AutomationRule[], processors: ProcessorRegistry) {
    validateAutomationRules(rules);
    this.#context = context;
    this.#rules = rules;
    this.#processors = processors;
  }

  /**
   * Decides a request in DecisionRequired by the rules, or hands it to a person (ManualDecisionRequired).
   * @throws {ConsumptionError} `recordNotFound`, `wrongStatus`
   */
  decide(requestId: string): Promise<LocalRequest> {
    return runInTransaction(this.#context, (tx) =>
      decideByRules(tx, this.#processors, this.#rules, requestId),
    );
  }
}
