import {
  addressMatchesKey,
  fromBase64Url,
  hkdf,
  openContent,
  randomBytes,
  sealContent,
  sharedSecret,
  sign,
  toBase64Url,
  verify,
} from '@enmesh/protocol';
import { TransportError, TransportErrorCodes } from './errors.js';
import { deriveExchangeKeyPair } from './exchange-keys.js';
import { bytesToJson, canonicalFields, jsonToBytes } from './json-bytes.js';
import type { IdentityKeys } from './signing.js';

/**
 * What a template's sealed content holds: the templator's identity key, its X25519 exchange key (with the
 * nonce its devices re-derive it from), the application content, and the identity's signature over them.
 */
export interface TemplateContent {
  readonly '@type': 'RelationshipTemplateContent';
  readonly createdBy: string;
  readonly identityPublicKey: string;
  readonly exchangeKey: string;
  readonly exchangeNonce: string;
  readonly content: unknown;
  readonly signature: string;
}

const templateFields = [
  'createdBy',
  'identityPublicKey',
  'exchangeKey',
  'exchangeNonce',
  'contentHash',
] as const;
const creationFields = [
  'templateId',
  'templateExchangeKey',
  'templateExchangeNonce',
  'requestorExchangeKey',
  'requestorExchangeNonce',
  'requestorIdentityPublicKey',
  'sealed',
] as const;

function contentHashOf(content: unknown): string {
  return toBase64Url(hkdf(jsonToBytes(content), new Uint8Array(0), 'enmesh/content-hash/v1', 32));
}

/** Builds a template's content for the identity, with a fresh exchange key derived from the identity key. */
export function buildTemplateContent(identity: IdentityKeys, content: unknown): TemplateContent {
  const nonce = randomBytes(16);
  const exchange = deriveExchangeKeyPair(identity.privateKey, 'template', nonce);
  const record = {
    createdBy: identity.address,
    identityPublicKey: toBase64Url(identity.publicKey),
    exchangeKey: toBase64Url(exchange.publicKey),
    exchangeNonce: toBase64Url(nonce),
    contentHash: contentHashOf(content),
  };
  const signature = sign(identity.privateKey, canonicalFields('enmesh.template', record, templateFields));
  const { contentHash: _hash, ...fields } = record;
  return { '@type': 'RelationshipTemplateContent', ...fields, content, signature: toBase64Url(signature) };
}

/**
 * Checks a template's content: its signature by the identity key, and that the key is the one the address
 * `expectedCreator` (as the backbone reported it) derives from.
 * @throws TransportError `error.transport.invalidTemplate`.
 */
export function verifyTemplateContent(value: unknown, expectedCreator: string): TemplateContent {
  const fail = (why: string): never => {
    throw new TransportError(TransportErrorCodes.invalidTemplate, `the template is not authentic: ${why}`);
  };
  const content = value as Partial<TemplateContent>;
  if (typeof value !== 'object' || value === null || content['@type'] !== 'RelationshipTemplateContent') {
    return fail('unknown content');
  }
  for (const field of [
    'createdBy',
    'identityPublicKey',
    'exchangeKey',
    'exchangeNonce',
    'signature',
  ] as const) {
    if (typeof content[field] !== 'string') fail(`missing ${field}`);
  }
  const typed = content as TemplateContent;
  if (typed.createdBy !== expectedCreator) fail('it names another creator');
  try {
    const key = fromBase64Url(typed.identityPublicKey);
    if (!addressMatchesKey(typed.createdBy, key)) fail('the key does not belong to the creator');
    const record = { ...typed, contentHash: contentHashOf(typed.content) } as unknown as Record<
      string,
      string
    >;
    if (
      !verify(key, canonicalFields('enmesh.template', record, templateFields), fromBase64Url(typed.signature))
    ) {
      fail('bad signature');
    }
  } catch (error) {
    if (error instanceof TransportError) throw error;
    fail('malformed keys');
  }
  return typed;
}

/** The clear part of a relationship request: keys and nonces both sides' devices need, and the sealed content. */
export interface CreationContent {
  readonly v: 1;
  readonly templateId: string;
  readonly templateExchangeKey: string;
  readonly templateExchangeNonce: string;
  readonly requestorExchangeKey: string;
  readonly requestorExchangeNonce: string;
  readonly requestorIdentityPublicKey: string;
  /** The application content, sealed for the templator with a key from the X25519 exchange. */
  readonly sealed: string;
  /** The requestor identity's signature over all of the above. */
  readonly signature: string;
}

function creationKey(secret: Uint8Array, templateId: string): Uint8Array {
  return hkdf(secret, new TextEncoder().encode(templateId), 'enmesh/relationship/creation/v1', 32);
}

/** Builds the creation content of a relationship request from a verified template. */
export function buildCreationContent(
  identity: IdentityKeys,
  templateId: string,
  template: TemplateContent,
  content: unknown,
): CreationContent {
  const nonce = randomBytes(16);
  const exchange = deriveExchangeKeyPair(identity.privateKey, 'relationship-request', nonce);
  const key = creationKey(sharedSecret(exchange.privateKey, fromBase64Url(template.exchangeKey)), templateId);
  const record = {
    templateId,
    templateExchangeKey: template.exchangeKey,
    templateExchangeNonce: template.exchangeNonce,
    requestorExchangeKey: toBase64Url(exchange.publicKey),
    requestorExchangeNonce: toBase64Url(nonce),
    requestorIdentityPublicKey: toBase64Url(identity.publicKey),
    sealed: toBase64Url(
      sealContent(key, jsonToBytes(content), { type: 'relationship-creation', id: templateId }),
    ),
  };
  const signature = sign(identity.privateKey, canonicalFields('enmesh.creation', record, creationFields));
  return { v: 1, ...record, signature: toBase64Url(signature) };
}

/**
 * Reads and checks creation content: the requestor's signature, and that its key is the address `from`.
 * @throws TransportError `error.transport.invalidCreationContent`.
 */
export function verifyCreationContent(encoded: string, from: string): CreationContent {
  const fail = (why: string): never => {
    throw new TransportError(
      TransportErrorCodes.invalidCreationContent,
      `the request is not authentic: ${why}`,
    );
  };
  let value: CreationContent;
  try {
    value = bytesToJson(fromBase64Url(encoded)) as CreationContent;
  } catch {
    return fail('unreadable');
  }
  if (value?.v !== 1) fail('unknown version');
  for (const field of [...creationFields, 'signature'] as const) {
    if (typeof value[field] !== 'string') fail(`missing ${field}`);
  }
  try {
    const key = fromBase64Url(value.requestorIdentityPublicKey);
    if (!addressMatchesKey(from, key)) fail('the key does not belong to the requestor');
    const record = value as unknown as Record<string, string>;
    if (
      !verify(key, canonicalFields('enmesh.creation', record, creationFields), fromBase64Url(value.signature))
    ) {
      fail('bad signature');
    }
  } catch (error) {
    if (error instanceof TransportError) throw error;
    fail('malformed keys');
  }
  return value;
}

/** Encodes creation content for the wire. */
export function encodeCreationContent(content: CreationContent): string {
  return toBase64Url(jsonToBytes(content));
}

/** Opens the application content of a request, on a device of the templator. */
export function openCreationContent(identity: IdentityKeys, creation: CreationContent): unknown {
  const exchange = deriveExchangeKeyPair(
    identity.privateKey,
    'template',
    fromBase64Url(creation.templateExchangeNonce),
  );
  const key = creationKey(
    sharedSecret(exchange.privateKey, fromBase64Url(creation.requestorExchangeKey)),
    creation.templateId,
  );
  return bytesToJson(
    openContent(key, fromBase64Url(creation.sealed), {
      type: 'relationship-creation',
      id: creation.templateId,
    }),
  );
}
