import { ContentError, type ContentOf, type ContentType, jsonPath, parseContent } from '@enmesh/content';
import type { z } from 'zod';

/** The stable error codes of the runtime. A code never changes meaning once released. */
export const RuntimeErrorCodes = {
  validation: 'error.runtime.validation',
  notFound: 'error.runtime.notFound',
  notStarted: 'error.runtime.notStarted',
  closed: 'error.runtime.closed',
  wrongState: 'error.runtime.wrongState',
  notOwn: 'error.runtime.notOwn',
  unsupportedReference: 'error.runtime.unsupportedReference',
  storage: 'error.runtime.storage',
  configuration: 'error.runtime.configuration',
} as const;

/** One of the runtime's error codes. */
export type RuntimeErrorCode = (typeof RuntimeErrorCodes)[keyof typeof RuntimeErrorCodes];

/** One thing wrong with an input: where (a JSON path such as `$.recipients[0]`) and what. */
export interface RuntimeFault {
  readonly path: string;
  readonly message: string;
}

/**
 * The runtime's one error type: a stable `code`, a `message` for people, the `faults` of an invalid input
 * (each with its JSON path), and the chained `cause`. Errors of the backbone (`ProtocolError`) and of the
 * transport (`TransportError`) pass through the runtime unchanged, with their own codes.
 */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  readonly faults: readonly RuntimeFault[];

  /** Creates an error with a stable code. */
  constructor(
    code: RuntimeErrorCode,
    message: string,
    options: { faults?: readonly RuntimeFault[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntimeError';
    this.code = code;
    this.faults = options.faults ?? [];
  }

  /** Tells whether this error carries the given code. */
  is(code: RuntimeErrorCode): boolean {
    return this.code === code;
  }

  /** Tells whether any value is a RuntimeError, optionally with the given code. */
  static isRuntimeError(value: unknown, code?: RuntimeErrorCode): value is RuntimeError {
    return value instanceof RuntimeError && (code === undefined || value.code === code);
  }
}

/** Turns the issues of a failed parse into faults, one per offending field (its first issue). */
export function faultsOfIssues(issues: readonly z.core.$ZodIssue[]): RuntimeFault[] {
  const faults = new Map<string, RuntimeFault>();
  const add = (path: string, message: string) => {
    if (!faults.has(path)) faults.set(path, { path, message });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(jsonPath([...issue.path, key]), 'unknown field');
    } else {
      add(jsonPath(issue.path), issue.message);
    }
  }
  return [...faults.values()];
}

/** Builds the validation error for a list of faults; the message names the first. */
export function validationError(faults: readonly RuntimeFault[], what = 'input'): RuntimeError {
  const first = faults[0];
  const summary = first === undefined ? '' : `: ${first.path}: ${first.message}`;
  const more = faults.length > 1 ? ` (and ${faults.length - 1} more)` : '';
  return new RuntimeError(RuntimeErrorCodes.validation, `invalid ${what}${summary}${more}`, { faults });
}

/**
 * Validates a use case's input and returns it parsed.
 * @throws RuntimeError `error.runtime.validation` with one fault per offending field.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'input'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw validationError(faultsOfIssues(result.error.issues), what);
}

/**
 * The error for an object that is not in the local storage.
 */
export function notFound(what: string, id: string): RuntimeError {
  return new RuntimeError(RuntimeErrorCodes.notFound, `${what} ${id} was not found`);
}

/**
 * Checks content JSON as one of the given content types, reporting faults at their path below `field`.
 * @throws RuntimeError `error.runtime.validation`.
 */
export function validateContent<T extends ContentType>(
  json: unknown,
  types: readonly T[],
  field: string,
): ContentOf<T> {
  try {
    return parseContent(json, types);
  } catch (error) {
    if (!ContentError.isContentError(error)) throw error;
    const faults = error.faults.map((fault) => ({
      path: `$.${field}${fault.path.slice(1)}`,
      message: fault.message,
    }));
    throw validationError(faults.length > 0 ? faults : [{ path: `$.${field}`, message: error.message }]);
  }
}
