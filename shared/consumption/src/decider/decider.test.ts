import type { Request } from '@enmesh/content';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumption } from '../consumption.js';
import { ConsumptionError } from '../errors.js';
import { createParty, item, messageId, overTheWire, type Party } from '../testing/parties.js';
import { TestClock, testAddress } from '../testing/test-support.js';
import type { AutomationRule } from './decider.js';

const clock = new TestClock();
let org: Party;
let person: Party;
const stranger = testAddress(59);

beforeAll(async () => {
  org = await createParty(51, 'sqlite', clock);
  const rules: AutomationRule[] = [
    {
      request: { peer: testAddress(51) },
      item: { itemType: 'ReadAttributeRequestItem', content: { query: { valueType: 'GivenName' } } },
      response: { accept: true },
    },
    { item: { itemType: 'FormFieldRequestItem' }, response: { accept: false, code: 'error.app.noForms' } },
    { item: { itemType: ['ConsentRequestItem', 'AuthenticationRequestItem'] }, response: { accept: true } },
  ];
  person = await createParty(52, 'sqlite', clock, { automationRules: rules });
  await person.consumption.attributes.createOwnIdentityAttribute({
    value: { '@type': 'GivenName', value: 'Ada' },
  });
});
afterAll(async () => {
  await org?.db.drop();
  await person?.db.drop();
});

async function receiveAndDecide(items: Request['items'], from = org.address) {
  const id = `REQdecider${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
  await person.consumption.incomingRequests.received({
    content: overTheWire({ '@type': 'Request', id, items }),
    peer: from,
    source: { type: 'Message', reference: messageId() },
  });
  await person.consumption.incomingRequests.checkPrerequisites(id);
  return person.consumption.decider.decide(id);
}

const readGivenName = item('ReadAttributeRequestItem', {
  query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
});
const form = (mustBeAccepted: boolean) =>
  item(
    'FormFieldRequestItem',
    { title: 'Age', settings: { '@type': 'IntegerFormFieldSettings' } },
    mustBeAccepted,
  );

describe('the decider', () => {
  it('accepts automatically by the rules, rejecting the optional item a rule rejects', async () => {
    const decided = await receiveAndDecide([readGivenName, form(false)]);
    expect(decided).toMatchObject({
      status: 'Decided',
      wasAutomaticallyDecided: true,
      decider: 'AutomaticDecision',
    });
    expect(decided.response?.content).toMatchObject({
      result: 'Accepted',
      items: [
        { '@type': 'ReadAttributeAcceptResponseItem', attribute: { value: { value: 'Ada' } } },
        { '@type': 'RejectResponseItem', code: 'error.app.noForms' },
      ],
    });
  });

  it('rejects the request when a rule rejects an item that must be accepted', async () => {
    const decided = await receiveAndDecide([form(true)]);
    expect(decided).toMatchObject({ status: 'Decided', wasAutomaticallyDecided: true });
    expect(decided.response?.content.result).toBe('Rejected');
  });

  it('leaves Consent and Authentication, and requests no rule covers, to a person', async () => {
    const consent = await receiveAndDecide([item('ConsentRequestItem', { consent: 'Terms' }), readGivenName]);
    expect(consent.status).toBe('ManualDecisionRequired');
    const login = await receiveAndDecide([item('AuthenticationRequestItem', { title: 'Log in' })]);
    expect(login.status).toBe('ManualDecisionRequired');
    const foreign = await receiveAndDecide([readGivenName], stranger);
    expect(foreign.status).toBe('ManualDecisionRequired');

    const byPerson = await person.consumption.incomingRequests.accept(
      { requestId: login.id, items: [{ accept: true }] },
      { decider: 'device:DVCpersonsphone00000' },
    );
    expect(byPerson).toMatchObject({ status: 'Decided', decider: 'device:DVCpersonsphone00000' });
    expect(byPerson.wasAutomaticallyDecided).toBeUndefined();
  });

  it('refuses an automation rule with an invalid response', () => {
    expect(() =>
      createConsumption(person.consumption.context, {
        automationRules: [{ response: { accept: 'yes' } as never }],
      }),
    ).toThrow(ConsumptionError);
  });
});
