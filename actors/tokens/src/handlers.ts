import {
  addressOfToken,
  type Caller,
  type DeviceCaller,
  insertWithinHoldingQuota,
  loadThroughGate,
  newGuardedRecord,
} from '@enmesh/actor-kit';
import {
  ErrorCodes,
  Limits,
  ProtocolError,
  type RequestOf,
  type ResponseOf,
  randomId,
  type Token,
} from '@enmesh/protocol';
import type { TokensDeps } from './context.js';
import { TokenEntity, type TokenRow } from './entities.js';

const codes = {
  expired: ErrorCodes.tokenExpired,
  locked: ErrorCodes.tokenLocked,
  wrongPassword: ErrorCodes.tokenWrongPassword,
  notForYou: ErrorCodes.tokenNotForYou,
} as const;

function toWire(deps: TokensDeps, row: TokenRow): Token {
  const token: Token = {
    id: row.id,
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
  };
  if (row.ownerToken) token.createdBy = addressOfToken(deps.settings.backboneHost, row.ownerToken);
  if (row.ownerDevice) token.createdByDevice = row.ownerDevice;
  if (row.forIdentity) token.forIdentity = row.forIdentity;
  if (row.passwordKind) token.passwordKind = row.passwordKind as 'password' | 'pin';
  if (row.content !== null) token.content = row.content;
  return token;
}

/** Stores a token for the caller's identity. */
export async function createToken(
  deps: TokensDeps,
  caller: DeviceCaller,
  request: RequestOf<'createToken'>,
): Promise<ResponseOf<'createToken'>> {
  const now = deps.clock();
  const row: TokenRow = {
    id: randomId('TOK', 20),
    ...newGuardedRecord(caller, request, now),
    content: request.content,
    filledBy: null,
  };
  await deps.store.transaction((m) =>
    insertWithinHoldingQuota(m, TokenEntity, 'tokens', deps.settings.quotas, caller.identityToken, row, now),
  );
  return toWire(deps, row);
}

/**
 * Creates an anonymous empty token that lives two minutes: a new device shows it (QR code) and an existing
 * device of the identity fills it once with what the new device needs.
 */
export async function createEmptyToken(deps: TokensDeps): Promise<ResponseOf<'createEmptyToken'>> {
  const now = deps.clock();
  const row: TokenRow = {
    id: randomId('TOK', 20),
    ownerToken: null,
    ownerDevice: null,
    createdAt: now,
    expiresAt: now + Limits.emptyTokenLifetimeMs,
    forIdentity: null,
    passwordVerifier: null,
    passwordKind: null,
    failedAttempts: 0,
    lockedAt: null,
    content: null,
    filledBy: null,
  };
  await deps.store.run((m) => m.getRepository(TokenEntity).insert(row));
  return toWire(deps, row);
}

/**
 * Fills an empty token, once, before it expires.
 * @throws ProtocolError `error.tokens.notFound|expired|alreadyFilled`.
 */
export async function fillToken(
  deps: TokensDeps,
  caller: DeviceCaller,
  request: RequestOf<'fillToken'>,
): Promise<ResponseOf<'fillToken'>> {
  const now = deps.clock();
  const row = await deps.store.transaction(async (m) => {
    const repo = m.getRepository(TokenEntity);
    const found = await repo.findOneBy({ id: request.id });
    if (!found) throw new ProtocolError(ErrorCodes.tokenNotFound, 'no such token');
    if (found.expiresAt <= now) throw new ProtocolError(ErrorCodes.tokenExpired, 'the token has expired');
    const result = await m
      .createQueryBuilder()
      .update(TokenEntity)
      .set({ content: request.content, filledBy: caller.identityToken })
      .where('id = :id AND "ownerToken" IS NULL AND content IS NULL', { id: request.id })
      .execute();
    if (result.affected !== 1)
      throw new ProtocolError(ErrorCodes.tokenAlreadyFilled, 'this token is not an empty token');
    return { ...found, content: request.content, filledBy: caller.identityToken };
  });
  return toWire(deps, row);
}

/**
 * Loads a token by id for a device or the anonymous bootstrap user, through the access gate: expiry,
 * recipient, lock and password. A wrong password is counted; the token locks at the limit.
 * @throws ProtocolError `error.tokens.notFound|expired|notForYou|locked|wrongPassword`.
 */
export async function loadToken(
  deps: TokensDeps,
  caller: Caller,
  request: RequestOf<'loadToken'>,
): Promise<ResponseOf<'loadToken'>> {
  const { row } = await loadThroughGate(deps.store, TokenEntity, request, caller, {
    backboneHost: deps.settings.backboneHost,
    now: deps.clock(),
    codes,
    notFound: ErrorCodes.tokenNotFound,
  });
  return toWire(deps, row);
}

/**
 * Deletes one of the caller's identity's tokens.
 * @throws ProtocolError `error.tokens.notFound` for a token that is not the caller's.
 */
export async function deleteToken(
  deps: TokensDeps,
  caller: DeviceCaller,
  request: RequestOf<'deleteToken'>,
): Promise<ResponseOf<'deleteToken'>> {
  const result = await deps.store.run((m) =>
    m.getRepository(TokenEntity).delete({ id: request.id, ownerToken: caller.identityToken }),
  );
  if (result.affected !== 1) throw new ProtocolError(ErrorCodes.tokenNotFound, 'no such token of yours');
  return { ok: true };
}
