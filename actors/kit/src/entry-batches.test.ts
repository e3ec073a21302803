import { MailboxEntryType, mailboxTypeHeader, maxEntriesPerBatch } from '@enmesh/protocol';
import { describe, expect, it } from 'vitest';
import { batchEntries, type EntryBatch, maxBatchEntryBytes } from './entry-batches.js';
import type { OutboxEntry } from './outbox.js';

/** A message entry for mailbox `subject`, as the messages actor publishes one; `pad` lengthens its payload. */
function entry(subject: string, id: string, pad = ''): OutboxEntry {
  return {
    subject,
    msgId: `msg:${id}:${subject}`,
    headers: { [mailboxTypeHeader]: MailboxEntryType.messageReceived },
    payload: JSON.stringify({ '@type': MailboxEntryType.messageReceived, message: { id, pad } }),
  };
}

/** The elements of a batch entry's payload, checking its form on the way. */
function elementsOf(batch: OutboxEntry): unknown[] {
  const body = JSON.parse(batch.payload) as { '@type': string; entries: unknown[] };
  expect(Object.keys(body)).toEqual(['@type', 'entries']);
  expect(body['@type']).toBe('Batch');
  return body.entries;
}

/** What a batch must be for its members: the lone member itself, or a Batch entry holding them in order. */
function expectBatchOf(batch: EntryBatch) {
  const { entry: published, members } = batch;
  expect(members.length).toBeGreaterThan(0);
  if (members.length === 1) {
    expect(published).toBe(members[0]);
    return;
  }
  for (const member of members) expect(member.subject).toBe(published.subject);
  expect(published.headers).toEqual({ [mailboxTypeHeader]: MailboxEntryType.batch });
  expect(published.msgId).toMatch(/^batch:/);
  expect(elementsOf(published)).toEqual(members.map((member) => JSON.parse(member.payload)));
}

describe('batchEntries', () => {
  it('keeps an entry that is alone in its mailbox exactly as given', () => {
    const lone = entry('mbx.0.alice', 'M1');
    const batches = batchEntries([lone]);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.entry).toBe(lone);
    expect(batches[0]!.entry).toEqual({
      subject: 'mbx.0.alice',
      msgId: 'msg:M1:mbx.0.alice',
      headers: { [mailboxTypeHeader]: MailboxEntryType.messageReceived },
      payload: lone.payload,
    });
    expect(batches[0]!.members).toEqual([lone]);
    expect(batchEntries([])).toEqual([]);
  });

  it('groups the entries of one mailbox into one Batch entry, members in input order', () => {
    const entries = ['M1', 'M2', 'M3'].map((id) => entry('mbx.1.bob', id));
    const batches = batchEntries(entries);
    expect(batches).toHaveLength(1);
    const [batch] = batches;
    expect(batch!.members).toEqual(entries);
    expect(batch!.entry.subject).toBe('mbx.1.bob');
    expect(batch!.entry.headers).toEqual({ 'Enmesh-Type': 'Batch' });
    expect(JSON.parse(batch!.entry.payload)).toEqual({
      '@type': 'Batch',
      entries: entries.map((member) => JSON.parse(member.payload)),
    });
    // A batch's dedup id is its own, not one of a member.
    expect(batch!.entry.msgId).toMatch(/^batch:/);
    for (const member of entries) expect(batch!.entry.msgId).not.toBe(member.msgId);
  });

  it('keeps separate mailboxes apart, each in its own order, and a lone one as it is', () => {
    const a1 = entry('mbx.0.alice', 'M1');
    const b1 = entry('mbx.1.bob', 'M1');
    const a2 = entry('mbx.0.alice', 'M2');
    const c1 = entry('mbx.2.carol', 'M2');
    const b2 = entry('mbx.1.bob', 'M3');
    const a3 = entry('mbx.0.alice', 'M3');
    const batches = batchEntries([a1, b1, a2, c1, b2, a3]);
    expect(batches.map((batch) => batch.members)).toEqual([[a1, a2, a3], [b1, b2], [c1]]);
    expect(batches.map((batch) => batch.entry.subject)).toEqual(['mbx.0.alice', 'mbx.1.bob', 'mbx.2.carol']);
    expect(batches[2]!.entry).toBe(c1);
    for (const batch of batches) expectBatchOf(batch);
  });

  it('starts a new batch when the next entry would exceed maxBytes, and never exceeds it', () => {
    const entries = Array.from({ length: 10 }, (_, i) => entry('mbx.1.bob', `M${i}`, 'x'.repeat(20)));
    const size = entries[0]!.payload.length;
    for (const member of entries) expect(member.payload.length).toBe(size);
    // Room for four members and their commas in the Batch wrapper, not for five.
    const wrapper = '{"@type":"Batch","entries":[]}'.length;
    const maxBytes = wrapper + 4 * size + 3 + 4;
    expect(wrapper + 5 * size + 4).toBeGreaterThan(maxBytes);

    const batches = batchEntries(entries, maxBytes);
    expect(batches.map((batch) => batch.members.length)).toEqual([4, 4, 2]);
    expect(batches.flatMap((batch) => batch.members)).toEqual(entries);
    for (const [i, batch] of batches.entries()) {
      expectBatchOf(batch);
      expect(batch.entry.payload.length).toBeLessThanOrEqual(maxBytes);
      // Full: the next entry would not have fit.
      const next = batches[i + 1]?.members[0];
      if (next) expect(batch.entry.payload.length + 1 + next.payload.length).toBeGreaterThan(maxBytes);
    }

    // Mailboxes fill up separately.
    const mixed = entries.flatMap((member) => [member, { ...member, subject: 'mbx.0.alice' }]);
    const mixedBatches = batchEntries(mixed, maxBytes);
    expect(mixedBatches.map((batch) => [batch.entry.subject, batch.members.length])).toEqual([
      ['mbx.1.bob', 4],
      ['mbx.0.alice', 4],
      ['mbx.1.bob', 4],
      ['mbx.0.alice', 4],
      ['mbx.1.bob', 2],
      ['mbx.0.alice', 2],
    ]);
    for (const batch of mixedBatches) {
      expectBatchOf(batch);
      expect(batch.entry.payload.length).toBeLessThanOrEqual(maxBytes);
    }

    // By default a batch stays within maxBatchEntryBytes.
    const large = Array.from({ length: 12 }, (_, i) => entry('mbx.1.bob', `L${i}`, 'y'.repeat(50_000)));
    const largeBatches = batchEntries(large);
    expect(largeBatches.length).toBeGreaterThan(1);
    expect(largeBatches.flatMap((batch) => batch.members)).toEqual(large);
    for (const batch of largeBatches) {
      expectBatchOf(batch);
      expect(batch.entry.payload.length).toBeLessThanOrEqual(maxBatchEntryBytes);
    }
  });

  it(`starts a new batch after ${maxEntriesPerBatch} entries`, () => {
    const entries = Array.from({ length: 2 * maxEntriesPerBatch + 1 }, (_, i) => entry('mbx.1.bob', `M${i}`));
    const batches = batchEntries(entries);
    expect(batches.map((batch) => batch.members.length)).toEqual([maxEntriesPerBatch, maxEntriesPerBatch, 1]);
    expect(batches.flatMap((batch) => batch.members)).toEqual(entries);
    for (const batch of batches) expectBatchOf(batch);
    // The one left over goes out alone, as it is.
    expect(batches[2]!.entry).toBe(entries.at(-1));
    expect(new Set(batches.map((batch) => batch.entry.msgId)).size).toBe(3);
  });

  it('derives the same dedup id from the same members, and another from other members', () => {
    const ids = (list: readonly string[]) => list.map((id) => entry('mbx.1.bob', id));
    const msgIdOf = (list: readonly string[]) => {
      const batches = batchEntries(ids(list));
      expect(batches).toHaveLength(1);
      return batches[0]!.entry.msgId;
    };
    const first = msgIdOf(['M1', 'M2', 'M3']);
    // Built again from equal entries: the same id, so JetStream stores a repeated batch once.
    expect(msgIdOf(['M1', 'M2', 'M3'])).toBe(first);
    expect(batchEntries(ids(['M1', 'M2', 'M3']))[0]!.entry).toEqual(
      batchEntries(ids(['M1', 'M2', 'M3']))[0]!.entry,
    );
    // Other members, fewer, more, or another order: another id.
    const others = [
      msgIdOf(['M1', 'M2', 'M4']),
      msgIdOf(['M1', 'M2']),
      msgIdOf(['M1', 'M2', 'M3', 'M4']),
      msgIdOf(['M3', 'M2', 'M1']),
    ];
    expect(new Set([first, ...others]).size).toBe(5);
  });
});
