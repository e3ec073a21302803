import { createCipheriv, createHash, hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto/random.js';
import {
  deriveFileChunkKey,
  FILE_CHUNK_OVERHEAD,
  fileChunkAssociatedData,
  fileChunkCount,
  fileChunkLength,
  fileChunkNonce,
  openFileChunk,
  sealFileChunk,
} from './file-chunks.js';
import {
  decodeFileMetadata,
  encodeFileMetadata,
  type FileMetadata,
  openFileMetadata,
  sealFileMetadata,
  sealFileMetadataWithNonce,
} from './file-metadata.js';
import { expectCryptoError, flipBit, hex, loadSealingVectors, toHexString } from './test-support.js';

interface ChunkVector {
  index: number;
  isLast: boolean;
  nonce: string;
  associatedData: string;
  plaintext: string;
  sealed: string;
}
interface FileVectors {
  contentKey: string;
  fileSalt: string;
  chunkKey: string;
  chunkSize: number;
  plaintext: string;
  chunks: ChunkVector[];
  emptyFile: ChunkVector;
  metadata: { key: string; nonce: string; fileId: string; json: string; sealed: string };
}
const v = loadSealingVectors<FileVectors>('file');
const salt = hex(v.fileSalt);
const chunkKey = hex(v.chunkKey);

/** ChaCha20-Poly1305 straight from node, independent of the code under test. */
function nodeSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): string {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  cipher.setAAD(ad, { plaintextLength: plaintext.length });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('hex');
}

describe('file chunk known answers', () => {
  it('derives the chunk key with HKDF-SHA256(contentKey, fileSalt, "enmesh/file/chunk/v1")', () => {
    expect(toHexString(deriveFileChunkKey(hex(v.contentKey), salt))).toBe(v.chunkKey);
    const independent = hkdfSync('sha256', hex(v.contentKey), salt, 'enmesh/file/chunk/v1', 32);
    expect(Buffer.from(independent).toString('hex')).toBe(v.chunkKey);
  });

  for (const c of [...v.chunks, v.emptyFile]) {
    it(`chunk ${c.index}${c.isLast ? ' (last)' : ''} of ${c.plaintext.length / 2} bytes seals and opens`, () => {
      expect(toHexString(fileChunkNonce(c.index))).toBe(c.nonce);
      expect(toHexString(fileChunkAssociatedData(salt, c.index, c.isLast))).toBe(c.associatedData);
      expect(toHexString(sealFileChunk(chunkKey, salt, c.index, c.isLast, hex(c.plaintext)))).toBe(c.sealed);
      expect(nodeSeal(chunkKey, hex(c.nonce), hex(c.plaintext), hex(c.associatedData))).toBe(c.sealed);
      expect(toHexString(openFileChunk(chunkKey, salt, c.index, c.isLast, hex(c.sealed)))).toBe(c.plaintext);
    });
  }

  it('metadata is a sealed content of type file-metadata bound to the file id', () => {
    const m = v.metadata;
    const metadata = decodeFileMetadata(new TextEncoder().encode(m.json));
    expect(metadata.name).toBe('Bericht – März.pdf');
    expect(toHexString(metadata.sha256)).toBe(createHash('sha256').update(hex(v.plaintext)).digest('hex'));
    expect(toHexString(sealFileMetadataWithNonce(hex(m.key), hex(m.nonce), m.fileId, metadata))).toBe(
      m.sealed,
    );
    const opened = openFileMetadata(hex(m.key), m.fileId, hex(m.sealed));
    expect(Buffer.from(encodeFileMetadata(opened)).toString('utf8')).toBe(m.json);
    expectCryptoError(
      () => openFileMetadata(hex(m.key), 'FILa1B2c3D4e5F6g7H8i9J1', hex(m.sealed)),
      'error.crypto.decryptionFailed',
    );
    expectCryptoError(
      () => openFileMetadata(hex(m.key), m.fileId, flipBit(hex(m.sealed), 40)),
      'error.crypto.decryptionFailed',
    );
  });
});

describe('file chunks refuse every change', () => {
  const key = randomBytes(32);
  const fileSalt = randomBytes(16);
  const k = deriveFileChunkKey(key, fileSalt);
  const plaintext = randomBytes(1000);
  const sealed = sealFileChunk(k, fileSalt, 3, false, plaintext);

  it('is 16 bytes longer than its plaintext and deterministic for a retry', () => {
    expect(sealed).toHaveLength(plaintext.length + FILE_CHUNK_OVERHEAD);
    expect(sealFileChunk(k, fileSalt, 3, false, plaintext)).toEqual(sealed);
  });

  it('a flipped bit, another index, the last-chunk flag, another file or a truncation fail', () => {
    const fail = (f: () => unknown) => expectCryptoError(f, 'error.crypto.decryptionFailed');
    fail(() => openFileChunk(k, fileSalt, 3, false, flipBit(sealed, 0)));
    fail(() => openFileChunk(k, fileSalt, 3, false, flipBit(sealed, sealed.length - 1)));
    fail(() => openFileChunk(k, fileSalt, 4, false, sealed));
    fail(() => openFileChunk(k, fileSalt, 3, true, sealed));
    fail(() => openFileChunk(k, randomBytes(16), 3, false, sealed));
    fail(() => openFileChunk(deriveFileChunkKey(randomBytes(32), fileSalt), fileSalt, 3, false, sealed));
    fail(() => openFileChunk(k, fileSalt, 3, false, sealed.subarray(0, sealed.length - 1)));
    fail(() => openFileChunk(k, fileSalt, 3, false, new Uint8Array(15)));
    expect(openFileChunk(k, fileSalt, 3, false, sealed)).toEqual(plaintext);
  });

  it('refuses bad arguments', () => {
    expectCryptoError(() => deriveFileChunkKey(randomBytes(31), fileSalt), 'error.crypto.invalidKey');
    expectCryptoError(() => deriveFileChunkKey(key, randomBytes(15)), 'error.crypto.invalidArgument');
    expectCryptoError(() => fileChunkNonce(-1), 'error.crypto.invalidArgument');
    expectCryptoError(() => fileChunkNonce(2 ** 32 - 1), 'error.crypto.invalidArgument');
    expectCryptoError(() => fileChunkNonce(1.5), 'error.crypto.invalidArgument');
    expect(toHexString(fileChunkNonce(2 ** 32 - 2))).toBe('0000000000000000fffffffe');
  });

  it('counts chunks and their lengths', () => {
    expect(fileChunkCount(0, 10)).toBe(1);
    expect(fileChunkLength(0, 10, 0)).toBe(0);
    expect(fileChunkCount(10, 10)).toBe(1);
    expect(fileChunkCount(11, 10)).toBe(2);
    expect([0, 1, 2].map((i) => fileChunkLength(25, 10, i))).toEqual([10, 10, 5]);
    expect(fileChunkCount(200 * 1024 ** 2, 128 * 1024)).toBe(1600);
    expectCryptoError(() => fileChunkLength(25, 10, 3), 'error.crypto.invalidArgument');
    expectCryptoError(() => fileChunkCount(-1, 10), 'error.crypto.invalidArgument');
    expectCryptoError(() => fileChunkCount(10, 0), 'error.crypto.invalidArgument');
  });
});

describe('file metadata', () => {
  const metadata: FileMetadata = {
    name: 'a.txt',
    mimeType: 'text/plain; charset=utf-8',
    size: 5,
    chunkSize: 1024,
    sha256: randomBytes(32),
    contentKey: randomBytes(32),
    fileSalt: randomBytes(16),
  };
  const json = () => JSON.parse(Buffer.from(encodeFileMetadata(metadata)).toString('utf8'));
  const decode = (value: unknown) => decodeFileMetadata(new TextEncoder().encode(JSON.stringify(value)));

  it('round-trips and prints without its keys', () => {
    const key = randomBytes(32);
    const opened = openFileMetadata(key, 'FILx', sealFileMetadata(key, 'FILx', metadata));
    expect(opened).toEqual(
      expect.objectContaining({ name: 'a.txt', size: 5, contentKey: metadata.contentKey }),
    );
    const key64 = Buffer.from(metadata.contentKey).toString('base64url');
    for (const text of [String(opened), JSON.stringify(opened), inspect(opened)]) {
      expect(text).toContain('a.txt');
      expect(text).not.toContain(key64);
    }
  });

  it('refuses unknown or missing fields and values out of their domain', () => {
    const bad = (change: Record<string, unknown>, drop?: string) => {
      const value = { ...json(), ...change };
      if (drop) delete value[drop];
      expectCryptoError(() => decode(value), 'error.crypto.invalidEncoding');
    };
    expect(decode(json()).name).toBe('a.txt');
    bad({ extra: 1 });
    bad({}, 'fileSalt');
    bad({ v: 2 });
    bad({ '@type': 'Other' });
    bad({ name: '' });
    bad({ name: 'x'.repeat(513) });
    bad({ mimeType: 'nonsense' });
    bad({ size: -1 });
    bad({ size: 1.5 });
    bad({ chunkSize: 0 });
    bad({ sha256: 'AAAA' });
    bad({ contentKey: `${json().contentKey}=` });
    expectCryptoError(
      () => decodeFileMetadata(new TextEncoder().encode('not json')),
      'error.crypto.invalidEncoding',
    );
  });
});
