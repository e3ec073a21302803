import { identityTagName, mailboxTagName } from '@enmesh/protocol';
import { encodeUser, fromSeed } from '@nats-io/jwt';
import { accountKeys } from './accounts.js';
import type { BrokerSecrets } from './secrets.js';

/** What goes into a device JWT. */
export interface DeviceJwtInput {
  readonly devicePublicKey: string;
  readonly identityToken: string;
  readonly mailboxStream: string;
  /** Unix seconds after which the server refuses the JWT. */
  readonly expiresAt: number;
}

/**
 * Returns a function that mints device JWTs with the DEV account's scoped `device` key. The JWT carries only
 * tags; the server takes the permissions from the account's template, so no JWT can grant more.
 */
export function deviceJwtMinter(secrets: BrokerSecrets): (input: DeviceJwtInput) => Promise<string> {
  const signer = fromSeed(new TextEncoder().encode(secrets.devDeviceSigning));
  const account = accountKeys(secrets).dev;
  return (input) =>
    encodeUser(
      'device',
      input.devicePublicKey,
      account,
      { tags: [`${identityTagName}:${input.identityToken}`, `${mailboxTagName}:${input.mailboxStream}`] },
      { signer, scopedUser: true, exp: input.expiresAt },
    );
}
