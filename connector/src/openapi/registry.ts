import type { Context } from 'hono';
import type { z } from 'zod';
import type { Principal } from '../http/principal.js';

/** The HTTP methods a route may declare. */
export const HttpMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** One of the HTTP methods a route may declare. */
export type HttpMethod = (typeof HttpMethods)[number];

type Schema = z.ZodType | undefined;
type Out<T extends Schema> = T extends z.ZodType ? z.output<T> : undefined;

/** What a handler receives: the validated body, query and path parameters, and who called. */
export interface RouteInput<B extends Schema, Q extends Schema, P extends Schema> {
  readonly body: Out<B>;
  readonly query: Out<Q>;
  readonly params: Out<P>;
  /** Undefined only on public routes. */
  readonly principal: Principal | undefined;
  readonly context: Context;
}

/**
 * A route as the connector declares it: method, OpenAPI path (`/api/core/v1/Messages/{id}`), summary, the
 * scopes that allow it (any of them; none means any authenticated caller), zod schemas for the request and
 * the result, and the handler. From these the app validates requests and the OpenAPI document is generated.
 */
export interface RouteDefinition<
  B extends Schema = undefined,
  Q extends Schema = undefined,
  P extends Schema = undefined,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly scopes: readonly string[];
  /** Only `/health` (and the docs, when configured) may be public; the app refuses others. */
  readonly public?: boolean;
  readonly body?: B;
  /**
   * How the body arrives: JSON (default) or `multipart/form-data`, whose fields (text, or `File` for file
   * parts) are validated by `body`. A body schema that accepts `undefined` makes the body optional.
   */
  readonly bodyType?: 'json' | 'multipart';
  readonly query?: Q;
  readonly params?: P;
  /** Schema of the success payload: the `result` of the envelope, or the whole body when `envelope: false`. */
  readonly result: R;
  /** Wrap the handler's value in `{result}` (default); monitoring routes answer bare objects as in Enmeshed. */
  readonly envelope?: boolean;
  readonly successStatus?: 200 | 201 | 202 | 204;
  /** Media type of the success body; handlers of non-JSON routes return a Response. */
  readonly produces?: string;
  /** Further media types the route answers with for a matching `Accept` header (e.g. `image/png`). */
  readonly alsoProduces?: readonly string[];
  /** Leave the route out of the OpenAPI document. */
  readonly hidden?: boolean;
  readonly handler: (input: RouteInput<B, Q, P>) => Promise<z.input<R> | Response> | z.input<R> | Response;
}

/** A route of any shape, as stored in the registry. */
export type AnyRoute = RouteDefinition<Schema, Schema, Schema, z.ZodType>;

/**
 * The list of the connector's routes. Features register their routes here before the app is built; the app
 * mounts them and the OpenAPI document lists them.
 */
export class RouteRegistry {
  readonly #routes: AnyRoute[] = [];

  /**
   * Adds a route.
   * @throws Error when the same method and path are already registered or the path is not absolute.
   */
  add<
    B extends Schema = undefined,
    Q extends Schema = undefined,
    P extends Schema = undefined,
    R extends z.ZodType = z.ZodType,
  >(route: RouteDefinition<B, Q, P, R>): this {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with /: ${route.path}`);
    const key = routeKey(route.method, route.path);
    if (this.#routes.some((r) => routeKey(r.method, r.path) === key)) {
      throw new Error(`route registered twice: ${route.method.toUpperCase()} ${route.path}`);
    }
    this.#routes.push(route as unknown as AnyRoute);
    return this;
  }

  /** The routes in registration order. */
  list(): readonly AnyRoute[] {
    return [...this.#routes];
  }
}

const routeKey = (method: string, path: string) => `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`;

/** Converts an OpenAPI path (`/Messages/{id}`) to the router's syntax (`/Messages/:id`). */
export function toRouterPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/** A matcher that tells whether a concrete request path fits an OpenAPI path template. */
export function pathMatcher(path: string): (candidate: string) => boolean {
  const escaped = path
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  const regex = new RegExp(`^${escaped}/?$`);
  return (candidate) => regex.test(candidate);
}
