import { ErrorCodes, Limits, ProtocolError } from '@enmesh/protocol';
import type { Caller, DeviceCaller } from './caller.js';

/** The address of an identity of this backbone, from its subject token (`did:e:<host>:dids:<token>`). */
export function addressOfToken(backboneHost: string, token: string): string {
  return `did:e:${backboneHost}:dids:${token}`;
}

/** The caller's identity token and address, or undefined for the anonymous bootstrap user. */
export function callerIdentity(
  backboneHost: string,
  caller: Caller,
): { token: string; address: string } | undefined {
  return caller.kind === 'device'
    ? { token: caller.identityToken, address: addressOfToken(backboneHost, caller.identityToken) }
    : undefined;
}

/**
 * Parses the expiry of a shared object (token, template, file): in the future and at most ten years ahead.
 * @throws ProtocolError `error.protocol.invalidExpiry`.
 */
export function parseExpiry(iso: string, now: number): number {
  const at = Date.parse(iso);
  if (!(at > now) || at > now + Limits.maxSharedContentLifetimeMs) {
    throw new ProtocolError(
      ErrorCodes.invalidExpiry,
      'the expiry must be in the future and at most ten years ahead',
      {
        details: { maxLifetimeMs: Limits.maxSharedContentLifetimeMs },
      },
    );
  }
  return at;
}

/** What a device asks for when it creates a token or template: expiry, recipient, password protection. */
export interface GuardedRequest {
  readonly expiresAt: string;
  readonly forIdentity?: string | undefined;
  readonly password?: { readonly verifier: string; readonly kind: 'password' | 'pin' } | undefined;
}

/**
 * The owner and access-guard fields of a new token or template: owned by the calling device's identity,
 * not yet locked, no failed attempts.
 * @throws ProtocolError `error.protocol.invalidExpiry` for an expiry in the past or beyond the limit.
 */
export function newGuardedRecord(caller: DeviceCaller, request: GuardedRequest, now: number) {
  return {
    ownerToken: caller.identityToken,
    ownerDevice: caller.deviceKey,
    createdAt: now,
    expiresAt: parseExpiry(request.expiresAt, now),
    forIdentity: request.forIdentity ?? null,
    passwordVerifier: request.password?.verifier ?? null,
    passwordKind: request.password?.kind ?? null,
    failedAttempts: 0,
    lockedAt: null,
  };
}
