import type { TemplateRow, TokenRow } from '../storage/entities.js';

/** The two forms of a reference (Enmeshed `ObjectReference`): compact text and a link. */
export interface ObjectReferenceDTO {
  readonly truncated: string;
  readonly url: string;
}

/** How a token or template is protected (Enmeshed `PasswordProtection`). */
export interface PasswordProtectionDTO {
  readonly password: string;
  readonly passwordIsPin?: true;
  readonly passwordLocationIndicator?: string | number;
}

/** A relationship template as the Enmeshed Connector API returns it (`RelationshipTemplate`). */
export interface RelationshipTemplateDTO {
  readonly id: string;
  readonly isOwn: boolean;
  readonly createdBy: string;
  readonly createdByDevice: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly maxNumberOfAllocations?: number;
  readonly forIdentity?: string;
  readonly passwordProtection?: PasswordProtectionDTO;
  readonly content: unknown;
  readonly reference: ObjectReferenceDTO;
}

/** A token as the Enmeshed Connector API returns it (`Token`). */
export interface TokenDTO {
  readonly id: string;
  readonly isOwn: boolean;
  readonly createdBy: string;
  readonly createdByDevice: string;
  readonly content: unknown;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly forIdentity?: string;
  readonly passwordProtection?: PasswordProtectionDTO;
  readonly reference: ObjectReferenceDTO;
  /** Not stored locally (loaded or created with `ephemeral: true`). */
  readonly isEphemeral: boolean;
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The DTO of a stored template. */
export function templateDto(row: TemplateRow): RelationshipTemplateDTO {
  return {
    id: row.id,
    isOwn: row.isOwn,
    createdBy: row.createdBy,
    createdByDevice: row.createdByDevice,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    ...optional('maxNumberOfAllocations', row.maxNumberOfAllocations),
    ...optional('forIdentity', row.forIdentity),
    ...optional(
      'passwordProtection',
      row.passwordProtection === null ? null : (JSON.parse(row.passwordProtection) as PasswordProtectionDTO),
    ),
    content: JSON.parse(row.content) as unknown,
    reference: { truncated: row.truncatedReference, url: row.url },
  };
}

/** The DTO of a token (stored, or ephemeral). */
export function tokenDto(row: TokenRow, isEphemeral = false): TokenDTO {
  return {
    id: row.id,
    isOwn: row.isOwn,
    createdBy: row.createdBy,
    createdByDevice: row.createdByDevice,
    content: JSON.parse(row.content) as unknown,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    ...optional('forIdentity', row.forIdentity),
    ...optional(
      'passwordProtection',
      row.passwordProtection === null ? null : (JSON.parse(row.passwordProtection) as PasswordProtectionDTO),
    ),
    reference: { truncated: row.truncatedReference, url: row.url },
    isEphemeral,
  };
}
