import {
  bootstrapInboxPrefix,
  bootstrapRequestSubject,
  deviceJetStreamApiPrefix,
  identityTagName,
  Limits,
  mailboxTagName,
  type OperationSpec,
  Operations,
} from '@enmesh/protocol';
import type { ConnectionType } from '@nats-io/jwt';

/**
 * The permissions of every device, as a template the server expands per connection: `{{subject()}}` is the
 * device's own public nkey, `{{tag(identity)}}` its identity token and `{{tag(mbx)}}` its mailbox stream.
 * A template function must fill a whole subject token. Nothing else is allowed: no stream API, no direct
 * get, no consumer creation, no shared inbox.
 */
export function devicePermissionTemplate() {
  const api = deviceJetStreamApiPrefix;
  const self = '{{subject()}}';
  const stream = `{{tag(${mailboxTagName})}}`;
  return {
    pub: {
      allow: [
        `bb.req.{{tag(${identityTagName})}}.${self}.>`,
        `${api}.CONSUMER.INFO.${stream}.${self}`,
        `${api}.CONSUMER.MSG.NEXT.${stream}.${self}`,
        `$JS.ACK.${stream}.${self}.>`,
      ],
    },
    sub: { allow: [`_INBOX.${self}.>`] },
    subs: Limits.deviceSubscriptions,
    payload: Limits.devicePayloadBytes,
    data: -1,
    allowed_connection_types: ['STANDARD', 'WEBSOCKET'] as ConnectionType[],
  };
}

/**
 * The subjects of the protocol's bootstrap operations, and nothing else: the broker refuses any other
 * request of the shared bootstrap user before an actor sees it.
 */
export function bootstrapSubjects(): string[] {
  const specs: OperationSpec[] = Object.values(Operations);
  return [
    ...new Set(
      specs
        .filter((spec) => spec.access === 'bootstrap')
        .map((spec) => bootstrapRequestSubject(spec.service, spec.operation)),
    ),
  ].sort();
}

/** The permissions of the shared bootstrap user: send the bootstrap requests, read its own inbox. */
export function bootstrapPermissions() {
  return {
    pub: { allow: bootstrapSubjects() },
    sub: { allow: [`${bootstrapInboxPrefix}.>`] },
    subs: 10,
    payload: Limits.bootstrapPayloadBytes,
    data: -1,
    allowed_connection_types: ['STANDARD', 'WEBSOCKET'] as ConnectionType[],
  };
}
