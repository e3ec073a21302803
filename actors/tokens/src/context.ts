import type { Caller, SqlStore } from '@enmesh/actor-kit';
import { ErrorCodes, Limits, ProtocolError } from '@enmesh/protocol';

/** What the tokens actor needs, passed in by the composition root. */
export interface TokensDeps {
  readonly store: SqlStore;
  readonly clock: () => number;
  readonly settings: { readonly backboneHost: string };
}

/** The address of an identity of this backbone, from its subject token. */
export function addressOf(deps: TokensDeps, token: string): string {
  return `did:e:${deps.settings.backboneHost}:dids:${token}`;
}

/** The caller's identity token and address, or undefined for the anonymous bootstrap user. */
export function callerIdentity(
  deps: TokensDeps,
  caller: Caller,
): { token: string; address: string } | undefined {
  return caller.kind === 'device'
    ? { token: caller.identityToken, address: addressOf(deps, caller.identityToken) }
    : undefined;
}

/**
 * Parses an expiry that must lie in the future and within the longest allowed lifetime.
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
