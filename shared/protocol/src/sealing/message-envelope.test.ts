import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../crypto/kdf.js';
import {
  openMessage,
  openMessageBytes,
  type SealMessageInput,
  sealMessage,
  sealMessageBytes,
  sealMessageWithRandomness,
} from './message-envelope.js';
import { canonicalHeaderBytes, type MessageEnvelope } from './message-format.js';
import { decodeEnvelope, encodeEnvelope } from './message-wire.js';
import {
  expectCryptoError,
  flipBit,
  hex,
  loadSealingVectors,
  testAddress,
  toHexString,
} from './test-support.js';

interface MessageVectors {
  vectors: {
    name: string;
    id: string;
    sender: string;
    createdAt: string;
    recipients: { address: string; sendKey: string; epoch: number; wrapNonce: string; wrapKey: string }[];
    content: string;
    contentKey: string;
    bodyNonce: string;
    commitment: string;
    body: string;
    canonicalHeader: string;
    envelope: MessageEnvelope;
    encoded: string;
  }[];
}
const { vectors } = loadSealingVectors<MessageVectors>('message');

const key = () => new Uint8Array(nodeRandomBytes(32));
const [alice, bob, carol, dave] = [testAddress(1), testAddress(2), testAddress(3), testAddress(4)];
/** Pairwise directional keys: keys[`${from}>${to}`]. */
const keys = new Map<string, Uint8Array>();
for (const from of [alice, bob, carol, dave])
  for (const to of [alice, bob, carol, dave]) keys.set(`${from}>${to}`, key());
const k = (from: string, to: string) => keys.get(`${from}>${to}`)!;
const keyring = (own: string) => ({
  ownAddress: own,
  receiveKeyFor: (sender: string, epoch: number) => (epoch === 0 ? keys.get(`${sender}>${own}`) : undefined),
});
const content = new TextEncoder().encode('{"@type":"Mail","subject":"hi"}');

function input(recipients = [bob, carol]): SealMessageInput {
  return {
    id: 'MSGa1B2c3D4e5F6g7H8i9',
    sender: alice,
    createdAt: '2025-06-01T10:00:00.000Z',
    recipients: recipients.map((address) => ({ address, sendKey: k(alice, address), epoch: 0 })),
    content,
  };
}
const clone = (e: MessageEnvelope): MessageEnvelope => JSON.parse(JSON.stringify(e));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('message known answers', () => {
  for (const v of vectors) {
    it(`${v.name}: seals to the exact envelope and every recipient opens it`, () => {
      const sealed = sealMessageWithRandomness(
        {
          id: v.id,
          sender: v.sender,
          createdAt: v.createdAt,
          recipients: v.recipients.map((r) => ({
            address: r.address,
            sendKey: hex(r.sendKey),
            epoch: r.epoch,
          })),
          content: hex(v.content),
        },
        {
          contentKey: hex(v.contentKey),
          bodyNonce: hex(v.bodyNonce),
          wrapNonces: v.recipients.map((r) => hex(r.wrapNonce)),
        },
      );
      expect(sealed).toEqual(v.envelope);
      expect(toHexString(encodeEnvelope(sealed))).toBe(v.encoded);
      expect(Buffer.from(canonicalHeaderBytes(sealed.header)).toString('utf8')).toBe(v.canonicalHeader);
      expect(toHexString(Buffer.from(sealed.body, 'base64url'))).toBe(v.body);
      expect(v.body.slice(0, 2 + 64 + 24)).toBe(`01${v.commitment}${v.bodyNonce}`);
      expect(sealed.header.contentHash).toBe(b64(sha256(hex(v.body))));
      for (const r of v.recipients) {
        const opened = openMessage(v.envelope, {
          ownAddress: r.address,
          receiveKeyFor: (sender, epoch) =>
            sender === v.sender && epoch === r.epoch ? hex(r.sendKey) : undefined,
        });
        expect(toHexString(opened.content)).toBe(v.content);
        expect(opened.header).toEqual(v.envelope.header);
      }
    });
  }
});

describe('sealMessage / openMessage', () => {
  it('round-trips to every recipient with a fresh content key each time', () => {
    const a = sealMessage(input());
    const b = sealMessage(input());
    expect(a.body).not.toBe(b.body);
    for (const own of [bob, carol]) {
      const opened = openMessage(a, keyring(own));
      expect(opened.content).toEqual(content);
      expect(opened.header).toEqual(a.header);
    }
    expect(a.header.recipients).toEqual([bob, carol]);
    expect(a.keys.map((e) => e.recipient)).toEqual([bob, carol]);
  });

  it('opens an envelope from which a relay dropped the other recipients’ keys', () => {
    const e = sealMessage(input([bob, carol, dave]));
    const forCarol = { ...clone(e), keys: e.keys.filter((x) => x.recipient === carol) };
    expect(openMessage(forCarol, keyring(carol)).content).toEqual(content);
    expectCryptoError(() => openMessage(forCarol, keyring(bob)), 'error.crypto.notARecipient');
  });

  it('handles 1000 recipients and empty content', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      address: testAddress(100 + (i % 150), `h${i}.example`),
      sendKey: key(),
      epoch: i,
    }));
    const e = sealMessage({ ...input(), recipients: many, content: new Uint8Array(0) });
    const last = many[999]!;
    const opened = openMessage(e, { ownAddress: last.address, receiveKeyFor: () => last.sendKey });
    expect(opened.content).toEqual(new Uint8Array(0));
  });

  it('refuses bad input when sealing', () => {
    const bad: Partial<SealMessageInput>[] = [
      { id: '' },
      { id: 'MSG with space' },
      { sender: 'alice' },
      { createdAt: '2025-06-01T10:00:00Z' },
      { createdAt: '2025-02-30T10:00:00.000Z' },
      { recipients: [] },
      { recipients: input([bob, bob]).recipients },
      { recipients: [{ address: alice, sendKey: key(), epoch: 0 }] },
      { recipients: [{ address: 'did:e:enmesh.example:dids:00', sendKey: key(), epoch: 0 }] },
      { recipients: [{ address: bob, sendKey: key(), epoch: -1 }] },
      { recipients: [{ address: bob, sendKey: key(), epoch: 2 ** 32 }] },
      {
        recipients: Array.from({ length: 1001 }, (_, i) => ({
          address: testAddress(i % 200, `r${i}.example`),
          sendKey: key(),
          epoch: 0,
        })),
      },
      { content: 'text' as unknown as Uint8Array },
      { content: new Uint8Array(16 * 1024 * 1024 + 1) },
    ];
    for (const change of bad) {
      expectCryptoError(() => sealMessage({ ...input(), ...change }), 'error.crypto.invalidArgument');
    }
    expectCryptoError(
      () =>
        sealMessage({ ...input(), recipients: [{ address: bob, sendKey: new Uint8Array(16), epoch: 0 }] }),
      'error.crypto.invalidKey',
    );
  });
});

describe('sealMessageBytes / openMessageBytes (the wire form, checked once)', () => {
  it('seals to canonical envelope bytes that every recipient opens, as decodeEnvelope and openMessage do', () => {
    const bytes = sealMessageBytes(input());
    const decoded = decodeEnvelope(bytes);
    expect(encodeEnvelope(decoded)).toEqual(bytes);
    for (const own of [bob, carol]) {
      const opened = openMessageBytes(bytes, keyring(own));
      expect(opened).toEqual(openMessage(decoded, keyring(own)));
      expect(opened.content).toEqual(content);
    }
  });

  it('refuses what is not an envelope, and a tampered one', () => {
    const bytes = sealMessageBytes(input());
    expectCryptoError(
      () => openMessageBytes(new TextEncoder().encode('not json'), keyring(bob)),
      'error.crypto.invalidEnvelope',
    );
    expectCryptoError(
      () => openMessageBytes(new TextEncoder().encode('{"v":1}'), keyring(bob)),
      'error.crypto.invalidEnvelope',
    );
    const envelope = decodeEnvelope(bytes);
    const body = Buffer.from(envelope.body, 'base64url');
    const tampered = encodeEnvelope({ ...envelope, body: b64(flipBit(body, body.length - 1, 0)) });
    expectCryptoError(() => openMessageBytes(tampered, keyring(bob)), 'error.crypto.authenticationFailed');
    expectCryptoError(() => openMessageBytes(bytes, keyring(dave)), 'error.crypto.notARecipient');
  });

  it('refuses bad input when sealing, as sealMessage does', () => {
    expectCryptoError(() => sealMessageBytes(input([])), 'error.crypto.invalidArgument');
    expectCryptoError(() => sealMessageBytes(input([alice])), 'error.crypto.invalidArgument');
  });
});

describe('openMessage rejects tampering', () => {
  const sealed = sealMessage(input([bob, carol]));
  const reject = (e: MessageEnvelope, own = bob) =>
    expectCryptoError(() => openMessage(e, keyring(own)), 'error.crypto.authenticationFailed');

  it('a flipped bit anywhere in the body (version, commitment, nonce, ciphertext, tag)', () => {
    const body = Buffer.from(sealed.body, 'base64url');
    for (let i = 0; i < body.length; i++) reject({ ...clone(sealed), body: b64(flipBit(body, i, i % 8)) });
  });

  it('a new body with a matching content hash', () => {
    const other = sealMessage(input([bob, carol]));
    reject({
      ...clone(sealed),
      body: other.body,
      header: { ...sealed.header, contentHash: other.header.contentHash },
    });
  });

  it('a flipped bit anywhere in the wrapped key', () => {
    const wrapped = Buffer.from(sealed.keys[0]!.wrapped, 'base64url');
    for (let i = 0; i < wrapped.length; i++) {
      const e = clone(sealed);
      e.keys[0]!.wrapped = b64(flipBit(wrapped, i, i % 8));
      reject(e);
    }
  });

  it('any changed header field', () => {
    const changes: Partial<MessageEnvelope['header']>[] = [
      { id: 'MSGa1B2c3D4e5F6g7H8i8' },
      { createdAt: '2025-06-01T10:00:00.001Z' },
      { recipients: [carol, bob] },
      { recipients: [bob] },
      { recipients: [bob, dave] },
      { recipients: [bob, carol, dave] },
      { contentHash: b64(sha256(new Uint8Array(1))) },
    ];
    for (const change of changes) {
      const e = { ...clone(sealed), header: { ...sealed.header, ...change } };
      // Drop the key entries of removed recipients (an entry for an unlisted identity is malformed).
      e.keys = e.keys.filter((entry) => e.header.recipients.includes(entry.recipient));
      reject(e);
    }
    expectCryptoError(
      () => openMessage({ ...clone(sealed), header: { ...sealed.header, recipients: [bob] } }, keyring(bob)),
      'error.crypto.invalidEnvelope',
    );
  });

  it('another sender, even when the recipient holds a key for it', () => {
    const e = { ...clone(sealed), header: { ...sealed.header, sender: dave } };
    reject(e);
    // Reflection: Alice's message to Bob presented to Alice as coming from Bob.
    const reflected = {
      ...clone(sealed),
      header: { ...sealed.header, sender: bob, recipients: [alice, carol] },
    };
    reflected.keys = [{ ...sealed.keys[0]!, recipient: alice }];
    reject(reflected, alice);
  });

  it('the wrong epoch, or no key for the epoch', () => {
    const e1 = sealMessage({
      ...input([bob]),
      recipients: [{ address: bob, sendKey: k(alice, bob), epoch: 1 }],
    });
    reject(e1);
    const relabelled = clone(sealed);
    relabelled.keys[0]!.epoch = 1;
    reject(relabelled);
    const wrongKey = { ownAddress: bob, receiveKeyFor: () => k(carol, bob) };
    expectCryptoError(() => openMessage(sealed, wrongKey), 'error.crypto.authenticationFailed');
    expectCryptoError(
      () => openMessage(sealed, { ownAddress: bob, receiveKeyFor: () => new Uint8Array(31) }),
      'error.crypto.invalidKey',
    );
  });

  it('a message replayed to an identity that is not a recipient', () => {
    expectCryptoError(() => openMessage(sealed, keyring(dave)), 'error.crypto.notARecipient');
    const moved = clone(sealed);
    moved.keys[0]!.recipient = dave;
    expectCryptoError(() => openMessage(moved, keyring(dave)), 'error.crypto.invalidEnvelope');
    const addedDave = { ...clone(sealed), header: { ...sealed.header, recipients: [bob, carol, dave] } };
    addedDave.keys.push({ recipient: dave, epoch: 0, wrapped: sealed.keys[0]!.wrapped });
    reject(addedDave, dave);
  });
});

describe('a co-recipient cannot forge', () => {
  const original = sealMessage(input([bob, carol]));

  it('a message from the sender to another recipient, with or without the content key', () => {
    // Bob opened the message, so he knows its content key; he re-seals new content "from Alice" for Carol,
    // wrapping with every key he holds: Alice->Bob (his receive key) and Bob->Carol (his own send key).
    const forged = (sendKey: Uint8Array) =>
      sealMessage({
        ...input([bob, carol]),
        content: new TextEncoder().encode('pay Bob'),
        recipients: [
          { address: bob, sendKey: k(alice, bob), epoch: 0 },
          { address: carol, sendKey, epoch: 0 },
        ],
      });
    for (const sendKey of [k(alice, bob), k(bob, carol), key()]) {
      expectCryptoError(
        () => openMessage(forged(sendKey), keyring(carol)),
        'error.crypto.authenticationFailed',
      );
      expect(openMessage(forged(sendKey), keyring(bob)).content).toEqual(new TextEncoder().encode('pay Bob'));
    }
  });

  it('by reusing Carol’s genuine wrap with a changed header or body', () => {
    const other = sealMessage({ ...input([bob, carol]), content: new TextEncoder().encode('pay Bob') });
    const swappedBody = {
      ...clone(original),
      body: other.body,
      header: { ...original.header, contentHash: other.header.contentHash },
    };
    expectCryptoError(() => openMessage(swappedBody, keyring(carol)), 'error.crypto.authenticationFailed');
    const justBody = { ...clone(original), body: other.body };
    expectCryptoError(() => openMessage(justBody, keyring(carol)), 'error.crypto.authenticationFailed');
    expect(openMessage(original, keyring(carol)).content).toEqual(content);
  });
});

describe('throughput (reported, never asserted)', () => {
  it('seals and opens a 1 KiB message to one recipient', () => {
    const body = new Uint8Array(nodeRandomBytes(1024));
    const once = () => {
      const e = sealMessage({ ...input([bob]), content: body });
      return openMessage(e, keyring(bob));
    };
    for (let i = 0; i < 2000; i++) once();
    const n = 10_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) once();
    const perSecond = Math.round((n * 1000) / (performance.now() - start));
    console.info(`seal + open, 1 KiB, 1 recipient: ${perSecond} per second`);
    expect(perSecond).toBeGreaterThan(0);
  });
});
