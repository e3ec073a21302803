import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { ConnectorError, ConnectorErrorCodes } from '../errors.js';
import { type AnyRoute, toRouterPath } from '../openapi/registry.js';
import type { Authenticator, Principal } from './principal.js';
import { isAllowed } from './scopes.js';

/** Per-request values the connector's middlewares and handlers share. */
export type AppEnv = { Variables: { route: string; principal: Principal } };

/**
 * Mounts one registered route: authenticates (unless public), checks scopes, validates path parameters,
 * query and JSON body against the route's schemas, calls the handler and wraps its value in `{result}`.
 * @throws ConnectorError for missing credentials (401), missing scope (403) or invalid input (400/415).
 */
export function mountRoute(app: Hono<AppEnv>, route: AnyRoute, authenticator: Authenticator): void {
  app.on(route.method.toUpperCase(), toRouterPath(route.path), async (c) => {
    c.set('route', route.path);
    let principal: Principal | undefined;
    if (!route.public) {
      principal = await authenticator.authenticate(c.req.raw.headers);
      if (!isAllowed(principal.scopes, route.scopes)) {
        throw new ConnectorError(
          ConnectorErrorCodes.forbidden,
          `This route requires one of the scopes: ${route.scopes.join(', ')}.`,
        );
      }
      c.set('principal', principal);
    }
    const params = route.params ? validate(route.params, c.req.param(), 'path') : undefined;
    const query = route.query ? validate(route.query, c.req.query(), 'query') : undefined;
    const body = route.body
      ? validate(route.body, route.bodyType === 'multipart' ? await readForm(c) : await readJson(c), 'body')
      : undefined;
    const value = await route.handler({ body, query, params, principal, context: c });
    if (value instanceof Response) return value;
    const status = route.successStatus ?? 200;
    if (status === 204) return c.body(null, 204);
    return c.json(route.envelope === false ? value : { result: value }, status);
  });
}

/** Whether a request comes without a body: no content type, and no or an empty body. */
function hasNoBody(c: Context): boolean {
  return (
    c.req.header('content-type') === undefined &&
    c.req.header('transfer-encoding') === undefined &&
    (c.req.header('content-length') ?? '0') === '0'
  );
}

async function readJson(c: Context): Promise<unknown> {
  if (hasNoBody(c)) return undefined;
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new ConnectorError(
      ConnectorErrorCodes.unsupportedMediaType,
      'The request body must be application/json.',
    );
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ConnectorError(ConnectorErrorCodes.invalidJson, 'The request body is not valid JSON.');
  }
}

async function readForm(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new ConnectorError(
      ConnectorErrorCodes.unsupportedMediaType,
      'The request body must be multipart/form-data.',
    );
  }
  try {
    // Repeated fields (`tags`) arrive as lists; single ones as their value.
    return await c.req.parseBody({ all: true });
  } catch (error) {
    if (ConnectorError.isConnectorError(error)) throw error;
    throw new ConnectorError(ConnectorErrorCodes.invalidPropertyValue, 'The multipart body is malformed.', {
      cause: error,
    });
  }
}

function validate(schema: z.ZodType, input: unknown, where: string): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 20)
    .map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`);
  throw new ConnectorError(ConnectorErrorCodes.invalidPropertyValue, `Invalid request: ${issues.join('; ')}`);
}
