import { constantTimeEqual, type ErrorCode, fromBase64Url, Limits, ProtocolError } from '@enmesh/protocol';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import type { Caller } from './caller.js';
import { callerIdentity } from './shared-objects.js';
import { epochMsColumn, recordFailedAttempt } from './sql-columns.js';
import type { SqlStore } from './sql-store.js';

/** What the backbone knows about something shared by id (a token, a template, later a file). */
export interface GuardedRecord {
  readonly ownerToken: string | null;
  readonly expiresAt: number;
  readonly forIdentity: string | null;
  readonly passwordVerifier: string | null;
  readonly failedAttempts: number;
  readonly lockedAt: number | null;
}

/**
 * The columns of a guarded record (expiry, recipient, password verifier, failed attempts, lock), for the
 * EntitySchema of every kind of shared object; their migrations create the same columns.
 */
export const guardedRecordColumns = {
  expiresAt: { ...epochMsColumn },
  forIdentity: { type: 'varchar', length: 320, nullable: true },
  passwordVerifier: { type: 'varchar', length: 64, nullable: true },
  passwordKind: { type: 'varchar', length: 16, nullable: true },
  failedAttempts: { type: 'integer', default: 0 },
  lockedAt: { ...epochMsColumn, nullable: true },
} as const;

/** Who asks, and with which password verifier. */
export interface AccessAttempt {
  /** The caller's identity address and token; undefined for the anonymous bootstrap user. */
  readonly callerAddress: string | undefined;
  readonly callerToken: string | undefined;
  readonly passwordVerifier: string | undefined;
  readonly now: number;
}

/** The error codes of one kind of shared object. */
export interface GateCodes {
  readonly expired: ErrorCode;
  readonly locked: ErrorCode;
  readonly wrongPassword: ErrorCode;
  readonly notForYou: ErrorCode;
}

/** The gate's verdict: allowed, or refused with an error and whether the refusal counts as a failed attempt. */
export type GateVerdict =
  | { allowed: true }
  | { allowed: false; error: ProtocolError; countsAsFailure: boolean };

/**
 * Decides whether a caller may load a shared object: the owner always may; others only before expiry, when
 * it is meant for them (`forIdentity`), when it is not locked, and with the right password verifier
 * (compared in constant time). A wrong or missing verifier counts as a failed attempt; the caller records
 * it atomically and locks the object after the limit.
 */
export function decideAccess(record: GuardedRecord, attempt: AccessAttempt, codes: GateCodes): GateVerdict {
  if (record.ownerToken !== null && attempt.callerToken === record.ownerToken) return { allowed: true };
  const refuse = (code: ErrorCode, message: string, countsAsFailure = false): GateVerdict => ({
    allowed: false,
    error: new ProtocolError(code, message),
    countsAsFailure,
  });
  if (record.expiresAt <= attempt.now) return refuse(codes.expired, 'it has expired');
  if (record.forIdentity !== null && record.forIdentity !== attempt.callerAddress) {
    return refuse(codes.notForYou, 'it is meant for another identity');
  }
  if (record.lockedAt !== null) return refuse(codes.locked, 'it is locked after too many wrong passwords');
  if (record.passwordVerifier !== null) {
    const given = attempt.passwordVerifier;
    let matches = false;
    try {
      matches =
        given !== undefined &&
        constantTimeEqual(fromBase64Url(given), fromBase64Url(record.passwordVerifier));
    } catch {
      matches = false;
    }
    if (!matches) return refuse(codes.wrongPassword, 'the password is missing or wrong', true);
  }
  return { allowed: true };
}

/**
 * Applies the gate to a loaded row: returns when the caller may load it; otherwise records a failed password
 * attempt (locking the row at the limit) where the refusal counts as one, and throws the refusal.
 * @throws ProtocolError with the kind's expired, notForYou, locked or wrongPassword code.
 */
export async function enforceAccess<T extends ObjectLiteral>(
  store: SqlStore,
  entity: EntityTarget<T>,
  row: GuardedRecord & { readonly id: string },
  attempt: AccessAttempt,
  codes: GateCodes,
): Promise<void> {
  const verdict = decideAccess(row, attempt, codes);
  if (verdict.allowed) return;
  if (verdict.countsAsFailure) {
    await store.run((m) => recordFailedAttempt(m, entity, row.id, attempt.now, Limits.passwordAttempts));
  }
  throw verdict.error;
}

/**
 * Loads a shared object by id and applies the gate for the caller: the one way tokens, templates (and later
 * other shared objects) are read.
 * @throws ProtocolError `notFound` for an unknown id, or the gate's refusal.
 */
export async function loadThroughGate<T extends GuardedRecord & { readonly id: string } & ObjectLiteral>(
  store: SqlStore,
  entity: EntityTarget<T>,
  request: { readonly id: string; readonly passwordVerifier?: string | undefined },
  caller: Caller,
  context: {
    readonly backboneHost: string;
    readonly now: number;
    readonly codes: GateCodes;
    readonly notFound: ErrorCode;
  },
): Promise<{ row: T; who: { token: string; address: string } | undefined }> {
  const row = await store.run((m) => m.getRepository(entity).findOneBy({ id: request.id } as never));
  if (!row) throw new ProtocolError(context.notFound, 'no such object');
  const who = callerIdentity(context.backboneHost, caller);
  await enforceAccess(
    store,
    entity,
    row,
    {
      callerAddress: who?.address,
      callerToken: who?.token,
      passwordVerifier: request.passwordVerifier,
      now: context.now,
    },
    context.codes,
  );
  return { row, who };
}
