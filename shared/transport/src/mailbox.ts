import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/nats-core';

/** One entry of a mailbox, delivered to this device. Ack it once it is processed; until then it comes again. */
export interface MailboxEntry {
  /** The mailbox stream sequence: the device's cursor after this entry is processed. */
  readonly sequence: number;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
  /** How often this entry was delivered (1 the first time). */
  readonly deliveryCount: number;
  /** Marks the entry processed; the cursor advances. */
  ack(): Promise<void>;
  /** Asks for the entry again later. */
  nak(delayMs?: number): void;
}

/** A live mailbox: an async iterable of entries, with the current cursor, closed with `close()`. */
export interface Mailbox extends AsyncIterable<MailboxEntry> {
  /** The last stream sequence acknowledged by this device. */
  readonly cursor: number;
  /** Stops the delivery. */
  close(): Promise<void>;
}

/**
 * Wraps a consume() iterator: yields entries and advances the cursor on each ack (the cursor never moves
 * back, so out-of-order acks are safe), reporting it through `onCursor`.
 */
export function mailboxFromMessages(
  messages: ConsumerMessages,
  startCursor: number,
  onCursor: (cursor: number) => void,
): Mailbox {
  let cursor = startCursor;
  // Acks wait for the end of the current turn of the event loop and go out together: the client writes to its
  // socket once per turn in which something was sent, and entries are processed one await apart, so acking
  // each at once cost a write (a system call) per entry.
  let pendingAcks: JsMsg[] = [];
  const sendAcks = () => {
    const acks = pendingAcks;
    pendingAcks = [];
    for (const msg of acks) msg.ack();
  };
  const toEntry = (msg: JsMsg): MailboxEntry => ({
    sequence: msg.seq,
    headers: msg.headers,
    data: msg.data,
    deliveryCount: msg.info.deliveryCount,
    async ack() {
      // A plain ack, no confirmation round trip: the device's cursor is what a reopened mailbox starts from,
      // and an entry whose ack the server missed comes again and is recognised by its sequence.
      if (pendingAcks.push(msg) === 1) setImmediate(sendAcks);
      if (msg.seq > cursor) {
        cursor = msg.seq;
        onCursor(cursor);
      }
    },
    nak: (delayMs) => msg.nak(delayMs),
  });
  return {
    get cursor() {
      return cursor;
    },
    close: async () => {
      sendAcks();
      // Not awaited: the client resolves close() only once somebody pulls the iterator to its end, which a
      // caller that stopped iterating never does. The pull subscription is gone synchronously either way;
      // entries delivered but not acknowledged come again on the next open.
      void messages.close();
    },
    async *[Symbol.asyncIterator]() {
      for await (const msg of messages) yield toEntry(msg);
    },
  };
}
