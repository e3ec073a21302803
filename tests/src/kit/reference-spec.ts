import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Where the Enmeshed Connector API's reference specification (OpenAPI 3.1) lies: `ENMESH_REFERENCE_SPEC`, or
 * `../shared/reference/connector-openapi.yml` beside the repository (the repository's root is the working
 * directory of the tests), or the same under `/work/shared`. It is read, never copied into the project;
 * undefined when none of these exists.
 */
export function findReferenceSpec(): string | undefined {
  const candidates = [
    process.env.ENMESH_REFERENCE_SPEC,
    resolve(process.cwd(), '../shared/reference/connector-openapi.yml'),
    '/work/shared/reference/connector-openapi.yml',
  ];
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}

/** One operation of a specification: its path template and lower-case method. */
export interface SpecOperation {
  readonly path: string;
  readonly method: string;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Spec = { paths?: Record<string, Record<string, unknown>>; components?: unknown };

/** Every path + method of an OpenAPI document, with `{param}` names replaced by `{}` for comparison. */
export function operationsOf(spec: Spec): SpecOperation[] {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => methods.includes(key))
      .map((method) => ({ path, method })),
  );
}

/** A path template in the form both specifications are compared in (parameter names do not matter). */
export function normalisePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z]+/g, '{}');
}

/**
 * Rewrites OpenAPI 3.0's `nullable` (still used in parts of the reference) into JSON Schema: a nullable type
 * becomes `[type, "null"]`, a nullable `$ref` or composition `anyOf [it, null]`; `nullable: false` goes.
 */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  if (nullable !== true) return converted;
  if (typeof converted.type === 'string') return { ...converted, type: [converted.type, 'null'] };
  return { anyOf: [converted, { type: 'null' }] };
}

/** JSON pointer escaping of one token. */
function pointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The reference specification with a validator for its response bodies. */
export class ReferenceSpec {
  readonly spec: Spec;
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();

  private constructor(spec: Spec) {
    this.spec = spec;
    // OpenAPI adds keywords JSON Schema does not know (example, discriminator details): not strict.
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.#ajv);
    this.#ajv.addSchema({ ...(withoutNullable(spec) as object), $id: 'reference' });
  }

  /** Reads the reference specification. */
  static load(path = findReferenceSpec()): ReferenceSpec {
    if (path === undefined || !existsSync(path)) {
      throw new Error('the reference Connector API was not found; set ENMESH_REFERENCE_SPEC to its path');
    }
    return new ReferenceSpec(parse(readFileSync(path, 'utf8')) as Spec);
  }

  /** Every operation of the reference. */
  operations(): SpecOperation[] {
    return operationsOf(this.spec);
  }

  /**
   * Validates a JSON response body against the reference's schema for that operation and status; returns
   * the faults (empty when it conforms), or undefined when the reference documents no JSON body there.
   */
  validate(operation: SpecOperation, status: number, body: unknown): string[] | undefined {
    const responses = (this.spec.paths?.[operation.path]?.[operation.method] as { responses?: object })
      ?.responses as Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
    let response = responses?.[String(status)];
    if (response?.$ref) {
      const name = response.$ref.replace('#/components/responses/', '');
      response = (this.spec.components as { responses: Record<string, typeof response> }).responses[name];
    }
    if (!response?.content?.['application/json']?.schema) return undefined;
    const key = `${operation.path} ${operation.method} ${status}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      const ref = responses?.[String(status)]?.$ref;
      const at = ref
        ? `reference#/components/responses/${pointer(ref.replace('#/components/responses/', ''))}/content/application~1json/schema`
        : `reference#/paths/${pointer(operation.path)}/${operation.method}/responses/${status}/content/application~1json/schema`;
      validate = this.#ajv.compile({ $ref: at });
      this.#validators.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
  }
}
