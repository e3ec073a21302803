import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentKey, derivePasswordSecrets } from './password.js';
import {
  decodeReference,
  encodeReference,
  type Reference,
  referenceFromUrl,
  referenceToUrl,
} from './reference.js';
import {
  openContent,
  SEALED_CONTENT_OVERHEAD,
  sealContent,
  sealContentWithNonce,
  sealedContentAssociatedData,
} from './sealed-content.js';
import {
  expectCryptoError,
  flipBit,
  hex,
  loadSealingVectors,
  testAddress,
  toHexString,
} from './test-support.js';

interface ContentVectors {
  vectors: {
    name: string;
    key: string;
    nonce: string;
    type: string;
    id: string;
    plaintext: string;
    associatedData: string;
    sealed: string;
  }[];
}
const { vectors } = loadSealingVectors<ContentVectors>('content');
const key = new Uint8Array(nodeRandomBytes(32));
const context = { type: 'token', id: 'TOKa1B2c3D4e5F6g7H8i9J0' };
const plaintext = new TextEncoder().encode('{"@type":"TokenContent","secret":"x"}');

describe('sealed content known answers', () => {
  for (const v of vectors) {
    it(`${v.name}: seals and opens`, () => {
      const ctx = { type: v.type, id: v.id };
      expect(Buffer.from(sealedContentAssociatedData(ctx)).toString('utf8')).toBe(v.associatedData);
      expect(toHexString(sealContentWithNonce(hex(v.key), hex(v.nonce), hex(v.plaintext), ctx))).toBe(
        v.sealed,
      );
      expect(v.sealed.slice(0, 26)).toBe(`01${v.nonce}`);
      expect(toHexString(openContent(hex(v.key), hex(v.sealed), ctx))).toBe(v.plaintext);
    });
  }
});

describe('sealContent / openContent', () => {
  it('round-trips with a fresh nonce each time', () => {
    const a = sealContent(key, plaintext, context);
    const b = sealContent(key, plaintext, context);
    expect(a).toHaveLength(plaintext.length + SEALED_CONTENT_OVERHEAD);
    expect(toHexString(a)).not.toBe(toHexString(b));
    expect(openContent(key, a, context)).toEqual(plaintext);
    expect(openContent(key, sealContent(key, new Uint8Array(0), context), context)).toEqual(
      new Uint8Array(0),
    );
  });

  it('cannot be served as another id or type', () => {
    const sealed = sealContent(key, plaintext, context);
    for (const other of [
      { type: 'token', id: 'TOKa1B2c3D4e5F6g7H8i9J1' },
      { type: 'template', id: context.id },
      { type: 'file', id: context.id },
    ]) {
      expectCryptoError(() => openContent(key, sealed, other), 'error.crypto.decryptionFailed');
    }
  });

  it('fails on a flipped bit anywhere, truncation, another version or another key', () => {
    const sealed = sealContent(key, plaintext, context);
    for (let i = 0; i < sealed.length; i++) {
      expectCryptoError(
        () => openContent(key, flipBit(sealed, i, i % 8), context),
        'error.crypto.decryptionFailed',
      );
    }
    for (const n of [0, 1, SEALED_CONTENT_OVERHEAD - 1, sealed.length - 1]) {
      expectCryptoError(
        () => openContent(key, sealed.subarray(0, n), context),
        'error.crypto.decryptionFailed',
      );
    }
    const v2 = new Uint8Array(sealed);
    v2[0] = 2;
    expectCryptoError(() => openContent(key, v2, context), 'error.crypto.decryptionFailed');
    expectCryptoError(
      () => openContent(new Uint8Array(32), sealed, context),
      'error.crypto.decryptionFailed',
    );
    expectCryptoError(
      () => openContent(key, 'sealed' as unknown as Uint8Array, context),
      'error.crypto.decryptionFailed',
    );
  });

  it('refuses bad contexts and keys', () => {
    for (const bad of [
      { type: '', id: 'x' },
      { type: 'token', id: '' },
      { type: 'tok en', id: 'x' },
      { type: 'token', id: 'x"y' },
      { type: 'token', id: 'x'.repeat(129) },
      { type: 't\u00e9', id: 'x' },
    ]) {
      expectCryptoError(() => sealContent(key, plaintext, bad), 'error.crypto.invalidArgument');
      expectCryptoError(() => openContent(key, new Uint8Array(40), bad), 'error.crypto.invalidArgument');
    }
    expectCryptoError(
      () => sealContent(key, plaintext, null as unknown as typeof context),
      'error.crypto.invalidArgument',
    );
    expectCryptoError(() => sealContent(new Uint8Array(16), plaintext, context), 'error.crypto.invalidKey');
    expectCryptoError(
      () => openContent(new Uint8Array(16), new Uint8Array(40), context),
      'error.crypto.invalidKey',
    );
    expectCryptoError(
      () => sealContentWithNonce(key, new Uint8Array(8), plaintext, context),
      'error.crypto.invalidNonce',
    );
  });
});

describe('token flow: reference, password, sealed content', () => {
  it('lets the loader open only with the reference key and the password', () => {
    const salt = new Uint8Array(nodeRandomBytes(16));
    const ref: Reference = {
      type: 'token',
      id: context.id,
      key: new Uint8Array(nodeRandomBytes(32)),
      host: 'enmesh.example',
      forIdentity: testAddress(7),
      password: { kind: 'pin', length: 4, salt },
    };
    const creator = derivePasswordSecrets('4711', salt);
    const sealed = sealContent(contentKey(ref.key, creator.keyPart), plaintext, context);
    // What the backbone stores and compares: the verifier only.
    const storedVerifier = creator.verifier;

    const loaded = referenceFromUrl(referenceToUrl(ref, 'https://enmesh.example/r'));
    const loader = derivePasswordSecrets('4711', loaded.password!.salt);
    expect(loader.verifier).toEqual(storedVerifier);
    expect(
      openContent(contentKey(loaded.key, loader.keyPart), sealed, { type: loaded.type, id: loaded.id }),
    ).toEqual(plaintext);

    const wrongPin = derivePasswordSecrets('4712', loaded.password!.salt);
    expect(wrongPin.verifier).not.toEqual(storedVerifier);
    expectCryptoError(
      () => openContent(contentKey(loaded.key, wrongPin.keyPart), sealed, context),
      'error.crypto.decryptionFailed',
    );
    // The backbone knows the verifier (and may brute-force the PIN) but never the reference key.
    expectCryptoError(
      () => openContent(contentKey(new Uint8Array(32), loader.keyPart), sealed, context),
      'error.crypto.decryptionFailed',
    );
    expect(decodeReference(encodeReference(ref)).password?.length).toBe(4);
  });
});
