import {
  type Challenge,
  challengeSchema,
  contentKey,
  type DeviceCredentials,
  decodeReference,
  deviceCredentialsSchema,
  encodeReference,
  fromBase64Url,
  generateDeviceKeyPair,
  randomBytes,
  SignaturePurpose,
  sealContent,
  toBase64Url,
} from '@enmesh/protocol';
import type { BootstrapClient } from './bootstrap.js';
import { TransportError, TransportErrorCodes } from './errors.js';
import type { DeviceSecrets } from './identity.js';
import { bytesToJson, jsonToBytes } from './json-bytes.js';
import type { CallOptions } from './rpc.js';
import type { DeviceSession } from './session.js';
import { loadToken } from './shared-objects.js';
import { type IdentityKeys, signWithDevice, signWithIdentity } from './signing.js';
import type { SnapshotPointer } from './snapshot.js';

/** What a new device shows (as a QR code): where to put its secrets, and its key with its consent. */
export interface OnboardingRequest {
  readonly v: 1;
  /** Reference of the anonymous empty token the existing device fills (its key stays with the new device). */
  readonly token: string;
  readonly devicePublicKey: string;
  readonly challenge: Challenge;
  /** The new device's signature, purpose `device.onboard`, bound to the token id. */
  readonly deviceSignature: string;
}

/** A new device waiting to be onboarded. */
export interface PendingOnboarding {
  /** The text to show as a QR code. */
  readonly qr: string;
  /**
   * Waits until an existing device filled the token; returns this device's secrets and, when the existing
   * device handed one over, where its state snapshot lies (`TransportAccount.restoreSnapshot`).
   */
  complete(options?: {
    timeoutMs?: number;
    signal?: AbortSignal;
  }): Promise<DeviceSecrets & { snapshot?: SnapshotPointer }>;
}

const context = { type: 'token', id: 'content' };

/**
 * Starts onboarding on a new device: an anonymous empty token (two minutes), a device key made here (its
 * seed never leaves this device), and its consent over a fresh challenge. The QR text carries the token's
 * reference with its key; only this device and whoever scans the QR can read what is put there.
 */
export async function startOnboarding(
  bootstrap: BootstrapClient,
  host: string,
  options: CallOptions = {},
): Promise<PendingOnboarding> {
  const device = generateDeviceKeyPair();
  const empty = await bootstrap.call('createEmptyToken', {}, options);
  const challenge = await bootstrap.createChallenge(options);
  const key = randomBytes(32);
  const token = encodeReference({ type: 'token', id: empty.id, key, host });
  const request: OnboardingRequest = {
    v: 1,
    token,
    devicePublicKey: device.publicKey,
    challenge,
    deviceSignature: signWithDevice(device.seed, SignaturePurpose.deviceOnboard, challenge, [empty.id]),
  };
  return {
    qr: toBase64Url(jsonToBytes(request)),
    async complete(wait = {}) {
      const deadline = Date.now() + (wait.timeoutMs ?? 120_000);
      while (Date.now() < deadline && !wait.signal?.aborted) {
        const { content } = await loadToken(bootstrap, token);
        if (content !== undefined) {
          const filled = content as {
            identity: Record<string, string>;
            credentials: DeviceCredentials;
            snapshot?: SnapshotPointer;
          };
          const identity: IdentityKeys = {
            address: String(filled.identity.address),
            publicKey: fromBase64Url(String(filled.identity.publicKey)),
            privateKey: fromBase64Url(String(filled.identity.privateKey)),
          };
          const snapshot = filled.snapshot;
          return {
            identity,
            device,
            credentials: deviceCredentialsSchema.parse(filled.credentials),
            ...(snapshot && typeof snapshot.reference === 'string' && Number.isInteger(snapshot.cursor)
              ? { snapshot: { reference: snapshot.reference, cursor: snapshot.cursor } }
              : {}),
          };
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      throw new TransportError(
        TransportErrorCodes.timeout,
        'no existing device completed the onboarding in time',
      );
    },
  };
}

/** Reads a QR text made by `startOnboarding`. */
export function parseOnboardingRequest(qr: string): OnboardingRequest {
  try {
    const value = bytesToJson(fromBase64Url(qr)) as OnboardingRequest;
    if (value.v !== 1 || typeof value.token !== 'string' || typeof value.deviceSignature !== 'string') {
      throw new Error('not an onboarding request');
    }
    challengeSchema.parse(value.challenge);
    return value;
  } catch (cause) {
    throw new TransportError(TransportErrorCodes.wrongReference, 'not an onboarding QR code', { cause });
  }
}

/**
 * On an existing device: adds the device shown in the QR code to this identity (the identity key consents)
 * and puts the identity's keys, the new device's credentials and, if given, where a snapshot of the state
 * lies into its empty token, sealed with the key only the QR carries.
 * @throws ProtocolError with the backbone's code (expired token or challenge, device limit, …).
 */
export async function completeOnboarding(
  session: DeviceSession,
  identity: IdentityKeys,
  qr: string,
  name?: string,
  options?: CallOptions,
  snapshot?: () => Promise<SnapshotPointer>,
) {
  const request = parseOnboardingRequest(qr);
  const ref = decodeReference(request.token);
  const added = await session.call(
    'addDevice',
    {
      challengeId: request.challenge.id,
      devicePublicKey: request.devicePublicKey,
      identitySignature: signWithIdentity(
        identity.privateKey,
        SignaturePurpose.addDeviceIdentity,
        request.challenge,
        [request.devicePublicKey],
      ),
      deviceSignature: request.deviceSignature,
      onboardingToken: ref.id,
      ...(name ? { name } : {}),
    },
    options,
  );
  const secrets = {
    identity: {
      address: identity.address,
      publicKey: toBase64Url(identity.publicKey),
      privateKey: toBase64Url(identity.privateKey),
    },
    credentials: added.credentials,
    // Taken once the device is added, so that a refused QR code leaves no snapshot behind.
    ...(snapshot ? { snapshot: await snapshot() } : {}),
  };
  const sealed = sealContent(contentKey(ref.key), jsonToBytes(secrets), context);
  await session.call('fillToken', { id: ref.id, content: toBase64Url(sealed) }, options);
  return added.device;
}
