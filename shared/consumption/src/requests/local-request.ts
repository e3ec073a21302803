/**
 * LocalRequests: a Request sent (own, outgoing) or received (incoming), its source, its response and where
 * it stands, in the JSON shape the Connector serves.
 */
import type { Request, Response } from '@enmesh/content';

/** The states of a LocalRequest. */
export const LocalRequestStatus = {
  Draft: 'Draft',
  Open: 'Open',
  DecisionRequired: 'DecisionRequired',
  ManualDecisionRequired: 'ManualDecisionRequired',
  Decided: 'Decided',
  Completed: 'Completed',
  Expired: 'Expired',
} as const;
/** One of the states. */
export type LocalRequestStatus = (typeof LocalRequestStatus)[keyof typeof LocalRequestStatus];

/** Where a request came from: a message or a relationship template. */
export interface LocalRequestSource {
  type: 'Message' | 'RelationshipTemplate';
  reference: string;
}

/** Where a response came from (or went with): a message or a relationship. */
export interface LocalResponseSource {
  type: 'Message' | 'Relationship';
  reference: string;
}

/** The response to a request, when it was made, and how it travelled. */
export interface LocalResponse {
  createdAt: string;
  content: Response;
  source?: LocalResponseSource;
}

/** One status change of a request. */
export interface LocalRequestStatusLogEntry {
  createdAt: string;
  oldStatus: LocalRequestStatus;
  newStatus: LocalRequestStatus;
  code?: string;
}

/** Who decided an incoming request when the decider module did it. */
export const AutomaticDecision = 'AutomaticDecision';

/** A LocalRequest. */
export interface LocalRequest {
  id: string;
  isOwn: boolean;
  peer: string;
  createdAt: string;
  status: LocalRequestStatus;
  content: Request;
  source?: LocalRequestSource;
  response?: LocalResponse;
  /** Set when the decider module decided the request. */
  wasAutomaticallyDecided?: true;
  /** Who decided an incoming request: `AutomaticDecision`, or whoever the caller named. */
  decider?: string;
}

/** Tells whether a request's `expiresAt` has passed at `now`. */
export function isExpiredAt(request: Pick<LocalRequest, 'content'>, now: Date): boolean {
  const expiresAt = request.content.expiresAt;
  return expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime();
}
