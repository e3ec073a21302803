import { type Actor, type DeviceCaller, defineActor, type HandlerContext } from '@enmesh/actor-kit';
import { ErrorCodes, ProtocolError } from '@enmesh/protocol';
import { LessThan } from 'typeorm';
import type { TokensDeps } from './context.js';
import { TokenEntity } from './entities.js';
import { createEmptyToken, createToken, deleteToken, fillToken, loadToken } from './handlers.js';

function device(context: HandlerContext): DeviceCaller {
  if (context.caller.kind !== 'device')
    throw new ProtocolError(ErrorCodes.unauthorized, 'a device must call this');
  return context.caller;
}

/** Expired tokens are kept this long (answering `expired`), then removed by housekeeping. */
const expiredRetentionMs = 30 * 24 * 3600 * 1000;

/** The tokens actor. */
export function createTokensActor(deps: TokensDeps): Actor & { housekeep(): Promise<void> } {
  const actor = defineActor({
    name: 'tokens',
    handlers: {
      createToken: (request, context) => createToken(deps, device(context), request),
      createEmptyToken: () => createEmptyToken(deps),
      fillToken: (request, context) => fillToken(deps, device(context), request),
      loadToken: (request, context) => loadToken(deps, context.caller, request),
      loadTokenAnonymously: (request, context) => loadToken(deps, context.caller, request),
      deleteToken: (request, context) => deleteToken(deps, device(context), request),
    },
  });
  const housekeep = async () => {
    const before = deps.clock() - expiredRetentionMs;
    await deps.store.run((m) => m.getRepository(TokenEntity).delete({ expiresAt: LessThan(before) }));
  };
  return { ...actor, housekeep };
}
