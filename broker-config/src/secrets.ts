import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAccount, createOperator, createUser } from '@nats-io/nkeys';

/**
 * The broker's key seeds. Generated once, on first start, into `<dataDir>/secrets/broker-keys.json`
 * (directory 0700, file 0600) and reused afterwards; never committed, never logged.
 */
export interface BrokerSecrets {
  /** The operator identity key: signs the operator JWT and the initial accounts. */
  readonly operator: string;
  /** An operator signing key: re-signs account JWTs at run time (revocations). */
  readonly operatorSigning: string;
  readonly sysAccount: string;
  readonly sysUser: string;
  readonly appAccount: string;
  /** APP signing key for backbone (actor) users. */
  readonly appSigning: string;
  readonly devAccount: string;
  /** DEV scoped signing key with the `device` role: device JWTs carry only tags. */
  readonly devDeviceSigning: string;
  /** DEV signing key for the bootstrap user, whose permissions are spelled out in its JWT. */
  readonly devBootstrapSigning: string;
  readonly bootstrapUser: string;
}

const fileName = 'broker-keys.json';
const decoder = new TextDecoder();
const seedOf = (pair: { getSeed(): Uint8Array }) => decoder.decode(pair.getSeed());

function generateSecrets(): BrokerSecrets {
  return {
    operator: seedOf(createOperator()),
    operatorSigning: seedOf(createOperator()),
    sysAccount: seedOf(createAccount()),
    sysUser: seedOf(createUser()),
    appAccount: seedOf(createAccount()),
    appSigning: seedOf(createAccount()),
    devAccount: seedOf(createAccount()),
    devDeviceSigning: seedOf(createAccount()),
    devBootstrapSigning: seedOf(createAccount()),
    bootstrapUser: seedOf(createUser()),
  };
}

/**
 * Loads the broker secrets from the data directory, creating them on first use.
 * @throws Error when an existing secrets file cannot be read or is incomplete (never overwritten).
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<BrokerSecrets> {
  const dir = join(dataDir, 'secrets');
  const path = join(dir, fileName);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    const parsed = JSON.parse(text) as Partial<BrokerSecrets>;
    const expected = Object.keys(generateSecrets()) as (keyof BrokerSecrets)[];
    const missing = expected.filter((key) => typeof parsed[key] !== 'string');
    if (missing.length > 0) throw new Error(`${path} is incomplete (missing ${missing.join(', ')})`);
    return parsed as BrokerSecrets;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const secrets = generateSecrets();
  // Write-then-rename, so that a crash never leaves a half-written key file behind.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  await rename(temporary, path);
  return secrets;
}
