import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import {
  type ApiAnswer,
  adminKey,
  messagesKey,
  removeTestConnector,
  startTestConnector,
  type TestConnector,
  until,
} from './connector-kit.js';

type Operation = {
  'x-required-scopes': string[];
  requestBody?: { required: boolean; content: Record<string, unknown> };
  parameters?: { name: string; in: string; required?: boolean }[];
};

const admin = { 'X-API-KEY': adminKey };
const json = { ...admin, 'content-type': 'application/json' };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const invalid = 'error.connector.validation.invalidPropertyValue';
const notFound = 'error.connector.recordNotFound';

/** Checks an error answer: the status, the envelope with its five fields, and the code. */
function expectError(answer: ApiAnswer, status: number, code?: string | RegExp) {
  const where = { status: answer.status, body: answer.body };
  expect(where, JSON.stringify(where)).toMatchObject({ status });
  expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'docs', 'id', 'message', 'time']);
  if (code instanceof RegExp) expect(answer.body.error.code).toMatch(code);
  else if (code) expect(answer.body.error.code).toBe(code);
  else expect(answer.body.error.code).toMatch(/^error\./);
}

const consumptionPath =
  /^\/api\/core\/v1\/(Attributes|Requests|IdentityMetadata|Announcements|BackboneNotifications)|\/Relationships\/\{id\}\/Attributes$/;

/**
 * Bad input on every consumption route of a connector: no or wrong credentials, a missing scope, malformed
 * JSON, wrong types, malformed and unknown ids, unknown filters; and what the consumption layer refuses
 * (invalid attributes and successions, decisions that do not fit the request, a request to oneself). Each
 * answers the documented 4xx with the error envelope and a stable code, never a 500.
 */
describe('bad input to the connector’s consumption routes', () => {
  let stack: TestStack;
  let org: TestConnector;
  let person: TestConnector;
  let orgAddress: string;
  let personAddress: string;
  let routes: { method: string; path: string; operation: Operation }[] = [];

  /** Fills a path template with well-formed ids (and an address) that name nothing. */
  const unknownIds = (path: string) =>
    path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (name === 'peer') return personAddress;
      if (path.includes('/Requests/')) return `REQ${'x'.repeat(20)}`;
      if (path.includes('/Relationships/')) return `REL${'x'.repeat(20)}`;
      return `ATT${'x'.repeat(20)}`;
    });
  /** Required query parameters, well-formed. */
  const requiredQuery = (path: string, operation: Operation) => {
    const names = (operation.parameters ?? [])
      .filter((p) => p.in === 'query' && p.required)
      .map((p) => p.name);
    const values: Record<string, string> = { peer: personAddress, reference: personAddress, language: 'en' };
    const query = names.map((name) => `${name}=${encodeURIComponent(values[name] ?? 'x')}`).join('&');
    return query ? `${path}?${query}` : path;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    [org, person] = await Promise.all([startTestConnector(stack), startTestConnector(stack)]);
    orgAddress = (await org.api('GET', 'Account/IdentityInfo')).body.result.address;
    personAddress = (await person.api('GET', 'Account/IdentityInfo')).body.result.address;
    const document = (await org.api('GET', '/docs/json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    routes = Object.entries(document.paths)
      .filter(([path]) => consumptionPath.test(path))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          operation,
        })),
      );
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await Promise.all([removeTestConnector(org), removeTestConnector(person)]);
    await stack?.destroy();
  });

  it('serves the consumption routes', () => {
    expect(routes.length).toBe(35);
  });

  it('refuses missing and wrong credentials (401) and a missing scope (403) on every route', async () => {
    for (const { method, path, operation } of routes) {
      const concrete = requiredQuery(unknownIds(path), operation);
      expectError(await org.api(method, concrete, undefined, {}), 401, 'error.connector.unauthorized');
      expectError(
        await org.api(method, concrete, undefined, { 'X-API-KEY': 'Wrong-Key-0123456789-ABcdEFghIJ!!' }),
        401,
        'error.connector.unauthorized',
      );
      expect(operation['x-required-scopes']).not.toContain('core:messages');
      expectError(
        await org.api(method, concrete, undefined, { 'X-API-KEY': messagesKey }),
        403,
        'error.connector.forbidden',
      );
    }
  });

  it('refuses malformed JSON, wrong types and wrong media types on every route with a body', async () => {
    const withBody = routes.filter((route) => route.operation.requestBody);
    expect(withBody.length).toBe(17);
    for (const { method, path } of withBody) {
      const concrete = unknownIds(path);
      expectError(
        await org.api(method, concrete, '{"a": [', json),
        400,
        'error.connector.validation.invalidJsonInPayload',
      );
      expectError(await org.api(method, concrete, '[1, 2]', json), 400, invalid);
      expectError(
        await org.api(method, concrete, '{"unknownField": true, "content": 5}', json),
        400,
        invalid,
      );
      expectError(
        await org.api(method, concrete, 'a=b', { ...admin, 'content-type': 'text/plain' }),
        415,
        'error.connector.http.unsupportedMediaType',
      );
    }
  });

  it('refuses malformed ids and addresses (400) and answers 404 for well-formed unknown ones', async () => {
    const bodies: Record<string, unknown> = {
      Succeed: { successorContent: { value: { '@type': 'DisplayName', value: 'New' } } },
      NotifyPeer: { peer: personAddress },
      Accept: { items: [{ accept: true }] },
      Reject: { items: [{ accept: false }] },
      CanAccept: { items: [{ accept: true }] },
      CanReject: { items: [{ accept: false }] },
    };
    const withIds = routes.filter((route) => route.path.includes('{'));
    expect(withIds.length).toBe(16);
    for (const { method, path, operation } of withIds) {
      const body = bodies[path.split('/').at(-1) ?? ''];
      const headers = body ? json : admin;
      expectError(
        await org.api(method, requiredQuery(path.replace(/\{[^}]+\}/g, 'bad'), operation), body, headers),
        400,
        invalid,
      );
      if (path.includes('{peer}')) continue;
      expectError(
        await org.api(method, requiredQuery(unknownIds(path), operation), body, headers),
        404,
        notFound,
      );
    }
    expectError(await org.api('GET', `Attributes/ATT${'x'.repeat(20)}/Versions/Shared`), 400, invalid);
  });

  it('refuses unknown and malformed query filters on every list route', async () => {
    const lists = routes.filter(
      (route) =>
        route.method === 'GET' && route.operation.parameters?.some((p) => p.in === 'query' && !p.required),
    );
    expect(lists.map((route) => route.path).sort()).toEqual([
      '/api/core/v1/Attributes',
      '/api/core/v1/Attributes/Own/Identity',
      '/api/core/v1/Attributes/Own/Shared/{peer}',
      '/api/core/v1/Attributes/Peer/{peer}',
      '/api/core/v1/Attributes/{id}/Versions/Shared',
      '/api/core/v1/IdentityMetadata',
      '/api/core/v1/Requests/Incoming',
      '/api/core/v1/Requests/Outgoing',
    ]);
    for (const { path, operation } of lists) {
      const concrete = requiredQuery(unknownIds(path), operation);
      const join = concrete.includes('?') ? '&' : '?';
      expectError(await org.api('GET', `${concrete}${join}nope=1`), 400, invalid);
      if (path.includes('IdentityMetadata') || path.includes('Versions')) continue;
      expectError(await org.api('GET', `${concrete}${join}createdAt=~(`), 400, invalid);
    }
    expectError(await org.api('GET', `Attributes/Own/Identity?onlyLatestVersions=maybe`), 400, invalid);
    expectError(await org.api('GET', `Attributes?content.isTechnical=perhaps`), 400, invalid);
    expectError(await org.api('GET', `Requests/Incoming?wasAutomaticallyDecided=maybe`), 400, invalid);
    expect((await org.api('GET', 'Attributes?content.isTechnical=!true&createdAt=>=2000')).status).toBe(200);
  });

  it('maps what the consumption layer refuses to 4xx with its codes', async () => {
    const displayName = (
      await org.api('POST', 'Attributes', {
        content: { value: { '@type': 'DisplayName', value: 'Example Org' } },
      })
    ).body.result;
    const cases: [string, string, unknown, number, string | RegExp][] = [
      ['POST', 'Attributes', { content: { value: { '@type': 'GivenName', value: 5 } } }, 400, invalid],
      ['POST', 'Attributes', { content: { value: { '@type': 'Nonsense', value: 'x' } } }, 400, invalid],
      [
        'POST',
        'Attributes',
        { content: { value: { '@type': 'DisplayName', value: 'Example Org' } } },
        400,
        'error.consumption.recordAlreadyExists',
      ],
      [
        'POST',
        `Attributes/${displayName.id}/Succeed`,
        { successorContent: { value: { '@type': 'DisplayName', value: 'Example Org' } } },
        400,
        'error.consumption.attributes.successionMustChangeContent',
      ],
      [
        'POST',
        `Attributes/${displayName.id}/Succeed`,
        { successorContent: { value: { '@type': 'GivenName', value: 'Org' } } },
        400,
        /^error\.consumption\.attributes\.successionMustNotChange/,
      ],
      [
        'POST',
        `Attributes/${displayName.id}/NotifyPeer`,
        { peer: personAddress },
        400,
        'error.consumption.attributes.notForwardedToPeer',
      ],
      [
        'POST',
        'Attributes/ExecuteIdentityAttributeQuery',
        { query: { valueType: 'Nonsense' } },
        400,
        invalid,
      ],
      ['POST', 'Attributes/ExecuteIQLQuery', { query: { queryString: 'DisplayName &&' } }, 400, invalid],
      [
        'POST',
        'Attributes/ExecuteRelationshipAttributeQuery',
        {
          query: {
            key: 'nothing',
            owner: personAddress,
            attributeCreationHints: { title: 'T', valueType: 'ProprietaryString', confidentiality: 'public' },
          },
        },
        404,
        notFound,
      ],
      ['POST', 'Attributes/ValidateIQLQuery', { query: {} }, 400, invalid],
      [
        'POST',
        'Requests/Outgoing',
        {
          content: { items: [{ '@type': 'ReadAttributeRequestItem', mustBeAccepted: true }] },
          peer: personAddress,
        },
        400,
        invalid,
      ],
      ['POST', 'Requests/Outgoing', { content: { items: [] }, peer: personAddress }, 400, invalid],
      [
        'POST',
        'Requests/Outgoing',
        {
          content: {
            items: [
              {
                '@type': 'ReadAttributeRequestItem',
                mustBeAccepted: true,
                query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
              },
            ],
          },
          peer: orgAddress,
        },
        400,
        'error.consumption.requests.cannotShareRequestWithYourself',
      ],
      ['PUT', 'IdentityMetadata', { reference: personAddress }, 400, invalid],
      ['PUT', 'IdentityMetadata', { reference: 'nobody', value: {} }, 400, invalid],
      ['POST', 'BackboneNotifications', { recipients: [], code: 'X' }, 400, invalid],
      [
        'POST',
        'BackboneNotifications',
        { recipients: [personAddress], code: 'ACCOUNT_READY' },
        400,
        'error.connector.backboneNotifications.notSupported',
      ],
    ];
    for (const [method, path, body, status, code] of cases) {
      expectError(await org.api(method, path, body), status, code);
    }
    expectError(await org.api('GET', `IdentityMetadata?reference=${personAddress}`), 404, notFound);
    expectError(
      await org.api('DELETE', `IdentityMetadata?reference=${personAddress}&key=none`),
      404,
      notFound,
    );
    expectError(await org.api('GET', 'IdentityMetadata'), 400, invalid);
    expectError(await org.api('GET', 'Announcements'), 400, invalid);
    expectError(await org.api('GET', 'Announcements?language=english'), 400, invalid);
    expect(
      (await org.api('POST', 'Attributes/ValidateIQLQuery', { query: { queryString: '&&' } })).body.result,
    ).toMatchObject({ isValid: false, error: { message: expect.any(String) } });
  });

  it('refuses decisions that do not fit an incoming request, and changes nothing', async () => {
    const request = {
      '@type': 'Request',
      items: [
        {
          '@type': 'ReadAttributeRequestItem',
          mustBeAccepted: true,
          query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
        },
        { '@type': 'ConsentRequestItem', mustBeAccepted: false, consent: 'Send me the newsletter' },
      ],
    };
    const template = (
      await org.api('POST', 'RelationshipTemplates/Own', {
        content: { '@type': 'RelationshipTemplateContent', onNewRelationship: request },
        expiresAt: inDays(1),
      })
    ).body.result;
    await person.api('POST', 'RelationshipTemplates/Peer', { reference: template.reference.truncated });
    const waiting = (
      await until(
        () => person.api('GET', `Requests/Incoming?source.reference=${template.id}`),
        (answer) => answer.body?.result?.[0]?.status === 'ManualDecisionRequired',
        'the template request at the person',
      )
    ).body.result[0];
    const email = {
      '@type': 'IdentityAttribute',
      owner: personAddress,
      value: { '@type': 'EMailAddress', value: 'ada@example.org' },
    };
    const givenName = { ...email, value: { '@type': 'GivenName', value: 'Ada' } };
    const accept = `Requests/Incoming/${waiting.id}/Accept`;
    const cases: [unknown, number, string | RegExp][] = [
      [
        { items: [{ accept: true }] },
        400,
        'error.consumption.requests.decide.validation.invalidNumberOfItems',
      ],
      [
        { items: [{ accept: false }, { accept: true }] },
        400,
        'error.consumption.requests.decide.validation.mustBeAcceptedItemNotAccepted',
      ],
      [
        { items: [{ accept: true, newAttribute: email }, { accept: true }] },
        400,
        /^error\.consumption\.requests\./,
      ],
      [{ items: [{ accept: 'yes' }, { accept: true }] }, 400, invalid],
      [
        { items: [{ accept: true, existingAttributeId: `ATT${'x'.repeat(20)}` }, { accept: true }] },
        400,
        'error.consumption.requests.invalidAcceptParameters',
      ],
      [{ items: [] }, 400, invalid],
      [{}, 400, invalid],
    ];
    for (const [body, status, code] of cases)
      expectError(await person.api('PUT', accept, body), status, code);
    const check = await person.api('PUT', `Requests/Incoming/${waiting.id}/CanAccept`, {
      items: [{ accept: true, newAttribute: email }, { accept: true }],
    });
    expect(check.status).toBe(200);
    expect(check.body.result).toMatchObject({ isSuccess: false });
    expectError(
      await person.api('PUT', `Requests/Incoming/${waiting.id}/Reject`, {
        items: [{ accept: true }, { accept: true }],
      }),
      400,
      /^error\.consumption\.requests\./,
    );
    expect((await person.api('GET', `Requests/Incoming/${waiting.id}`)).body.result.status).toBe(
      'ManualDecisionRequired',
    );

    // Decided once; deciding again is refused.
    const decided = await person.api('PUT', accept, {
      items: [{ accept: true, newAttribute: givenName }, { accept: false }],
    });
    expect(decided.status).toBe(200);
    expectError(
      await person.api('PUT', accept, {
        items: [{ accept: true, newAttribute: givenName }, { accept: false }],
      }),
      400,
      'error.consumption.requests.wrongStatus',
    );
    expectError(
      await org.api('PUT', `Requests/Incoming/${waiting.id}/Accept`, { items: [{ accept: true }] }),
      404,
      notFound,
    );
  });
});
