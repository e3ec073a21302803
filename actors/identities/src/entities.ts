import { epochMs } from '@enmesh/actor-kit';
import { EntitySchema } from 'typeorm';

/** An identity as the backbone knows it: its address, public key, mailbox shard and creation time. */
export interface IdentityRow {
  address: string;
  token: string;
  publicKey: string;
  shard: number;
  createdAt: number;
  /** Quota tier (`basic` unless the operator moved the identity). */
  tier: string;
  /** When the identity's deletion was started, null when it is not being deleted. */
  deletionStartedAt: number | null;
  /** When the grace period ends and the deletion job removes the identity. */
  deletionDueAt: number | null;
}

/** All that remains of a deleted identity: the SHA-256 of its address and when. */
export interface DeletionAuditRow {
  addressHash: string;
  startedAt: number;
  deletedAt: number;
}

/** A device of an identity. `id` is its public nkey. */
export interface DeviceRow {
  id: string;
  identityToken: string;
  name: string;
  createdAt: number;
  createdByDevice: string | null;
  lastLoginAt: number | null;
  revokedAt: number | null;
  /** The last mailbox stream sequence the device reported as processed. */
  cursor: number;
}

/** A challenge: single use for registration, device addition and login; checkable until it expires. */
export interface ChallengeRow {
  id: string;
  type: string;
  createdBy: string | null;
  createdByDevice: string | null;
  expiresAt: number;
  usedAt: number | null;
}

/** A revoked device key and the second from which its earlier JWTs are refused. */
export interface RevocationRow {
  deviceKey: string;
  revokedAtSeconds: number;
  /** After this time every JWT the key could hold has expired, so the entry can go. */
  expiresAt: number;
}

const ms = { type: 'bigint', transformer: epochMs } as const;

/** Table `identities`. */
export const IdentityEntity = new EntitySchema<IdentityRow>({
  name: 'Identity',
  tableName: 'identities',
  columns: {
    address: { type: 'varchar', length: 320, primary: true },
    token: { type: 'varchar', length: 128, unique: true },
    publicKey: { type: 'varchar', length: 64, unique: true },
    shard: { type: 'integer' },
    createdAt: { ...ms },
    tier: { type: 'varchar', length: 32, default: 'basic' },
    deletionStartedAt: { ...ms, nullable: true },
    deletionDueAt: { ...ms, nullable: true },
  },
});

/** Table `identity_deletion_audit`. */
export const DeletionAuditEntity = new EntitySchema<DeletionAuditRow>({
  name: 'IdentityDeletionAudit',
  tableName: 'identity_deletion_audit',
  columns: {
    addressHash: { type: 'varchar', length: 64, primary: true },
    startedAt: { ...ms },
    deletedAt: { ...ms },
  },
});

/** Table `devices`. */
export const DeviceEntity = new EntitySchema<DeviceRow>({
  name: 'Device',
  tableName: 'devices',
  columns: {
    id: { type: 'varchar', length: 56, primary: true },
    identityToken: { type: 'varchar', length: 128 },
    name: { type: 'varchar', length: 100 },
    createdAt: { ...ms },
    createdByDevice: { type: 'varchar', length: 56, nullable: true },
    lastLoginAt: { ...ms, nullable: true },
    revokedAt: { ...ms, nullable: true },
    cursor: { ...ms, default: 0 },
  },
  indices: [{ name: 'idx_devices_identity', columns: ['identityToken'] }],
});

/** Table `challenges`. */
export const ChallengeEntity = new EntitySchema<ChallengeRow>({
  name: 'Challenge',
  tableName: 'challenges',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    type: { type: 'varchar', length: 16 },
    createdBy: { type: 'varchar', length: 320, nullable: true },
    createdByDevice: { type: 'varchar', length: 56, nullable: true },
    expiresAt: { ...ms },
    usedAt: { ...ms, nullable: true },
  },
  indices: [{ name: 'idx_challenges_expires', columns: ['expiresAt'] }],
});

/** Table `device_revocations`. */
export const RevocationEntity = new EntitySchema<RevocationRow>({
  name: 'DeviceRevocation',
  tableName: 'device_revocations',
  columns: {
    deviceKey: { type: 'varchar', length: 56, primary: true },
    revokedAtSeconds: { type: 'bigint', transformer: epochMs },
    expiresAt: { ...ms },
  },
});

/** Every entity of this actor, for the DataSource. */
export const identityEntities = [
  IdentityEntity,
  DeviceEntity,
  ChallengeEntity,
  RevocationEntity,
  DeletionAuditEntity,
];
