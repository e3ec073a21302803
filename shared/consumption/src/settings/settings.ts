/**
 * Settings: JSON values under a key, scoped to the identity, a device or a relationship (with the
 * device's or relationship's id as reference), as Enmeshed keeps them.
 */

import type { metadataSchema } from '@enmesh/content';
import type { z } from 'zod';
import { type ConsumptionContext, runInTransaction, type Tx } from '../context.js';
import { notFound } from '../errors.js';
import { SettingEntity, type SettingRow } from '../storage/entities.js';

/** The scopes of a setting. */
export const SettingScope = { Identity: 'Identity', Device: 'Device', Relationship: 'Relationship' } as const;
/** One of the scopes. */
export type SettingScope = (typeof SettingScope)[keyof typeof SettingScope];

/** A setting. */
export interface Setting {
  id: string;
  key: string;
  scope: SettingScope;
  reference?: string;
  value: unknown;
  createdAt: string;
  succeedsItem?: string;
  succeedsAt?: string;
  metadata?: z.infer<typeof metadataSchema>;
}

/** Where a setting applies. */
export interface SettingLocation {
  scope?: SettingScope;
  reference?: string;
}

function fromRow(row: SettingRow): Setting {
  const setting: Setting = {
    id: row.id,
    key: row.key,
    scope: row.scope as SettingScope,
    value: JSON.parse(row.value) as unknown,
    createdAt: row.createdAt,
  };
  if (row.reference !== '') setting.reference = row.reference;
  if (row.succeedsItem !== null) setting.succeedsItem = row.succeedsItem;
  if (row.succeedsAt !== null) setting.succeedsAt = row.succeedsAt;
  if (row.metadata !== null) setting.metadata = JSON.parse(row.metadata) as Setting['metadata'];
  return setting;
}

async function byKey(tx: Tx, key: string, where: SettingLocation): Promise<SettingRow | null> {
  return tx.manager.findOneBy(SettingEntity, {
    identity: tx.address,
    key,
    scope: where.scope ?? SettingScope.Identity,
    reference: where.reference ?? '',
  });
}

/** Settings use cases of the context's identity, each in one transaction. */
export class SettingsController {
  readonly #context: ConsumptionContext;

  /** Creates the controller over a consumption context. */
  constructor(context: ConsumptionContext) {
    this.#context = context;
  }

  /** Creates a setting (the identity's, unless a scope is given). */
  create(
    params: { key: string; value: unknown } & SettingLocation & { succeedsItem?: string },
  ): Promise<Setting> {
    return runInTransaction(this.#context, async (tx) => {
      const now = tx.now();
      const row: SettingRow = {
        identity: tx.address,
        id: tx.newId('SET'),
        key: params.key,
        scope: params.scope ?? SettingScope.Identity,
        reference: params.reference ?? '',
        value: JSON.stringify(params.value ?? null),
        createdAt: now,
        succeedsItem: params.succeedsItem ?? null,
        succeedsAt: params.succeedsItem === undefined ? null : now,
        metadata: null,
      };
      await tx.manager.insert(SettingEntity, row);
      return fromRow(row);
    });
  }

  /**
   * The setting with this id.
   * @throws {ConsumptionError} `recordNotFound`
   */
  get(id: string): Promise<Setting> {
    return runInTransaction(this.#context, async (tx) => {
      const row = await tx.manager.findOneBy(SettingEntity, { identity: tx.address, id });
      if (row === null) throw notFound('Setting', id);
      return fromRow(row);
    });
  }

  /** The settings, optionally of one key and scope, oldest first. */
  getAll(filter: { key?: string; scope?: SettingScope; reference?: string } = {}): Promise<Setting[]> {
    return runInTransaction(this.#context, async (tx) => {
      const rows = await tx.manager.find(SettingEntity, {
        where: { ...filter, identity: tx.address },
        order: { createdAt: 'ASC' },
      });
      return rows.map(fromRow);
    });
  }

  /** The setting under a key in a scope, if any. */
  getByKey(key: string, where: SettingLocation = {}): Promise<Setting | undefined> {
    return runInTransaction(this.#context, async (tx) => {
      const row = await byKey(tx, key, where);
      return row === null ? undefined : fromRow(row);
    });
  }

  /** Sets the value under a key in a scope, creating the setting when there is none. */
  upsertByKey(key: string, value: unknown, where: SettingLocation = {}): Promise<Setting> {
    return runInTransaction(this.#context, async (tx) => {
      const row = await byKey(tx, key, where);
      if (row === null) {
        const created: SettingRow = {
          identity: tx.address,
          id: tx.newId('SET'),
          key,
          scope: where.scope ?? SettingScope.Identity,
          reference: where.reference ?? '',
          value: JSON.stringify(value ?? null),
          createdAt: tx.now(),
          succeedsItem: null,
          succeedsAt: null,
          metadata: null,
        };
        await tx.manager.insert(SettingEntity, created);
        return fromRow(created);
      }
      row.value = JSON.stringify(value ?? null);
      await tx.manager.update(SettingEntity, { identity: tx.address, id: row.id }, { value: row.value });
      return fromRow(row);
    });
  }

  /**
   * Changes a setting's value.
   * @throws {ConsumptionError} `recordNotFound`
   */
  update(id: string, value: unknown): Promise<Setting> {
    return runInTransaction(this.#context, async (tx) => {
      const row = await tx.manager.findOneBy(SettingEntity, { identity: tx.address, id });
      if (row === null) throw notFound('Setting', id);
      row.value = JSON.stringify(value ?? null);
      await tx.manager.update(SettingEntity, { identity: tx.address, id }, { value: row.value });
      return fromRow(row);
    });
  }

  /**
   * Deletes a setting.
   * @throws {ConsumptionError} `recordNotFound`
   */
  delete(id: string): Promise<void> {
    return runInTransaction(this.#context, async (tx) => {
      const result = await tx.manager.delete(SettingEntity, { identity: tx.address, id });
      if (result.affected === 0) throw notFound('Setting', id);
    });
  }
}
