import { SignaturePurpose } from '@enmesh/protocol';
import type { BootstrapClient } from './bootstrap.js';
import type { DeviceSecrets } from './identity.js';
import type { CallOptions } from './rpc.js';
import { signWithDevice } from './signing.js';

/** How long before its expiry a stored JWT is no longer worth connecting with. */
const expiryMarginMs = 60_000;

/** Whether stored credentials are past (or within a minute of) their JWT's expiry. */
export function credentialsExpired(secrets: DeviceSecrets, now = Date.now()): boolean {
  return Date.parse(secrets.credentials.jwtExpiresAt) - expiryMarginMs <= now;
}

/**
 * Logs a device in again with its key, as a device whose JWT expired while it was off does: an anonymous
 * challenge, signed by the device key (purpose `device.login`, bound to the address). Returns the secrets
 * with fresh credentials; persist them.
 * @throws ProtocolError `error.devices.notFound|revoked`, `error.identities.inDeletion`, challenge errors.
 */
export async function loginDevice(
  bootstrap: BootstrapClient,
  secrets: DeviceSecrets,
  options?: CallOptions,
): Promise<DeviceSecrets> {
  const challenge = await bootstrap.createChallenge(options);
  const address = secrets.identity.address;
  const credentials = await bootstrap.loginDevice(
    {
      challengeId: challenge.id,
      address,
      devicePublicKey: secrets.device.publicKey,
      signature: signWithDevice(secrets.device.seed, SignaturePurpose.deviceLogin, challenge, [address]),
    },
    options,
  );
  return { ...secrets, credentials };
}
