import { z } from 'zod';
import { ConnectorErrorCodes } from '../errors.js';
import type { AnyRoute } from './registry.js';

type Json = Record<string, unknown>;

/** What the document says about the connector beside its routes. */
export interface DocumentInfo {
  readonly title: string;
  readonly version: string;
  readonly apiKeyHeader: string;
  readonly jwtBearer: boolean;
}

const errorContent: Json = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'A unique id of this error instance.' },
        code: { type: 'string', description: 'A stable error code, e.g. error.connector.unauthorized.' },
        message: { type: 'string', description: 'What went wrong, for people (not localized).' },
        docs: { type: 'string', description: 'A link to the documentation of the code.' },
        time: { type: 'string', format: 'date-time' },
      },
      required: ['id', 'code', 'message', 'docs', 'time'],
    },
  },
  required: ['error'],
};

const errorResponses = {
  BadRequest: 'The request is malformed or fails validation.',
  Unauthorized: 'No, invalid, expired or disabled credentials.',
  Forbidden: 'The credentials lack a scope this route requires.',
  NotFound: 'No such record.',
  PayloadTooLarge: 'The request body exceeds the configured limit.',
  UnexpectedError: 'An unexpected error; its id is in the logs.',
} as const;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest as Json;
};

const ref = (name: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${name}` });

function parameters(route: AnyRoute): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...propertySchema } = property;
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: propertySchema,
        ...(typeof description === 'string' ? { description } : {}),
      });
    }
  }
  return out;
}

function operation(route: AnyRoute, security: Json[]): Json {
  const success = toSchema(route.result, 'output');
  const produces = route.produces ?? 'application/json';
  const status = String(route.successStatus ?? 200);
  const responses: Json = {
    [status]: {
      description: 'Success',
      ...(status === '204'
        ? {}
        : {
            content: {
              [produces]: {
                schema:
                  route.envelope === false || produces !== 'application/json'
                    ? success
                    : { type: 'object', properties: { result: success }, required: ['result'] },
              },
              ...Object.fromEntries(
                (route.alsoProduces ?? []).map((type) => [
                  type,
                  { schema: { type: 'string', format: 'binary' } },
                ]),
              ),
            },
          }),
    },
  };
  if (route.body || route.query || route.params) responses['400'] = ref('BadRequest');
  if (!route.public) {
    responses['401'] = ref('Unauthorized');
    responses['403'] = ref('Forbidden');
  }
  if (route.params) responses['404'] = ref('NotFound');
  if (route.body) responses['413'] = ref('PayloadTooLarge');
  responses['500'] = ref('UnexpectedError');
  const params = parameters(route);
  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tags ? { tags: [...route.tags] } : {}),
    security: route.public ? [] : security,
    'x-required-scopes': [...route.scopes],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: !route.body.safeParse(undefined).success,
            content: {
              [route.bodyType === 'multipart' ? 'multipart/form-data' : 'application/json']: {
                schema: toSchema(route.body, 'input'),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

function operationId(route: AnyRoute): string {
  const words = route.path
    .split('/')
    .filter((part) => part !== '' && !/^(api|core|v\d+)$/.test(part))
    .map((part) =>
      part.startsWith('{') ? `By${cap(part.slice(1, -1))}` : cap(part.replace(/[^A-Za-z0-9]/g, '')),
    );
  return `${route.method}${words.join('')}`;
}

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Generates the connector's OpenAPI 3.1 document from its registered routes: parameters, request bodies and
 * results from the routes' zod schemas, the `{result}` envelope, the error responses and the security
 * schemes (API key header; bearer JWT when enabled). Each operation lists its scopes in `x-required-scopes`.
 */
export function buildOpenApiDocument(routes: readonly AnyRoute[], info: DocumentInfo): Json {
  const security: Json[] = [{ ApiKeyAuth: [] }, ...(info.jwtBearer ? [{ BearerAuth: [] }] : [])];
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    if (route.hidden) continue;
    paths[route.path] ??= {};
    (paths[route.path] as Json)[route.method] = operation(route, security);
  }
  const codes = Object.values(ConnectorErrorCodes)
    .map((code) => `- <a id="${code}"></a>\`${code}\``)
    .join('\n');
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description: `Routes, scopes and schemas of this connector.\n\nGeneric error codes:\n\n${codes}`,
    },
    servers: [{ url: '/' }],
    paths,
    security,
    components: {
      securitySchemes: {
        ApiKeyAuth: { type: 'apiKey', in: 'header', name: info.apiKeyHeader },
        ...(info.jwtBearer ? { BearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } : {}),
      },
      schemas: { ErrorContent: errorContent },
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, description]) => [
          name,
          {
            description,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorContent' } } },
          },
        ]),
      ),
    },
  };
}
