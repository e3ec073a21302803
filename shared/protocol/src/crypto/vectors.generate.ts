/**
 * Writes the known-answer vectors of shared/protocol/test-vectors/*.json.
 *
 *   npx tsx shared/protocol/src/crypto/vectors.generate.ts
 *
 * Published vectors (RFC 8032, RFC 7748, RFC 5869, RFC 8439, nmshd/transport's address tests) are
 * copied here verbatim; enmesh's own vectors are computed with this module from fixed inputs. The
 * tests only READ the committed JSON (and cross-check Ed25519/X25519 with tweetnacl); re-run this
 * script only to add vectors, and review the diff: a change to an existing vector is a protocol break.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  deriveAddress,
  exchangeKeyPairFromPrivate,
  fromHex,
  hkdf,
  hmacSha256,
  sealWithNonce,
  sharedSecret,
  sign,
  signingKeyPairFromSeed,
  toHex,
  utf8,
} from './index.js';

const range = (from: number, to: number) =>
  toHex(Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i));

function ed25519() {
  const rfc = [
    {
      name: 'RFC 8032 §7.1 TEST 1',
      seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature:
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'RFC 8032 §7.1 TEST 2',
      seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature:
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'RFC 8032 §7.1 TEST 3',
      seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      message: 'af82',
      signature:
        '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
  ];
  const own = [
    { name: 'enmesh: seed 00..1f, UTF-8 message', seed: range(0x00, 0x1f), message: toHex(utf8('enmesh')) },
    {
      name: 'enmesh: seed 20..3f, 1000-byte message',
      seed: range(0x20, 0x3f),
      message: toHex(new Uint8Array(1000).fill(0xa5)),
    },
  ].map((v) => {
    const pair = signingKeyPairFromSeed(fromHex(v.seed));
    return {
      ...v,
      publicKey: toHex(pair.publicKey),
      signature: toHex(sign(pair.privateKey, fromHex(v.message))),
    };
  });
  return {
    description: 'Ed25519 (RFC 8032, pure). seed = raw 32-byte private key. All fields hex.',
    vectors: [...rfc, ...own],
  };
}

function x25519() {
  const own = {
    name: 'enmesh: private 40..5f with the RFC 7748 Bob public key',
    privateKey: range(0x40, 0x5f),
  };
  const bob = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
  return {
    description:
      'X25519 (RFC 7748). keyPairs: publicKey = X25519(privateKey, 9). sharedSecrets: X25519(privateKey, publicKey). lowOrderPublicKeys: sharedSecret must throw error.crypto.invalidKey. All fields hex.',
    keyPairs: [
      {
        name: 'RFC 7748 §6.1 Alice',
        privateKey: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
        publicKey: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
      },
      {
        name: 'RFC 7748 §6.1 Bob',
        privateKey: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
        publicKey: bob,
      },
      { ...own, publicKey: toHex(exchangeKeyPairFromPrivate(fromHex(own.privateKey)).publicKey) },
    ],
    sharedSecrets: [
      {
        name: 'RFC 7748 §6.1 Alice private, Bob public',
        privateKey: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
        publicKey: bob,
        sharedSecret: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
      },
      {
        name: 'RFC 7748 §6.1 Bob private, Alice public',
        privateKey: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
        publicKey: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
        sharedSecret: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
      },
      {
        name: 'RFC 7748 §5.2 vector 1',
        privateKey: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
        publicKey: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
        sharedSecret: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
      },
      {
        name: 'RFC 7748 §5.2 vector 2 (public key with the top bit set, ignored)',
        privateKey: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
        publicKey: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
        sharedSecret: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
      },
      { ...own, publicKey: bob, sharedSecret: toHex(sharedSecret(fromHex(own.privateKey), fromHex(bob))) },
    ],
    lowOrderPublicKeys: [
      { name: 'u = 0', publicKey: '00'.repeat(32) },
      { name: 'u = 1', publicKey: `01${'00'.repeat(31)}` },
      {
        name: 'order-8 point 1',
        publicKey: 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      },
      {
        name: 'order-8 point 2',
        publicKey: '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      },
      { name: 'u = p - 1', publicKey: `ec${'ff'.repeat(30)}7f` },
      { name: 'u = p (non-canonical 0)', publicKey: `ed${'ff'.repeat(30)}7f` },
      { name: 'u = p + 1 (non-canonical 1)', publicKey: `ee${'ff'.repeat(30)}7f` },
    ],
  };
}

function hkdfVectors() {
  const rfc = [
    {
      name: 'RFC 5869 A.1 (basic)',
      ikm: '0b'.repeat(22),
      salt: '000102030405060708090a0b0c',
      info: 'f0f1f2f3f4f5f6f7f8f9',
      length: 42,
      prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
      okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    },
    {
      name: 'RFC 5869 A.2 (longer inputs and outputs)',
      ikm: range(0x00, 0x4f),
      salt: range(0x60, 0xaf),
      info: range(0xb0, 0xff),
      length: 82,
      prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
      okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
    },
    {
      name: 'RFC 5869 A.3 (empty salt and info)',
      ikm: '0b'.repeat(22),
      salt: '',
      info: '',
      length: 42,
      prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
      okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    },
  ];
  const own = [
    {
      name: 'enmesh: UTF-8 info string',
      ikm: range(0x00, 0x1f),
      salt: range(0x20, 0x3f),
      info: toHex(utf8('enmesh/v1/example')),
      length: 32,
    },
    {
      name: 'enmesh: info longer than 1024 bytes',
      ikm: range(0x00, 0x1f),
      salt: '',
      info: toHex(new Uint8Array(2000).fill(0x5a)),
      length: 100,
    },
  ].map((v) => {
    const [ikm, salt, info] = [fromHex(v.ikm), fromHex(v.salt), fromHex(v.info)];
    return { ...v, prk: toHex(hmacSha256(salt, ikm)), okm: toHex(hkdf(ikm, salt, info, v.length)) };
  });
  return {
    description:
      'HKDF-SHA256 (RFC 5869). prk = HMAC-SHA256(salt, ikm). All byte fields hex; length in bytes.',
    vectors: [...rfc, ...own],
  };
}

function aead() {
  const rfc = [
    {
      name: 'RFC 8439 §2.8.2',
      key: range(0x80, 0x9f),
      nonce: '070000004041424344454647',
      plaintext: toHex(
        utf8(
          "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
        ),
      ),
      aad: '50515253c0c1c2c3c4c5c6c7',
      ciphertext:
        'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116',
      tag: '1ae10b594f09e26a7e902ecbd0600691',
    },
    {
      name: 'RFC 8439 A.5',
      key: '1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0',
      nonce: '000000000102030405060708',
      plaintext: toHex(
        utf8(
          'Internet-Drafts are draft documents valid for a maximum of six months and may be updated, replaced, or obsoleted by other documents at any time. It is inappropriate to use Internet-Drafts as reference material or to cite them other than as /\u201cwork in progress./\u201d',
        ),
      ),
      aad: 'f33388860000000000004e91',
      ciphertext:
        '64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c8559797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b',
      tag: 'eead9d67890cbb22392336fea1851f38',
    },
  ];
  const own = [
    {
      name: 'enmesh: empty plaintext, empty AAD',
      key: range(0x00, 0x1f),
      nonce: range(0xa0, 0xab),
      plaintext: '',
      aad: '',
    },
    {
      name: 'enmesh: empty plaintext, with AAD',
      key: range(0x00, 0x1f),
      nonce: range(0xa0, 0xab),
      plaintext: '',
      aad: toHex(utf8('header')),
    },
    {
      name: 'enmesh: plaintext, empty AAD',
      key: range(0x20, 0x3f),
      nonce: range(0xb0, 0xbb),
      plaintext: toHex(utf8('hello, enmesh')),
      aad: '',
    },
  ].map((v) => {
    const plaintext = fromHex(v.plaintext);
    const sealed = sealWithNonce(fromHex(v.key), fromHex(v.nonce), plaintext, fromHex(v.aad));
    return {
      ...v,
      ciphertext: toHex(sealed.subarray(12, 12 + plaintext.length)),
      tag: toHex(sealed.subarray(12 + plaintext.length)),
    };
  });
  return {
    description: 'ChaCha20-Poly1305 (RFC 8439). sealed = nonce || ciphertext || tag. All fields hex.',
    vectors: [...rfc, ...own].map((v) => ({ ...v, sealed: v.nonce + v.ciphertext + v.tag })),
  };
}

function address() {
  const nmshd = [
    ['tB9KFp/YqHrom3m5qUuZsd6l30DkaNjN14SxRw7YZuI=', 'did:e:example.com:dids:56b3f2a0c202e27229aab6'],
    ['fj0o9eOiPRswTZL6j9lE9TRvpDDnPRMF0gJeahz/W2c=', 'did:e:example.com:dids:fef1992c5e529adc41328d'],
    ['jRxGfZtQ8a90TmKCGk+dhuX1CBjgoXuldhNPwrjpWsw=', 'did:e:example.com:dids:b9d25bd0a2bbd3aa4843ed'],
    ['PEODpwvi7KxIVa4qeUXia9apMFvPMktdDHiDitlfbjE=', 'did:e:example.com:dids:d459ff2144f0eac7aff5f7'],
    ['mJGmNbxiVZAPToRuk9O3NvdfsWl6V+7wzIc+/57bU08=', 'did:e:example.com:dids:e2208784ee2769c5d9686a'],
    ['l68K/zdNp1VLoswcHAqN6QUFwCMU6Yvzf7XiW2m1hRY=', 'did:e:example.com:dids:5845cf29fbda2897892a66'],
    ['Gl8XTo8qFuUM+ksXixwp4g/jf3H/hU1F8ETuYaHCM5I=', 'did:e:example.com:dids:01f4bab09d757578bb49ac'],
    ['rIS4kAzHXT7GgCA6Qm1ANlwM3x12QMSkeprHb6tjPyc=', 'did:e:example.com:dids:ee5966a158f1dc4de5bdc9'],
    ['hg/cbeBvfNrMiJ0dW1AtWC4IQwG4gkuhzG2+z6bAoRU=', 'did:e:example.com:dids:ab7475ba4070f29ce2861c'],
    ['kId+qWen/lKeTdyxcIQhkzvvvTU8wIJECfWUWbmRQRY=', 'did:e:example.com:dids:4664f42d7ca6480db07f18'],
  ].map(([key, addr]) => ({
    source: 'nmshd/transport IdentityGenerator test',
    publicKey: Buffer.from(key!, 'base64').toString('hex'),
    host: 'example.com',
    address: addr!,
  }));
  const own = [
    ['d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'localhost'],
    ['d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'enmesh.example'],
    ['3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'backbone-1.enmesh.example'],
    [Buffer.from('fj0o9eOiPRswTZL6j9lE9TRvpDDnPRMF0gJeahz/W2c=', 'base64').toString('hex'), 'localhost'],
  ].map(([key, host]) => ({
    source: 'enmesh',
    publicKey: key!,
    host: host!,
    address: deriveAddress(fromHex(key!), host!),
  }));
  const valid = [...nmshd, ...own].map((v) => {
    const tail = v.address.slice(v.address.lastIndexOf(':') + 1);
    return { ...v, hash: tail.slice(0, 20), checksum: tail.slice(20) };
  });
  // Addresses from nmshd/backbone's tests: no public key given, but their checksums are valid.
  const checksumOnly = [
    'did:e:localhost:dids:c179861648989f28d189c9',
    'did:e:localhost:dids:656aa0be80fe83a70aa173',
  ].map((addr) => ({ source: 'nmshd/backbone Announcements tests', address: addr }));
  const good = 'did:e:example.com:dids:56b3f2a0c202e27229aab6';
  const invalid = [
    { address: 'did:e:example.com:dids:56b3f2a0c202e27229aab7', reason: 'checksum: last char changed' },
    { address: 'did:e:example.com:dids:56b3f2a0c202e27229abb6', reason: 'checksum: a hash char changed' },
    { address: 'did:e:example.org:dids:56b3f2a0c202e27229aab6', reason: 'checksum: host changed' },
    { address: good.toUpperCase(), reason: 'upper case' },
    { address: 'did:e:example.com:dids:56B3F2A0C202E27229AAB6', reason: 'upper-case hex' },
    { address: 'did:e:Example.com:dids:56b3f2a0c202e27229aab6', reason: 'upper-case host' },
    { address: 'did:x:example.com:dids:56b3f2a0c202e27229aab6', reason: 'wrong prefix' },
    { address: 'e:example.com:dids:56b3f2a0c202e27229aab6', reason: 'missing did: prefix' },
    { address: 'did:e:example.com:did:56b3f2a0c202e27229aab6', reason: 'wrong separator' },
    { address: 'did:e:example.com:dids:56b3f2a0c202e27229aa', reason: 'identity part too short' },
    { address: 'did:e:example.com:dids:56b3f2a0c202e27229aab600', reason: 'identity part too long' },
    { address: 'did:e:example.com:dids:56b3f2a0c202e27229aabg', reason: 'non-hex char' },
    { address: 'did:e:localhost:4222:dids:56b3f2a0c202e27229aab6', reason: 'host with port' },
    { address: 'did:e::dids:56b3f2a0c202e27229aab6', reason: 'empty host' },
    { address: 'did:e:-example.com:dids:56b3f2a0c202e27229aab6', reason: 'host label starts with a hyphen' },
    { address: 'did:e:example..com:dids:56b3f2a0c202e27229aab6', reason: 'empty host label' },
    { address: 'did:e:example.com.:dids:56b3f2a0c202e27229aab6', reason: 'host with trailing dot' },
    { address: ` ${good}`, reason: 'leading space' },
    { address: `${good}\n`, reason: 'trailing newline' },
    { address: '', reason: 'empty string' },
  ];
  return {
    description:
      'Identity addresses did:e:<host>:dids:<hash><checksum>. hash = hex(SHA-256(SHA-512(publicKey))[0..10]); checksum = hex(SHA-256(UTF-8("did:e:" + host + ":dids:" + hash))[0]). publicKey hex.',
    valid,
    checksumOnly,
    invalid,
  };
}

/** Writes every vector file into shared/protocol/test-vectors/. */
export function writeVectors(): void {
  const files = {
    ed25519: ed25519(),
    x25519: x25519(),
    hkdf: hkdfVectors(),
    aead: aead(),
    address: address(),
  };
  for (const [name, content] of Object.entries(files)) {
    const url = new URL(`../../test-vectors/${name}.json`, import.meta.url);
    writeFileSync(url, `${JSON.stringify(content, null, 2)}\n`);
    console.log(`wrote ${url.pathname}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) writeVectors();
