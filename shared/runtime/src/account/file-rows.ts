import {
  contentKey,
  encodeReference,
  type FileInfo,
  fromBase64Url,
  openFileMetadata,
  type Reference,
  referenceToUrl,
  toHex,
} from '@enmesh/protocol';
import {
  defaultReferenceBaseUrl,
  parseReference,
  TransportError,
  TransportErrorCodes,
} from '@enmesh/transport';
import { RuntimeError, RuntimeErrorCodes } from '../errors.js';
import type { FileRow } from '../storage/entities.js';
import type { AccountContext } from './context.js';

/**
 * Parses a reference and insists on its type.
 * @throws RuntimeError `error.runtime.unsupportedReference`; CryptoError `error.crypto.invalidReference`.
 */
export function referenceOfType(text: string, types: readonly Reference['type'][]): Reference {
  const ref = parseReference(text);
  if (!types.includes(ref.type)) {
    throw new RuntimeError(
      RuntimeErrorCodes.unsupportedReference,
      `a ${ref.type} reference where a ${types.join(' or ')} reference is expected`,
      { faults: [{ path: '$.reference', message: `must be a ${types.join(' or ')} reference` }] },
    );
  }
  return ref;
}

/** The two forms of a reference, as stored. */
export function referenceForms(ref: Reference): { truncatedReference: string; url: string } {
  return { truncatedReference: encodeReference(ref), url: referenceToUrl(ref, defaultReferenceBaseUrl) };
}

/**
 * Loads a file's description and opens its metadata with the reference's key, without its content: what a
 * file row needs. (The transport reads the metadata only as part of a whole download.)
 * @throws ProtocolError `error.files.*` from the backbone; TransportError `error.transport.fileIntegrity`
 *   when the metadata does not open with the reference.
 */
export async function loadFileRow(
  context: AccountContext,
  ref: Reference,
  options: { signal?: AbortSignal } = {},
): Promise<FileRow> {
  const file: FileInfo = await context.transport.session.call(
    'getFile',
    { id: ref.id },
    options.signal ? { signal: options.signal } : {},
  );
  if (file.metadata === undefined) {
    throw new TransportError(TransportErrorCodes.fileIntegrity, 'the file has no metadata yet');
  }
  let metadata: ReturnType<typeof openFileMetadata>;
  try {
    metadata = openFileMetadata(contentKey(ref.key), file.id, fromBase64Url(file.metadata));
  } catch (cause) {
    throw new TransportError(
      TransportErrorCodes.fileIntegrity,
      'the file metadata does not open with this reference',
      { cause },
    );
  }
  return {
    identity: context.address,
    id: file.id,
    isOwn: file.createdBy === context.address,
    filename: metadata.name,
    mimetype: metadata.mimeType,
    filesize: metadata.size,
    title: null,
    description: null,
    tags: null,
    createdAt: file.createdAt,
    createdBy: file.createdBy,
    createdByDevice: file.createdByDevice,
    expiresAt: file.expiresAt,
    owner: file.owner,
    ownershipToken: null,
    ownershipIsLocked: file.ownershipIsLocked,
    sha256: toHex(metadata.sha256),
    ...referenceForms(ref),
  };
}
