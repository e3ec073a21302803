import { toBase64Url } from '@enmesh/protocol';
import type { AccountContext } from '../account/context.js';
import { identityDeletionDto } from '../account/mailbox-consumer.js';
import { notFound } from '../errors.js';
import type { CallOptions } from './inputs.js';

/** The identity of an account (Enmeshed `IdentityInfo`). */
export interface IdentityInfoDTO {
  readonly address: string;
  readonly publicKey: string;
}

/** A device of the identity (Enmeshed `Device`, as far as the backbone describes it). */
export interface DeviceDTO {
  readonly id: string;
  readonly name: string;
  readonly type: 'Connector' | 'Device';
  readonly createdAt: string;
  readonly createdByDevice?: string;
  readonly lastLoginAt?: string;
  readonly isCurrent: boolean;
  readonly isRevoked: boolean;
}

/** An identity's deletion (Enmeshed `IdentityDeletionProcess`, without an id of its own). */
export interface IdentityDeletionProcessDTO {
  readonly status: 'Approved' | 'Cancelled';
  readonly createdAt?: string;
  readonly approvedAt?: string;
  readonly gracePeriodEndsAt?: string;
  readonly cancelledAt?: string;
}

/**
 * The account itself (Enmeshed `AccountFacade`, `DevicesFacade` reads and `IdentityDeletionProcessesFacade`):
 * who it is, its devices, and the deletion of the identity.
 */
export class AccountService {
  readonly #context: AccountContext;
  readonly #deviceType: DeviceDTO['type'];

  /** Serves one account; its devices are called `deviceType` (the connector's are `Connector`). */
  constructor(context: AccountContext, deviceType: DeviceDTO['type'] = 'Connector') {
    this.#context = context;
    this.#deviceType = deviceType;
  }

  /** The identity's address and public key (no network). */
  getIdentityInfo(): IdentityInfoDTO {
    const identity = this.#context.transport.identity;
    return { address: identity.address, publicKey: toBase64Url(identity.publicKey) };
  }

  /**
   * This device, as the backbone describes it.
   * @throws ProtocolError, TransportError from the backbone call.
   */
  async getDeviceInfo(options: CallOptions = {}): Promise<DeviceDTO> {
    const devices = await this.getDevices(options);
    const current = devices.find((device) => device.isCurrent);
    if (!current) throw notFound('device', this.#context.deviceId);
    return current;
  }

  /**
   * Every device of the identity.
   * @throws ProtocolError, TransportError from the backbone call.
   */
  async getDevices(options: CallOptions = {}): Promise<DeviceDTO[]> {
    const devices = await this.#context.transport.session.listDevices(options);
    return devices.map((device) => ({
      id: device.id,
      name: device.name,
      type: this.#deviceType,
      createdAt: device.createdAt,
      ...(device.createdByDevice ? { createdByDevice: device.createdByDevice } : {}),
      ...(device.lastLoginAt ? { lastLoginAt: device.lastLoginAt } : {}),
      isCurrent: device.isCurrent,
      isRevoked: device.revokedAt !== undefined,
    }));
  }

  /**
   * Starts the deletion of the identity (it ends after the grace period unless cancelled); announced as
   * `transport.identityDeletionProcessStatusChanged` from the mailbox.
   * @throws ProtocolError `error.identities.deletionAlreadyStarted`.
   */
  async initiateIdentityDeletionProcess(options: CallOptions = {}): Promise<IdentityDeletionProcessDTO> {
    return identityDeletionDto(
      await this.#context.transport.startDeletion(options),
    ) as IdentityDeletionProcessDTO;
  }

  /**
   * Cancels the identity's deletion within its grace period.
   * @throws ProtocolError `error.identities.deletionNotStarted`.
   */
  async cancelIdentityDeletionProcess(options: CallOptions = {}): Promise<IdentityDeletionProcessDTO> {
    const deletion = await this.#context.transport.cancelDeletion(options);
    return identityDeletionDto(deletion, this.#context.store.now()) as IdentityDeletionProcessDTO;
  }

  /**
   * The identity's running deletion.
   * @throws RuntimeError `error.runtime.notFound` when none runs; ProtocolError from the backbone.
   */
  async getActiveIdentityDeletionProcess(options: CallOptions = {}): Promise<IdentityDeletionProcessDTO> {
    const deletion = await this.#context.transport.deletionStatus(options);
    if (deletion.status !== 'ToBeDeleted')
      throw notFound('identity deletion process of', this.#context.address);
    return identityDeletionDto(deletion) as IdentityDeletionProcessDTO;
  }
}
