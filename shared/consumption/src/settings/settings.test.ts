import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumptionError } from '../errors.js';
import { createParty, type Party } from '../testing/parties.js';
import { TestClock, testAddress } from '../testing/test-support.js';

let party: Party;
beforeAll(async () => {
  party = await createParty(61, 'sqlite', new TestClock());
});
afterAll(async () => {
  await party?.db.drop();
});

describe('settings and identity metadata', () => {
  it('keeps settings per key and scope, upserting by key', async () => {
    const settings = party.consumption.settings;
    const own = await settings.upsertByKey('theme', { dark: true });
    const device = await settings.upsertByKey(
      'theme',
      { dark: false },
      { scope: 'Device', reference: 'DVCa' },
    );
    expect(own).toMatchObject({ key: 'theme', scope: 'Identity', value: { dark: true } });
    expect(own.id).not.toBe(device.id);
    const updated = await settings.upsertByKey('theme', { dark: false });
    expect(updated.id).toBe(own.id);
    expect((await settings.getByKey('theme'))?.value).toEqual({ dark: false });
    expect(await settings.getByKey('theme', { scope: 'Relationship', reference: 'RELx' })).toBeUndefined();
    expect(await settings.getAll({ key: 'theme' })).toHaveLength(2);
    await settings.delete(device.id);
    await expect(settings.get(device.id)).rejects.toBeInstanceOf(ConsumptionError);
  });

  it('keeps one metadata value per identity and key', async () => {
    const metadata = party.consumption.identityMetadata;
    const peer = testAddress(62);
    await metadata.upsert({ reference: peer, value: { nickname: 'Org' } });
    await metadata.upsert({ reference: peer, key: 'crm', value: { id: 7 } });
    await metadata.upsert({ reference: peer, value: { nickname: 'The Org' } });
    expect(await metadata.get(peer)).toEqual({ reference: peer, value: { nickname: 'The Org' } });
    expect(await metadata.get(peer, 'crm')).toEqual({ reference: peer, key: 'crm', value: { id: 7 } });
    await metadata.delete(peer, 'crm');
    await expect(metadata.get(peer, 'crm')).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
  });
});
