import type { Request } from '@enmesh/content';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeerIdentityAttribute } from '../attributes/create-attributes.js';
import { runInTransaction } from '../context.js';
import { ConsumptionError } from '../errors.js';
import { createParty, fileReference, item, type Party } from '../testing/parties.js';
import { TestClock } from '../testing/test-support.js';
import type { DecideRequestParams } from './incoming-requests.js';

const clock = new TestClock();
let org: Party;
let person: Party;
let givenNameId: string;
let counter = 0;

beforeAll(async () => {
  org = await createParty(31, 'sqlite', clock);
  person = await createParty(32, 'sqlite', clock);
  givenNameId = (
    await person.consumption.attributes.createOwnIdentityAttribute({
      value: { '@type': 'GivenName', value: 'Ada' },
    })
  ).id;
});
afterAll(async () => {
  await org?.db.drop();
  await person?.db.drop();
});

/** Receives a request from the organisation with one item and brings it to DecisionRequired. */
async function receive(requestItem: ReturnType<typeof item>, extra: Partial<Request> = {}): Promise<string> {
  const id = `REQerrors${String(++counter).padStart(11, '0')}`;
  await person.consumption.incomingRequests.received({
    content: { '@type': 'Request', id, items: [requestItem], ...extra },
    peer: org.address,
    source: { type: 'Message', reference: `MSGerrors${String(counter).padStart(11, '0')}` },
  });
  await person.consumption.incomingRequests.checkPrerequisites(id);
  return id;
}

/** Expects accepting (or rejecting) to fail with `code`, leaving the request, attributes and events alone. */
async function expectRefused(params: DecideRequestParams, code: string, accept = true): Promise<void> {
  const incoming = person.consumption.incomingRequests;
  const row = () =>
    runInTransaction(person.consumption.context, (tx) =>
      tx.manager.query('SELECT status, response FROM consumption_requests WHERE id = ?', [params.requestId]),
    );
  const before = { attributes: await person.consumption.attributes.getAttributes(), row: await row() };
  const events = person.events.length;
  const check = await (accept ? incoming.canAccept(params) : incoming.canReject(params)).catch(
    (e: unknown) => e as ConsumptionError,
  );
  const error = await (accept ? incoming.accept(params) : incoming.reject(params)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConsumptionError);
  expect((error as ConsumptionError).code).toBe(code);
  expect(JSON.stringify(check)).toContain(code);
  expect(await person.consumption.attributes.getAttributes()).toEqual(before.attributes);
  expect(person.events.length).toBe(events);
  expect(await row()).toEqual(before.row);
}

const givenNameQuery = { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' };
const surname = (owner: string) => ({
  '@type': 'IdentityAttribute',
  owner,
  value: { '@type': 'Surname', value: 'Lovelace' },
});

describe('wrong decisions on each item type change nothing and name a stable code', () => {
  it('ReadAttributeRequestItem: mismatched value type, unknown attribute, parameters of another item', async () => {
    const id = await receive(item('ReadAttributeRequestItem', { query: givenNameQuery }));
    const code = 'error.consumption.requests.attributeQueryMismatch';
    await expectRefused(
      { requestId: id, items: [{ accept: true, newAttribute: surname(person.address) as never }] },
      code,
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true, existingAttributeId: 'ATTdoesnotexist00000' }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true, response: 'x' }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
  });

  it('ProposeAttributeRequestItem: an answer of another type or owner', async () => {
    const id = await receive(
      item('ProposeAttributeRequestItem', {
        query: { '@type': 'IdentityAttributeQuery', valueType: 'Surname' },
        attribute: surname(person.address),
      }),
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true, attributeId: givenNameId }] },
      'error.consumption.requests.attributeQueryMismatch',
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true, attribute: surname(org.address) as never }] },
      'error.consumption.requests.attributeQueryMismatch',
    );
  });

  it('CreateAttributeRequestItem: an IdentityAttribute owned by the sender', async () => {
    const id = await receive(item('CreateAttributeRequestItem', { attribute: surname(org.address) }));
    await expectRefused(
      { requestId: id, items: [{ accept: true }] },
      'error.consumption.requests.invalidRequestItem',
    );
  });

  it('ShareAttributeRequestItem: sharing an identity attribute of someone else', async () => {
    const id = await receive(
      item('ShareAttributeRequestItem', {
        attributeId: 'ATTsomeoneelse000000',
        attribute: surname(person.address),
      }),
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true }] },
      'error.consumption.requests.invalidRequestItem',
    );
  });

  it('DeleteAttributeRequestItem: a deletion date in the past', async () => {
    await runInTransaction(person.consumption.context, (tx) =>
      createPeerIdentityAttribute(tx, {
        id: 'ATTorgsemail00000000',
        content: {
          '@type': 'IdentityAttribute',
          owner: org.address,
          value: { '@type': 'EMailAddress', value: 'a@b.example' },
        },
        peer: org.address,
        sourceReference: 'REQearlierearlierear',
      }),
    );
    const id = await receive(item('DeleteAttributeRequestItem', { attributeId: 'ATTorgsemail00000000' }));
    await expectRefused(
      { requestId: id, items: [{ accept: true, deletionDate: '2001-01-01T00:00:00.000Z' }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
  });

  it('ConsentRequestItem and AuthenticationRequestItem: parameters they do not take; mustBeAccepted', async () => {
    const consent = await receive(item('ConsentRequestItem', { consent: 'Terms' }));
    await expectRefused(
      { requestId: consent, items: [{ accept: true, response: 'yes' }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
    const login = await receive(item('AuthenticationRequestItem', { title: 'Log in' }));
    await expectRefused(
      { requestId: login, items: [{ accept: false }] },
      'error.consumption.requests.decide.validation.mustBeAcceptedItemNotAccepted',
    );
    await expectRefused(
      { requestId: login, items: [{ accept: true }] },
      'error.consumption.requests.decide.validation.itemAcceptedButRequestNotAccepted',
      false,
    );
  });

  it('FormFieldRequestItem: an answer that does not fit the field', async () => {
    const id = await receive(
      item('FormFieldRequestItem', {
        title: 'Age',
        settings: { '@type': 'IntegerFormFieldSettings', min: 18 },
      }),
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true, response: 12 }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
  });

  it('TransferFileOwnershipRequestItem, ShareCredentialOfferRequestItem: foreign parameters', async () => {
    const transfer = await receive(
      item('TransferFileOwnershipRequestItem', { fileReference, ownershipToken: 't' }),
    );
    await expectRefused(
      { requestId: transfer, items: [{ accept: true, deletionDate: '2040-01-01T00:00:00.000Z' }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
    const offer = await receive(
      item('ShareCredentialOfferRequestItem', { credentialOfferUrl: 'openid://x' }),
    );
    await expectRefused(
      { requestId: offer, items: [{ accept: true, existingAttributeId: givenNameId }] },
      'error.consumption.requests.invalidAcceptParameters',
    );
  });

  it('ShareAuthorizationRequestRequestItem: presenting an attribute that is not a credential', async () => {
    const id = await receive(
      item('ShareAuthorizationRequestRequestItem', { authorizationRequestUrl: 'openid4vp://x' }),
    );
    await expectRefused(
      { requestId: id, items: [{ accept: true, attributeId: givenNameId }] },
      'error.consumption.requests.attributeQueryMismatch',
    );
  });

  it('a group answered as an item, the wrong number of items, an expired request, a decided request', async () => {
    const grouped = await receive({
      '@type': 'RequestItemGroup',
      items: [item('ConsentRequestItem', { consent: 'Terms' })],
    } as never);
    await expectRefused(
      { requestId: grouped, items: [{ accept: true }] },
      'error.consumption.requests.decide.validation.requestItemGroupAnsweredAsRequestItem',
    );
    await expectRefused(
      { requestId: grouped, items: [{ items: [{ accept: true }] }, { accept: true }] },
      'error.consumption.requests.decide.validation.invalidNumberOfItems',
    );

    const expiring = await receive(item('ConsentRequestItem', { consent: 'Terms' }), {
      expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    clock.advance(120_000);
    await expectRefused(
      { requestId: expiring, items: [{ accept: true }] },
      'error.consumption.requests.expired',
    );
    expect((await person.consumption.incomingRequests.get(expiring)).status).toBe('Expired');

    const once = await receive(item('ConsentRequestItem', { consent: 'Terms' }));
    await person.consumption.incomingRequests.accept({ requestId: once, items: [{ accept: true }] });
    await expectRefused(
      { requestId: once, items: [{ accept: true }] },
      'error.consumption.requests.wrongStatus',
    );
  });
});
