import { type DeviceCaller, loadQuotas, requireRoom } from '@enmesh/actor-kit';
import {
  challengeSigningInput,
  type Device,
  devicePublicKeyToRaw,
  ErrorCodes,
  fromBase64Url,
  ProtocolError,
  type RequestOf,
  type ResponseOf,
  SignaturePurpose,
} from '@enmesh/protocol';
import { IsNull } from 'typeorm';
import { loadUsableChallenge, markChallengeUsed } from './challenges.js';
import { type IdentitiesDeps, issueCredentials, requireActiveCaller, requireSignature } from './context.js';
import { DeviceEntity, type DeviceRow } from './entities.js';
import { revokeDeviceAccess } from './revocations.js';

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

/** Returns the wire form of a device row, as seen by `currentDevice`. */
export function deviceToWire(row: DeviceRow, currentDevice: string): Device {
  const device: Device = {
    id: row.id,
    name: row.name,
    createdAt: iso(row.createdAt)!,
    isCurrent: row.id === currentDevice,
  };
  if (row.createdByDevice) device.createdByDevice = row.createdByDevice;
  if (row.lastLoginAt !== null) device.lastLoginAt = iso(row.lastLoginAt)!;
  if (row.revokedAt !== null) device.revokedAt = iso(row.revokedAt)!;
  return device;
}

/**
 * Adds a device to the caller's identity. The identity key proves the owner's consent and the new device's
 * key proves possession, both over one challenge that is spent with the insert.
 * @throws ProtocolError for an unusable challenge, a bad signature, an existing key or the device limit.
 */
export async function addDevice(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'addDevice'>,
): Promise<ResponseOf<'addDevice'>> {
  const { identity } = await requireActiveCaller(deps, caller);
  const now = deps.clock();
  const challenge = await loadUsableChallenge(deps.store, request.challengeId, now, identity.address);
  requireSignature(
    fromBase64Url(identity.publicKey),
    challengeSigningInput(SignaturePurpose.addDeviceIdentity, challenge, [request.devicePublicKey]),
    request.identitySignature,
    'identity',
  );
  const deviceProof = request.onboardingToken
    ? challengeSigningInput(SignaturePurpose.deviceOnboard, challenge, [request.onboardingToken])
    : challengeSigningInput(SignaturePurpose.addDeviceDevice, challenge, [identity.address]);
  requireSignature(
    devicePublicKeyToRaw(request.devicePublicKey),
    deviceProof,
    request.deviceSignature,
    'device',
  );
  const row: DeviceRow = {
    id: request.devicePublicKey,
    identityToken: identity.token,
    name: request.name ?? 'Device',
    createdAt: now,
    createdByDevice: caller.deviceKey,
    lastLoginAt: now,
    revokedAt: null,
    cursor: 0,
  };
  await deps.store.transaction(async (tx) => {
    const devices = tx.getRepository(DeviceEntity);
    const active = await devices.countBy({ identityToken: identity.token, revokedAt: IsNull() });
    requireRoom('devices', await loadQuotas(tx, deps.settings.quotas, identity.token), active);
    if (await devices.existsBy({ id: row.id })) {
      throw new ProtocolError(ErrorCodes.deviceAlreadyExists, 'this device key is already registered');
    }
    await markChallengeUsed(tx, challenge.id, now);
    await devices.insert(row);
  });
  return {
    device: deviceToWire(row, caller.deviceKey),
    credentials: await issueCredentials(deps, identity, row.id),
  };
}

/** Lists the devices of the caller's identity, revoked ones included. */
export async function listDevices(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
): Promise<ResponseOf<'listDevices'>> {
  await requireActiveCaller(deps, caller);
  const rows = await deps.store.run((m) =>
    m
      .getRepository(DeviceEntity)
      .find({ where: { identityToken: caller.identityToken }, order: { createdAt: 'ASC' } }),
  );
  return { devices: rows.map((row) => deviceToWire(row, caller.deviceKey)) };
}

async function requireOwnDevice(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  deviceId: string,
): Promise<DeviceRow> {
  const row = await deps.store.run((m) => m.getRepository(DeviceEntity).findOneBy({ id: deviceId }));
  // Another identity's device is reported as missing, so that ids of other identities cannot be probed.
  if (!row || row.identityToken !== caller.identityToken) {
    throw new ProtocolError(ErrorCodes.deviceNotFound, 'no such device');
  }
  return row;
}

/** Renames a device of the caller's identity. */
export async function renameDevice(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'renameDevice'>,
): Promise<ResponseOf<'renameDevice'>> {
  await requireActiveCaller(deps, caller);
  const row = await requireOwnDevice(deps, caller, request.deviceId);
  await deps.store.run((m) => m.getRepository(DeviceEntity).update({ id: row.id }, { name: request.name }));
  return deviceToWire({ ...row, name: request.name }, caller.deviceKey);
}

async function requireAnotherActiveDevice(deps: IdentitiesDeps, caller: DeviceCaller, except: string) {
  const active = await deps.store.run((m) =>
    m.getRepository(DeviceEntity).findBy({ identityToken: caller.identityToken, revokedAt: IsNull() }),
  );
  if (!active.some((device) => device.id !== except)) {
    throw new ProtocolError(
      ErrorCodes.lastActiveDevice,
      'the last active device of an identity cannot be removed',
    );
  }
}

/**
 * Revokes a device of the caller's identity: it stays listed as revoked, loses its mailbox consumer at once
 * and is disconnected when the revocation reaches the server. Revoking a revoked device changes nothing.
 * @throws ProtocolError `error.devices.lastActiveDevice` when it is the identity's only active device.
 */
export async function revokeDevice(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'revokeDevice'>,
): Promise<ResponseOf<'revokeDevice'>> {
  const { identity } = await requireActiveCaller(deps, caller);
  const row = await requireOwnDevice(deps, caller, request.deviceId);
  if (row.revokedAt !== null) return deviceToWire(row, caller.deviceKey);
  await requireAnotherActiveDevice(deps, caller, row.id);
  const now = deps.clock();
  await deps.store.run((m) => m.getRepository(DeviceEntity).update({ id: row.id }, { revokedAt: now }));
  await revokeDeviceAccess(deps, row.id, identity.shard);
  return deviceToWire({ ...row, revokedAt: now }, caller.deviceKey);
}

/**
 * Deletes a device of the caller's identity: revoked as above, then its record removed. Its key stays on the
 * revocation list until every JWT it could hold has expired, so it cannot come back with an old JWT.
 * @throws ProtocolError `error.devices.lastActiveDevice` when it is the identity's only active device.
 */
export async function deleteDevice(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'deleteDevice'>,
): Promise<ResponseOf<'deleteDevice'>> {
  const { identity } = await requireActiveCaller(deps, caller);
  const row = await requireOwnDevice(deps, caller, request.deviceId);
  if (row.revokedAt === null) await requireAnotherActiveDevice(deps, caller, row.id);
  await deps.store.run((m) => m.getRepository(DeviceEntity).delete({ id: row.id }));
  await revokeDeviceAccess(deps, row.id, identity.shard);
  return { ok: true };
}
