import { challengeSchema, ProtocolError } from '@enmesh/protocol';
import { z } from 'zod';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import type { RouteRegistry } from '../openapi/registry.js';
import { identityInfoSchema, signedChallengeSchema } from './dto-schemas.js';
import { apiPrefix, callOptions, type DomainRouteOptions, idSchema } from './route-kit.js';

const createChallengeBody = z.discriminatedUnion('challengeType', [
  z.strictObject({ challengeType: z.literal('Identity') }),
  z.strictObject({ challengeType: z.literal('Device') }),
  z.strictObject({ challengeType: z.literal('Relationship'), relationship: idSchema('REL') }),
]);

const validateChallengeBody = z.strictObject({
  challengeString: z.string().min(1).max(4000),
  signature: z.string().min(1).max(500),
});

/**
 * Registers the Account routes (scope `core:account`): who the connector is and the sync of its mailbox,
 * and the Challenges routes (scope `core:challenges`): signed challenges of the identity or this device,
 * and their validation. Challenges of a relationship are not supported by the backbone and answer 400
 * `error.connector.challenges.typeNotSupported`.
 */
export function registerAccountRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  const { account } = options;
  const tags = ['Account'];
  const scopes = ['core:account'];
  // The mailbox is applied continuously; a sync flushes what waits to be sent and is recorded here.
  let lastSyncRun = new Date().toISOString();
  registry.add({
    method: 'get',
    path: `${apiPrefix}/Account/IdentityInfo`,
    summary: "The identity's address and public key.",
    tags,
    scopes,
    result: identityInfoSchema,
    handler: () => account.transport.account.getIdentityInfo(),
  });
  registry.add({
    method: 'post',
    path: `${apiPrefix}/Account/Sync`,
    summary: 'Sends what waits in the outbox; incoming changes are applied continuously from the mailbox.',
    tags,
    scopes,
    successStatus: 204,
    result: z.null(),
    handler: async () => {
      await account.transportAccount.flushOutbox();
      lastSyncRun = new Date().toISOString();
      return null;
    },
  });
  registry.add({
    method: 'get',
    path: `${apiPrefix}/Account/SyncInfo`,
    summary: 'When the last sync completed (the start of the identity, or the last `POST /Account/Sync`).',
    description: '`syncTime` repeats `completedAt`: the reference requires it.',
    tags,
    scopes,
    result: z.object({ lastSyncRun: z.object({ completedAt: z.string(), syncTime: z.string() }) }),
    handler: () => ({ lastSyncRun: { completedAt: lastSyncRun, syncTime: lastSyncRun } }),
  });

  const challengeTags = ['Challenges'];
  const challengeScopes = ['core:challenges'];
  registry.add({
    method: 'post',
    path: `${apiPrefix}/Challenges`,
    summary:
      'Creates a challenge on the backbone and signs it with the identity key (Identity) or device key.',
    tags: challengeTags,
    scopes: challengeScopes,
    body: createChallengeBody,
    successStatus: 201,
    result: signedChallengeSchema,
    handler: async ({ body }) => {
      if (body.challengeType === 'Relationship') {
        throw new ConnectorError(
          ConnectorErrorCodes.challengeTypeNotSupported,
          'Challenges of a relationship are not supported; use an Identity or Device challenge.',
        );
      }
      const session = account.transportAccount.session;
      const challenge = await session.createChallenge(body.challengeType, callOptions(options));
      const signature =
        challenge.type === 'Identity'
          ? session.signChallengeWithIdentity(account.transportAccount.identity, challenge)
          : session.signChallengeWithDevice(challenge);
      return {
        id: challenge.id,
        expiresAt: challenge.expiresAt,
        createdBy: challenge.createdBy ?? account.address,
        createdByDevice: challenge.createdByDevice ?? account.deviceId,
        type: challenge.type,
        signature,
        challengeString: JSON.stringify(challenge),
      };
    },
  });
  registry.add({
    method: 'post',
    path: `${apiPrefix}/Challenges/Validate`,
    summary: 'Asks the backbone whether a signature over one of its challenges is valid, and who signed it.',
    tags: challengeTags,
    scopes: challengeScopes,
    body: validateChallengeBody,
    result: z.object({ isValid: z.boolean(), challengeCreatedBy: z.string().optional() }),
    handler: async ({ body }) => {
      const challenge = parseChallenge(body.challengeString);
      try {
        const answer = await account.transportAccount.session.validateChallenge(
          challenge.id,
          body.signature,
          callOptions(options),
        );
        const valid = answer.isValid && answer.type === challenge.type;
        return valid && answer.createdBy
          ? { isValid: true, challengeCreatedBy: answer.createdBy }
          : { isValid: valid };
      } catch (error) {
        // An unknown, expired or used challenge, or a signature of the wrong kind: not valid.
        if (ProtocolError.isProtocolError(error) && error.code.startsWith('error.challenges.')) {
          return { isValid: false };
        }
        throw error;
      }
    },
  });
}

function parseChallenge(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = challengeSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConnectorError(
      ConnectorErrorCodes.invalidPropertyValue,
      'Invalid request: body.challengeString: must be the challengeString of a signed challenge',
    );
  }
  return parsed.data;
}
