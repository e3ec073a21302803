import { type Json, type TestConnector, until } from './connector-kit.js';

/** Calls a reference route (`specPath`) at `path` and records the answer; returns its `result`. */
export type Call = (
  who: TestConnector,
  method: string,
  specPath: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Json>;

const attributeKinds = new Set([
  'OwnIdentityAttribute',
  'OwnRelationshipAttribute',
  'PeerIdentityAttribute',
  'PeerRelationshipAttribute',
  'ThirdPartyRelationshipAttribute',
]);
const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/**
 * A copy of an answer for the check against the reference, whose `Attribute` (a defect of the reference)
 * leaves out two fields of the Enmeshed runtime's LocalAttributeDTO and forbids further ones: `@type` (the
 * kind of local attribute) and `wasViewedAt`. Here they are checked (`@type` one of the five kinds,
 * `wasViewedAt` a timestamp) and then left out; anything else that is wrong stays for the schema to find.
 */
export function withoutAttributeExtras(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(withoutAttributeExtras);
  if (typeof body !== 'object' || body === null) return body;
  const object = body as Record<string, unknown>;
  const copy = Object.fromEntries(
    Object.entries(object).map(([key, value]) => [key, withoutAttributeExtras(value)]),
  );
  const content = object.content as { '@type'?: unknown } | undefined;
  const isAttribute =
    typeof object.id === 'string' &&
    object.id.startsWith('ATT') &&
    (content?.['@type'] === 'IdentityAttribute' || content?.['@type'] === 'RelationshipAttribute');
  if (!isAttribute) return copy;
  if (attributeKinds.has(object['@type'] as string)) delete copy['@type'];
  if (typeof object.wasViewedAt === 'string' && isoTime.test(object.wasViewedAt)) delete copy.wasViewedAt;
  return copy;
}

/** What the consumption part of the scenario works with: two related connectors and how to call them. */
export interface ConsumptionScenario {
  readonly call: Call;
  /** Calls a route that must refuse (status ≥ 400); returns the error. */
  readonly refuse: Call;
  readonly org: TestConnector;
  readonly person: TestConnector;
  readonly orgAddress: string;
  readonly personAddress: string;
  /** An active relationship between the two. */
  readonly relationshipId: string;
}

const item = (type: string, fields: Record<string, unknown>, mustBeAccepted = true) => ({
  '@type': type,
  mustBeAccepted,
  ...fields,
});

/**
 * Calls every consumption route of the reference over an active relationship: own attributes created and
 * checked; a request sent by message that the person accepts (sharing, reading and creating attributes),
 * another the person rejects; the attributes listed, versioned, succeeded and the peer told; the four
 * queries and IQL validation; identity metadata; announcements; a backbone notification (refused: the
 * backbone has none); and a deletion that notifies the peer.
 */
export async function runConsumptionScenario(s: ConsumptionScenario): Promise<void> {
  const { call, refuse, org, person, orgAddress, personAddress, relationshipId } = s;
  const api = '/api/core/v1';
  const at = `${api}/Attributes`;
  const rq = `${api}/Requests`;

  // Own attributes.
  const displayNameValue = { '@type': 'DisplayName', value: 'Example Org' };
  await call(org, 'PUT', `${at}/CanCreate`, 'Attributes/CanCreate', { content: { value: displayNameValue } });
  const displayName = await call(org, 'POST', at, 'Attributes', {
    content: { value: displayNameValue, tags: ['x:public'] },
  });
  const givenName = await call(person, 'POST', at, 'Attributes', {
    content: { value: { '@type': 'GivenName', value: 'Ada' } },
  });
  await call(org, 'GET', `${at}/Own/Identity`, 'Attributes/Own/Identity?onlyLatestVersions=true');

  // A request by message: the organisation shares its name, reads the person's and creates a customer number.
  const content = {
    title: 'Welcome',
    items: [
      item('ShareAttributeRequestItem', { attributeId: displayName.id, attribute: displayName.content }),
      item('ReadAttributeRequestItem', {
        query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
      }),
      item('CreateAttributeRequestItem', {
        attribute: {
          '@type': 'RelationshipAttribute',
          owner: orgAddress,
          key: 'customerNumber',
          confidentiality: 'public',
          value: { '@type': 'ProprietaryString', title: 'Customer number', value: 'C-1001' },
        },
      }),
    ],
  };
  await call(org, 'POST', `${rq}/Outgoing/Validate`, 'Requests/Outgoing/Validate', {
    content,
    peer: personAddress,
  });
  const sendRequest = async (body: Json) => {
    const draft = await call(org, 'POST', `${rq}/Outgoing`, 'Requests/Outgoing', {
      content: body,
      peer: personAddress,
    });
    const sent = await org.api('POST', 'Messages', { recipients: [personAddress], content: draft.content });
    if (sent.status !== 201) throw new Error(`the request was not sent: ${JSON.stringify(sent.body)}`);
    await until(
      () => person.api('GET', `Requests/Incoming/${draft.id}`),
      (answer) => answer.body?.result?.status === 'ManualDecisionRequired',
      'the request at the person',
    );
    return draft.id as string;
  };
  const requestId = await sendRequest(content);
  await call(org, 'GET', `${rq}/Outgoing`, `Requests/Outgoing?peer=${personAddress}&status=Open`);
  await call(org, 'GET', `${rq}/Outgoing/{id}`, `Requests/Outgoing/${requestId}`);
  await call(person, 'GET', `${rq}/Incoming`, 'Requests/Incoming?status=ManualDecisionRequired');
  await call(person, 'GET', `${rq}/Incoming/{id}`, `Requests/Incoming/${requestId}`);
  const acceptance = {
    items: [{ accept: true }, { accept: true, existingAttributeId: givenName.id }, { accept: true }],
  };
  const rejection = { items: [{ accept: false }, { accept: false }, { accept: false }] };
  await call(
    person,
    'PUT',
    `${rq}/Incoming/{id}/CanReject`,
    `Requests/Incoming/${requestId}/CanReject`,
    rejection,
  );
  await call(
    person,
    'PUT',
    `${rq}/Incoming/{id}/CanAccept`,
    `Requests/Incoming/${requestId}/CanAccept`,
    acceptance,
  );
  await call(
    person,
    'PUT',
    `${rq}/Incoming/{id}/Accept`,
    `Requests/Incoming/${requestId}/Accept`,
    acceptance,
  );
  await until(
    () => org.api('GET', `Requests/Outgoing/${requestId}`),
    (answer) => answer.body?.result?.status === 'Completed',
    'the completed request at the organisation',
  );
  const declined = await sendRequest({
    items: [
      item(
        'ReadAttributeRequestItem',
        { query: { '@type': 'IdentityAttributeQuery', valueType: 'BirthDate' } },
        false,
      ),
    ],
  });
  await call(person, 'PUT', `${rq}/Incoming/{id}/Reject`, `Requests/Incoming/${declined}/Reject`, {
    items: [{ accept: false, code: 'error.app.notNow', message: 'Not now' }],
  });

  // The attributes each side holds now.
  await call(org, 'GET', at, `Attributes?peer=${personAddress}&content.value.@type=GivenName`);
  await call(
    org,
    'GET',
    `${at}/Own/Shared/{peer}`,
    `Attributes/Own/Shared/${personAddress}?hideTechnical=true`,
  );
  await call(org, 'GET', `${at}/Peer/{peer}`, `Attributes/Peer/${personAddress}`);
  await call(
    person,
    'GET',
    `${api}/Relationships/{id}/Attributes`,
    `Relationships/${relationshipId}/Attributes`,
  );
  await call(org, 'GET', `${at}/{id}`, `Attributes/${displayName.id}`);
  await call(org, 'GET', `${at}/{id}/ForwardingDetails`, `Attributes/${displayName.id}/ForwardingDetails`);

  // A succession the peer is told of; versions.
  const succession = await call(
    org,
    'POST',
    `${at}/{predecessorId}/Succeed`,
    `Attributes/${displayName.id}/Succeed`,
    {
      successorContent: { value: { '@type': 'DisplayName', value: 'Example Org Ltd' } },
    },
  );
  await call(
    org,
    'POST',
    `${at}/{attributeId}/NotifyPeer`,
    `Attributes/${succession.successor.id}/NotifyPeer`,
    {
      peer: personAddress,
    },
  );
  await call(org, 'GET', `${at}/{id}/Versions`, `Attributes/${succession.successor.id}/Versions`);
  await call(
    org,
    'GET',
    `${at}/{id}/Versions/Shared`,
    `Attributes/${succession.successor.id}/Versions/Shared?peer=${personAddress}&onlyLatestVersions=false`,
  );
  await call(org, 'GET', `${at}/TagCollection`, 'Attributes/TagCollection');

  // The queries.
  await call(org, 'POST', `${at}/ExecuteIdentityAttributeQuery`, 'Attributes/ExecuteIdentityAttributeQuery', {
    query: { valueType: 'DisplayName' },
  });
  await call(
    person,
    'POST',
    `${at}/ExecuteRelationshipAttributeQuery`,
    'Attributes/ExecuteRelationshipAttributeQuery',
    {
      query: {
        key: 'customerNumber',
        owner: orgAddress,
        attributeCreationHints: {
          title: 'Customer number',
          valueType: 'ProprietaryString',
          confidentiality: 'public',
        },
      },
    },
  );
  await call(
    person,
    'POST',
    `${at}/ExecuteThirdPartyRelationshipAttributeQuery`,
    'Attributes/ExecuteThirdPartyRelationshipAttributeQuery',
    { query: { key: 'customerNumber', owner: 'thirdParty', thirdParty: [orgAddress] } },
  );
  await call(org, 'POST', `${at}/ExecuteIQLQuery`, 'Attributes/ExecuteIQLQuery', {
    query: { queryString: 'DisplayName && #x:public' },
  });
  await call(org, 'POST', `${at}/ValidateIQLQuery`, 'Attributes/ValidateIQLQuery', {
    query: { queryString: 'DisplayName &&' },
  });

  // Identity metadata, announcements and backbone notifications.
  const metadata = `IdentityMetadata?reference=${encodeURIComponent(personAddress)}&key=crm`;
  await call(org, 'PUT', `${api}/IdentityMetadata`, 'IdentityMetadata', {
    reference: personAddress,
    key: 'crm',
    value: { customer: 'C-1001' },
  });
  await call(org, 'GET', `${api}/IdentityMetadata`, metadata);
  await call(org, 'DELETE', `${api}/IdentityMetadata`, metadata);
  await call(org, 'GET', `${api}/Announcements`, 'Announcements?language=en');
  await refuse(org, 'POST', `${api}/BackboneNotifications`, 'BackboneNotifications', {
    recipients: [personAddress],
    code: 'ACCOUNT_READY',
  });

  // The person deletes what it received from the organisation; the organisation is told.
  const received = await person.api('GET', `Attributes/Peer/${orgAddress}?content.value.@type=DisplayName`);
  const copy = received.body.result[0];
  await call(person, 'DELETE', `${at}/{id}`, `Attributes/${copy.id}`);
}
