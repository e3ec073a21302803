import { TransportError, TransportErrorCodes } from '../errors.js';
import { parseReference } from '../shared-objects.js';

/** Marks sealed message content that carries file references next to the application's content. */
const wrapperType = 'enmesh.MessageWithAttachments';

/**
 * The content to seal for a message with file attachments, and the file ids the backbone learns: the
 * references (with their metadata keys) travel inside the sealed content, only the ids in the clear.
 * Without attachments the content is sealed as it is.
 * @throws CryptoError `error.crypto.invalidReference`; TransportError `error.transport.wrongReference`.
 */
export function withAttachments(
  content: unknown,
  references: readonly string[] | undefined,
): { content: unknown; ids: string[] | undefined } {
  if (!references || references.length === 0) return { content, ids: undefined };
  const ids = references.map((reference) => {
    const ref = parseReference(reference);
    if (ref.type !== 'file') {
      throw new TransportError(TransportErrorCodes.wrongReference, 'an attachment must be a file reference');
    }
    return ref.id;
  });
  return { content: { '@type': wrapperType, content, attachments: [...references] }, ids };
}

/**
 * Splits opened message content into the application's content and its file references, and checks that
 * the references name exactly the files the backbone delivered as attachments, in order.
 * @throws TransportError `error.transport.wrongReference` when they differ.
 */
export function splitAttachments(
  opened: unknown,
  deliveredIds: readonly string[],
): { content: unknown; references: string[] } {
  const wrapper = opened as { '@type'?: unknown; content?: unknown; attachments?: unknown } | null;
  const isWrapper =
    typeof wrapper === 'object' &&
    wrapper !== null &&
    wrapper['@type'] === wrapperType &&
    Array.isArray(wrapper.attachments) &&
    wrapper.attachments.every((item) => typeof item === 'string');
  const references = isWrapper ? (wrapper.attachments as string[]) : [];
  const ids = references.map((reference) => {
    try {
      return parseReference(reference).id;
    } catch {
      return '';
    }
  });
  if (ids.length !== deliveredIds.length || ids.some((id, i) => id !== deliveredIds[i])) {
    throw new TransportError(
      TransportErrorCodes.wrongReference,
      'the sealed attachments do not match the delivered ones',
    );
  }
  return { content: isWrapper ? wrapper.content : opened, references };
}

/** The application's content of opened message content (dropping attachment references). */
export function contentWithoutAttachments(opened: unknown): unknown {
  const wrapper = opened as { '@type'?: unknown; content?: unknown } | null;
  return typeof wrapper === 'object' && wrapper !== null && wrapper['@type'] === wrapperType
    ? wrapper.content
    : opened;
}
