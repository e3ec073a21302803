import {
  deriveEpochKey,
  deriveRelationshipSecrets,
  fromBase64Url,
  type Relationship,
} from '@enmesh/protocol';
import { deriveExchangeKeyPair } from './exchange-keys.js';
import type { CreationContent } from './relationship-content.js';
import type { IdentityKeys } from './signing.js';

/** The keys of one relationship on this device: per direction, and the epoch this side sends with. */
export interface RelationshipKeys {
  readonly relationshipId: string;
  readonly peer: string;
  readonly sendBase: Uint8Array;
  readonly receiveBase: Uint8Array;
  sendEpoch: number;
}

/**
 * Derives a relationship's keys on any device of either party from the verified creation content: the own
 * exchange key is re-derived from the identity key and the nonce, the peer's comes from the content.
 * @throws CryptoError when the content's keys do not fit together.
 */
export function deriveKeys(
  identity: IdentityKeys,
  relationship: Relationship,
  creation: CreationContent,
): RelationshipKeys {
  const requestor = relationship.from === identity.address;
  const own = requestor
    ? deriveExchangeKeyPair(
        identity.privateKey,
        'relationship-request',
        fromBase64Url(creation.requestorExchangeNonce),
      )
    : deriveExchangeKeyPair(identity.privateKey, 'template', fromBase64Url(creation.templateExchangeNonce));
  const templatorExchangePublic = fromBase64Url(creation.templateExchangeKey);
  const requestorExchangePublic = fromBase64Url(creation.requestorExchangeKey);
  const secrets = deriveRelationshipSecrets({
    role: requestor ? 'requestor' : 'templator',
    ownExchangePrivate: own.privateKey,
    peerExchangePublic: requestor ? templatorExchangePublic : requestorExchangePublic,
    templatorExchangePublic,
    requestorExchangePublic,
    relationshipId: relationship.id,
  });
  return {
    relationshipId: relationship.id,
    peer: requestor ? relationship.to : relationship.from,
    sendBase: secrets.sendKey,
    receiveBase: secrets.receiveKey,
    sendEpoch: 0,
  };
}

/**
 * Epoch keys already derived, per base key object and epoch. A direction sends and receives with one epoch
 * for many messages: deriving once keeps an HKDF off every message, and the stable key object lets the
 * message sealing keep the wrap key it derives from it.
 */
const maxKeptEpochs = 8;
const epochKeys = new WeakMap<Uint8Array, Map<number, Uint8Array>>();

function epochKeyOf(base: Uint8Array, epoch: number): Uint8Array {
  let byEpoch = epochKeys.get(base);
  if (!byEpoch) {
    byEpoch = new Map();
    epochKeys.set(base, byEpoch);
  }
  let key = byEpoch.get(epoch);
  if (!key) {
    // Entries name their epoch: a peer (or the backbone) naming ever new ones must not grow this without end.
    if (byEpoch.size >= maxKeptEpochs) byEpoch.clear();
    key = deriveEpochKey(base, epoch);
    byEpoch.set(epoch, key);
  }
  return key;
}

/** The key this side sends with now. */
export function currentSendKey(keys: RelationshipKeys): { key: Uint8Array; epoch: number } {
  return { key: epochKeyOf(keys.sendBase, keys.sendEpoch), epoch: keys.sendEpoch };
}

/** The key that opens what the peer sent at `epoch`. */
export function receiveKeyAt(keys: RelationshipKeys, epoch: number): Uint8Array {
  return epochKeyOf(keys.receiveBase, epoch);
}
