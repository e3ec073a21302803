/**
 * Writes the known-answer vectors of shared/protocol/test-vectors/sealing-*.json.
 *
 *   npx tsx shared/protocol/src/sealing/vectors.generate.ts
 *
 * Every vector is computed with this module from fixed inputs (keys, nonces, salts); the tests only
 * READ the committed JSON and recompute it. Re-run this script only to add vectors, and review the diff:
 * a change to an existing vector is a protocol break.
 */
import { scryptSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  concatBytes,
  exchangeKeyPairFromPrivate,
  fromHex,
  hmacSha256,
  sha256,
  sharedSecret,
  toHex,
  utf8,
} from '../crypto/index.js';
import {
  canonicalHeaderBytes,
  contentKey,
  deriveEpochKey,
  deriveFileChunkKey,
  derivePasswordSecrets,
  deriveRelationshipSecrets,
  encodeEnvelope,
  encodeFileMetadata,
  fileChunkAssociatedData,
  fileChunkNonce,
  SCRYPT_MAX_MEMORY,
  SCRYPT_PARAMETERS,
  sealContentWithNonce,
  sealFileChunk,
  sealFileMetadataWithNonce,
  sealMessageWithRandomness,
} from './index.js';
import { relationshipInfo } from './relationship-keys.js';
import { address, referenceVectors, run } from './vectors-reference.js';

function passwords() {
  const cases = [
    { name: 'ASCII password', password: 'correct horse battery staple', salt: run(0x00, 16) },
    { name: 'six-digit PIN', password: '123456', salt: run(0x10, 16) },
    { name: 'decomposed é (NFD input, NFC-normalised)', password: 'caf\u0065\u0301', salt: run(0x20, 16) },
  ].map((v) => {
    const normalised = utf8(v.password.normalize('NFC'));
    const scrypt = scryptSync(normalised, fromHex(v.salt), 32, {
      ...SCRYPT_PARAMETERS,
      maxmem: SCRYPT_MAX_MEMORY,
    });
    const secrets = derivePasswordSecrets(v.password, fromHex(v.salt));
    return {
      ...v,
      passwordUtf8Nfc: toHex(normalised),
      scrypt: toHex(scrypt),
      keyPart: toHex(secrets.keyPart),
      verifier: toHex(secrets.verifier),
    };
  });
  const keyPart = cases[0]?.keyPart ?? '';
  const contentKeys = [
    { name: 'reference key only', referenceKey: run(0x40) },
    { name: 'reference key and password key part', referenceKey: run(0x40), passwordKeyPart: keyPart },
  ].map((v) => ({
    ...v,
    contentKey: toHex(
      contentKey(
        fromHex(v.referenceKey),
        v.passwordKeyPart === undefined ? undefined : fromHex(v.passwordKeyPart),
      ),
    ),
  }));
  return {
    description: `Passwords: scrypt(UTF-8(NFC(password)), salt, N=${SCRYPT_PARAMETERS.N}, r=${SCRYPT_PARAMETERS.r}, p=${SCRYPT_PARAMETERS.p}, 32) then HKDF-SHA256 (empty salt) with info "enmesh/password/key-part/v1" and "enmesh/password/verifier/v1". contentKeys: HKDF-SHA256(referenceKey [|| passwordKeyPart], "", "enmesh/content-key/v1" | "enmesh/content-key/password/v1", 32). Binary fields hex.`,
    passwords: cases,
    contentKeys,
  };
}

function sealedContent() {
  const vectors = [
    {
      name: 'token content',
      key: run(0x60),
      nonce: run(0x80, 12),
      type: 'token',
      id: 'TOKa1B2c3D4e5F6g7H8i9J0',
      plaintext: toHex(utf8('{"@type":"TokenContent"}')),
    },
    {
      name: 'template, empty plaintext',
      key: run(0x61),
      nonce: run(0x81, 12),
      type: 'template',
      id: 'RLTz9Y8x7W6v5U4t3S2r1Q0',
      plaintext: '',
    },
    {
      name: 'file metadata',
      key: run(0x62),
      nonce: run(0x82, 12),
      type: 'file',
      id: 'FIL-meta.data_1',
      plaintext: run(0x00, 100),
    },
  ].map((v) => {
    const context = { type: v.type, id: v.id };
    return {
      ...v,
      associatedData: JSON.stringify(['enmesh.sealed-content', 1, v.type, v.id]),
      sealed: toHex(sealContentWithNonce(fromHex(v.key), fromHex(v.nonce), fromHex(v.plaintext), context)),
    };
  });
  return {
    description:
      'Sealed content: sealed = 0x01 || nonce(12) || ChaCha20-Poly1305(key, nonce, plaintext, ad = UTF-8(associatedData)). Binary fields hex.',
    vectors,
  };
}

function relationships() {
  const templatorPrivate = run(0xa0);
  const requestorPrivate = run(0xc0);
  const templatorPublic = exchangeKeyPairFromPrivate(fromHex(templatorPrivate)).publicKey;
  const requestorPublic = exchangeKeyPairFromPrivate(fromHex(requestorPrivate)).publicKey;
  const relationshipId = 'RELq1W2e3R4t5Y6u7I8o9P0';
  const templator = deriveRelationshipSecrets({
    role: 'templator',
    ownExchangePrivate: fromHex(templatorPrivate),
    peerExchangePublic: requestorPublic,
    templatorExchangePublic: templatorPublic,
    requestorExchangePublic: requestorPublic,
    relationshipId,
  });
  const start = templator.sendKey;
  const epochs = [0, 1, 2, 3, 10, 1000].map((epoch) => ({ epoch, key: toHex(deriveEpochKey(start, epoch)) }));
  return {
    description:
      'Relationship keys: okm = HKDF-SHA256(X25519(own, peer), "", info, 64); info = UTF-8("enmesh/relationship/v1") || 0x00 || T || R || UTF-8(relationshipId); templatorToRequestor = okm[0..32], requestorToTemplator = okm[32..64]. ratchet: k(n+1) = HKDF-SHA256(k(n), "", "enmesh/relationship/ratchet/v1", 32), starting from templatorToRequestor. Binary fields hex.',
    relationships: [
      {
        name: 'fixed key pairs',
        templatorPrivate,
        templatorPublic: toHex(templatorPublic),
        requestorPrivate,
        requestorPublic: toHex(requestorPublic),
        relationshipId,
        sharedSecret: toHex(sharedSecret(fromHex(templatorPrivate), requestorPublic)),
        info: toHex(relationshipInfo(templatorPublic, requestorPublic, relationshipId)),
        templatorToRequestor: toHex(templator.sendKey),
        requestorToTemplator: toHex(templator.receiveKey),
      },
    ],
    ratchet: { from: toHex(start), epochs },
  };
}

function messages() {
  const sender = address(0x01);
  const recipientsOf = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      address: address(0x20 + i),
      sendKey: run(0x40 + i),
      epoch: [0, 7, 4294967295][i] ?? 0,
      wrapNonce: run(0xf0 + i, 12),
    }));
  const cases = [
    {
      name: 'one recipient, 120-byte content',
      recipients: recipientsOf(1),
      content: toHex(utf8('hello '.repeat(20))),
    },
    { name: 'three recipients, epochs 0, 7, 2^32-1', recipients: recipientsOf(3), content: run(0x00, 256) },
    { name: 'one recipient, empty content', recipients: recipientsOf(1), content: '' },
  ];
  const vectors = cases.map((v, i) => {
    const randomness = { contentKey: run(0x90 + i), bodyNonce: run(0xe0 + i, 12) };
    const input = {
      id: `MSG${'abcdefghijklmnopq'.slice(i)}${i}`,
      sender,
      createdAt: `2025-0${i + 1}-15T12:34:56.78${i}Z`,
      recipients: v.recipients.map((r) => ({
        address: r.address,
        sendKey: fromHex(r.sendKey),
        epoch: r.epoch,
      })),
      content: fromHex(v.content),
    };
    const envelope = sealMessageWithRandomness(input, {
      contentKey: fromHex(randomness.contentKey),
      bodyNonce: fromHex(randomness.bodyNonce),
      wrapNonces: v.recipients.map((r) => fromHex(r.wrapNonce)),
    });
    return {
      name: v.name,
      id: input.id,
      sender,
      createdAt: input.createdAt,
      recipients: v.recipients.map((r) => ({
        ...r,
        wrapKey: toHex(hmacSha256(fromHex(r.sendKey), utf8('enmesh/message/wrap/v1\u0001'))),
      })),
      content: v.content,
      ...randomness,
      commitment: toHex(
        sha256(concatBytes(utf8('enmesh/message/key-commitment/v1'), fromHex(randomness.contentKey))),
      ),
      body: toHex(Buffer.from(envelope.body, 'base64url')),
      canonicalHeader: Buffer.from(canonicalHeaderBytes(envelope.header)).toString('utf8'),
      envelope,
      encoded: toHex(encodeEnvelope(envelope)),
    };
  });
  return {
    description:
      'Messages: body = 0x01 || SHA-256("enmesh/message/key-commitment/v1" || contentKey) || bodyNonce || ChaCha20-Poly1305(contentKey, bodyNonce, content, ""); contentHash = base64url(SHA-256(body)); wrapKey = HMAC-SHA256(sendKey, "enmesh/message/wrap/v1" || 0x01); wrapped = wrapNonce || ChaCha20-Poly1305(wrapKey, wrapNonce, contentKey, canonicalHeader). Binary fields hex; envelope as its object form (JSON); encoded = hex of encodeEnvelope, the byte form.',
    vectors,
  };
}

function fileVectors() {
  const contentKey = run(0x30);
  const fileSalt = run(0x50, 16);
  const chunkKey = deriveFileChunkKey(fromHex(contentKey), fromHex(fileSalt));
  const plaintext = run(0x00, 40);
  const chunkSize = 16;
  const chunk = (index: number, isLast: boolean, bytes: string) => ({
    index,
    isLast,
    nonce: toHex(fileChunkNonce(index)),
    associatedData: toHex(fileChunkAssociatedData(fromHex(fileSalt), index, isLast)),
    plaintext: bytes,
    sealed: toHex(sealFileChunk(chunkKey, fromHex(fileSalt), index, isLast, fromHex(bytes))),
  });
  const whole = fromHex(plaintext);
  const metadata = {
    name: 'Bericht – März.pdf',
    mimeType: 'application/pdf',
    size: whole.length,
    chunkSize,
    sha256: sha256(whole),
    contentKey: fromHex(contentKey),
    fileSalt: fromHex(fileSalt),
  };
  const metadataKey = run(0x70);
  const metadataNonce = run(0x90, 12);
  const fileId = 'FILa1B2c3D4e5F6g7H8i9J0';
  return {
    description:
      'File chunks: chunkKey = HKDF-SHA256(contentKey, fileSalt, "enmesh/file/chunk/v1", 32); chunk i: nonce = 12-byte big-endian i, ad = fileSalt || uint32be(i) || isLast (0x01/0x00), sealed = ChaCha20-Poly1305 ciphertext || tag (no nonce). Metadata: sealed content (type "file-metadata", id = file id) of the metadata JSON. Binary fields hex.',
    contentKey,
    fileSalt,
    chunkKey: toHex(chunkKey),
    chunkSize,
    plaintext,
    chunks: [
      chunk(0, false, plaintext.slice(0, 32)),
      chunk(1, false, plaintext.slice(32, 64)),
      chunk(2, true, plaintext.slice(64)),
    ],
    emptyFile: chunk(0, true, ''),
    metadata: {
      key: metadataKey,
      nonce: metadataNonce,
      fileId,
      json: Buffer.from(encodeFileMetadata(metadata)).toString('utf8'),
      sealed: toHex(
        sealFileMetadataWithNonce(fromHex(metadataKey), fromHex(metadataNonce), fileId, metadata),
      ),
    },
  };
}

/** Writes every sealing vector file into shared/protocol/test-vectors/. */
export function writeVectors(): void {
  const files = {
    'sealing-reference': referenceVectors(),
    'sealing-password': passwords(),
    'sealing-content': sealedContent(),
    'sealing-relationship': relationships(),
    'sealing-message': messages(),
    'sealing-file': fileVectors(),
  };
  for (const [name, content] of Object.entries(files)) {
    const url = new URL(`../../test-vectors/${name}.json`, import.meta.url);
    writeFileSync(url, `${JSON.stringify(content, null, 2)}\n`);
    console.log(`wrote ${url.pathname}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) writeVectors();
