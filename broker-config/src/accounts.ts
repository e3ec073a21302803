import { deviceJetStreamApiPrefix } from '@enmesh/protocol';
import {
  type Account,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
  fromSeed,
  newScopedSigner,
} from '@nats-io/jwt';
import { createUser } from '@nats-io/nkeys';
import { bootstrapPermissions, devicePermissionTemplate } from './device-template.js';
import type { BrokerSecrets } from './secrets.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const pair = (seed: string) => fromSeed(encoder.encode(seed));

/** Public keys of the operator and accounts, derived from the secrets. */
export interface AccountKeys {
  readonly operator: string;
  readonly sys: string;
  readonly app: string;
  readonly dev: string;
}

/** Derives the public keys of the operator and the accounts. */
export function accountKeys(secrets: BrokerSecrets): AccountKeys {
  return {
    operator: pair(secrets.operator).getPublicKey(),
    sys: pair(secrets.sysAccount).getPublicKey(),
    app: pair(secrets.appAccount).getPublicKey(),
    dev: pair(secrets.devAccount).getPublicKey(),
  };
}

/** JetStream limits of the APP account. */
export interface AppJetStreamLimits {
  readonly diskStorageBytes: number;
  readonly memStorageBytes: number;
  readonly streams: number;
  /** Consumers per stream (NATS counts this limit per stream). */
  readonly consumersPerStream: number;
  readonly maxStreamBytes: number;
}

/** Services the APP account exports to the DEV account; replies are rewritten, so none can land in APP. */
const appExports = [
  {
    name: 'mbx-next',
    subject: '$JS.API.CONSUMER.MSG.NEXT.*.*',
    type: 'service',
    response_type: 'Stream',
    response_threshold: 5 * 60 * 1e9,
  },
  { name: 'mbx-info', subject: '$JS.API.CONSUMER.INFO.*.*', type: 'service', response_type: 'Singleton' },
  { name: 'mbx-ack', subject: '$JS.ACK.>', type: 'service', response_type: 'Singleton' },
  { name: 'bb-req', subject: 'bb.req.>', type: 'service', response_type: 'Singleton' },
  { name: 'bb-pub', subject: 'bb.pub.>', type: 'service', response_type: 'Singleton' },
] as const;

function localSubject(subject: string): string | undefined {
  return subject.startsWith('$JS.API.')
    ? subject.replace('$JS.API.', `${deviceJetStreamApiPrefix}.`)
    : undefined;
}

/** Builds the operator JWT (the operator identity key signs it; its signing key signs the accounts). */
export function operatorJwt(secrets: BrokerSecrets): Promise<string> {
  const keys = accountKeys(secrets);
  return encodeOperator('enmesh', pair(secrets.operator), {
    system_account: keys.sys,
    signing_keys: [pair(secrets.operatorSigning).getPublicKey()],
  });
}

/** Builds the SYS account JWT. */
export function sysAccountJwt(secrets: BrokerSecrets): Promise<string> {
  return encodeAccount(
    'SYS',
    pair(secrets.sysAccount),
    {
      limits: {
        subs: -1,
        data: -1,
        payload: -1,
        imports: -1,
        exports: -1,
        wildcards: true,
        conn: -1,
        leaf: -1,
      },
    },
    { signer: pair(secrets.operatorSigning) },
  );
}

/**
 * Builds the APP account JWT: JetStream, the actors, the mailbox streams. `conn` stays -1: on 2.9.10 a finite
 * connection limit makes every account update close JetStream's internal clients (consumers stop for good).
 */
export function appAccountJwt(secrets: BrokerSecrets, limits: AppJetStreamLimits): Promise<string> {
  const claims: Partial<Account> = {
    limits: {
      conn: -1,
      leaf: 0,
      subs: -1,
      payload: 1024 * 1024,
      data: -1,
      imports: -1,
      exports: -1,
      wildcards: true,
      disk_storage: limits.diskStorageBytes,
      mem_storage: limits.memStorageBytes,
      streams: limits.streams,
      consumer: limits.consumersPerStream,
      max_ack_pending: 10_000,
      disk_max_stream_bytes: limits.maxStreamBytes,
      mem_max_stream_bytes: Math.min(limits.maxStreamBytes, limits.memStorageBytes),
      max_bytes_required: true,
    } as Account['limits'],
    exports: appExports.map((entry) => ({ ...entry })) as Account['exports'],
    signing_keys: [pair(secrets.appSigning).getPublicKey()],
  };
  return encodeAccount('APP', pair(secrets.appAccount), claims, { signer: pair(secrets.operatorSigning) });
}

/**
 * Builds the DEV account JWT: devices and the bootstrap user, no JetStream, the APP services imported, the
 * scoped device signing key, and the revocation list (device public key → unix seconds; JWTs issued at or
 * before that second are refused).
 */
export function devAccountJwt(secrets: BrokerSecrets, revocations: Readonly<Record<string, number>>) {
  const keys = accountKeys(secrets);
  const scoped = newScopedSigner(pair(secrets.devDeviceSigning), 'device', devicePermissionTemplate());
  // newScopedSigner adds resp:{max:0,ttl:0}, which would turn on allow_responses: devices answer nothing.
  delete (scoped.template as { resp?: unknown }).resp;
  const claims: Partial<Account> = {
    limits: {
      conn: -1,
      leaf: 0,
      subs: -1,
      payload: 1024 * 1024,
      data: -1,
      imports: -1,
      exports: 0,
      wildcards: false,
    } as Account['limits'],
    imports: appExports.map((entry) => {
      const local = localSubject(entry.subject);
      return {
        name: entry.name,
        subject: entry.subject,
        account: keys.app,
        type: 'service',
        ...(local ? { local_subject: local } : {}),
        // share: the server adds a Nats-Request-Info header naming the caller, which actors authorise on.
        ...(entry.name.startsWith('bb-') ? { share: true } : {}),
      };
    }) as Account['imports'],
    signing_keys: [scoped, pair(secrets.devBootstrapSigning).getPublicKey()],
    revocations: { ...revocations },
  };
  return encodeAccount('DEV', pair(secrets.devAccount), claims, { signer: pair(secrets.operatorSigning) });
}

/** A `.creds` file's text (JWT and seed), as NATS clients read it. */
async function creds(jwt: Promise<string>, seed: string): Promise<string> {
  return decoder.decode(fmtCreds(await jwt, pair(seed)));
}

/** Credentials of the SYS user, used to push account updates. */
export function sysUserCreds(secrets: BrokerSecrets): Promise<string> {
  const jwt = encodeUser('sys', pair(secrets.sysUser), pair(secrets.sysAccount), {}, {});
  return creds(jwt, secrets.sysUser);
}

/**
 * Credentials for an actor process: a fresh user in the APP account (trusted backbone code, all subjects),
 * signed by the APP signing key.
 */
export async function actorUserCreds(secrets: BrokerSecrets, name: string): Promise<string> {
  const user = createUser();
  const jwt = encodeUser(
    name,
    user,
    pair(secrets.appAccount),
    { pub: { allow: ['>'] }, sub: { allow: ['>'] } },
    { signer: pair(secrets.appSigning) },
  );
  return creds(jwt, decoder.decode(user.getSeed()));
}

/** Credentials of the shared bootstrap user: register and load by id, nothing else. Not a secret. */
export function bootstrapUserCreds(secrets: BrokerSecrets): Promise<string> {
  const jwt = encodeUser(
    'bootstrap',
    pair(secrets.bootstrapUser),
    pair(secrets.devAccount),
    bootstrapPermissions(),
    {
      signer: pair(secrets.devBootstrapSigning),
    },
  );
  return creds(jwt, secrets.bootstrapUser);
}
