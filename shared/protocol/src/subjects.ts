import { createHash } from 'node:crypto';
import { ErrorCodes, ProtocolError } from './errors.js';

/**
 * Subject and name builders shared by the SDK, the actors and broker-config. Every subject a device or an
 * actor uses is built here, so that the permission template (broker-config) and the code agree.
 *
 * An identity address (`did:e:<host>:dids:<hash><checksum>`) contains `.` and `:`, which NATS treats as
 * separators, so subjects carry its NATS-safe token: the lower-case hex `<hash><checksum>` part. One backbone
 * serves one host, so the token names an identity uniquely there.
 */

/** Prefix under which devices reach the APP account's JetStream API (imported into the DEV account). */
export const deviceJetStreamApiPrefix = 'JS.APP.API';
/** Inbox prefix of the shared, unauthenticated bootstrap user. */
export const bootstrapInboxPrefix = '_INBOX.bootstrap';
/** The JWT tag that carries a device's identity token. */
export const identityTagName = 'identity';
/** The JWT tag that carries the name of a device's mailbox stream. */
export const mailboxTagName = 'mbx';

const tokenPattern = /^[0-9a-f]{8,128}$/;

/**
 * Returns the NATS-safe token of an identity address.
 * @throws ProtocolError `error.protocol.malformedRequest` when the text is not an identity address.
 */
export function identityToken(address: string): string {
  const marker = ':dids:';
  const at = address.lastIndexOf(marker);
  const token = at < 0 ? '' : address.slice(at + marker.length);
  if (!address.startsWith('did:e:') || !tokenPattern.test(token)) {
    throw new ProtocolError(ErrorCodes.malformedRequest, 'not an identity address');
  }
  return token;
}

/** Tells whether a string can be an identity token (used to check subject tokens strictly). */
export function isIdentityToken(value: string): boolean {
  return tokenPattern.test(value);
}

/** Returns the mailbox shard of an identity: the first 32 bits of SHA-256(token), modulo the shard count. */
export function mailboxShard(token: string, shardCount: number): number {
  const digest = createHash('sha256').update(token).digest();
  return digest.readUInt32BE(0) % shardCount;
}

/** Returns the name of the mailbox stream of a shard. Lower case, because JWT tag values are. */
export function mailboxStreamName(shard: number): string {
  return `mbx_${shard}`;
}

/** Returns the subject under which a shard's stream stores its mailboxes (`mbx.<n>.*`). */
export function mailboxStreamSubjects(shard: number): string {
  return `mbx.${shard}.*`;
}

/** Returns the subject of one identity's mailbox: `mbx.<shard>.<token>` with the token as the literal last token. */
export function mailboxSubject(token: string, shardCount: number): string {
  return `mbx.${mailboxShard(token, shardCount)}.${token}`;
}

/** Name of the stream that holds every file's sealed chunks (APP account; devices have no access). */
export const filesStreamName = 'files';
/** Subjects of the files stream: `file.<file id>.<chunk index>`. */
export const filesStreamSubjects = 'file.*.*';

/** Returns the subject of one chunk of a file: `file.<id>.<index>` (one message per subject). */
export function fileChunkSubject(fileId: string, index: number): string {
  return `file.${fileId}.${index}`;
}

/** Returns the filter that matches every chunk of a file (for purging it). */
export function fileChunksFilter(fileId: string): string {
  return `file.${fileId}.*`;
}

/** Returns the inbox prefix a device must use (its permissions allow only this inbox). */
export function deviceInboxPrefix(devicePublicKey: string): string {
  return `_INBOX.${devicePublicKey}`;
}

/** Subject of an authenticated device request: `bb.req.<identity>.<device>.<service>.<operation>`. */
export function deviceRequestSubject(
  token: string,
  devicePublicKey: string,
  service: string,
  op: string,
): string {
  return `bb.req.${token}.${devicePublicKey}.${service}.${op}`;
}

/** Subject of an unauthenticated bootstrap request: `bb.pub.<service>.<operation>`. */
export function bootstrapRequestSubject(service: string, op: string): string {
  return `bb.pub.${service}.${op}`;
}

/** The parts of a backbone request subject, as the server delivered it. */
export type ParsedRequestSubject =
  | { kind: 'device'; identityToken: string; deviceKey: string; service: string; operation: string }
  | { kind: 'bootstrap'; service: string; operation: string };

const namePattern = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/;

/** Parses a backbone request subject strictly; returns undefined for any other shape. */
export function parseRequestSubject(subject: string): ParsedRequestSubject | undefined {
  const parts = subject.split('.');
  if (parts[0] !== 'bb') return undefined;
  if (parts[1] === 'req' && parts.length === 6) {
    const [, , token, deviceKey, service, operation] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!isIdentityToken(token) || !/^U[A-Z2-7]{55}$/.test(deviceKey)) return undefined;
    if (!namePattern.test(service) || !namePattern.test(operation)) return undefined;
    return { kind: 'device', identityToken: token, deviceKey, service, operation };
  }
  if (parts[1] === 'pub' && parts.length === 4) {
    const [, , service, operation] = parts as [string, string, string, string];
    if (!namePattern.test(service) || !namePattern.test(operation)) return undefined;
    return { kind: 'bootstrap', service, operation };
  }
  return undefined;
}
