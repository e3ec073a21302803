import {
  type Challenge,
  type DeviceCredentials,
  type DeviceKeyPair,
  deviceCredentialsSchema,
  fromBase64Url,
  generateDeviceKeyPair,
  generateSigningKeyPair,
  SignaturePurpose,
  toBase64Url,
} from '@enmesh/protocol';
import type { BootstrapClient } from './bootstrap.js';
import { TransportError, TransportErrorCodes } from './errors.js';
import type { KeyStore } from './key-store.js';
import type { CallOptions } from './rpc.js';
import { type IdentityKeys, signWithDevice, signWithIdentity } from './signing.js';

/** What a device holds to act for its identity. The private parts never leave the device's key store. */
export interface DeviceSecrets {
  readonly identity: IdentityKeys;
  readonly device: DeviceKeyPair;
  readonly credentials: DeviceCredentials;
}

/**
 * Creates a new identity with its first device: generates the identity key and the device key locally,
 * proves both over a fresh challenge, registers them, and returns the device's secrets and credentials.
 * @throws ProtocolError with the backbone's code; TransportError for connection problems.
 */
export async function createIdentity(
  bootstrap: BootstrapClient,
  options: CallOptions & { deviceName?: string } = {},
): Promise<DeviceSecrets> {
  const identityPair = generateSigningKeyPair();
  const device = generateDeviceKeyPair();
  const challenge = await bootstrap.createChallenge(options);
  const identityPublicKey = toBase64Url(identityPair.publicKey);
  const registered = await bootstrap.registerIdentity(
    {
      challengeId: challenge.id,
      identityPublicKey,
      devicePublicKey: device.publicKey,
      identitySignature: signWithIdentity(
        identityPair.privateKey,
        SignaturePurpose.registerIdentity,
        challenge,
        [device.publicKey],
      ),
      deviceSignature: signWithDevice(device.seed, SignaturePurpose.registerDevice, challenge, [
        identityPublicKey,
      ]),
      ...(options.deviceName ? { deviceName: options.deviceName } : {}),
    },
    options,
  );
  return {
    identity: {
      address: registered.address,
      publicKey: identityPair.publicKey,
      privateKey: identityPair.privateKey,
    },
    device,
    credentials: registered.credentials,
  };
}

/**
 * A new device's half of joining an identity: its own key and its signature over a challenge, made on the
 * new device and handed to an existing device (by QR code or token later), which adds it.
 */
export interface DeviceJoinRequest {
  readonly device: DeviceKeyPair;
  readonly challenge: Challenge;
  readonly deviceSignature: string;
}

/**
 * Prepares a device to join an identity: a new device key and its proof over a fresh challenge, bound to
 * the identity's address. Only the public key, the challenge id and the signature travel.
 */
export async function prepareDeviceJoin(
  bootstrap: BootstrapClient,
  address: string,
  options: CallOptions = {},
): Promise<DeviceJoinRequest> {
  const device = generateDeviceKeyPair();
  const challenge = await bootstrap.createChallenge(options);
  return {
    device,
    challenge,
    deviceSignature: signWithDevice(device.seed, SignaturePurpose.addDeviceDevice, challenge, [address]),
  };
}

/** Serialises device secrets for a key store (the whole record is secret). */
export function encodeDeviceSecrets(secrets: DeviceSecrets): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      v: 1,
      identity: {
        address: secrets.identity.address,
        publicKey: toBase64Url(secrets.identity.publicKey),
        privateKey: toBase64Url(secrets.identity.privateKey),
      },
      device: { publicKey: secrets.device.publicKey, seed: new TextDecoder().decode(secrets.device.seed) },
      credentials: secrets.credentials,
    }),
  );
}

/**
 * Reads device secrets written by `encodeDeviceSecrets`.
 * @throws TransportError `error.transport.keyStore` when the record is unreadable.
 */
export function decodeDeviceSecrets(bytes: Uint8Array): DeviceSecrets {
  try {
    const record = JSON.parse(new TextDecoder().decode(bytes));
    return {
      identity: {
        address: String(record.identity.address),
        publicKey: fromBase64Url(record.identity.publicKey),
        privateKey: fromBase64Url(record.identity.privateKey),
      },
      device: {
        publicKey: String(record.device.publicKey),
        seed: new TextEncoder().encode(record.device.seed),
      },
      credentials: deviceCredentialsSchema.parse(record.credentials),
    };
  } catch (cause) {
    throw new TransportError(TransportErrorCodes.keyStore, 'the stored device secrets are unreadable', {
      cause,
    });
  }
}

/** Saves device secrets under a name in a key store. */
export function saveDeviceSecrets(store: KeyStore, name: string, secrets: DeviceSecrets): Promise<void> {
  return store.save(name, encodeDeviceSecrets(secrets));
}

/** Loads device secrets saved under a name; undefined when there are none. */
export async function loadDeviceSecrets(store: KeyStore, name: string): Promise<DeviceSecrets | undefined> {
  const bytes = await store.load(name);
  return bytes ? decodeDeviceSecrets(bytes) : undefined;
}
