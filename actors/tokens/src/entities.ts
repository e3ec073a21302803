import { guardedRecordColumns, epochMsColumn as ms } from '@enmesh/actor-kit';
import { EntitySchema } from 'typeorm';

/** A token. The backbone holds its sealed content but never its key (that travels in the reference). */
export interface TokenRow {
  id: string;
  /** Identity token of the owner; null for an anonymous empty token. */
  ownerToken: string | null;
  ownerDevice: string | null;
  createdAt: number;
  expiresAt: number;
  forIdentity: string | null;
  passwordVerifier: string | null;
  passwordKind: string | null;
  failedAttempts: number;
  lockedAt: number | null;
  /** Sealed content, base64url; null while an empty token waits to be filled. */
  content: string | null;
  /** Identity token of whoever filled an empty token. */
  filledBy: string | null;
}

/** Table `tokens`. */
export const TokenEntity = new EntitySchema<TokenRow>({
  name: 'Token',
  tableName: 'tokens',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    ownerToken: { type: 'varchar', length: 128, nullable: true },
    ownerDevice: { type: 'varchar', length: 56, nullable: true },
    createdAt: { ...ms },
    ...guardedRecordColumns,
    content: { type: 'text', nullable: true },
    filledBy: { type: 'varchar', length: 128, nullable: true },
  },
  indices: [
    { name: 'idx_tokens_owner', columns: ['ownerToken'] },
    { name: 'idx_tokens_expires', columns: ['expiresAt'] },
  ],
});

/** Every entity of this actor. */
export const tokenEntities = [TokenEntity];
