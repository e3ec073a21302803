import type { IdentityMetadata, LocalNotification, Setting } from '@enmesh/consumption';
import { z } from 'zod';
import type { ConsumptionBridge } from '../account/consumption-bridge.js';
import { notFound, validate } from '../errors.js';
import { addressSchema, idOf } from './inputs.js';

const scopeSchema = z.enum(['Identity', 'Device', 'Relationship']);
const keySchema = z.string().min(1).max(100);
const referenceSchema = z.string().min(1).max(200);
const location = { scope: scopeSchema.optional(), reference: referenceSchema.optional() };
const settingId = z.strictObject({ id: z.string().min(1).max(64) });

const inputs = {
  create: z.strictObject({
    key: keySchema,
    value: z.unknown(),
    ...location,
    succeedsItem: idOf('SET').optional(),
  }),
  list: z.strictObject({
    query: z.strictObject({ key: keySchema.optional(), ...location }).optional(),
  }),
  byKey: z.strictObject({ key: keySchema, ...location }),
  upsert: z.strictObject({ key: keySchema, value: z.unknown(), ...location }),
  update: z.strictObject({ id: z.string().min(1).max(64), value: z.unknown() }),
  metadata: z.strictObject({ reference: addressSchema, key: keySchema.optional() }),
  upsertMetadata: z.strictObject({ reference: addressSchema, key: keySchema.optional(), value: z.unknown() }),
  notifications: z.strictObject({
    query: z
      .strictObject({
        isOwn: z.boolean().optional(),
        status: z.enum(['Open', 'Sent', 'Completed', 'Error']).optional(),
        peer: addressSchema.optional(),
      })
      .optional(),
  }),
  notification: z.strictObject({ id: idOf('NOT') }),
};

/**
 * Local settings of an account (Enmeshed `SettingsFacade`): JSON values under a key, for the identity, a
 * device or a relationship. The runtime reads two of them: `decider.automationRules` (rules added to the
 * configured ones) and `relationships.autoAcceptPending` (accept relationship requests made with an own
 * template once their response is applied).
 */
export class SettingsService {
  readonly #bridge: ConsumptionBridge;

  /** Serves one account. */
  constructor(bridge: ConsumptionBridge) {
    this.#bridge = bridge;
  }

  /** Creates a setting. @throws RuntimeError `error.runtime.validation`. */
  async createSetting(input: z.input<typeof inputs.create>): Promise<Setting> {
    const parsed = validate(inputs.create, input);
    return this.#bridge.write((c) => c.settings.create({ ...parsed, value: parsed.value ?? null }));
  }

  /**
   * One setting.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getSetting(input: z.input<typeof settingId>): Promise<Setting> {
    const { id } = validate(settingId, input);
    return this.#bridge.write((c) => c.settings.get(id));
  }

  /** The settings, optionally of one key and scope. @throws RuntimeError `error.runtime.validation`. */
  async getSettings(input: z.input<typeof inputs.list> = {}): Promise<Setting[]> {
    const { query = {} } = validate(inputs.list, input);
    return this.#bridge.write((c) => c.settings.getAll(query));
  }

  /**
   * The setting under a key (of the identity, unless a scope is given).
   * @throws RuntimeError `error.runtime.validation`, `error.runtime.notFound`.
   */
  async getSettingByKey(input: z.input<typeof inputs.byKey>): Promise<Setting> {
    const { key, ...where } = validate(inputs.byKey, input);
    const setting = await this.#bridge.write((c) => c.settings.getByKey(key, where));
    if (!setting) throw notFound('setting', key);
    return setting;
  }

  /** Sets the value under a key, creating the setting when there is none. @throws as `createSetting`. */
  async upsertSettingByKey(input: z.input<typeof inputs.upsert>): Promise<Setting> {
    const { key, value, ...where } = validate(inputs.upsert, input);
    return this.#bridge.write((c) => c.settings.upsertByKey(key, value ?? null, where));
  }

  /**
   * Changes a setting's value.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async updateSetting(input: z.input<typeof inputs.update>): Promise<Setting> {
    const { id, value } = validate(inputs.update, input);
    return this.#bridge.write((c) => c.settings.update(id, value ?? null));
  }

  /**
   * Deletes a setting.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async deleteSetting(input: z.input<typeof settingId>): Promise<void> {
    const { id } = validate(settingId, input);
    await this.#bridge.write((c) => c.settings.delete(id));
  }
}

/** Local annotations about identities (Enmeshed `IdentityMetadataFacade`). */
export class IdentityMetadataService {
  readonly #bridge: ConsumptionBridge;

  /** Serves one account. */
  constructor(bridge: ConsumptionBridge) {
    this.#bridge = bridge;
  }

  /** Sets the metadata of an identity under a key (or none). @throws RuntimeError `error.runtime.validation`. */
  async upsertIdentityMetadata(input: z.input<typeof inputs.upsertMetadata>): Promise<IdentityMetadata> {
    const { reference, key, value } = validate(inputs.upsertMetadata, input);
    return this.#bridge.write((c) =>
      c.identityMetadata.upsert({ reference, value: value ?? null, ...(key === undefined ? {} : { key }) }),
    );
  }

  /**
   * The metadata of an identity under a key (or none).
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getIdentityMetadata(input: z.input<typeof inputs.metadata>): Promise<IdentityMetadata> {
    const { reference, key } = validate(inputs.metadata, input);
    return this.#bridge.write((c) => c.identityMetadata.get(reference, key));
  }

  /** Deletes the metadata of an identity under a key (or none). @throws as `getIdentityMetadata`. */
  async deleteIdentityMetadata(input: z.input<typeof inputs.metadata>): Promise<void> {
    const { reference, key } = validate(inputs.metadata, input);
    await this.#bridge.write((c) => c.identityMetadata.delete(reference, key));
  }
}

/** The notifications an account sent and received (Enmeshed `NotificationsFacade`, reading). */
export class NotificationsService {
  readonly #bridge: ConsumptionBridge;

  /** Serves one account. */
  constructor(bridge: ConsumptionBridge) {
    this.#bridge = bridge;
  }

  /** The notifications, optionally own or received, of one status or peer. @throws as `validate`. */
  async getNotifications(input: z.input<typeof inputs.notifications> = {}): Promise<LocalNotification[]> {
    const { query = {} } = validate(inputs.notifications, input);
    return this.#bridge.write((c) => c.notifications.getAll(query));
  }

  /**
   * One notification.
   * @throws RuntimeError `error.runtime.validation`; ConsumptionError `error.consumption.recordNotFound`.
   */
  async getNotification(input: z.input<typeof inputs.notification>): Promise<LocalNotification> {
    const { id } = validate(inputs.notification, input);
    return this.#bridge.write((c) => c.notifications.get(id));
  }
}
