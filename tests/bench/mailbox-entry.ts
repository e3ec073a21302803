import {
  identityToken,
  MailboxEntryType,
  mailboxShard,
  mailboxStreamName,
  mailboxSubject,
} from '@enmesh/protocol';
import type { JetStreamManager } from '@nats-io/jetstream';

/**
 * The size of one message's entry in the last mailbox entry of `address`, for raw payloads of the same
 * size: the entry's size, or for a batch entry (several messages in one JetStream message) its size per
 * element.
 */
export async function lastMessageEntryBytes(
  jsm: JetStreamManager,
  address: string,
  shardCount: number,
): Promise<number> {
  const token = identityToken(address);
  const entry = await jsm.streams.getMessage(mailboxStreamName(mailboxShard(token, shardCount)), {
    last_by_subj: mailboxSubject(token, shardCount),
  });
  if (!entry) throw new Error('no mailbox entry found');
  const body = JSON.parse(new TextDecoder().decode(entry.data)) as { '@type'?: string; entries?: unknown[] };
  if (body['@type'] !== MailboxEntryType.batch || !Array.isArray(body.entries)) return entry.data.length;
  const elements = body.entries.map((element) => JSON.stringify(element).length);
  return Math.round(elements.reduce((sum, bytes) => sum + bytes, 0) / elements.length);
}
