import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { z } from 'zod';
import type { httpServerSchema } from '../config/http-schema.js';
import type { Principal } from './principal.js';

type JwtSettings = z.output<typeof httpServerSchema>['authentication']['jwtBearer'];

/** Verifies bearer tokens. */
export interface JwtVerifier {
  /**
   * Verifies the token's signature, expiry, issuer and audience and returns its principal; scopes come from
   * the `scope` claim (space-separated) or `scp` (a list).
   * @throws when the token is not valid.
   */
  verify(token: string): Promise<Principal>;
}

/**
 * Creates a verifier from `jwtBearer` settings: a shared `secret` (HS*), a `jwksUri`, or an `issuerBaseURL`
 * whose OpenID discovery document names the issuer and the JWKS (fetched once, on first use).
 */
export function createJwtVerifier(settings: JwtSettings, fetchImpl: typeof fetch): JwtVerifier {
  let resolved: Promise<{ key: Uint8Array | JWTVerifyGetKey; issuer: string | undefined }> | undefined;
  const resolve = () => {
    resolved ??= (async () => {
      if (settings.secret) return { key: new TextEncoder().encode(settings.secret), issuer: settings.issuer };
      if (settings.jwksUri)
        return { key: createRemoteJWKSet(new URL(settings.jwksUri)), issuer: settings.issuer };
      const base = settings.issuerBaseURL!.replace(/\/+$/, '');
      const response = await fetchImpl(`${base}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`OpenID discovery answered ${response.status}`);
      const discovery = (await response.json()) as { issuer?: string; jwks_uri?: string };
      if (!discovery.jwks_uri) throw new Error('OpenID discovery names no jwks_uri');
      return {
        key: createRemoteJWKSet(new URL(discovery.jwks_uri)),
        issuer: settings.issuer ?? discovery.issuer,
      };
    })().catch((error: unknown) => {
      resolved = undefined;
      throw error;
    });
    return resolved;
  };
  const algorithms = settings.tokenSigningAlg
    ? [settings.tokenSigningAlg]
    : settings.secret
      ? ['HS256', 'HS384', 'HS512']
      : ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

  return {
    async verify(token: string): Promise<Principal> {
      const { key, issuer } = await resolve();
      const options = {
        algorithms,
        clockTolerance: settings.clockToleranceSeconds,
        ...(issuer ? { issuer } : {}),
        ...(settings.audience ? { audience: settings.audience } : {}),
      };
      const { payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options);
      return { kind: 'jwt', id: payload.sub ?? 'jwt', scopes: scopesOf(payload) };
    },
  };
}

function scopesOf(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(payload.scp)) return payload.scp.filter((s): s is string => typeof s === 'string');
  return [];
}
