import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAttribute } from '../attributes/local-attribute.js';
import { exchange, item, type Party, partyIn } from '../testing/parties.js';
import {
  postgresTestDatabase,
  sqliteTestDatabase,
  TestClock,
  type TestDatabase,
  testAddress,
} from '../testing/test-support.js';

const thirdParty = testAddress(79);

const typesById = (attributes: readonly LocalAttribute[]) =>
  Object.fromEntries(attributes.map((attribute) => [attribute.id, attribute['@type']]));

describe.each([
  ['SQLite', sqliteTestDatabase],
  ['PostgreSQL', postgresTestDatabase],
])('two identities in one database (%s)', (_name, open) => {
  let db: TestDatabase;
  let a: Party;
  let b: Party;

  beforeAll(async () => {
    db = await open();
    const clock = new TestClock();
    a = partyIn(db, 77, clock);
    b = partyIn(db, 78, clock);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('keep their own attributes and requests, also under the same ids', async () => {
    const aGiven = await a.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'GivenName', value: 'Ada' },
    });
    const bGiven = await b.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'GivenName', value: 'Bea' },
    });
    // The first of a value type is the default of each identity.
    expect(aGiven.isDefault).toBe(true);
    expect(bGiven.isDefault).toBe(true);
    const displayName = await a.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'DisplayName', value: 'Ada Example' },
    });
    const bSurname = await b.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'Surname', value: 'Example' },
    });

    // The request keeps its id on both sides, and so do the attributes each shares with the other.
    const requestId = await exchange(
      a,
      b,
      {
        '@type': 'Request',
        items: [
          item('ShareAttributeRequestItem', { attributeId: displayName.id, attribute: displayName.content }),
          item('ReadAttributeRequestItem', {
            query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
          }),
        ],
      },
      [{ accept: true }, { accept: true, existingAttributeId: bGiven.id }],
    );

    expect(typesById(await a.consumption.attributes.getAttributes())).toEqual({
      [aGiven.id]: 'OwnIdentityAttribute',
      [displayName.id]: 'OwnIdentityAttribute',
      [bGiven.id]: 'PeerIdentityAttribute',
    });
    expect(typesById(await b.consumption.attributes.getAttributes())).toEqual({
      [bGiven.id]: 'OwnIdentityAttribute',
      [bSurname.id]: 'OwnIdentityAttribute',
      [displayName.id]: 'PeerIdentityAttribute',
    });
    expect(await a.consumption.attributes.getForwardingDetails(displayName.id)).toHaveLength(1);
    expect(await b.consumption.attributes.getForwardingDetails(displayName.id)).toEqual([]);
    expect(await b.consumption.attributes.getForwardingDetails(bGiven.id)).toHaveLength(1);
    await expect(a.consumption.attributes.getAttribute(bSurname.id)).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
    await expect(a.consumption.attributes.deleteAttribute(bSurname.id)).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
    expect((await b.consumption.attributes.getAttribute(bSurname.id)).id).toBe(bSurname.id);

    // A default per identity and value type: a second default of one identity leaves the other's alone.
    const aGiven2 = await a.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'GivenName', value: 'Adaline' },
    });
    expect(aGiven2.isDefault).toBeUndefined();
    await a.consumption.attributes.changeDefaultOwnIdentityAttribute(aGiven2.id);
    const defaults = async (party: Party) =>
      (await party.consumption.attributes.getAttributes({ valueType: 'GivenName', isDefault: true })).map(
        (x) => x.id,
      );
    expect(await defaults(a)).toEqual([aGiven2.id]);
    expect(await defaults(b)).toEqual([bGiven.id]);
    const query = { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' } as const;
    expect((await b.consumption.attributes.executeIdentityAttributeQuery(query)).map((x) => x.id)).toEqual([
      bGiven.id,
    ]);

    const ids = (requests: readonly { id: string }[]) => requests.map((request) => request.id);
    expect(ids(await a.consumption.outgoingRequests.getAll())).toEqual([requestId]);
    expect(ids(await a.consumption.incomingRequests.getAll())).toEqual([]);
    expect(ids(await b.consumption.incomingRequests.getAll())).toEqual([requestId]);
    expect(ids(await b.consumption.outgoingRequests.getAll())).toEqual([]);
    expect((await a.consumption.outgoingRequests.get(requestId)).peer).toBe(b.address);
    expect((await b.consumption.incomingRequests.get(requestId)).peer).toBe(a.address);
    await expect(a.consumption.incomingRequests.get(requestId)).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
  });

  it('keep their own settings and identity metadata under the same keys', async () => {
    const aTheme = await a.consumption.settings.upsertByKey('theme', { dark: true });
    const bTheme = await b.consumption.settings.upsertByKey('theme', { dark: false });
    expect(aTheme.id).not.toBe(bTheme.id);
    await a.consumption.settings.upsertByKey('theme', { dark: true, contrast: 'high' });
    expect((await a.consumption.settings.getByKey('theme'))?.value).toEqual({ dark: true, contrast: 'high' });
    expect((await b.consumption.settings.getByKey('theme'))?.value).toEqual({ dark: false });
    expect((await b.consumption.settings.getAll()).map((setting) => setting.id)).toEqual([bTheme.id]);
    await expect(a.consumption.settings.get(bTheme.id)).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
    await expect(a.consumption.settings.update(bTheme.id, { dark: true })).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
    await expect(a.consumption.settings.delete(bTheme.id)).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
    expect((await b.consumption.settings.get(bTheme.id)).value).toEqual({ dark: false });

    await a.consumption.identityMetadata.upsert({ reference: thirdParty, value: { nickname: 'Org' } });
    await b.consumption.identityMetadata.upsert({ reference: thirdParty, value: { nickname: 'Shop' } });
    await a.consumption.identityMetadata.upsert({ reference: thirdParty, value: { nickname: 'The Org' } });
    expect((await a.consumption.identityMetadata.get(thirdParty)).value).toEqual({ nickname: 'The Org' });
    expect((await b.consumption.identityMetadata.get(thirdParty)).value).toEqual({ nickname: 'Shop' });
    await a.consumption.identityMetadata.delete(thirdParty);
    await expect(a.consumption.identityMetadata.get(thirdParty)).rejects.toMatchObject({
      code: 'error.consumption.recordNotFound',
    });
    expect((await b.consumption.identityMetadata.get(thirdParty)).value).toEqual({ nickname: 'Shop' });
  });
});
