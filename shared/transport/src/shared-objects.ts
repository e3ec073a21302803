import {
  contentKey,
  decodeReference,
  derivePasswordSecretsAsync,
  encodeReference,
  fromBase64Url,
  openContent,
  type Reference,
  type ReferencePassword,
  randomBytes,
  referenceFromUrl,
  referenceToUrl,
  sealContent,
  type Template,
  type Token,
  toBase64Url,
} from '@enmesh/protocol';
import type { BootstrapClient } from './bootstrap.js';
import { TransportError, TransportErrorCodes } from './errors.js';
import { bytesToJson, jsonToBytes } from './json-bytes.js';
import type { CallOptions } from './rpc.js';
import type { DeviceSession } from './session.js';

/** Who can load shared objects: a device, or the anonymous bootstrap client. */
export type Loader = DeviceSession | BootstrapClient;

/** Options common to creating a token or template. */
export interface ShareOptions {
  readonly expiresAt: Date;
  /** The only identity that may load it. */
  readonly forIdentity?: string;
  /** A password or PIN the loader must know; its verifier is all the backbone gets. */
  readonly password?: { readonly secret: string; readonly kind: 'password' | 'pin' };
}

/** A created object's reference: compact text for a QR code, and a link that keeps the key in its fragment. */
export interface SharedReference {
  readonly reference: string;
  readonly url: string;
}

/** Base of reference links (the key travels in the fragment, which browsers never send to a server). */
export const defaultReferenceBaseUrl = 'https://enmesh.link/r';

/** The sealing context of a shared object: its kind. Its random key already binds the ciphertext to it. */
const context = (type: 'token' | 'template') => ({ type, id: 'content' });

async function protection(options: ShareOptions): Promise<{
  key: Uint8Array;
  referenceKey: Uint8Array;
  password?: ReferencePassword;
  verifier?: string;
}> {
  const referenceKey = randomBytes(32);
  if (!options.password) return { key: contentKey(referenceKey), referenceKey };
  const salt = randomBytes(16);
  const secrets = await derivePasswordSecretsAsync(options.password.secret, salt);
  return {
    key: contentKey(referenceKey, secrets.keyPart),
    referenceKey,
    password: { kind: options.password.kind, salt },
    verifier: toBase64Url(secrets.verifier),
  };
}

function referenceOf(
  type: 'token' | 'template',
  id: string,
  host: string,
  referenceKey: Uint8Array,
  options: ShareOptions,
  password: ReferencePassword | undefined,
): SharedReference {
  const ref: Reference = { type, id, key: referenceKey, host };
  if (options.forIdentity) ref.forIdentity = options.forIdentity;
  if (password) ref.password = password;
  return { reference: encodeReference(ref), url: referenceToUrl(ref, defaultReferenceBaseUrl) };
}

function hostOf(address: string): string {
  return address.split(':')[2] ?? '';
}

/** Parses a reference given as compact text or as a link. */
export function parseReference(referenceOrUrl: string): Reference {
  return referenceOrUrl.includes('#') ? referenceFromUrl(referenceOrUrl) : decodeReference(referenceOrUrl);
}

async function unlock(ref: Reference, password: string | undefined) {
  if (!ref.password) return { key: contentKey(ref.key), verifier: undefined };
  if (password === undefined) {
    throw new TransportError(TransportErrorCodes.passwordRequired, 'this reference needs a password');
  }
  const secrets = await derivePasswordSecretsAsync(password, ref.password.salt);
  return { key: contentKey(ref.key, secrets.keyPart), verifier: toBase64Url(secrets.verifier) };
}

/**
 * Creates a token holding JSON content, sealed on this device; returns it with its reference.
 * @throws ProtocolError with the backbone's code.
 */
export async function createToken(
  session: DeviceSession,
  content: unknown,
  options: ShareOptions,
  callOptions?: CallOptions,
): Promise<{ token: Token } & SharedReference> {
  const sealed = await protection(options);
  const token = await session.call(
    'createToken',
    {
      content: toBase64Url(sealContent(sealed.key, jsonToBytes(content), context('token'))),
      expiresAt: options.expiresAt.toISOString(),
      ...(options.forIdentity ? { forIdentity: options.forIdentity } : {}),
      ...(sealed.verifier && options.password
        ? { password: { verifier: sealed.verifier, kind: options.password.kind } }
        : {}),
    },
    callOptions,
  );
  return {
    token,
    ...referenceOf('token', token.id, hostOf(session.address), sealed.referenceKey, options, sealed.password),
  };
}

/**
 * Loads a token by reference (text or link) and opens its content.
 * @throws ProtocolError with the backbone's code; CryptoError when the content does not open (wrong key).
 */
export async function loadToken(
  loader: Loader,
  referenceOrUrl: string,
  options: { password?: string } & CallOptions = {},
): Promise<{ token: Token; content: unknown }> {
  const ref = parseReference(referenceOrUrl);
  const { key, verifier } = await unlock(ref, options.password);
  const body = { id: ref.id, ...(verifier ? { passwordVerifier: verifier } : {}) };
  const token =
    loader.kind === 'device'
      ? await loader.call('loadToken', body, options)
      : await loader.call('loadTokenAnonymously', body, options);
  if (token.content === undefined) return { token, content: undefined };
  return { token, content: bytesToJson(openContent(key, fromBase64Url(token.content), context('token'))) };
}

/** Seals template content for `createTemplate`; returns the sealed text and the reference parts. */
export async function sealTemplate(content: Uint8Array, options: ShareOptions) {
  const sealed = await protection(options);
  return { sealed, text: toBase64Url(sealContent(sealed.key, content, context('template'))) };
}

/** Builds a template's reference once the backbone has assigned its id. */
export function templateReference(
  template: Template,
  referenceKey: Uint8Array,
  options: ShareOptions,
  password: ReferencePassword | undefined,
): SharedReference {
  return referenceOf('template', template.id, hostOf(template.createdBy), referenceKey, options, password);
}

/**
 * Loads a template by reference and opens its content (the caller's identity allocates it).
 * @throws ProtocolError with the backbone's code; CryptoError when the content does not open.
 */
export async function loadTemplateContent(
  loader: Loader,
  referenceOrUrl: string,
  options: { password?: string } & CallOptions = {},
): Promise<{ template: Template; plaintext: Uint8Array }> {
  const ref = parseReference(referenceOrUrl);
  if (ref.type !== 'template')
    throw new TransportError(TransportErrorCodes.wrongReference, 'not a template reference');
  const { key, verifier } = await unlock(ref, options.password);
  const body = { id: ref.id, ...(verifier ? { passwordVerifier: verifier } : {}) };
  const template =
    loader.kind === 'device'
      ? await loader.call('loadTemplate', body, options)
      : await loader.call('loadTemplateAnonymously', body, options);
  return { template, plaintext: openContent(key, fromBase64Url(template.content), context('template')) };
}
