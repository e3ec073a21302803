import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateExchangeKeyPair } from '../crypto/exchange.js';
import { hkdf } from '../crypto/kdf.js';
import {
  deriveEpochKey,
  deriveRelationshipSecrets,
  MAX_EPOCH,
  MAX_RATCHET_STEPS,
  type RelationshipKeyInput,
  ratchetKey,
  relationshipInfo,
} from './relationship-keys.js';
import { expectCryptoError, hex, loadSealingVectors, toHexString } from './test-support.js';

interface RelationshipVectors {
  relationships: {
    name: string;
    templatorPrivate: string;
    templatorPublic: string;
    requestorPrivate: string;
    requestorPublic: string;
    relationshipId: string;
    sharedSecret: string;
    info: string;
    templatorToRequestor: string;
    requestorToTemplator: string;
  }[];
  ratchet: { from: string; epochs: { epoch: number; key: string }[] };
}
const vectors = loadSealingVectors<RelationshipVectors>('relationship');

function inputs(id = 'RELq1W2e3R4t5Y6u7I8o9P0') {
  const templator = generateExchangeKeyPair();
  const requestor = generateExchangeKeyPair();
  const common = {
    templatorExchangePublic: templator.publicKey,
    requestorExchangePublic: requestor.publicKey,
    relationshipId: id,
  };
  const asTemplator: RelationshipKeyInput = {
    ...common,
    role: 'templator',
    ownExchangePrivate: templator.privateKey,
    peerExchangePublic: requestor.publicKey,
  };
  const asRequestor: RelationshipKeyInput = {
    ...common,
    role: 'requestor',
    ownExchangePrivate: requestor.privateKey,
    peerExchangePublic: templator.publicKey,
  };
  return { asTemplator, asRequestor };
}

describe('relationship keys known answers', () => {
  for (const v of vectors.relationships) {
    it(`${v.name}: both roles derive the documented keys`, () => {
      const common = {
        templatorExchangePublic: hex(v.templatorPublic),
        requestorExchangePublic: hex(v.requestorPublic),
        relationshipId: v.relationshipId,
      };
      const info = relationshipInfo(hex(v.templatorPublic), hex(v.requestorPublic), v.relationshipId);
      expect(toHexString(info)).toBe(v.info);
      const okm = toHexString(hkdf(hex(v.sharedSecret), new Uint8Array(0), hex(v.info), 64));
      expect(okm).toBe(v.templatorToRequestor + v.requestorToTemplator);
      const t = deriveRelationshipSecrets({
        ...common,
        role: 'templator',
        ownExchangePrivate: hex(v.templatorPrivate),
        peerExchangePublic: hex(v.requestorPublic),
      });
      const r = deriveRelationshipSecrets({
        ...common,
        role: 'requestor',
        ownExchangePrivate: hex(v.requestorPrivate),
        peerExchangePublic: hex(v.templatorPublic),
      });
      expect(toHexString(t.sendKey)).toBe(v.templatorToRequestor);
      expect(toHexString(t.receiveKey)).toBe(v.requestorToTemplator);
      expect(toHexString(r.sendKey)).toBe(v.requestorToTemplator);
      expect(toHexString(r.receiveKey)).toBe(v.templatorToRequestor);
    });
  }

  it('ratchets to the documented epoch keys', () => {
    const { from, epochs } = vectors.ratchet;
    for (const { epoch, key } of epochs) expect(toHexString(deriveEpochKey(hex(from), epoch))).toBe(key);
    const [e0, e1, e2] = epochs;
    expect(toHexString(ratchetKey(hex(e0!.key)))).toBe(e1!.key);
    expect(toHexString(hkdf(hex(e1!.key), new Uint8Array(0), 'enmesh/relationship/ratchet/v1', 32))).toBe(
      e2!.key,
    );
  });
});

describe('deriveRelationshipSecrets', () => {
  it('gives both sides the same keys, swapped, and distinct per direction', () => {
    const { asTemplator, asRequestor } = inputs();
    const t = deriveRelationshipSecrets(asTemplator);
    const r = deriveRelationshipSecrets(asRequestor);
    expect(t.sendKey).toEqual(r.receiveKey);
    expect(t.receiveKey).toEqual(r.sendKey);
    expect(t.sendKey).not.toEqual(t.receiveKey);
    expect(t.sendKey).toHaveLength(32);
  });

  it('binds the relationship id and both public keys', () => {
    const { asTemplator } = inputs('REL1');
    const base = deriveRelationshipSecrets(asTemplator).sendKey;
    expect(deriveRelationshipSecrets({ ...asTemplator, relationshipId: 'REL2' }).sendKey).not.toEqual(base);
    // The same key pairs in another relationship (e.g. a template used twice) give other keys.
    const reversed = deriveRelationshipSecrets({
      ...asTemplator,
      role: 'requestor',
      templatorExchangePublic: asTemplator.requestorExchangePublic,
      requestorExchangePublic: asTemplator.templatorExchangePublic,
    });
    expect(reversed.sendKey).not.toEqual(base);
    expect(reversed.receiveKey).not.toEqual(base);
  });

  it('refuses inconsistent or bad input', () => {
    const { asTemplator, asRequestor } = inputs();
    const other = generateExchangeKeyPair();
    expectCryptoError(
      () => deriveRelationshipSecrets({ ...asTemplator, peerExchangePublic: other.publicKey }),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => deriveRelationshipSecrets({ ...asTemplator, ownExchangePrivate: asRequestor.ownExchangePrivate }),
      'error.crypto.invalidKey',
    );
    expectCryptoError(
      () => deriveRelationshipSecrets({ ...asTemplator, role: 'requestor' }),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(
      () => deriveRelationshipSecrets({ ...asTemplator, role: 'peer' as 'templator' }),
      'error.crypto.invalidArgument',
    );
    for (const relationshipId of ['', 'x'.repeat(129), 'REL 1', 'RÉL']) {
      expectCryptoError(
        () => deriveRelationshipSecrets({ ...asTemplator, relationshipId }),
        'error.crypto.invalidArgument',
      );
    }
    expectCryptoError(
      () => deriveRelationshipSecrets({ ...asTemplator, templatorExchangePublic: new Uint8Array(31) }),
      'error.crypto.invalidKey',
    );
    // A small-order peer key: X25519 gives all zeros, refused.
    const zero = new Uint8Array(32);
    expectCryptoError(
      () =>
        deriveRelationshipSecrets({
          ...asTemplator,
          peerExchangePublic: zero,
          requestorExchangePublic: zero,
        }),
      'error.crypto.invalidKey',
    );
  });

  it('prints without its keys', () => {
    const secrets = deriveRelationshipSecrets(inputs().asTemplator);
    for (const text of [String(secrets), JSON.stringify(secrets), inspect(secrets)]) {
      expect(text).not.toContain(toHexString(secrets.sendKey));
      expect(text).not.toContain(Buffer.from(secrets.receiveKey).toString('base64url'));
      expect(text).toContain('templator');
    }
  });
});

describe('epoch ratchet', () => {
  const base = new Uint8Array(nodeRandomBytes(32));

  it('goes forward step by step and from any known epoch', () => {
    const e3 = deriveEpochKey(base, 3);
    expect(ratchetKey(ratchetKey(ratchetKey(base)))).toEqual(e3);
    expect(deriveEpochKey(e3, 10, 3)).toEqual(deriveEpochKey(base, 10));
    expect(deriveEpochKey(base, 0)).toEqual(base);
    expect(deriveEpochKey(base, 0)).not.toBe(base);
    expect(new Set([0, 1, 2, 3].map((n) => toHexString(deriveEpochKey(base, n)))).size).toBe(4);
  });

  it('never goes back, and bounds the work of one call', () => {
    expectCryptoError(() => deriveEpochKey(base, 2, 3), 'error.crypto.invalidArgument');
    expectCryptoError(() => deriveEpochKey(base, MAX_RATCHET_STEPS + 1), 'error.crypto.invalidArgument');
    expect(deriveEpochKey(base, MAX_EPOCH, MAX_EPOCH)).toEqual(base);
    for (const epoch of [-1, 1.5, Number.NaN, MAX_EPOCH + 1, '1' as unknown as number]) {
      expectCryptoError(() => deriveEpochKey(base, epoch), 'error.crypto.invalidArgument');
    }
    expectCryptoError(() => ratchetKey(new Uint8Array(16)), 'error.crypto.invalidKey');
    expectCryptoError(() => deriveEpochKey(new Uint8Array(33), 1), 'error.crypto.invalidKey');
  });
});
