import {
  type DeliveredMessage,
  fromBase64Url,
  type MessageKind,
  openContent,
  openMessageBytes,
  RelationshipStatus,
  type RequestOf,
  type ResponseOf,
  sealContent,
  sealMessageBytes,
  timeOrderedId,
  toBase64Url,
} from '@enmesh/protocol';
import type { AccountState } from './account-state.js';
import { TransportError, TransportErrorCodes } from './errors.js';
import { deriveSelfKey } from './exchange-keys.js';
import { contentWithoutAttachments, splitAttachments, withAttachments } from './files/attachments.js';
import { bytesToJson, jsonToBytes } from './json-bytes.js';
import { currentSendKey, type RelationshipKeys, receiveKeyAt } from './relationship-keys.js';
import type { IdentityKeys } from './signing.js';

/** A message as this device opened it: verified sender, recipients, time and content. */
export interface ReceivedMessage {
  readonly id: string;
  readonly sender: string;
  readonly recipients: readonly string[];
  /** The time the sender sealed it (authenticated); `receivedAt` is the backbone's. */
  readonly createdAt: string;
  readonly receivedAt: string;
  readonly kind: MessageKind;
  readonly content: unknown;
  readonly attachments: readonly string[];
  /** References of the attached files, from the sealed content (download them with `downloadFile`). */
  readonly fileReferences: readonly string[];
}

/** Seals a message's JSON content for its recipients with each relationship's current send key. */
export function sealOutgoing(
  sender: string,
  recipients: readonly string[],
  content: unknown,
  keysFor: (recipient: string) => RelationshipKeys | undefined,
  // Time-ordered: the backbone indexes message ids, and ordered ones are far cheaper to insert.
  id: string = timeOrderedId('MSG', 20),
): { id: string; envelope: string; createdAt: string } {
  const createdAt = new Date().toISOString();
  const sealed = sealMessageBytes({
    id,
    sender,
    createdAt,
    recipients: recipients.map((address) => {
      const keys = keysFor(address);
      if (!keys) {
        throw new TransportError(TransportErrorCodes.noRelationship, `no relationship keys for ${address}`);
      }
      const { key, epoch } = currentSendKey(keys);
      return { address, sendKey: key, epoch };
    }),
    content: jsonToBytes(content),
  });
  return { id, envelope: toBase64Url(sealed), createdAt };
}

/** The receive key of a sender and epoch, from the relationship keys `keysFor` finds. */
function receiveKeysOf(
  keysFor: (sender: string) => RelationshipKeys | undefined,
): (sender: string, epoch: number) => Uint8Array | undefined {
  // Returned, not assigned to a name: the loader that keeps function names adds no call per message here.
  return (sender, epoch) => {
    const keys = keysFor(sender);
    return keys ? receiveKeyAt(keys, epoch) : undefined;
  };
}

/**
 * Opens a delivered message and checks that what the backbone attests (sender, id, recipients) is what the
 * sender sealed. Every failure throws: a tampered, forged, misdirected or foreign message never opens.
 * @throws CryptoError from the envelope checks; TransportError `error.transport.noRelationship` when the
 *   sender is not related, or when the attested data and the sealed header disagree.
 */
export function openIncoming(
  own: string,
  delivered: DeliveredMessage,
  keysFor: (sender: string) => RelationshipKeys | undefined,
): ReceivedMessage {
  const opened = openMessageBytes(fromBase64Url(delivered.envelope), {
    ownAddress: own,
    receiveKeyFor: receiveKeysOf(keysFor),
  });
  const header = opened.header;
  const sameRecipients =
    header.recipients.length === delivered.recipients.length &&
    header.recipients.every((address, i) => address === delivered.recipients[i]);
  if (header.sender !== delivered.sender || header.id !== delivered.id || !sameRecipients) {
    throw new TransportError(
      TransportErrorCodes.noRelationship,
      'the sealed header does not match the delivery',
    );
  }
  const { content, references } = splitAttachments(bytesToJson(opened.content), delivered.attachments);
  return {
    id: header.id,
    sender: header.sender,
    recipients: header.recipients,
    createdAt: header.createdAt,
    receivedAt: delivered.createdAt,
    kind: delivered.kind,
    content,
    attachments: delivered.attachments,
    fileReferences: references,
  };
}

/** Longest request text for which a sender copy still rides along (the device payload limit is 256 KiB). */
const senderCopyBudget = 200_000;

/**
 * Seals a copy of sent content for the identity's own devices (they are not recipients of the envelope), or
 * returns undefined when envelope and copy together would not fit one request (then the other devices see
 * the sent message without its content).
 */
export function sealSenderCopy(
  selfKey: Uint8Array,
  id: string,
  content: unknown,
  envelope: string,
): string | undefined {
  const copy = toBase64Url(sealContent(selfKey, jsonToBytes(content), { type: 'message-copy', id }));
  return envelope.length + copy.length <= senderCopyBudget ? copy : undefined;
}

/** Opens a sender copy on another device of the sender; undefined when it does not open. */
export function openSenderCopy(selfKey: Uint8Array, id: string, copy: string): unknown {
  try {
    const opened = bytesToJson(openContent(selfKey, fromBase64Url(copy), { type: 'message-copy', id }));
    return contentWithoutAttachments(opened);
  } catch {
    return undefined;
  }
}

/**
 * Seals a message for its recipients with the current relationship keys (content needs Active relationships,
 * a notification may also use Terminated ones) and builds the send request, with the sender copy and the
 * attachments' ids.
 * @throws TransportError `error.transport.noRelationship` when a recipient has no suitable relationship.
 */
export function buildSendRequest(
  identity: IdentityKeys,
  state: AccountState,
  recipients: readonly string[],
  content: unknown,
  options: {
    kind?: MessageKind;
    id?: string;
    attachments?: readonly string[];
    /** False to leave out the copy for the identity's other devices (when it has none). Default true. */
    copyForOwnDevices?: boolean;
  } = {},
): RequestOf<'sendMessage'> {
  const message = withAttachments(content, options.attachments);
  const kind = options.kind ?? 'content';
  const states: RelationshipStatus[] =
    kind === 'content'
      ? [RelationshipStatus.active]
      : [RelationshipStatus.active, RelationshipStatus.terminated];
  const sealed = sealOutgoing(
    identity.address,
    recipients,
    message.content,
    (peer) => state.keysForPeer(peer, states),
    options.id,
  );
  const senderCopy =
    options.copyForOwnDevices === false
      ? undefined
      : sealSenderCopy(deriveSelfKey(identity.privateKey), sealed.id, message.content, sealed.envelope);
  return {
    id: sealed.id,
    kind,
    recipients: [...recipients],
    envelope: sealed.envelope,
    ...(message.ids ? { attachments: message.ids } : {}),
    ...(senderCopy ? { senderCopy } : {}),
    ...(options.copyForOwnDevices === false ? { withoutSenderCopy: true as const } : {}),
  };
}

/**
 * Records a message this device sent, from the backbone's answer, when no MessageSent entry will come (the
 * identity has no other device): the same outgoing record the entry would have made. The content is
 * `sentContent` when the caller still has it, else the sender copy's, opened here (a queued send keeps only
 * sealed forms).
 */
export function recordOwnSend(
  identity: IdentityKeys,
  state: AccountState,
  body: RequestOf<'sendMessage'>,
  answer: ResponseOf<'sendMessage'>,
  sentContent?: unknown,
): void {
  if (answer.copiedToOwnDevices) return;
  const content =
    sentContent ??
    (body.senderCopy
      ? openSenderCopy(deriveSelfKey(identity.privateKey), body.id, body.senderCopy)
      : undefined);
  state.putMessage({
    id: answer.id,
    direction: 'outgoing',
    sender: identity.address,
    recipients: answer.recipients,
    createdAt: answer.createdAt,
    readAt: answer.createdAt,
    ...(content === undefined ? {} : { content }),
  });
}
