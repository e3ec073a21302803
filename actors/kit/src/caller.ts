import { ErrorCodes, identityTagName, type ParsedRequestSubject, ProtocolError } from '@enmesh/protocol';
import type { Msg } from '@nats-io/nats-core';

/** The authenticated device behind a request, as the server attested it. */
export interface DeviceCaller {
  readonly kind: 'device';
  readonly identityToken: string;
  readonly deviceKey: string;
}

/** The anonymous bootstrap user; `host` is the client's address as the server saw it (for rate limits). */
export interface BootstrapCaller {
  readonly kind: 'bootstrap';
  readonly host: string;
}

/** Who called an operation. */
export type Caller = DeviceCaller | BootstrapCaller;

/** The accounts and users whose requests the actors accept. */
export interface TrustAnchors {
  /** Public key of the DEV account: every device and the bootstrap user live there. */
  readonly deviceAccount: string;
  /** Public key of the bootstrap user. */
  readonly bootstrapUser: string;
}

interface RequestInfo {
  acc?: unknown;
  user?: unknown;
  tags?: unknown;
  host?: unknown;
}

const deny = (why: string) => new ProtocolError(ErrorCodes.unauthorized, `request not authorised: ${why}`);

/**
 * Establishes the caller from the server-stamped `Nats-Request-Info` header, cross-checked with the subject.
 * The server overwrites any such header a client sends, and adds it only to requests that crossed the
 * service import from the DEV account; nothing in the payload is trusted.
 * @throws ProtocolError `error.protocol.unauthorized` when the header is missing or contradicts the subject.
 */
export function authenticateCaller(msg: Msg, subject: ParsedRequestSubject, trust: TrustAnchors): Caller {
  const values = msg.headers?.values('Nats-Request-Info') ?? [];
  if (values.length !== 1 || values[0] === undefined) throw deny('no server-attested caller');
  let info: RequestInfo;
  try {
    info = JSON.parse(values[0]) as RequestInfo;
  } catch {
    throw deny('unreadable caller information');
  }
  if (info.acc !== trust.deviceAccount) throw deny('the caller is not in the device account');
  if (subject.kind === 'bootstrap') {
    if (info.user !== trust.bootstrapUser) throw deny('not the bootstrap user');
    return { kind: 'bootstrap', host: typeof info.host === 'string' ? info.host : 'unknown' };
  }
  if (info.user !== subject.deviceKey) throw deny('the subject names another device');
  const tags = Array.isArray(info.tags) ? info.tags : [];
  if (!tags.includes(`${identityTagName}:${subject.identityToken}`)) {
    throw deny('the subject names another identity');
  }
  return { kind: 'device', identityToken: subject.identityToken, deviceKey: subject.deviceKey };
}
