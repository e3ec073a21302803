import { fromBase64Url, type Relationship, toBase64Url } from '@enmesh/protocol';
import type { AccountState, StoredMessage } from './account-state.js';
import type { Modification } from './datawallet/state.js';
import { downloadFile } from './files/download.js';
import { uploadFile } from './files/upload.js';
import { bytesToJson, jsonToBytes } from './json-bytes.js';
import type { DeviceSession } from './session.js';

/** Where a snapshot of an account's state lies (a file of the identity) and the mailbox cursor it reflects. */
export interface SnapshotPointer {
  readonly reference: string;
  readonly cursor: number;
}

/** An account's local state at a mailbox cursor: what a new device needs instead of the whole history. */
export interface AccountSnapshot {
  readonly v: 1;
  readonly cursor: number;
  readonly relationships: Relationship[];
  readonly keys: { relationshipId: string; peer: string; send: string; receive: string; sendEpoch: number }[];
  readonly messages: StoredMessage[];
  readonly datawallet: Modification[];
}

/** How long the snapshot file lives: the new device reads it within minutes, then deletes it. */
const snapshotLifetimeMs = 24 * 3600 * 1000;

/**
 * This device's state at `cursor` as plain JSON data (relationship keys included, so keep it as secret as
 * the device's keys): for a new device's snapshot, or for the device's own storage between runs.
 */
export function takeSnapshot(state: AccountState, cursor: number): AccountSnapshot {
  return {
    v: 1,
    cursor,
    relationships: [...state.relationships.values()],
    keys: [...state.keys.values()].map((keys) => ({
      relationshipId: keys.relationshipId,
      peer: keys.peer,
      send: toBase64Url(keys.sendBase),
      receive: toBase64Url(keys.receiveBase),
      sendEpoch: keys.sendEpoch,
    })),
    messages: [...state.messages.values()],
    datawallet: state.datawallet.toModifications(),
  };
}

/**
 * Fills a state from a snapshot (relationships, their keys, messages — remembered as seen, so a replay
 * is refused — and the datawallet) and returns the cursor it reflects. The datawallet's modifications are
 * returned too, for a datawallet whose clock must move past them (`Datawallet.adopt`).
 */
export function loadSnapshot(
  state: AccountState,
  snapshot: AccountSnapshot,
): { cursor: number; datawallet: Modification[] } {
  for (const relationship of snapshot.relationships) state.putRelationship(relationship.id, relationship);
  for (const keys of snapshot.keys) {
    state.keys.set(keys.relationshipId, {
      relationshipId: keys.relationshipId,
      peer: keys.peer,
      sendBase: fromBase64Url(keys.send),
      receiveBase: fromBase64Url(keys.receive),
      sendEpoch: keys.sendEpoch,
    });
  }
  for (const message of snapshot.messages) {
    state.putMessage(message);
    state.markSeen(message.id);
  }
  return { cursor: snapshot.cursor, datawallet: snapshot.datawallet };
}

/**
 * Uploads this device's state as a sealed file of the identity (only the reference opens it) and returns
 * where it lies. Its size follows the state, not the history: relationships, their keys, the message list
 * and the datawallet as they are at `cursor`.
 */
export async function uploadSnapshot(
  session: DeviceSession,
  state: AccountState,
  cursor: number,
): Promise<SnapshotPointer> {
  const snapshot = takeSnapshot(state, cursor);
  const bytes = jsonToBytes(snapshot);
  const uploaded = await uploadFile(session, [bytes], {
    name: 'account-snapshot.json',
    mimeType: 'application/json',
    size: bytes.length,
    expiresAt: new Date(Date.now() + snapshotLifetimeMs),
  });
  return { reference: uploaded.reference, cursor };
}

/**
 * Downloads a snapshot (verifying every chunk), fills the state with it (the datawallet's modifications are
 * returned for the caller's datawallet to adopt), deletes the file, and returns the cursor to read the
 * mailbox from.
 * @throws TransportError `error.transport.fileIntegrity` when the file does not verify.
 */
export async function restoreSnapshot(
  session: DeviceSession,
  state: AccountState,
  pointer: SnapshotPointer,
): Promise<{ cursor: number; datawallet: Modification[] }> {
  const pieces: Uint8Array[] = [];
  const downloaded = await downloadFile(session, pointer.reference, (piece) => void pieces.push(piece));
  const restored = loadSnapshot(state, bytesToJson(Buffer.concat(pieces)) as AccountSnapshot);
  await session.call('deleteFile', { id: downloaded.file.id }).catch(() => undefined);
  return restored;
}
