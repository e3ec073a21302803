import type { RelationshipAttribute } from '@enmesh/content';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInTransaction } from '../context.js';
import { sqliteTestDatabase, type TestDatabase, testAddress, testContext } from '../testing/test-support.js';
import { AttributesController } from './attributes-controller.js';
import {
  createOwnRelationshipAttribute,
  createPeerIdentityAttribute,
  createPeerRelationshipAttribute,
  createThirdPartyRelationshipAttribute,
} from './create-attributes.js';
import { addForwardingDetails } from './forwarding.js';

const self = testAddress(1);
const peer = testAddress(2);
const thirdParty = testAddress(3);
const request = 'REQaaaaaaaaaaaaaaaaa';

const relationshipAttribute = (owner: string, key: string): RelationshipAttribute => ({
  '@type': 'RelationshipAttribute',
  owner,
  key,
  confidentiality: 'public',
  value: { '@type': 'ProprietaryString', title: key, value: `${key} value` },
});

describe('the attributes of an ended relationship', () => {
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

  it('are deleted with the sharings with the peer; own identity attributes and other peers stay', async () => {
    const name = await attributes.createOwnIdentityAttribute({
      value: { '@type': 'GivenName', value: 'Ada' },
    });
    const setUp = await runInTransaction(context, async (tx) => {
      await addForwardingDetails(tx, name, peer, request);
      const thirdPartySharing = await addForwardingDetails(tx, name, thirdParty, request);
      const peerName = await createPeerIdentityAttribute(tx, {
        id: 'ATTpeername000000000',
        content: { '@type': 'IdentityAttribute', owner: peer, value: { '@type': 'GivenName', value: 'Bo' } },
        peer,
        sourceReference: request,
      });
      const peerNameAgain = await createPeerIdentityAttribute(tx, {
        id: 'ATTpeername000000001',
        content: { '@type': 'IdentityAttribute', owner: peer, value: { '@type': 'GivenName', value: 'Bob' } },
        peer,
        sourceReference: request,
        succeeds: peerName.id,
      });
      const own = await createOwnRelationshipAttribute(tx, {
        content: relationshipAttribute(self, 'ownKey'),
        peer,
        sourceReference: request,
      });
      await addForwardingDetails(tx, own, thirdParty, request);
      const peers = await createPeerRelationshipAttribute(tx, {
        id: 'ATTpeerrelation00000',
        content: relationshipAttribute(peer, 'peerKey'),
        peer,
        sourceReference: request,
      });
      const forwardedByPeer = await createThirdPartyRelationshipAttribute(tx, {
        id: 'ATTthirdparty0000000',
        content: relationshipAttribute(thirdParty, 'forwardedKey'),
        peer,
        sourceReference: request,
        initialAttributePeer: thirdParty,
      });
      const otherPeers = await createPeerIdentityAttribute(tx, {
        id: 'ATTotherpeer00000000',
        content: {
          '@type': 'IdentityAttribute',
          owner: thirdParty,
          value: { '@type': 'GivenName', value: 'Cy' },
        },
        peer: thirdParty,
        sourceReference: request,
      });
      const aboutPeer = await createThirdPartyRelationshipAttribute(tx, {
        id: 'ATTaboutpeer00000000',
        content: relationshipAttribute(thirdParty, 'withPeer'),
        peer: thirdParty,
        sourceReference: request,
        initialAttributePeer: peer,
      });
      return {
        thirdPartySharing,
        gone: [peerName, peerNameAgain, own, peers, forwardedByPeer].map((a) => a.id),
        kept: [name.id, otherPeers.id, aboutPeer.id],
      };
    });
    expect(await attributes.getAttribute(name.id)).toMatchObject({ numberOfForwards: 2 });
    context.events.length = 0;

    const cleanup = await attributes.deleteAttributesOfEndedRelationship(peer);

    expect(cleanup.deletedAttributes.map((a) => a.id).sort()).toEqual([...setUp.gone].sort());
    expect(cleanup.removedForwardings).toEqual([
      expect.objectContaining({ attributeId: name.id, peer, sourceReference: request }),
    ]);
    expect((await attributes.getAttributes()).map((a) => a.id).sort()).toEqual([...setUp.kept].sort());
    expect(await attributes.getAttribute(name.id)).toMatchObject({ numberOfForwards: 1 });
    expect(await attributes.getForwardingDetails(name.id)).toEqual([setUp.thirdPartySharing]);
    const deletedEvents = context.events.filter((e) => e.namespace === 'consumption.attributeDeleted');
    expect(deletedEvents.map((e) => (e.data as { id: string }).id).sort()).toEqual([...setUp.gone].sort());
    expect(context.events.map((e) => e.namespace)).toEqual([
      ...setUp.gone.map(() => 'consumption.attributeDeleted'),
      'consumption.attributeForwardingDetailsChanged',
    ]);

    // Nothing is left to clean up a second time.
    context.events.length = 0;
    expect(await attributes.deleteAttributesOfEndedRelationship(peer)).toEqual({
      deletedAttributes: [],
      removedForwardings: [],
    });
    expect(context.events).toEqual([]);
  });
});
