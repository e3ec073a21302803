import { type Actor, type DeviceCaller, defineActor, type HandlerContext } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import { LessThan } from 'typeorm';
import { createAnonymousChallenge, createDeviceChallenge, validateChallenge } from './challenge-handlers.js';
import type { IdentitiesDeps } from './context.js';
import { requireActiveCaller } from './context.js';
import { pushDatawallet } from './datawallet.js';
import { cancelDeletion, getDeletion, startDeletion } from './deletion.js';
import { addDevice, deleteDevice, listDevices, renameDevice, revokeDevice } from './devices.js';
import { ChallengeEntity } from './entities.js';
import { commitCursor, openMailbox } from './mailbox.js';
import { createIdentity, loginDevice, refreshCredentials } from './registration.js';
import { pushRevocations } from './revocations.js';

function device(context: HandlerContext): DeviceCaller {
  // The kit routes device operations only to device callers; this narrows the type and guards the routing.
  if (context.caller.kind !== 'device')
    throw new ProtocolError(ErrorCodes.unauthorized, 'a device must call this');
  return context.caller;
}

/** How long used or expired challenges are kept before housekeeping removes them. */
const challengeRetentionMs = 24 * 3600 * 1000;

/**
 * The identities actor: identities, devices, challenges and mailbox cursors. On start it pushes the complete
 * revocation list, so that a restarted server never admits a revoked device.
 */
export function createIdentitiesActor(deps: IdentitiesDeps): Actor & { housekeep(): Promise<void> } {
  const housekeep = async () => {
    await deps.store.run((m) =>
      m.getRepository(ChallengeEntity).delete({ expiresAt: LessThan(deps.clock() - challengeRetentionMs) }),
    );
    await pushRevocations(deps);
  };
  const actor = defineActor({
    name: 'identities',
    handlers: {
      createAnonymousChallenge: (request) => createAnonymousChallenge(deps, request),
      createChallenge: (request, context) => createDeviceChallenge(deps, device(context), request),
      validateChallenge: (request, context) => validateChallenge(deps, device(context), request),
      createIdentity: (request) => createIdentity(deps, request),
      getOwnIdentity: async (_request, context) => {
        const { identity } = await requireActiveCaller(deps, device(context));
        return {
          address: identity.address,
          publicKey: identity.publicKey,
          createdAt: new Date(identity.createdAt).toISOString(),
        };
      },
      startIdentityDeletion: (_request, context) => startDeletion(deps, device(context)),
      cancelIdentityDeletion: (_request, context) => cancelDeletion(deps, device(context)),
      getIdentityDeletion: (_request, context) => getDeletion(deps, device(context)),
      loginDevice: (request) => loginDevice(deps, request),
      refreshCredentials: (_request, context) => refreshCredentials(deps, device(context)),
      addDevice: (request, context) => addDevice(deps, device(context), request),
      listDevices: (_request, context) => listDevices(deps, device(context)),
      renameDevice: (request, context) => renameDevice(deps, device(context), request),
      revokeDevice: (request, context) => revokeDevice(deps, device(context), request),
      deleteDevice: (request, context) => deleteDevice(deps, device(context), request),
      pushDatawallet: (request, context) => pushDatawallet(deps, device(context), request),
      openMailbox: (request, context) => openMailbox(deps, device(context), request),
      commitCursor: (request, context) => commitCursor(deps, device(context), request),
    },
    start: () => pushRevocations(deps),
  });
  return { ...actor, housekeep };
}
