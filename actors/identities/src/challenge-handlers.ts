import type { DeviceCaller } from '@enmesh/actor-kit';
import {
  ChallengeType,
  challengeSigningInput,
  devicePublicKeyToRaw,
  ErrorCodes,
  fromBase64Url,
  ProtocolError,
  type RequestOf,
  type ResponseOf,
  SignaturePurpose,
  verify,
} from '@enmesh/protocol';
import { challengeToWire, createChallenge } from './challenges.js';
import { type IdentitiesDeps, requireActiveCaller } from './context.js';
import { ChallengeEntity, IdentityEntity } from './entities.js';

/**
 * Creates an anonymous challenge (type Identity) for registration, device addition and login.
 * @throws ProtocolError `error.challenges.wrongType` when asked for a Device challenge anonymously.
 */
export async function createAnonymousChallenge(
  deps: IdentitiesDeps,
  request: RequestOf<'createAnonymousChallenge'>,
): Promise<ResponseOf<'createAnonymousChallenge'>> {
  if (request.type === ChallengeType.device) {
    throw new ProtocolError(
      ErrorCodes.challengeWrongType,
      'an anonymous caller can only ask for an Identity challenge',
    );
  }
  return createChallenge(deps.store, deps.clock(), ChallengeType.identity, null, null);
}

/** Creates a challenge on behalf of the calling device, to be signed by its identity key or its device key. */
export async function createDeviceChallenge(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'createChallenge'>,
): Promise<ResponseOf<'createChallenge'>> {
  const { identity } = await requireActiveCaller(deps, caller);
  const type = request.type ?? ChallengeType.identity;
  const byDevice = type === ChallengeType.device ? caller.deviceKey : null;
  return createChallenge(deps.store, deps.clock(), type, identity.address, byDevice);
}

/**
 * Checks a signature over a challenge: type Identity against its creator's identity key, type Device against
 * its creator device's key (purpose `challenge`). An unreadable signature is simply not valid.
 * @throws ProtocolError `error.challenges.notFound|expired|wrongType`.
 */
export async function validateChallenge(
  deps: IdentitiesDeps,
  caller: DeviceCaller,
  request: RequestOf<'validateChallenge'>,
): Promise<ResponseOf<'validateChallenge'>> {
  await requireActiveCaller(deps, caller);
  const row = await deps.store.run((m) =>
    m.getRepository(ChallengeEntity).findOneBy({ id: request.challengeId }),
  );
  if (!row) throw new ProtocolError(ErrorCodes.challengeNotFound, 'no such challenge');
  if (row.expiresAt <= deps.clock())
    throw new ProtocolError(ErrorCodes.challengeExpired, 'the challenge has expired');
  const createdBy = row.createdBy;
  if (createdBy === null) {
    throw new ProtocolError(ErrorCodes.challengeWrongType, 'an anonymous challenge names no signer');
  }
  const challenge = challengeToWire(row);
  let publicKey: Uint8Array | undefined;
  if (row.type === ChallengeType.device && row.createdByDevice) {
    publicKey = devicePublicKeyToRaw(row.createdByDevice);
  } else {
    const identity = await deps.store.run((m) =>
      m.getRepository(IdentityEntity).findOneBy({ address: createdBy }),
    );
    if (identity) publicKey = fromBase64Url(identity.publicKey);
  }
  let isValid = false;
  try {
    isValid =
      publicKey !== undefined &&
      verify(
        publicKey,
        challengeSigningInput(SignaturePurpose.challenge, challenge),
        fromBase64Url(request.signature),
      );
  } catch {
    isValid = false;
  }
  return {
    isValid,
    type: challenge.type,
    ...(challenge.createdBy ? { createdBy: challenge.createdBy } : {}),
    ...(challenge.createdByDevice ? { createdByDevice: challenge.createdByDevice } : {}),
  };
}
