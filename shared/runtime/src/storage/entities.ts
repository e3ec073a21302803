import { EntitySchema, type ValueTransformer } from 'typeorm';

/**
 * A `bigint` column read back as a number: PostgreSQL returns bigint as text, SQLite as a number.
 * Sequences and cursors stay far below 2^53.
 */
const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
const bigint = { type: 'bigint', transformer: bigintNumber } as const;
const address = { type: 'varchar', length: 100 } as const;
const time = { type: 'varchar', length: 32 } as const;
const referenceText = { type: 'varchar', length: 1100 } as const;
const referenceUrl = { type: 'varchar', length: 1400 } as const;
/** Every row belongs to one identity of the runtime; several may share a database. */
const owned = {
  identity: { ...address, primary: true },
  id: { type: 'varchar', length: 40, primary: true },
} as const;

/** One identity the runtime holds: its device, where its mailbox was read up to, its last event number. */
export interface AccountRow {
  name: string;
  address: string;
  deviceId: string;
  createdAt: string;
  /** The last mailbox sequence whose effects are stored; null until the first entry. */
  mailboxCursor: number | null;
  /** The last event sequence given out; sequences are gap-free. */
  lastEventSequence: number;
}

/** A relationship as the identity last saw it (removed rows stay as tombstones so late news cannot revive them). */
export interface RelationshipRow {
  identity: string;
  id: string;
  templateId: string;
  peer: string;
  peerPublicKey: string | null;
  status: string;
  /** The backbone's relationship as JSON (with its sealed creation content and audit log). */
  wire: string;
  auditLength: number;
  /** The application's creation content as JSON, when this side can read it. */
  creationContent: string | null;
  /** `{deletionStatus, deletionDate}` as JSON while the peer is being deleted or was deleted. */
  peerDeletionInfo: string | null;
  removed: boolean;
  updatedAt: string;
}

/** A template this identity created or loaded. */
export interface TemplateRow {
  identity: string;
  id: string;
  isOwn: boolean;
  createdBy: string;
  createdByDevice: string;
  createdAt: string;
  expiresAt: string;
  maxNumberOfAllocations: number | null;
  forIdentity: string | null;
  /** `{password, passwordIsPin?}` as JSON. */
  passwordProtection: string | null;
  content: string;
  /** The creator's identity public key, from the verified template content. */
  creatorPublicKey: string | null;
  /** A peer template's verified content as JSON (keys and signature): what a relationship request needs. */
  verifiedContent: string | null;
  truncatedReference: string;
  url: string;
}

/** A token this identity created or loaded. */
export interface TokenRow {
  identity: string;
  id: string;
  isOwn: boolean;
  createdBy: string;
  createdByDevice: string;
  createdAt: string;
  expiresAt: string;
  forIdentity: string | null;
  passwordProtection: string | null;
  content: string;
  truncatedReference: string;
  url: string;
}

/** A message this identity sent or received. */
export interface MessageRow {
  identity: string;
  id: string;
  isOwn: boolean;
  createdBy: string;
  createdByDevice: string;
  createdAt: string;
  /** The application content as JSON (null for a sent message whose copy did not open). */
  content: string | null;
  /** `[{address, relationshipId?, receivedAt?, receivedByDevice?, notDelivered?}]` as JSON. */
  recipients: string;
  /** File ids as JSON. */
  attachments: string;
  /** File references (secret: they carry the metadata keys) as JSON. */
  fileReferences: string;
  wasReadAt: string | null;
}

/** A file this identity uploaded or loaded by reference. */
export interface FileRow {
  identity: string;
  id: string;
  isOwn: boolean;
  filename: string;
  mimetype: string;
  filesize: number;
  title: string | null;
  description: string | null;
  tags: string | null;
  createdAt: string;
  createdBy: string;
  createdByDevice: string;
  expiresAt: string;
  owner: string;
  ownershipToken: string | null;
  ownershipIsLocked: boolean;
  sha256: string | null;
  truncatedReference: string;
  url: string;
}

/** One event of an identity, numbered without gaps. */
export interface EventRow {
  identity: string;
  sequence: number;
  id: string;
  namespace: string;
  data: string;
  time: string;
}

/** Table `runtime_accounts`. */
export const AccountEntity = new EntitySchema<AccountRow>({
  name: 'RuntimeAccount',
  tableName: 'runtime_accounts',
  columns: {
    name: { type: 'varchar', length: 100, primary: true },
    address: { ...address, unique: true },
    deviceId: { type: 'varchar', length: 100 },
    createdAt: { ...time },
    mailboxCursor: { ...bigint, nullable: true },
    lastEventSequence: { ...bigint },
  },
});

/** Table `runtime_relationships`. */
export const RelationshipEntity = new EntitySchema<RelationshipRow>({
  name: 'RuntimeRelationship',
  tableName: 'runtime_relationships',
  columns: {
    ...owned,
    templateId: { type: 'varchar', length: 40 },
    peer: { ...address },
    peerPublicKey: { type: 'varchar', length: 100, nullable: true },
    status: { type: 'varchar', length: 20 },
    wire: { type: 'text' },
    auditLength: { type: 'integer' },
    creationContent: { type: 'text', nullable: true },
    peerDeletionInfo: { type: 'text', nullable: true },
    removed: { type: 'boolean' },
    updatedAt: { ...time },
  },
  indices: [{ name: 'idx_runtime_relationships_peer', columns: ['identity', 'peer'] }],
});

/** Table `runtime_templates`. */
export const TemplateEntity = new EntitySchema<TemplateRow>({
  name: 'RuntimeTemplate',
  tableName: 'runtime_templates',
  columns: {
    ...owned,
    isOwn: { type: 'boolean' },
    createdBy: { ...address },
    createdByDevice: { type: 'varchar', length: 100 },
    createdAt: { ...time },
    expiresAt: { ...time },
    maxNumberOfAllocations: { type: 'integer', nullable: true },
    forIdentity: { ...address, nullable: true },
    passwordProtection: { type: 'text', nullable: true },
    content: { type: 'text' },
    creatorPublicKey: { type: 'varchar', length: 100, nullable: true },
    verifiedContent: { type: 'text', nullable: true },
    truncatedReference: { ...referenceText },
    url: { ...referenceUrl },
  },
});

/** Table `runtime_tokens`. */
export const TokenEntity = new EntitySchema<TokenRow>({
  name: 'RuntimeToken',
  tableName: 'runtime_tokens',
  columns: {
    ...owned,
    isOwn: { type: 'boolean' },
    createdBy: { ...address },
    createdByDevice: { type: 'varchar', length: 100 },
    createdAt: { ...time },
    expiresAt: { ...time },
    forIdentity: { ...address, nullable: true },
    passwordProtection: { type: 'text', nullable: true },
    content: { type: 'text' },
    truncatedReference: { ...referenceText },
    url: { ...referenceUrl },
  },
});

/** Table `runtime_messages`. */
export const MessageEntity = new EntitySchema<MessageRow>({
  name: 'RuntimeMessage',
  tableName: 'runtime_messages',
  columns: {
    ...owned,
    isOwn: { type: 'boolean' },
    createdBy: { ...address },
    createdByDevice: { type: 'varchar', length: 100 },
    createdAt: { ...time },
    content: { type: 'text', nullable: true },
    recipients: { type: 'text' },
    attachments: { type: 'text' },
    fileReferences: { type: 'text' },
    wasReadAt: { ...time, nullable: true },
  },
  indices: [{ name: 'idx_runtime_messages_created', columns: ['identity', 'createdAt'] }],
});

/** Table `runtime_files`. */
export const FileEntity = new EntitySchema<FileRow>({
  name: 'RuntimeFile',
  tableName: 'runtime_files',
  columns: {
    ...owned,
    isOwn: { type: 'boolean' },
    filename: { type: 'varchar', length: 300 },
    mimetype: { type: 'varchar', length: 200 },
    filesize: { ...bigint },
    title: { type: 'varchar', length: 300, nullable: true },
    description: { type: 'text', nullable: true },
    tags: { type: 'text', nullable: true },
    createdAt: { ...time },
    createdBy: { ...address },
    createdByDevice: { type: 'varchar', length: 100 },
    expiresAt: { ...time },
    owner: { ...address },
    ownershipToken: { type: 'varchar', length: 100, nullable: true },
    ownershipIsLocked: { type: 'boolean' },
    sha256: { type: 'varchar', length: 64, nullable: true },
    truncatedReference: { ...referenceText },
    url: { ...referenceUrl },
  },
});

/** Table `runtime_events`. */
export const EventEntity = new EntitySchema<EventRow>({
  name: 'RuntimeEvent',
  tableName: 'runtime_events',
  columns: {
    identity: { ...address, primary: true },
    sequence: { ...bigint, primary: true },
    id: { type: 'varchar', length: 36, unique: true },
    namespace: { type: 'varchar', length: 200 },
    data: { type: 'text' },
    time: { ...time },
  },
});

/** Every entity of the runtime's part of the schema. */
export const runtimeEntities = [
  AccountEntity,
  RelationshipEntity,
  TemplateEntity,
  TokenEntity,
  MessageEntity,
  FileEntity,
  EventEntity,
];
