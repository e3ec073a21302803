import { createHash } from 'node:crypto';
import { MailboxEntryType, mailboxTypeHeader, maxEntriesPerBatch } from '@enmesh/protocol';
import type { OutboxEntry } from './outbox.js';

/**
 * Largest payload of one batch entry. Mailbox streams take entries of up to 1 MiB; a quarter keeps a batch
 * quick to store and to deliver, and well inside a device's payload limit.
 */
export const maxBatchEntryBytes = 256 * 1024;

/** One JetStream message to publish: a lone entry as it is, or a batch entry holding several. */
export interface EntryBatch {
  /** What to publish. */
  readonly entry: OutboxEntry;
  /** The entries it carries, in order (the lone entry itself for a batch of one). */
  readonly members: readonly OutboxEntry[];
}

const batchPrefix = `{"@type":"${MailboxEntryType.batch}","entries":[`;
const batchSuffix = ']}';

/**
 * Groups mailbox entries by mailbox into batch entries (`mailboxBatchSchema`), keeping each mailbox's order,
 * up to `maxBytes` of payload and `maxEntriesPerBatch` entries each. An entry that is alone in its mailbox
 * is published as it is, with its own dedup id, so that a send repeated alone is stored once.
 *
 * A batch's dedup id is derived from its members' ids: the same group published twice is stored once. A
 * member published again in another group (a sender's retry after a lost ack) reaches the mailbox twice;
 * devices drop such a repeat of an identical message (docs/protocol.md, "Mailboxes" and "Messages").
 */
export function batchEntries(
  entries: readonly OutboxEntry[],
  maxBytes: number = maxBatchEntryBytes,
): EntryBatch[] {
  const groups: { subject: string; members: OutboxEntry[] }[] = [];
  const open = new Map<string, { members: OutboxEntry[]; bytes: number }>();
  for (const entry of entries) {
    // Length, not UTF-8 bytes, to stay cheap: entries are ASCII JSON (base64, addresses, ids, times), and
    // were one not, three bytes per character still keep a batch under the stream's 1 MiB entry limit.
    const bytes = entry.payload.length + 1;
    let group = open.get(entry.subject);
    if (
      !group ||
      group.members.length >= maxEntriesPerBatch ||
      group.bytes + bytes > maxBytes - batchPrefix.length - batchSuffix.length
    ) {
      group = { members: [], bytes: 0 };
      open.set(entry.subject, group);
      groups.push({ subject: entry.subject, members: group.members });
    }
    group.members.push(entry);
    group.bytes += bytes;
  }
  return groups.map(({ subject, members }) => ({ entry: batchEntryOf(subject, members), members }));
}

function batchEntryOf(subject: string, members: readonly OutboxEntry[]): OutboxEntry {
  if (members.length === 1) return members[0]!;
  const ids = createHash('sha256');
  for (const member of members) ids.update(`${member.msgId}\n`);
  return {
    subject,
    msgId: `batch:${ids.digest('base64url')}`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.batch },
    payload: `${batchPrefix}${members.map((member) => member.payload).join(',')}${batchSuffix}`,
  };
}
