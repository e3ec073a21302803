import { ConnectorError, ConnectorErrorCodes } from '../errors.js';

/**
 * One event of the connector's identity, as webhooks, NATS subscribers and SSE clients see it: a unique
 * `id` (for deduplication), a gap-free `sequence` per identity (for ordering and resuming), the Enmeshed
 * event name as `namespace` (`transport.messageReceived`), its JSON `data` and the ISO `time`.
 */
export interface ConnectorEvent {
  readonly id: string;
  readonly sequence: number;
  readonly namespace: string;
  readonly data: unknown;
  readonly time: string;
}

const namespacePattern = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

/** Longest event name accepted (it becomes part of a NATS subject and a webhook URL). */
export const maxNamespaceLength = 200;

/**
 * Checks an event name: dot-separated words, at least two (`runtime.initialized`).
 * @throws ConnectorError `error.connector.events.invalidNamespace`.
 */
export function assertNamespace(namespace: string): void {
  if (namespace.length > maxNamespaceLength || !namespacePattern.test(namespace)) {
    throw new ConnectorError(
      ConnectorErrorCodes.invalidEventNamespace,
      'An event name is dot-separated words of letters, digits, _ and -, at most 200 characters.',
    );
  }
}

/**
 * Tells whether a trigger pattern covers an event name. Segments are separated by `.`; `*` matches one
 * segment, `**` any number, so `transport.*` covers `transport.messageReceived` and `**` every event.
 */
export function triggerMatches(pattern: string, namespace: string): boolean {
  const p = pattern.split('.');
  const s = namespace.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === s.length;
    if (p[i] === '**') {
      for (let k = j; k <= s.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    return j < s.length && (p[i] === '*' || p[i] === s[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}
