import { createHmac, timingSafeEqual } from 'node:crypto';

/** Name of the header that carries a delivery's signature. */
export const signatureHeader = 'X-Enmesh-Signature';

/**
 * Signs a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. Receivers recompute the
 * HMAC with the shared secret and reject old timestamps to stop replays.
 */
export function signPayload(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Verifies a signature header against the body, accepting timestamps at most `toleranceSeconds` from `now`
 * (unix seconds). Compares in constant time.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  options: { nowSeconds: number; toleranceSeconds: number },
): boolean {
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(options.nowSeconds - t) > options.toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, body, t).split('v1=')[1] ?? '', 'hex');
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
