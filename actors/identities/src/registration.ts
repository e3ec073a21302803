import type { DeviceCaller } from '@enmesh/actor-kit';
import {
  challengeSigningInput,
  deriveAddress,
  devicePublicKeyToRaw,
  ErrorCodes,
  fromBase64Url,
  identityToken,
  ProtocolError,
  type RequestOf,
  type ResponseOf,
  SignaturePurpose,
} from '@enmesh/protocol';
import { loadUsableChallenge, markChallengeUsed } from './challenges.js';
import {
  type IdentitiesDeps,
  issueCredentials,
  requireActiveCaller,
  requireNotDeleted,
  requireSignature,
  shardOf,
} from './context.js';
import { DeviceEntity, type DeviceRow, IdentityEntity, type IdentityRow } from './entities.js';

/**
 * Creates an identity with its first device. Both keys are proven over a fresh anonymous challenge; the
 * challenge is spent in the same transaction that stores the identity, so a replay stores nothing.
 * @throws ProtocolError for an unusable challenge, a bad signature or an existing identity or device.
 */
export async function createIdentity(
  deps: IdentitiesDeps,
  request: RequestOf<'createIdentity'>,
): Promise<ResponseOf<'createIdentity'>> {
  const now = deps.clock();
  const challenge = await loadUsableChallenge(deps.store, request.challengeId, now, null);
  const identityKey = fromBase64Url(request.identityPublicKey);
  const deviceKey = devicePublicKeyToRaw(request.devicePublicKey);
  requireSignature(
    identityKey,
    challengeSigningInput(SignaturePurpose.registerIdentity, challenge, [request.devicePublicKey]),
    request.identitySignature,
    'identity',
  );
  requireSignature(
    deviceKey,
    challengeSigningInput(SignaturePurpose.registerDevice, challenge, [request.identityPublicKey]),
    request.deviceSignature,
    'device',
  );
  const address = deriveAddress(identityKey, deps.settings.backboneHost);
  const token = identityToken(address);
  const identity: IdentityRow = {
    address,
    token,
    publicKey: request.identityPublicKey,
    shard: shardOf(deps, token),
    createdAt: now,
    tier: 'basic',
    deletionStartedAt: null,
    deletionDueAt: null,
  };
  const device: DeviceRow = {
    id: request.devicePublicKey,
    identityToken: token,
    name: request.deviceName ?? 'First device',
    createdAt: now,
    createdByDevice: null,
    lastLoginAt: now,
    revokedAt: null,
    cursor: 0,
  };
  await deps.store.transaction(async (tx) => {
    await markChallengeUsed(tx, challenge.id, now);
    if (await tx.getRepository(IdentityEntity).existsBy({ address })) {
      throw new ProtocolError(ErrorCodes.identityAlreadyExists, 'an identity with this key already exists');
    }
    if (await tx.getRepository(DeviceEntity).existsBy({ id: device.id })) {
      throw new ProtocolError(ErrorCodes.deviceAlreadyExists, 'this device key is already registered');
    }
    await tx.getRepository(IdentityEntity).insert(identity);
    await tx.getRepository(DeviceEntity).insert(device);
  });
  return {
    address,
    createdAt: new Date(now).toISOString(),
    credentials: await issueCredentials(deps, identity, device.id),
  };
}

/**
 * Issues fresh credentials to a registered, active device that proves its key over an anonymous challenge.
 * @throws ProtocolError for an unusable challenge, an unknown or revoked device, or a bad signature.
 */
export async function loginDevice(
  deps: IdentitiesDeps,
  request: RequestOf<'loginDevice'>,
): Promise<ResponseOf<'loginDevice'>> {
  const now = deps.clock();
  const challenge = await loadUsableChallenge(deps.store, request.challengeId, now, null);
  const identity = await deps.store.run((m) =>
    m.getRepository(IdentityEntity).findOneBy({ address: request.address }),
  );
  const device = await deps.store.run((m) =>
    m.getRepository(DeviceEntity).findOneBy({ id: request.devicePublicKey }),
  );
  if (!identity || !device || device.identityToken !== identity.token) {
    throw new ProtocolError(ErrorCodes.deviceNotFound, 'no such device for this identity');
  }
  if (device.revokedAt !== null) throw new ProtocolError(ErrorCodes.deviceRevoked, 'this device was revoked');
  requireNotDeleted(identity, now);
  requireSignature(
    devicePublicKeyToRaw(device.id),
    challengeSigningInput(SignaturePurpose.deviceLogin, challenge, [identity.address]),
    request.signature,
    'device',
  );
  await deps.store.transaction(async (tx) => {
    await markChallengeUsed(tx, challenge.id, now);
    await tx.getRepository(DeviceEntity).update({ id: device.id }, { lastLoginAt: now });
  });
  return issueCredentials(deps, identity, device.id);
}

/**
 * Issues fresh credentials to the calling device, before its JWT expires; the device proves itself by the
 * JWT it is connected with, so no challenge is needed.
 */
export async function refreshCredentials(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
): Promise<ResponseOf<'refreshCredentials'>> {
  const { identity, device } = await requireActiveCaller(deps, caller);
  const now = deps.clock();
  await deps.store.run((m) => m.getRepository(DeviceEntity).update({ id: device.id }, { lastLoginAt: now }));
  return issueCredentials(deps, identity, device.id);
}
