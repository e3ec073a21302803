import type { RuntimeAccount } from '@enmesh/runtime';
import type { Context } from 'hono';
import QRCode from 'qrcode';
import { z } from 'zod';

/** What the domain routes work with: the connector's account and the backbone call deadline. */
export interface DomainRouteOptions {
  readonly account: RuntimeAccount;
  /** How long one backbone call of a request may take (`transportLibrary.timeoutMs`). */
  readonly timeoutMs: number;
}

/** The API prefix of the domain routes, as in the Enmeshed Connector. */
export const apiPrefix = '/api/core/v1';

/** Path parameters of a route naming one object by its id (`REL…`, `RLT…`, `TOK…`, `MSG…`, `FIL…`). */
export function idParams(prefix: string) {
  return z.strictObject({ id: idSchema(prefix) });
}

/** An id with the given three-letter prefix. */
export function idSchema(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}[A-Za-z0-9]{17,40}$`), `must be a ${prefix} id`)
    .describe(`The ${prefix}… id.`);
}

/** An identity address (`did:e:<host>:dids:<hex>`). */
export const addressSchema = z
  .string()
  .max(300)
  .regex(/^did:e:[a-z0-9.-]{1,253}:dids:[0-9a-f]{8,128}$/, 'must be an identity address');

/** An ISO 8601 timestamp. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** Password protection of a template or token (Enmeshed `PasswordProtection`). */
export const passwordProtectionSchema = z.strictObject({
  password: z.string().min(1).max(200),
  passwordIsPin: z.literal(true).optional(),
  passwordLocationIndicator: z.union([z.string().max(50), z.number().int().min(0).max(99)]).optional(),
});

/**
 * Options of a backbone call made for a request: it ends after the deadline. A client that goes away does
 * not cancel it: a change the backbone made would otherwise miss its local record until the mailbox brings it.
 */
export function callOptions(options: DomainRouteOptions): { signal: AbortSignal } {
  return { signal: AbortSignal.timeout(options.timeoutMs) };
}

/** Whether the client asked for a QR code (`Accept: image/png`) rather than JSON. */
export function wantsPng(context: Context): boolean {
  const accept = context.req.header('accept') ?? '';
  return /(^|,)\s*image\/png\b/i.test(accept) && !/(^|,)\s*application\/json\b/i.test(accept);
}

/** A PNG QR code holding `text` (a reference), with the given status. */
export async function qrResponse(text: string, status: 200 | 201): Promise<Response> {
  const png = await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 4 });
  return new Response(new Uint8Array(png), {
    status,
    headers: { 'content-type': 'image/png', 'content-length': String(png.length) },
  });
}

/** A download: the bytes with their media type and file name. */
export function downloadResponse(content: {
  content: Uint8Array;
  filename: string;
  mimetype: string;
}): Response {
  const ascii = content.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(content.content, {
    status: 200,
    headers: {
      'content-type': content.mimetype,
      'content-length': String(content.content.length),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(content.filename)}`,
    },
  });
}
