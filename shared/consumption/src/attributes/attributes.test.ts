import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInTransaction } from '../context.js';
import { ConsumptionError } from '../errors.js';
import { sqliteTestDatabase, type TestDatabase, testAddress, testContext } from '../testing/test-support.js';
import { AttributesController } from './attributes-controller.js';
import {
  createOwnRelationshipAttribute,
  createPeerIdentityAttribute,
  createPeerRelationshipAttribute,
} from './create-attributes.js';
import { addForwardingDetails, isSharedWith } from './forwarding.js';
import { succeedAttribute } from './succession.js';

const self = testAddress(1);
const peer = testAddress(2);
const thirdParty = testAddress(3);
const givenName = (value: string) => ({ '@type': 'GivenName', value }) as const;

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConsumptionError);
  expect((error as ConsumptionError).code).toBe(code);
}

describe('local attributes', () => {
  let db: TestDatabase;
  let context: ReturnType<typeof testContext>;
  let attributes: AttributesController;

  beforeEach(async () => {
    db = await sqliteTestDatabase();
    context = testContext(db.dataSource, self);
    attributes = new AttributesController(context);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('keeps one default per value type and switches it when the default is deleted', async () => {
    const first = await attributes.createOwnIdentityAttribute({ value: givenName('Ada') });
    const second = await attributes.createOwnIdentityAttribute({ value: givenName('Adaline') });
    const email = await attributes.createOwnIdentityAttribute({
      value: { '@type': 'EMailAddress', value: 'a@example.org' },
    });
    expect(first.isDefault).toBe(true);
    expect(second.isDefault).toBeUndefined();
    expect(email.isDefault).toBe(true);
    expect(first).toMatchObject({ '@type': 'OwnIdentityAttribute', numberOfForwards: 0 });
    expect(first.id).toMatch(/^ATT[A-Za-z0-9]{17}$/);

    await attributes.changeDefaultOwnIdentityAttribute(second.id);
    expect(((await attributes.getAttribute(first.id)) as { isDefault?: true }).isDefault).toBeUndefined();
    await attributes.deleteAttribute(second.id);
    expect(((await attributes.getAttribute(first.id)) as { isDefault?: true }).isDefault).toBe(true);
    expect(context.events.map((e) => e.namespace)).toEqual([
      'consumption.attributeCreated',
      'consumption.attributeCreated',
      'consumption.attributeCreated',
      'consumption.attributeDeleted',
    ]);
  });

  it('refuses an own identity attribute of a wrong shape, leaving nothing behind', async () => {
    await expectCode(
      attributes.createOwnIdentityAttribute({ value: { '@type': 'GivenName' } as never }),
      'error.consumption.invalidContent',
    );
    expect(await attributes.getAttributes()).toEqual([]);
    expect(context.events).toEqual([]);
  });

  it('succeeds an attribute: the successor takes the default, the predecessor stays as history', async () => {
    const first = await attributes.createOwnIdentityAttribute({ value: givenName('Ada') });
    const { predecessor, successor } = await attributes.succeedOwnIdentityAttribute(first.id, {
      value: givenName('Ada Marie'),
    });
    expect(predecessor).toMatchObject({ id: first.id, succeededBy: successor.id });
    expect(predecessor).not.toHaveProperty('isDefault');
    expect(successor).toMatchObject({ succeeds: first.id, isDefault: true });
    expect((await attributes.getVersions(first.id)).map((a) => a.id)).toEqual([successor.id, first.id]);
    expect(context.events.at(-1)?.namespace).toBe('consumption.attributeSucceeded');

    await expectCode(
      attributes.succeedOwnIdentityAttribute(first.id, { value: givenName('Other') }),
      'error.consumption.attributes.cannotSucceedAttributesWithASuccessor',
    );
    await expectCode(
      attributes.succeedOwnIdentityAttribute(successor.id, { value: givenName('Ada Marie') }),
      'error.consumption.attributes.successionMustChangeContent',
    );
    await expectCode(
      attributes.succeedOwnIdentityAttribute(successor.id, { value: { '@type': 'Surname', value: 'L' } }),
      'error.consumption.attributes.successionMustNotChangeValueType',
    );
    await expectCode(
      attributes.succeedOwnIdentityAttribute('ATTmissingmissingmi', { value: givenName('X') }),
      'error.consumption.attributes.predecessorDoesNotExist',
    );
    await expectCode(
      runInTransaction(context, (tx) =>
        succeedAttribute(tx, successor.id, {
          content: { '@type': 'IdentityAttribute', owner: peer, value: givenName('Y') },
        }),
      ),
      'error.consumption.attributes.successionMustNotChangeOwner',
    );

    // Deleting the latest version deletes its predecessors too.
    await attributes.deleteAttribute(successor.id);
    expect(await attributes.getAttributes()).toEqual([]);
  });

  it('checks a peer succession: same peer, owner is the peer, the peer gives the id', async () => {
    const copy = await runInTransaction(context, (tx) =>
      createPeerIdentityAttribute(tx, {
        id: 'ATTpeercopy0000000',
        content: { '@type': 'IdentityAttribute', owner: peer, value: givenName('Bea') },
        peer,
        sourceReference: 'REQaaaaaaaaaaaaaaaaa',
      }),
    );
    const next = { '@type': 'IdentityAttribute', owner: peer, value: givenName('Beatrice') } as const;
    await expectCode(
      runInTransaction(context, (tx) =>
        succeedAttribute(tx, copy.id, { content: next, id: 'ATTpeercopy0000001', peer: thirdParty }),
      ),
      'error.consumption.attributes.successionMustNotChangePeer',
    );
    await expectCode(
      runInTransaction(context, (tx) => succeedAttribute(tx, copy.id, { content: next, id: copy.id, peer })),
      'error.consumption.attributes.successorMustNotYetExist',
    );
    const { successor } = await runInTransaction(context, (tx) =>
      succeedAttribute(tx, copy.id, {
        content: next,
        id: 'ATTpeercopy0000001',
        peer,
        sourceReference: 'NOTx',
      }),
    );
    expect(successor).toMatchObject({
      '@type': 'PeerIdentityAttribute',
      peer,
      sourceReference: 'NOTx',
      succeeds: copy.id,
    });
  });

  it('records forwarding details and answers the four kinds of query', async () => {
    const phone = await attributes.createOwnIdentityAttribute({
      value: { '@type': 'PhoneNumber', value: '+4912345' },
      tags: ['x:emergency'],
    });
    await attributes.createOwnIdentityAttribute({ value: { '@type': 'PhoneNumber', value: '+4954321' } });
    const details = await runInTransaction(context, (tx) =>
      addForwardingDetails(tx, phone, peer, 'REQbbbbbbbbbbbbbbbbb'),
    );
    expect(details).toMatchObject({ attributeId: phone.id, peer, sourceReference: 'REQbbbbbbbbbbbbbbbbb' });
    expect(details.id).toMatch(/^ATTFD/);
    expect(await runInTransaction(context, (tx) => isSharedWith(tx, phone.id, peer))).toBe(true);
    expect(await attributes.getAttribute(phone.id)).toMatchObject({ numberOfForwards: 1 });

    const byType = await attributes.executeIdentityAttributeQuery({
      '@type': 'IdentityAttributeQuery',
      valueType: 'PhoneNumber',
      tags: ['x:emergency'],
    });
    expect(byType.map((a) => a.id)).toEqual([phone.id]);
    const byIql = await attributes.executeIqlQuery({
      '@type': 'IQLQuery',
      queryString: 'PhoneNumber && #x:emergency',
    });
    expect(byIql.map((a) => a.id)).toEqual([phone.id]);

    const own = await runInTransaction(context, (tx) =>
      createOwnRelationshipAttribute(tx, {
        content: {
          '@type': 'RelationshipAttribute',
          owner: self,
          key: 'membership',
          confidentiality: 'public',
          value: { '@type': 'ProprietaryString', title: 'Member number', value: 'M-1' },
        },
        peer: thirdParty,
        sourceReference: 'REQccccccccccccccccc',
      }),
    );
    await runInTransaction(context, (tx) =>
      createPeerRelationshipAttribute(tx, {
        id: 'ATTprivate000000000',
        content: {
          '@type': 'RelationshipAttribute',
          owner: thirdParty,
          key: 'membership',
          confidentiality: 'private',
          value: { '@type': 'ProprietaryString', title: 'Secret', value: 'S' },
        },
        peer: thirdParty,
        sourceReference: 'REQccccccccccccccccc',
      }),
    );
    const inRelationship = await attributes.executeRelationshipAttributeQuery(
      {
        '@type': 'RelationshipAttributeQuery',
        key: 'membership',
        owner: '',
        attributeCreationHints: {
          title: 'Member number',
          valueType: 'ProprietaryString',
          confidentiality: 'public',
        },
      },
      thirdParty,
    );
    expect(inRelationship?.id).toBe(own.id);
    const forwardable = await attributes.executeThirdPartyRelationshipAttributeQuery(
      {
        '@type': 'ThirdPartyRelationshipAttributeQuery',
        key: 'membership',
        owner: '',
        thirdParty: [thirdParty],
      },
      peer,
    );
    expect(forwardable.map((a) => a.id)).toEqual([own.id]);
  });
});
