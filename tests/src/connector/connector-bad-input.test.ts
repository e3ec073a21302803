import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import {
  type ApiAnswer,
  adminKey,
  messagesKey,
  monitoringKey,
  removeTestConnector,
  startTestConnector,
  type TestConnector,
} from './connector-kit.js';

type Operation = {
  'x-required-scopes': string[];
  requestBody?: { required: boolean; content: Record<string, unknown> };
  parameters?: { name: string; in: string }[];
};

const admin = { 'X-API-KEY': adminKey };
const json = { ...admin, 'content-type': 'application/json' };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** The id prefix a path parameter takes, from the resource it names. */
function prefixOf(path: string, parameter: string): string {
  if (parameter === 'messageId') return 'MSG';
  if (parameter === 'attachmentId' || parameter === 'idOrReference') return 'FIL';
  const resource = path.split('/')[4];
  return { Relationships: 'REL', RelationshipTemplates: 'RLT', Tokens: 'TOK', Messages: 'MSG', Files: 'FIL' }[
    resource ?? ''
  ] as string;
}

/** Fills a path template with well-formed ids that name nothing. */
const unknownIds = (path: string) =>
  path.replace(/\{([^}]+)\}/g, (_, name: string) => `${prefixOf(path, name)}${'x'.repeat(20)}`);

/** Checks an error answer: the status, the envelope with its five fields, and a stable code. */
function expectError(answer: ApiAnswer, status: number, code?: string | RegExp) {
  const where = { status: answer.status, body: answer.body };
  expect(where, JSON.stringify(where)).toMatchObject({ status });
  if (process.env.DEBUG_BAD_INPUT) console.log(answer.body.error.code, answer.body.error.message);
  expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'docs', 'id', 'message', 'time']);
  if (code instanceof RegExp) expect(answer.body.error.code).toMatch(code);
  else if (code) expect(answer.body.error.code).toBe(code);
  else expect(answer.body.error.code).toMatch(/^error\./);
}

/**
 * Bad input on every domain route of a connector: no or wrong credentials, a missing scope, malformed JSON,
 * wrong types, malformed and unknown ids, an oversized body, unknown filters; and calls the backbone refuses.
 * Each answers the documented 4xx with the error envelope and a stable code, never a 500.
 */
describe('bad input to the connector', () => {
  let stack: TestStack;
  let org: TestConnector;
  let routes: { method: string; path: string; operation: Operation }[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    org = await startTestConnector(stack);
    const document = (await org.api('GET', '/docs/json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    routes = Object.entries(document.paths)
      .filter(
        ([path]) =>
          /^\/api\/core\/v1\/(Account|Challenges|Relationship|Token|Message|File)/.test(path) &&
          !path.endsWith('/Attributes'),
      )
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          operation,
        })),
      );
  });

  afterAll(async () => {
    await org?.close();
    await removeTestConnector(org);
    await stack?.destroy();
  });

  it('serves the transport routes', () => {
    expect(routes.length).toBe(47);
  });

  it('refuses missing and wrong credentials (401) and a missing scope (403) on every route', async () => {
    for (const { method, path, operation } of routes) {
      const concrete = unknownIds(path);
      expectError(await org.api(method, concrete, undefined, {}), 401, 'error.connector.unauthorized');
      expectError(
        await org.api(method, concrete, undefined, { 'X-API-KEY': 'Wrong-Key-0123456789-ABcdEFghIJ!!' }),
        401,
        'error.connector.unauthorized',
      );
      const other = operation['x-required-scopes'].includes('core:messages') ? monitoringKey : messagesKey;
      expectError(
        await org.api(method, concrete, undefined, { 'X-API-KEY': other }),
        403,
        'error.connector.forbidden',
      );
    }
  });

  it('refuses malformed JSON, wrong types, wrong media types and oversized bodies on every route with a body', async () => {
    for (const { method, path, operation } of routes) {
      const concrete = unknownIds(path);
      if (method === 'GET') continue;
      // In process: over a socket the server answers 413 and closes before the client has sent it all.
      const oversized = await org.connector.app!.request(concrete, {
        method,
        headers: json,
        body: 'x'.repeat(1024 * 1024 + 10),
      });
      expect(oversized.status).toBe(413);
      expect(((await oversized.json()) as { error: { code: string } }).error.code).toBe(
        'error.connector.http.payloadTooLarge',
      );
      const content = operation.requestBody?.content ?? {};
      if ('application/json' in content) {
        expectError(
          await org.api(method, concrete, '{"a": [', json),
          400,
          'error.connector.validation.invalidJsonInPayload',
        );
        expectError(
          await org.api(method, concrete, '[1, 2]', json),
          400,
          'error.connector.validation.invalidPropertyValue',
        );
        expectError(
          await org.api(method, concrete, '{"unknownField": true, "expiresAt": 5}', json),
          400,
          'error.connector.validation.invalidPropertyValue',
        );
        expectError(
          await org.api(method, concrete, 'a=b', { ...admin, 'content-type': 'text/plain' }),
          415,
          'error.connector.http.unsupportedMediaType',
        );
      }
      if ('multipart/form-data' in content) {
        expectError(
          await org.api(method, concrete, '{}', json),
          415,
          'error.connector.http.unsupportedMediaType',
        );
        const form = new FormData();
        form.append('file', 'not a file');
        form.append('expiresAt', 'tomorrow');
        expectError(
          await org.api(method, concrete, form, admin),
          400,
          'error.connector.validation.invalidPropertyValue',
        );
        const truncated = await fetch(`${org.base}${concrete}`, {
          method,
          headers: { ...admin, 'content-type': 'multipart/form-data; boundary=xyz' },
          body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
        });
        expect(truncated.status).toBe(400);
      }
    }
  });

  it('refuses malformed ids (400) and answers 404 for well-formed unknown ones', async () => {
    const withIds = routes.filter((route) => route.path.includes('{'));
    expect(withIds.length).toBeGreaterThan(20);
    for (const { method, path, operation } of withIds) {
      const body = operation.requestBody?.required === false ? {} : undefined;
      if (operation.requestBody?.required) continue;
      expectError(
        await org.api(method, path.replace(/\{[^}]+\}/g, 'bad'), body, body ? json : admin),
        400,
        'error.connector.validation.invalidPropertyValue',
      );
      expectError(
        await org.api(method, unknownIds(path), body, body ? json : admin),
        404,
        'error.connector.recordNotFound',
      );
    }
  });

  it('refuses unknown and malformed query filters on every list route', async () => {
    const lists = routes.filter(
      (route) => route.method === 'GET' && route.operation.parameters?.some((p) => p.in === 'query'),
    );
    expect(lists.length).toBe(10);
    for (const { path } of lists) {
      expectError(
        await org.api('GET', `${path}?nope=1`),
        400,
        'error.connector.validation.invalidPropertyValue',
      );
      expectError(
        await org.api('GET', `${path}?createdAt=~(`),
        400,
        'error.connector.validation.invalidPropertyValue',
      );
    }
    expectError(
      await org.api('GET', 'Files?filesize=>abc'),
      400,
      'error.connector.validation.invalidPropertyValue',
    );
    expectError(
      await org.api('GET', 'Files?isOwn=maybe'),
      400,
      'error.connector.validation.invalidPropertyValue',
    );
    expect((await org.api('GET', 'Files?isOwn=!true&filesize=>=0')).status).toBe(200);
  });

  it('maps what the runtime and the backbone refuse to 4xx with their codes', async () => {
    // The connector's own address: no relationship to it, as to any stranger.
    const stranger = (await org.api('GET', 'Account/IdentityInfo')).body.result.address as string;
    const cases: [string, string, unknown, number, string | RegExp][] = [
      ['POST', 'RelationshipTemplates/Peer', { reference: 'not-a-reference-at-all' }, 400, /^error\./],
      ['POST', 'Tokens/Peer', { reference: 'VE9Lxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }, 400, /^error\./],
      ['POST', 'Files/Peer', { reference: 'RklMxxxxxxxxxxxxxxxxxxxxxxxxxx' }, 400, /^error\./],
      [
        'POST',
        'Relationships',
        {
          templateId: `RLT${'x'.repeat(20)}`,
          creationContent: { '@type': 'ArbitraryRelationshipCreationContent', value: {} },
        },
        404,
        'error.connector.recordNotFound',
      ],
      [
        'POST',
        'Relationships',
        { templateId: `RLT${'x'.repeat(20)}`, creationContent: { '@type': 'Nonsense' } },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
      [
        'POST',
        'Messages',
        { recipients: [stranger], content: { '@type': 'Mail', to: [stranger], subject: 's', body: 'b' } },
        400,
        /^error\.(transport|messages)\./,
      ],
      [
        'POST',
        'Messages',
        { recipients: ['nobody'], content: {} },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
      [
        'POST',
        'RelationshipTemplates/Own',
        {
          content: { '@type': 'ArbitraryRelationshipTemplateContent', value: {} },
          expiresAt: '2001-01-01T00:00:00Z',
        },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
      [
        'POST',
        'RelationshipTemplates/Own',
        { content: { '@type': 'Mail' }, expiresAt: inDays(1) },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
      [
        'POST',
        'Tokens/Own',
        {
          content: { a: 1 },
          expiresAt: inDays(1),
          passwordProtection: { password: 'abc', passwordIsPin: true },
        },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
      [
        'POST',
        'Challenges',
        { challengeType: 'Relationship', relationship: `REL${'x'.repeat(20)}` },
        400,
        'error.connector.challenges.typeNotSupported',
      ],
      [
        'POST',
        'Challenges',
        { challengeType: 'Other' },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
      [
        'POST',
        'Challenges/Validate',
        { challengeString: '{', signature: 'x' },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
      [
        'PUT',
        'Relationships/CanCreate',
        { templateId: 'RLTshort' },
        400,
        'error.connector.validation.invalidPropertyValue',
      ],
    ];
    for (const [method, path, body, status, code] of cases) {
      expectError(await org.api(method, path, body), status, code);
    }
    // An own token created, then loaded with a wrong password: refused by the backbone, not a 500.
    const token = (
      await org.api('POST', 'Tokens/Own', {
        content: { a: 1 },
        expiresAt: inDays(1),
        passwordProtection: { password: 'secret' },
      })
    ).body.result;
    expectError(
      await org.api('POST', 'Tokens/Peer', { reference: token.reference.truncated, password: 'wrong' }),
      400,
      /^error\.(tokens|crypto)\./,
    );
    // A challenge validated with someone else's signature is not valid (and not an error).
    const signed = (await org.api('POST', 'Challenges', { challengeType: 'Identity' })).body.result;
    const other = (await org.api('POST', 'Challenges', { challengeType: 'Device' })).body.result;
    const answer = await org.api('POST', 'Challenges/Validate', {
      challengeString: signed.challengeString,
      signature: other.signature,
    });
    expect(answer.body).toEqual({ result: { isValid: false } });
  });
});
