import type { Request } from '@enmesh/content';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParty, deliver, exchange, item, namespaces, type Party } from '../testing/parties.js';
import { TestClock, testAddress } from '../testing/test-support.js';

const clock = new TestClock();
let org: Party;
let person: Party;

beforeAll(async () => {
  org = await createParty(41, 'sqlite', clock);
  person = await createParty(42, 'sqlite', clock);
});
afterAll(async () => {
  await org?.db.drop();
  await person?.db.drop();
});

const request = (...items: Request['items']): Request => ({ '@type': 'Request', items });

describe('notifications about shared attributes', () => {
  it('an owner succeeds and then deletes a shared attribute; the peer’s copy follows', async () => {
    const email = await person.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'EMailAddress', value: 'ada@example.org' },
    });
    await exchange(
      org,
      person,
      request(
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'EMailAddress' },
        }),
      ),
      [{ accept: true, existingAttributeId: email.id }],
    );
    expect(await org.consumption.attributes.getAttribute(email.id)).toMatchObject({
      '@type': 'PeerIdentityAttribute',
    });

    // Succession: the person tells the organisation, which succeeds its copy.
    const next = {
      '@type': 'IdentityAttribute',
      owner: person.address,
      value: { '@type': 'EMailAddress', value: 'ada@new.example' },
    } as const;
    const succeeded = await person.consumption.notifications.succeedAttributeAndNotify(email.id, next);
    expect(succeeded.notifications).toHaveLength(1);
    const [notice] = succeeded.notifications;
    expect(notice?.peer).toBe(org.address);
    expect(notice?.notification.items).toEqual([
      {
        '@type': 'PeerAttributeSucceededNotificationItem',
        predecessorId: email.id,
        successorId: succeeded.successor.id,
        successorContent: next,
      },
    ]);
    expect(await person.consumption.attributes.getForwardingDetails(succeeded.successor.id)).toMatchObject([
      { peer: org.address, sourceReference: notice?.notification.id },
    ]);
    org.events.length = 0;
    const [processed] = await deliver(person, org, succeeded.notifications);
    expect(processed?.status).toBe('Completed');
    expect(await org.consumption.attributes.getAttribute(email.id)).toMatchObject({
      succeededBy: succeeded.successor.id,
    });
    expect(await org.consumption.attributes.getAttribute(succeeded.successor.id)).toMatchObject({
      '@type': 'PeerIdentityAttribute',
      succeeds: email.id,
      peer: person.address,
      sourceReference: notice?.notification.id,
      content: next,
    });
    expect(namespaces(org.events)).toEqual([
      'consumption.notificationReceived',
      'consumption.attributeSucceeded',
      'consumption.notificationProcessed',
    ]);
    expect((await person.consumption.notifications.get(notice!.notification.id)).status).toBe('Sent');

    // Deletion by the owner: both versions were shared, both copies are marked DeletedByEmitter.
    const deleted = await person.consumption.notifications.deleteAttributeAndNotify(succeeded.successor.id);
    expect(deleted.deleted.map((a) => a.id)).toEqual([succeeded.successor.id, email.id]);
    expect(deleted.notifications.map((n) => n.notification.items.map((i) => i['@type']))).toEqual([
      ['OwnAttributeDeletedByOwnerNotificationItem', 'OwnAttributeDeletedByOwnerNotificationItem'],
    ]);
    org.events.length = 0;
    await deliver(person, org, deleted.notifications);
    for (const id of [email.id, succeeded.successor.id]) {
      expect(await org.consumption.attributes.getAttribute(id)).toMatchObject({
        deletionInfo: { deletionStatus: 'DeletedByEmitter' },
      });
    }
    expect(namespaces(org.events)).toContain('consumption.ownAttributeDeletedByOwner');
  });

  it('a peer deletes a relationship attribute or a forwarded copy; the owner learns it', async () => {
    const surname = await person.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'Surname', value: 'Lovelace' },
    });
    const requestId = await exchange(
      org,
      person,
      request(
        item('CreateAttributeRequestItem', {
          attribute: {
            '@type': 'RelationshipAttribute',
            owner: org.address,
            key: 'contract',
            confidentiality: 'protected',
            value: { '@type': 'ProprietaryString', title: 'Contract', value: 'K-9' },
          },
        }),
        item('ReadAttributeRequestItem', {
          query: { '@type': 'IdentityAttributeQuery', valueType: 'Surname' },
        }),
      ),
      [{ accept: true }, { accept: true, existingAttributeId: surname.id }],
    );
    const peerAttributes = await person.consumption.attributes.getAttributes({
      type: 'PeerRelationshipAttribute',
    });
    const contract = peerAttributes.find((a) => 'sourceReference' in a && a.sourceReference === requestId)!;

    const byPerson = await person.consumption.notifications.deleteAttributeAndNotify(contract.id);
    expect(byPerson.notifications[0]?.notification.items[0]?.['@type']).toBe(
      'PeerRelationshipAttributeDeletedByPeerNotificationItem',
    );
    await deliver(person, org, byPerson.notifications);
    expect(await org.consumption.attributes.getAttribute(contract.id)).toMatchObject({
      '@type': 'OwnRelationshipAttribute',
      deletionInfo: { deletionStatus: 'DeletedByRecipient' },
    });

    const byOrg = await org.consumption.notifications.deleteAttributeAndNotify(surname.id);
    expect(byOrg.notifications[0]?.notification.items[0]?.['@type']).toBe(
      'ForwardedAttributeDeletedByPeerNotificationItem',
    );
    await deliver(org, person, byOrg.notifications);
    expect(
      (await person.consumption.attributes.getForwardingDetails(surname.id))[0]?.deletionInfo,
    ).toMatchObject({
      deletionStatus: 'DeletedByRecipient',
    });
    expect(namespaces(person.events)).toContain('consumption.forwardedAttributeDeletedByPeer');
  });

  it('a notification from someone who has no say over the copy fails and changes nothing', async () => {
    const stranger = testAddress(49);
    const [copy] = await org.consumption.attributes.getAttributes({ type: 'PeerIdentityAttribute' });
    const before = await org.consumption.attributes.getAttribute(copy!.id);
    await org.consumption.notifications.received({
      content: {
        '@type': 'Notification',
        id: 'NOTstrangerstranger0',
        items: [{ '@type': 'OwnAttributeDeletedByOwnerNotificationItem', attributeId: copy!.id }],
      },
      peer: stranger,
      messageId: 'MSGstrangerstranger0',
    });
    const processed = await org.consumption.notifications.process('NOTstrangerstranger0');
    expect(processed).toMatchObject({
      status: 'Error',
      errorCode: 'error.consumption.attributes.senderIsNotPeerOfSharedAttribute',
    });
    expect(await org.consumption.attributes.getAttribute(copy!.id)).toEqual(before);
  });
});
