import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { httpServerSchema } from '../config/http-schema.js';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import { createJwtVerifier } from './jwt.js';
import type { Authenticator, Principal } from './principal.js';

type HttpServerSettings = z.output<typeof httpServerSchema>;

interface KeyEntry {
  readonly id: string;
  readonly digest: Buffer;
  readonly enabled: boolean;
  readonly expiresAt: number | undefined;
  readonly scopes: readonly string[];
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const unauthorized = () =>
  new ConnectorError(ConnectorErrorCodes.unauthorized, 'You must authenticate to access this resource.');

/**
 * Builds the authenticator from `infrastructure.httpServer`: API keys in the configured header (several
 * keys, each with scopes, optional expiry and an enabled flag; the legacy single `apiKey` grants `**`), and
 * JWT bearer tokens when `jwtBearer.enabled`. Keys are compared in constant time: every configured key's
 * SHA-256 digest is compared with the presented key's, without stopping at the first match.
 */
export function createAuthenticator(
  settings: HttpServerSettings,
  options: { clock?: () => number; fetch?: typeof fetch } = {},
): Authenticator {
  const clock = options.clock ?? Date.now;
  const apiKey = settings.authentication.apiKey;
  const configured = Object.entries(apiKey.keys);
  const keysOn = apiKey.enabled ?? configured.length > 0;
  const keys: KeyEntry[] = keysOn
    ? configured.map(([id, entry]) => ({
        id,
        digest: digest(entry.key),
        enabled: entry.enabled,
        expiresAt: entry.expiresAt === undefined ? undefined : Date.parse(entry.expiresAt),
        scopes: entry.scopes,
      }))
    : [];
  if (settings.apiKey) {
    keys.push({
      id: 'apiKey',
      digest: digest(settings.apiKey),
      enabled: true,
      expiresAt: undefined,
      scopes: ['**'],
    });
  }
  const headerName = apiKey.headerName.toLowerCase();
  const jwt = settings.authentication.jwtBearer.enabled
    ? createJwtVerifier(settings.authentication.jwtBearer, options.fetch ?? fetch)
    : undefined;

  return {
    async authenticate(headers: Headers): Promise<Principal> {
      const presented = headers.get(headerName);
      if (presented !== null && keys.length > 0) {
        const presentedDigest = digest(presented);
        let match: KeyEntry | undefined;
        for (const key of keys) {
          if (timingSafeEqual(key.digest, presentedDigest)) match = key;
        }
        if (!match?.enabled) throw unauthorized();
        if (match.expiresAt !== undefined && match.expiresAt <= clock()) throw unauthorized();
        return { kind: 'apiKey', id: match.id, scopes: match.scopes };
      }
      const authorization = headers.get('authorization');
      if (jwt && authorization !== null) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        if (!match?.[1]) throw unauthorized();
        return await jwt.verify(match[1]).catch((error: unknown) => {
          throw new ConnectorError(ConnectorErrorCodes.unauthorized, 'The bearer token is not valid.', {
            cause: error,
          });
        });
      }
      throw unauthorized();
    },
  };
}
