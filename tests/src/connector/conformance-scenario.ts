import { normalisePath, type ReferenceSpec, type SpecOperation } from '../kit/reference-spec.js';
import { type Call, runConsumptionScenario, withoutAttributeExtras } from './conformance-consumption.js';
import { adminKey, type TestConnector, until } from './connector-kit.js';

/** What one call of a reference route answered, and what the reference says about its body. */
export interface CheckedCall {
  readonly route: string;
  readonly status: number;
  /** The reference's success status for the route. */
  readonly expected: number;
  /** Faults of the body against the reference schema; undefined when the reference documents no JSON body. */
  readonly faults: readonly string[] | undefined;
  /** The error code of a refusal. */
  readonly code?: string;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** The key of a route in both specifications: method and path with parameter names left out. */
export const routeKey = (operation: SpecOperation) =>
  `${operation.method.toUpperCase()} ${normalisePath(operation.path)}`;

/**
 * Calls every reference route the connector serves, end to end between two
 * connectors (an organisation and a person) on one backbone, in an order that gives each call what it
 * needs; records each answer's status and the faults of its body against the reference schema.
 */
export async function runConformanceScenario(
  reference: ReferenceSpec,
  org: TestConnector,
  person: TestConnector,
): Promise<Map<string, CheckedCall>> {
  const operations = reference.operations();
  const checked = new Map<string, CheckedCall>();
  const record = async (
    who: TestConnector,
    method: string,
    specPath: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'X-API-KEY': adminKey },
  ) => {
    const operation = operations.find(
      (o) => o.method === method.toLowerCase() && normalisePath(o.path) === normalisePath(specPath),
    );
    if (!operation) throw new Error(`no reference route ${method} ${specPath}`);
    const answer = await who.api(method, path, body, headers);
    const item = reference.spec.paths?.[operation.path]?.[operation.method] as
      | { responses?: object }
      | undefined;
    const responses = item?.responses ?? {};
    const expected = Number(Object.keys(responses).find((status) => status.startsWith('2')));
    const route = routeKey(operation);
    const faults =
      answer.body === undefined
        ? undefined
        : reference.validate(operation, answer.status, withoutAttributeExtras(answer.body));
    const code = answer.status >= 400 ? (answer.body?.error?.code as string | undefined) : undefined;
    if (process.env.DEBUG_CONFORMANCE) console.log(route, answer.status, JSON.stringify(faults));
    checked.set(route, { route, status: answer.status, expected, faults, ...(code ? { code } : {}) });
    return { route, answer };
  };
  const call: Call = async (who, method, specPath, path, body, headers) => {
    const { route, answer } = await record(who, method, specPath, path, body, headers);
    if (answer.status >= 300)
      throw new Error(`${route} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body?.result;
  };
  const refuse: Call = async (who, method, specPath, path, body) => {
    const { route, answer } = await record(who, method, specPath, path, body);
    if (answer.status < 400) throw new Error(`${route} was not refused: ${answer.status}`);
    return answer.body?.error;
  };
  const api = '/api/core/v1';

  for (const path of ['/health', '/Monitoring/Version', '/Monitoring/Requests', '/Monitoring/Support']) {
    const answer = await org.api('GET', path);
    const operation = { path, method: 'get' };
    checked.set(routeKey(operation), {
      route: routeKey(operation),
      status: answer.status,
      expected: 200,
      faults: reference.validate(operation, answer.status, answer.body),
    });
  }

  // Account and challenges.
  const orgAddress = (await call(org, 'GET', `${api}/Account/IdentityInfo`, 'Account/IdentityInfo')).address;
  const personAddress = (await call(person, 'GET', `${api}/Account/IdentityInfo`, 'Account/IdentityInfo'))
    .address;
  await call(org, 'POST', `${api}/Account/Sync`, 'Account/Sync');
  await call(org, 'GET', `${api}/Account/SyncInfo`, 'Account/SyncInfo');
  const signed = await call(org, 'POST', `${api}/Challenges`, 'Challenges', { challengeType: 'Identity' });
  const validation = await call(person, 'POST', `${api}/Challenges/Validate`, 'Challenges/Validate', {
    challengeString: signed.challengeString,
    signature: signed.signature,
  });
  if (validation.isValid !== true) throw new Error('the signed challenge did not validate');

  // Templates, and a relationship from one.
  const rt = `${api}/RelationshipTemplates`;
  const offer = { '@type': 'ArbitraryRelationshipTemplateContent', value: { title: 'Join us' } };
  const newTemplate = () =>
    call(org, 'POST', `${rt}/Own`, 'RelationshipTemplates/Own', { content: offer, expiresAt: inDays(1) });
  const template = await newTemplate();
  await call(org, 'GET', `${rt}/Own`, 'RelationshipTemplates/Own');
  await call(org, 'GET', rt, 'RelationshipTemplates?isOwn=true');
  await call(org, 'GET', `${rt}/{id}`, `RelationshipTemplates/${template.id}`);
  await call(org, 'POST', `${rt}/Own/{id}/Token`, `RelationshipTemplates/Own/${template.id}/Token`, {
    ephemeral: false,
  });
  const creationContent = { '@type': 'ArbitraryRelationshipCreationContent', value: {} };
  const request = async (templateId: string, reference: string) => {
    await call(person, 'POST', `${rt}/Peer`, 'RelationshipTemplates/Peer', { reference });
    await call(person, 'PUT', `${api}/Relationships/CanCreate`, 'Relationships/CanCreate', { templateId });
    const pending = await call(person, 'POST', `${api}/Relationships`, 'Relationships', {
      templateId,
      creationContent,
    });
    await until(
      () => org.api('GET', `Relationships/${pending.id}`),
      (answer) => answer.status === 200,
      'the request at the organisation',
    );
    return pending.id as string;
  };
  const relationshipId = await request(template.id, template.reference.truncated);
  await call(person, 'GET', `${rt}/Peer`, 'RelationshipTemplates/Peer');
  await call(org, 'GET', `${api}/Relationships`, `Relationships?peer=${personAddress}&status=Pending`);
  await call(org, 'PUT', `${api}/Relationships/{id}/Accept`, `Relationships/${relationshipId}/Accept`);
  const statusAt = (who: TestConnector, status: string) =>
    until(
      () => who.api('GET', `Relationships/${relationshipId}`),
      (answer) => answer.body?.result?.status === status,
      `${status} relationship`,
    );
  await statusAt(person, 'Active');
  await call(person, 'GET', `${api}/Relationships/{id}`, `Relationships/${relationshipId}`);

  // Tokens.
  const tk = `${api}/Tokens`;
  const token = await call(org, 'POST', `${tk}/Own`, 'Tokens/Own', {
    content: { hello: 'world' },
    expiresAt: inDays(1),
  });
  await call(org, 'GET', `${tk}/Own`, 'Tokens/Own');
  await call(org, 'GET', `${tk}/{id}`, `Tokens/${token.id}`);
  await call(person, 'POST', `${tk}/Peer`, 'Tokens/Peer', { reference: token.reference.truncated });
  await call(person, 'GET', `${tk}/Peer`, 'Tokens/Peer');

  // Files and a message with one.
  const fl = `${api}/Files`;
  const form = new FormData();
  form.append('file', new Blob([new TextEncoder().encode('hello file')], { type: 'text/plain' }), 'a.txt');
  form.append('title', 'A file');
  form.append('expiresAt', inDays(2));
  const file = await call(person, 'POST', `${fl}/Own`, 'Files/Own', form);
  await call(person, 'GET', fl, 'Files');
  await call(person, 'GET', `${fl}/Own`, 'Files/Own');
  await call(person, 'POST', `${fl}/{id}/Token`, `Files/${file.id}/Token`, {});
  await call(
    person,
    'PATCH',
    `${fl}/{id}/RegenerateOwnershipToken`,
    `Files/${file.id}/RegenerateOwnershipToken`,
  );
  await call(person, 'GET', `${fl}/{id}/Download`, `Files/${file.id}/Download`);
  await call(org, 'POST', `${fl}/Peer`, 'Files/Peer', { reference: file.reference.truncated });
  await call(org, 'GET', `${fl}/Peer`, 'Files/Peer');
  await call(org, 'GET', `${fl}/{idOrReference}`, `Files/${file.id}`);
  const mail = { '@type': 'Mail', to: [orgAddress], subject: 'Hi', body: 'Hello', bodyFormat: 'PlainText' };
  const sent = await call(person, 'POST', `${api}/Messages`, 'Messages', {
    recipients: [orgAddress],
    content: mail,
    attachments: [file.id],
  });
  await until(
    () => org.api('GET', `Messages/${sent.id}`),
    (answer) => answer.status === 200,
    'the message at the organisation',
  );
  await call(org, 'GET', `${api}/Messages`, `Messages?createdBy=${personAddress}`);
  await call(org, 'GET', `${api}/Messages/{id}`, `Messages/${sent.id}`);
  await call(
    org,
    'GET',
    `${api}/Messages/{messageId}/Attachments/{attachmentId}`,
    `Messages/${sent.id}/Attachments/${file.id}`,
  );
  await call(
    org,
    'GET',
    `${api}/Messages/{messageId}/Attachments/{attachmentId}/Download`,
    `Messages/${sent.id}/Attachments/${file.id}/Download`,
  );

  await runConsumptionScenario({ call, refuse, org, person, orgAddress, personAddress, relationshipId });

  // The lifecycle: termination, reactivation asked, rejected, revoked and accepted, decomposition.
  const step = (who: TestConnector, path: string) =>
    call(who, 'PUT', `${api}/Relationships/{id}/${path}`, `Relationships/${relationshipId}/${path}`);
  await step(org, 'Terminate');
  await statusAt(person, 'Terminated');
  const reactivation = async () => {
    await step(person, 'Reactivate');
    await until(
      () => org.api('GET', `Relationships/${relationshipId}`),
      (answer) => answer.body?.result?.auditLog?.at(-1)?.reason === 'ReactivationRequested',
      'the reactivation request',
    );
  };
  await reactivation();
  await step(org, 'Reactivate/Reject');
  await reactivation();
  await step(person, 'Reactivate/Revoke');
  await reactivation();
  await step(org, 'Reactivate/Accept');
  await statusAt(person, 'Active');
  await step(person, 'Terminate');
  await statusAt(org, 'Terminated');
  await call(org, 'DELETE', `${api}/Relationships/{id}`, `Relationships/${relationshipId}`);
  await statusAt(person, 'DeletionProposed');
  await person.api('DELETE', `Relationships/${relationshipId}`);

  // A request rejected by the templator, another revoked by the requestor.
  const rejected = await newTemplate();
  const rejectedId = await request(rejected.id, rejected.reference.truncated);
  await call(org, 'PUT', `${api}/Relationships/{id}/Reject`, `Relationships/${rejectedId}/Reject`);
  await until(
    () => person.api('GET', `Relationships/${rejectedId}`),
    (answer) => answer.body?.result?.status === 'Rejected',
    'the rejection',
  );
  const revoked = await newTemplate();
  const revokedId = await request(revoked.id, revoked.reference.truncated);
  await call(person, 'PUT', `${api}/Relationships/{id}/Revoke`, `Relationships/${revokedId}/Revoke`);

  // Deletions.
  await call(org, 'DELETE', `${tk}/{id}`, `Tokens/${token.id}`);
  await call(org, 'DELETE', `${rt}/{id}`, `RelationshipTemplates/${template.id}`);
  await call(person, 'DELETE', `${fl}/{id}`, `Files/${file.id}`);
  return checked;
}
