import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../crypto/errors.js';
import { openMessage, sealMessage } from './message-envelope.js';
import { isCanonicalTime, MAX_ENCODED_ENVELOPE_BYTES, type MessageEnvelope } from './message-format.js';
import { decodeEnvelope, encodeEnvelope } from './message-wire.js';
import { cryptoErrorCodeOf, expectCryptoError, testAddress } from './test-support.js';

const [alice, bob, carol] = [testAddress(1), testAddress(2), testAddress(3)];
const sendKey = new Uint8Array(nodeRandomBytes(32));
const envelope = sealMessage({
  id: 'MSGa1B2c3D4e5F6g7H8i9',
  sender: alice,
  createdAt: '2025-06-01T10:00:00.000Z',
  recipients: [
    { address: bob, sendKey, epoch: 3 },
    { address: carol, sendKey, epoch: 0 },
  ],
  content: new TextEncoder().encode('hello'),
});
const encoded = encodeEnvelope(envelope);
const utf8 = (s: string) => new TextEncoder().encode(s);
/** A deep copy of the envelope object, changed by `change` (as loose JSON: any shape). */
// biome-ignore lint/suspicious/noExplicitAny: the tests mutate arbitrary JSON on purpose
function variant(change: (e: Record<string, any>) => void): MessageEnvelope {
  const copy = JSON.parse(JSON.stringify(envelope));
  change(copy);
  return copy;
}

describe('encodeEnvelope / decodeEnvelope', () => {
  it('round-trips through the byte form, fields in canonical order', () => {
    const decoded = decodeEnvelope(encoded);
    expect(decoded).toEqual(envelope);
    expect(encodeEnvelope(decoded)).toEqual(encoded);
    expect(Object.keys(decoded)).toEqual(['v', 'header', 'body', 'keys']);
    expect(Object.keys(decoded.header)).toEqual(['id', 'sender', 'createdAt', 'recipients', 'contentHash']);
    // An object with its fields in another order encodes the same.
    const shuffled = {
      keys: envelope.keys,
      body: envelope.body,
      header: envelope.header,
      v: 1,
    } as MessageEnvelope;
    expect(encodeEnvelope(shuffled)).toEqual(encoded);
  });

  it('lays out the fields as documented', () => {
    const bytes = Buffer.from(encoded);
    let at = 0;
    const text = () => {
      const length = bytes.readUInt16BE(at);
      const value = bytes.toString('latin1', at + 2, at + 2 + length);
      at += 2 + length;
      return value;
    };
    expect(bytes[at++]).toBe(1);
    expect(text()).toBe(envelope.header.id);
    expect(text()).toBe(envelope.header.sender);
    expect(bytes.toString('latin1', at, at + 24)).toBe(envelope.header.createdAt);
    at += 24;
    expect(bytes.readUInt16BE(at)).toBe(2);
    at += 2;
    expect([text(), text()]).toEqual(envelope.header.recipients);
    expect(bytes.subarray(at, at + 32).toString('base64url')).toBe(envelope.header.contentHash);
    at += 32;
    const bodyLength = bytes.readUInt32BE(at);
    expect(bytes.subarray(at + 4, at + 4 + bodyLength).toString('base64url')).toBe(envelope.body);
    at += 4 + bodyLength;
    expect(bytes.readUInt16BE(at)).toBe(2);
    at += 2;
    for (const [index, key] of envelope.keys.entries()) {
      expect(bytes.readUInt16BE(at)).toBe(index);
      expect(bytes.readUInt32BE(at + 2)).toBe(key.epoch);
      expect(bytes.subarray(at + 6, at + 66).toString('base64url')).toBe(key.wrapped);
      at += 66;
    }
    expect(at).toBe(bytes.length);
    // A third smaller than the JSON text of the same envelope.
    expect(encoded.length).toBeLessThan(utf8(JSON.stringify(envelope)).length * 0.8);
  });

  it('returns a fresh object that opens like the original', () => {
    const decoded = decodeEnvelope(encoded);
    expect(decoded.header.recipients).not.toBe(envelope.header.recipients);
    expect(openMessage(decoded, { ownAddress: bob, receiveKeyFor: () => sendKey }).content).toEqual(
      utf8('hello'),
    );
  });

  it('refuses to encode an invalid envelope', () => {
    expectCryptoError(
      () => encodeEnvelope({ ...envelope, v: 2 } as unknown as MessageEnvelope),
      'error.crypto.invalidEnvelope',
    );
    expectCryptoError(
      () => encodeEnvelope({ ...envelope, extra: 1 } as unknown as MessageEnvelope),
      'error.crypto.invalidEnvelope',
    );
  });
});

describe('decodeEnvelope refuses malformed bytes', () => {
  /** The valid bytes with `edit` applied to a copy. */
  const edited = (edit: (bytes: Buffer) => void) => {
    const bytes = Buffer.from(encoded);
    edit(bytes);
    return new Uint8Array(bytes);
  };
  const idAt = 1;
  const afterId = idAt + 2 + envelope.header.id.length;
  const keysAt = encoded.length - 2 * 66 - 2;
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['JSON', utf8(JSON.stringify(envelope))],
    ['version 0', edited((b) => b.writeUInt8(0, 0))],
    ['version 2', edited((b) => b.writeUInt8(2, 0))],
    ['an id longer than the bytes', edited((b) => b.writeUInt16BE(60_000, idAt))],
    ['a non-ASCII byte in the id', edited((b) => b.writeUInt8(0xc3, idAt + 2))],
    ['an id with a space', edited((b) => b.write(' ', idAt + 5, 'latin1'))],
    ['a sender that is not an address', edited((b) => b.write('X', afterId + 2, 'latin1'))],
    ['no key entries', edited((b) => b.writeUInt16BE(0, keysAt)).subarray(0, keysAt + 2)],
    ['a key entry for a recipient index out of range', edited((b) => b.writeUInt16BE(2, keysAt + 2))],
    ['a duplicate key entry', edited((b) => b.writeUInt16BE(0, keysAt + 2 + 66))],
    ['more key entries than recipients', edited((b) => b.writeUInt16BE(3, keysAt))],
    ['a byte after the key entries', new Uint8Array([...encoded, 0])],
  ];
  for (const [reason, bytes] of cases) {
    it(`refuses ${reason}`, () => {
      expectCryptoError(() => decodeEnvelope(bytes), 'error.crypto.invalidEnvelope');
    });
  }

  it('refuses every truncation', () => {
    for (let length = 0; length < encoded.length; length++) {
      expectCryptoError(() => decodeEnvelope(encoded.subarray(0, length)), 'error.crypto.invalidEnvelope');
    }
  });
});

describe('encodeEnvelope and openMessage refuse malformed envelope objects', () => {
  const cases: [string, MessageEnvelope][] = [
    ['null', null as unknown as MessageEnvelope],
    ['an array', [1] as unknown as MessageEnvelope],
    ['a string', 'x' as unknown as MessageEnvelope],
    [
      'version 2',
      variant((e) => {
        e.v = 2;
      }),
    ],
    [
      'version "1"',
      variant((e) => {
        e.v = '1';
      }),
    ],
    [
      'an extra field',
      variant((e) => {
        e.extra = true;
      }),
    ],
    [
      'a missing field',
      variant((e) => {
        delete e.keys;
      }),
    ],
    [
      'an extra header field',
      variant((e) => {
        e.header.subject = 'x';
      }),
    ],
    [
      '__proto__ in the header',
      JSON.parse(JSON.stringify(envelope).replace('"header":{', '"header":{"__proto__":{"x":1},')),
    ],
    [
      'an id with a space',
      variant((e) => {
        e.header.id = 'MSG 1';
      }),
    ],
    [
      'a sender that is not an address',
      variant((e) => {
        e.header.sender = 'alice';
      }),
    ],
    [
      'an upper-case address',
      variant((e) => {
        e.header.sender = e.header.sender.toUpperCase();
      }),
    ],
    [
      'createdAt without milliseconds',
      variant((e) => {
        e.header.createdAt = '2025-06-01T10:00:00Z';
      }),
    ],
    [
      'createdAt with an offset',
      variant((e) => {
        e.header.createdAt = '2025-06-01T10:00:00.000+00:00';
      }),
    ],
    [
      'createdAt on 30 February',
      variant((e) => {
        e.header.createdAt = '2025-02-30T10:00:00.000Z';
      }),
    ],
    [
      'no recipients',
      variant((e) => {
        e.header.recipients = [];
      }),
    ],
    [
      'recipients not an array',
      variant((e) => {
        e.header.recipients = bob;
      }),
    ],
    [
      'a duplicate recipient',
      variant((e) => {
        e.header.recipients = [bob, bob];
      }),
    ],
    [
      'the sender among the recipients',
      variant((e) => {
        e.header.recipients = [bob, alice];
      }),
    ],
    [
      '1001 recipients',
      variant((e) => {
        e.header.recipients = Array.from({ length: 1001 }, (_, i) => testAddress(i % 200, `x${i}.example`));
      }),
    ],
    [
      'a short content hash',
      variant((e) => {
        e.header.contentHash = e.header.contentHash.slice(1);
      }),
    ],
    [
      'a padded content hash',
      variant((e) => {
        e.header.contentHash = `${e.header.contentHash}=`;
      }),
    ],
    [
      'a body with a bad character',
      variant((e) => {
        e.body = `${e.body.slice(1)}+`;
      }),
    ],
    [
      'a body that is too short',
      variant((e) => {
        e.body = 'AAAA';
      }),
    ],
    [
      'a body that is not a string',
      variant((e) => {
        e.body = 1;
      }),
    ],
    [
      'no key entries',
      variant((e) => {
        e.keys = [];
      }),
    ],
    [
      'more key entries than recipients',
      variant((e) => {
        e.keys.push(e.keys[0]);
      }),
    ],
    [
      'a duplicate key entry',
      variant((e) => {
        e.keys[1] = e.keys[0];
      }),
    ],
    [
      'a key entry for an unlisted identity',
      variant((e) => {
        e.keys[0].recipient = testAddress(9);
      }),
    ],
    [
      'a key entry with an extra field',
      variant((e) => {
        e.keys[0].note = 'x';
      }),
    ],
    [
      'a negative epoch',
      variant((e) => {
        e.keys[0].epoch = -1;
      }),
    ],
    [
      'a fractional epoch',
      variant((e) => {
        e.keys[0].epoch = 1.5;
      }),
    ],
    [
      'an epoch of 2^32',
      variant((e) => {
        e.keys[0].epoch = 2 ** 32;
      }),
    ],
    [
      'an epoch as a string',
      variant((e) => {
        e.keys[0].epoch = '0';
      }),
    ],
    [
      'a short wrapped key',
      variant((e) => {
        e.keys[0].wrapped = e.keys[0].wrapped.slice(4);
      }),
    ],
    [
      'a long wrapped key',
      variant((e) => {
        e.keys[0].wrapped = `${e.keys[0].wrapped}AAAA`;
      }),
    ],
    [
      'keys not an array',
      variant((e) => {
        e.keys = {};
      }),
    ],
  ];
  for (const [reason, bad] of cases) {
    it(`refuses ${reason}`, () => {
      expectCryptoError(() => encodeEnvelope(bad), 'error.crypto.invalidEnvelope');
      expectCryptoError(
        () => openMessage(bad, { ownAddress: bob, receiveKeyFor: () => sendKey }),
        'error.crypto.invalidEnvelope',
      );
    });
  }

  it('refuses non-bytes and input over the size limit before reading', () => {
    expectCryptoError(
      () => decodeEnvelope(JSON.stringify(envelope) as unknown as Uint8Array),
      'error.crypto.invalidEnvelope',
    );
    expectCryptoError(
      () => decodeEnvelope(new Uint8Array(MAX_ENCODED_ENVELOPE_BYTES + 1)),
      'error.crypto.invalidEnvelope',
    );
  });

  it('openMessage validates an envelope object that never went through decodeEnvelope', () => {
    const options = { ownAddress: bob, receiveKeyFor: () => sendKey };
    for (const bad of [
      null,
      {},
      { ...envelope, header: { ...envelope.header, recipients: 'x' } },
      { ...envelope, keys: null },
    ]) {
      expectCryptoError(
        () => openMessage(bad as unknown as MessageEnvelope, options),
        'error.crypto.invalidEnvelope',
      );
    }
  });

  it('openMessage and sealMessage refuse malformed arguments with CryptoErrors', () => {
    for (const options of [null, {}, { ownAddress: bob, receiveKeyFor: 'key' }]) {
      expectCryptoError(
        () => openMessage(envelope, options as unknown as Parameters<typeof openMessage>[1]),
        'error.crypto.invalidArgument',
      );
    }
    for (const input of [null, {}, { recipients: 'x' }]) {
      expectCryptoError(
        () => sealMessage(input as unknown as Parameters<typeof sealMessage>[0]),
        'error.crypto.invalidArgument',
      );
    }
  });

  it('throws only CryptoErrors on random mutations of a valid envelope (fuzz)', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(encoded);
      const flips = 1 + (i % 4);
      for (let f = 0; f < flips; f++) {
        const at = nodeRandomBytes(4).readUInt32LE() % bytes.length;
        bytes[at] = i % 3 === 0 ? nodeRandomBytes(1)[0]! : bytes[at]! ^ (1 << (i % 8));
      }
      const code = cryptoErrorCodeOf(() =>
        openMessage(decodeEnvelope(bytes), { ownAddress: bob, receiveKeyFor: () => sendKey }),
      );
      if (code !== undefined) codes.add(code);
    }
    for (const code of codes) {
      expect([
        'error.crypto.invalidEnvelope',
        'error.crypto.authenticationFailed',
        'error.crypto.notARecipient',
      ]).toContain(code);
    }
    for (let i = 0; i < 300; i++) {
      const garbage = nodeRandomBytes(i);
      expect(() => decodeEnvelope(garbage)).toThrow(CryptoError);
    }
  });
});

describe('isCanonicalTime', () => {
  it('accepts exactly what toISOString writes: real calendar days, leap years, years 0000-9999', () => {
    const byDate = (value: string) => {
      const time = Date.parse(value);
      return Number.isFinite(time) && new Date(time).toISOString() === value;
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    let checked = 0;
    for (const year of [0, 4, 100, 400, 1900, 1970, 2000, 2024, 2025, 2100, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          for (const [hour, minute, second] of [
            [0, 0, 0],
            [23, 59, 59],
            [24, 0, 0],
            [12, 60, 0],
            [12, 0, 60],
          ]) {
            const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour!, 2)}:${pad(minute!, 2)}:${pad(second!, 2)}.123Z`;
            expect(isCanonicalTime(value), value).toBe(byDate(value));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20_000);
    for (const value of [
      '2025-06-01T10:00:00Z',
      '2025-06-01 10:00:00.000Z',
      '+002025-06-01T10:00:00.000Z',
      42,
    ]) {
      expect(isCanonicalTime(value)).toBe(false);
    }
  });
});
