import { randomBytes } from 'node:crypto';
import {
  generateExchangeKeyPair,
  generateSigningKeyPair,
  open,
  seal,
  sharedSecret,
  sign,
  verify,
} from '@enmesh/protocol';
import nacl from 'tweetnacl';
import { type Figure, figure, syncRate } from './report.js';

/** One operation done by `@enmesh/protocol` (node:crypto) and by tweetnacl (pure JavaScript). */
interface CryptoCase {
  readonly name: string;
  readonly node: () => unknown;
  readonly nacl: () => unknown;
}

const bytes = (n: number) => new Uint8Array(randomBytes(n));

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`crypto benchmark self-check failed: ${what}`);
}

/** Builds the cases on fixed keys and inputs, after checking that both libraries agree where they can. */
function cryptoCases(): CryptoCase[] {
  const message = bytes(256);
  const signer = generateSigningKeyPair();
  const naclSigner = nacl.sign.keyPair.fromSeed(signer.privateKey);
  const signature = sign(signer.privateKey, message);
  // Ed25519 is deterministic: both must produce the same signature from the same seed.
  check(Buffer.from(signature).equals(nacl.sign.detached(message, naclSigner.secretKey)), 'Ed25519 differs');
  check(verify(signer.publicKey, message, signature), 'verify');
  const mine = generateExchangeKeyPair();
  const peer = generateExchangeKeyPair();
  check(
    Buffer.from(sharedSecret(mine.privateKey, peer.publicKey)).equals(
      nacl.scalarMult(mine.privateKey, peer.publicKey),
    ),
    'X25519 differs',
  );
  const key = bytes(32);
  // A fixed nonce is fine for timing only; never reuse a nonce with real data.
  const nonce = bytes(nacl.secretbox.nonceLength);
  const cases: CryptoCase[] = [
    {
      name: 'Ed25519 sign (256 B)',
      node: () => sign(signer.privateKey, message),
      nacl: () => nacl.sign.detached(message, naclSigner.secretKey),
    },
    {
      name: 'Ed25519 verify (256 B)',
      node: () => verify(signer.publicKey, message, signature),
      nacl: () => nacl.sign.detached.verify(message, signature, naclSigner.publicKey),
    },
    {
      name: 'Ed25519 key pair',
      node: () => generateSigningKeyPair(),
      nacl: () => nacl.sign.keyPair(),
    },
    {
      name: 'X25519 shared secret',
      node: () => sharedSecret(mine.privateKey, peer.publicKey),
      nacl: () => nacl.scalarMult(mine.privateKey, peer.publicKey),
    },
  ];
  for (const [label, size] of [
    ['256 B', 256],
    ['1 MiB', 1024 * 1024],
  ] as const) {
    const plaintext = bytes(size);
    const sealed = seal(key, plaintext);
    const boxed = nacl.secretbox(plaintext, nonce, key);
    check(Buffer.from(open(key, sealed)).equals(plaintext), `open ${label}`);
    check(Buffer.from(nacl.secretbox.open(boxed, nonce, key) ?? []).equals(plaintext), `secretbox ${label}`);
    cases.push(
      {
        name: `seal ${label} (vs secretbox)`,
        node: () => seal(key, plaintext),
        nacl: () => nacl.secretbox(plaintext, nonce, key),
      },
      {
        name: `open ${label} (vs secretbox.open)`,
        node: () => open(key, sealed),
        nacl: () => nacl.secretbox.open(boxed, nonce, key),
      },
    );
  }
  return cases;
}

/**
 * Crypto of `@enmesh/protocol` against tweetnacl, operation by operation, each timed for about `budgetMs`
 * (ChaCha20-Poly1305 `seal`/`open` against XSalsa20-Poly1305 `secretbox`, the nearest tweetnacl offers).
 */
export function benchCrypto(budgetMs = 1000): Figure[] {
  return cryptoCases().map((c) =>
    figure({
      benchmark: 'crypto',
      name: c.name,
      unit: 'ops/s',
      higherIsBetter: true,
      value: syncRate(c.node, budgetMs),
      baselineName: 'tweetnacl',
      baseline: syncRate(c.nacl, budgetMs),
    }),
  );
}
