import { ErrorCodes, ProtocolError } from '@enmesh/protocol';

/** What one identity may hold or do; every identity has the same quotas (one tier for now). */
export interface Quotas {
  /** Tokens not yet expired. */
  readonly tokens: number;
  /** Relationship templates not yet expired. */
  readonly templates: number;
  /** Messages sent in any hour. */
  readonly messagesPerHour: number;
}

/**
 * The error for a request over a quota: which quota, its limit, and for a rate when room frees up again.
 */
export function quotaExceeded(quota: keyof Quotas, limit: number, resetsAt?: number): ProtocolError {
  return new ProtocolError(ErrorCodes.quotaExceeded, `the ${quota} quota of ${limit} is used up`, {
    details: {
      quota,
      limit,
      ...(resetsAt === undefined ? {} : { resetsAt: new Date(resetsAt).toISOString() }),
    },
  });
}
