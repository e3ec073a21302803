/**
 * The reference vectors of shared/protocol/test-vectors/sealing-reference.json, and the fixed-input
 * helpers of the vector generator. Used only by `vectors.generate.ts`.
 */
import { deriveAddress, fromHex, sha256, toHex, utf8 } from '../crypto/index.js';
import { encodeReference, type Reference } from './reference.js';

/** `length` bytes counting up from `from` (mod 256), as hex. */
export const run = (from: number, length = 32) =>
  toHex(Uint8Array.from({ length }, (_, i) => (from + i) & 0xff));
export const address = (seed: number, host = 'enmesh.example') => deriveAddress(fromHex(run(seed)), host);

function withCheck(body: Uint8Array): string {
  const out = new Uint8Array(body.length + 4);
  out.set(body, 0);
  out.set(sha256(body).subarray(0, 4), body.length);
  return Buffer.from(out).toString('base64url');
}
/** Valid references with their bytes and text, and invalid texts with the reason. */
export function referenceVectors() {
  const plain: Reference = {
    type: 'token',
    id: 'TOKa1B2c3D4e5F6g7H8i9J0',
    key: fromHex(run(0x10)),
    host: 'enmesh.example',
  };
  const cases: { name: string; ref: Reference }[] = [
    { name: 'token, no password, no identity', ref: plain },
    {
      name: 'template for an identity on the same host, 6-digit PIN',
      ref: {
        type: 'template',
        id: 'RLTz9Y8x7W6v5U4t3S2r1Q0',
        key: fromHex(run(0x30)),
        host: 'enmesh.example',
        forIdentity: address(0x50),
        password: { kind: 'pin', length: 6, salt: fromHex(run(0x70, 16)) },
      },
    },
    {
      name: 'file for an identity on another host, password',
      ref: {
        type: 'file',
        id: 'FILaaaaaaaaaaaaaaaaaaaa',
        key: fromHex(run(0x90)),
        host: 'backbone.example.org',
        forIdentity: address(0xb0, 'other.example'),
        password: { kind: 'password', salt: fromHex(run(0xd0, 16)) },
      },
    },
    {
      name: 'token, PIN without announced length',
      ref: { ...plain, id: 'T', password: { kind: 'pin', salt: fromHex(run(0xe0, 16)) } },
    },
  ];
  const valid = cases.map(({ name, ref }) => {
    const encoded = encodeReference(ref);
    return {
      name,
      reference: {
        type: ref.type,
        id: ref.id,
        key: toHex(ref.key),
        host: ref.host,
        ...(ref.forIdentity === undefined ? {} : { forIdentity: ref.forIdentity }),
        ...(ref.password === undefined
          ? {}
          : { password: { ...ref.password, salt: toHex(ref.password.salt) } }),
      },
      bytes: toHex(Buffer.from(encoded, 'base64url')),
      encoded,
    };
  });
  const plainBody = Buffer.from(encodeReference(plain), 'base64url').subarray(0, -4);
  const patched = (index: number, value: number) => {
    const copy = new Uint8Array(plainBody);
    copy[index] = value;
    return withCheck(copy);
  };
  const good = encodeReference(plain);
  // The template vector: key at 3, id length at 35, host length at 59, token at 74, kind at 85, PIN length at 86.
  const second = cases[1]?.ref as Reference;
  const templateBody = Buffer.from(encodeReference(second), 'base64url').subarray(0, -4);
  const patchedTemplate = (index: number, value: number) => {
    const copy = new Uint8Array(templateBody);
    copy[index] = value;
    return withCheck(copy);
  };
  const withIdentityHost = new Uint8Array([
    ...templateBody.subarray(0, 85),
    second.host.length,
    ...utf8(second.host),
    ...templateBody.subarray(85),
  ]);
  withIdentityHost[2] = 0x07;
  const invalid = [
    { text: '', reason: 'empty' },
    { text: good.slice(0, -1), reason: 'truncated by one character' },
    { text: good.slice(0, -4), reason: 'check value missing' },
    {
      text: `${good.slice(0, 10)}${good[10] === 'A' ? 'B' : 'A'}${good.slice(11)}`,
      reason: 'typo (check value mismatch)',
    },
    { text: `${good}=`, reason: 'padding' },
    { text: `${good.slice(0, 20)} ${good.slice(20)}`, reason: 'whitespace' },
    { text: patched(0, 2), reason: 'version 2' },
    { text: patched(0, 0), reason: 'version 0' },
    { text: patched(1, 0), reason: 'type 0' },
    { text: patched(1, 4), reason: 'type 4' },
    { text: patched(2, 0x08), reason: 'unknown flag' },
    { text: patched(2, 0x02), reason: 'identity-host flag without identity flag' },
    { text: patched(35, 0), reason: 'empty id' },
    { text: withCheck(new Uint8Array([...plainBody, 0])), reason: 'trailing byte' },
    { text: withCheck(plainBody.subarray(0, 40)), reason: 'truncated body with a valid check value' },
    { text: 'x'.repeat(2000), reason: 'too long' },
    { text: patchedTemplate(60, 0x45), reason: 'host with an upper-case letter' },
    { text: patchedTemplate(84, templateBody[84]! ^ 1), reason: 'identity token with a wrong checksum' },
    { text: withCheck(withIdentityHost), reason: 'identity host present but equal to the reference host' },
    { text: patchedTemplate(85, 3), reason: 'password kind 3' },
    { text: patchedTemplate(85, 1), reason: 'password (not PIN) announcing a length' },
    { text: patchedTemplate(86, 3), reason: 'PIN length 3' },
    { text: patchedTemplate(86, 17), reason: 'PIN length 17' },
  ];
  return {
    description:
      'References: text = base64url(bytes); bytes = version(1) type(1) flags(1) key(32) idLen(1) id hostLen(1) host [token(11) [hostLen(1) host]] [kind(1) pinLength(1) salt(16)] check(4). Binary fields hex. invalid: decodeReference must throw error.crypto.invalidReference.',
    valid,
    invalid,
  };
}
