/**
 * Identity metadata: local JSON annotations about an identity (`reference`), at most one per optional key.
 */
import { type ConsumptionContext, runInTransaction } from '../context.js';
import { notFound } from '../errors.js';
import { IdentityMetadataEntity, type IdentityMetadataRow } from '../storage/entities.js';

/** Identity metadata, in the Connector's shape. */
export interface IdentityMetadata {
  reference: string;
  key?: string;
  value: unknown;
}

function fromRow(row: IdentityMetadataRow): IdentityMetadata {
  const metadata: IdentityMetadata = { reference: row.reference, value: JSON.parse(row.value) as unknown };
  if (row.key !== '') metadata.key = row.key;
  return metadata;
}

/** Identity metadata use cases of the context's identity, each in one transaction. */
export class IdentityMetadataController {
  readonly #context: ConsumptionContext;

  /** Creates the controller over a consumption context. */
  constructor(context: ConsumptionContext) {
    this.#context = context;
  }

  /** Sets the metadata of an identity under a key (or none), replacing what was there. */
  upsert(params: IdentityMetadata): Promise<IdentityMetadata> {
    return runInTransaction(this.#context, async (tx) => {
      const key = params.key ?? '';
      const value = JSON.stringify(params.value ?? null);
      const existing = await tx.manager.findOneBy(IdentityMetadataEntity, {
        identity: tx.address,
        reference: params.reference,
        key,
      });
      const row: IdentityMetadataRow = existing ?? {
        identity: tx.address,
        id: tx.newId('IDM'),
        reference: params.reference,
        key,
        value,
      };
      if (existing === null) await tx.manager.insert(IdentityMetadataEntity, row);
      else await tx.manager.update(IdentityMetadataEntity, { identity: tx.address, id: row.id }, { value });
      return fromRow({ ...row, value });
    });
  }

  /**
   * The metadata of an identity under a key (or none).
   * @throws {ConsumptionError} `recordNotFound`
   */
  get(reference: string, key?: string): Promise<IdentityMetadata> {
    return runInTransaction(this.#context, async (tx) => {
      const row = await tx.manager.findOneBy(IdentityMetadataEntity, {
        identity: tx.address,
        reference,
        key: key ?? '',
      });
      if (row === null)
        throw notFound('IdentityMetadata', `${reference}${key === undefined ? '' : `/${key}`}`);
      return fromRow(row);
    });
  }

  /**
   * Deletes the metadata of an identity under a key (or none).
   * @throws {ConsumptionError} `recordNotFound`
   */
  delete(reference: string, key?: string): Promise<void> {
    return runInTransaction(this.#context, async (tx) => {
      const result = await tx.manager.delete(IdentityMetadataEntity, {
        identity: tx.address,
        reference,
        key: key ?? '',
      });
      if (result.affected === 0) {
        throw notFound('IdentityMetadata', `${reference}${key === undefined ? '' : `/${key}`}`);
      }
    });
  }
}
