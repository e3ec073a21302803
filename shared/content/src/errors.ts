import type { z } from 'zod';

/**
 * The stable error codes of the content package. A code never changes meaning once released; clients branch
 * on it, humans read the message and the faults.
 */
export const ContentErrorCodes = {
  invalid: 'error.content.invalid',
  unknownType: 'error.content.unknownType',
  iqlSyntax: 'error.content.iqlSyntax',
} as const;

/** One of the content package's stable error codes. */
export type ContentErrorCode = (typeof ContentErrorCodes)[keyof typeof ContentErrorCodes];

/** One thing wrong with a content object: where (a JSON path such as `$.items[0].value.day`) and what. */
export interface ContentFault {
  path: string;
  message: string;
}

/** Details that travel with an error; never content values. */
export type ContentErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/**
 * The content package's one error type: a stable `code`, a `message` for people, the list of `faults` (each
 * with the JSON path of the offending field) and optional `details` (e.g. the position of an IQL error).
 */
export class ContentError extends Error {
  readonly code: ContentErrorCode;
  readonly faults: readonly ContentFault[];
  readonly details: ContentErrorDetails | undefined;

  /** Creates an error with a stable code, a message and the faults found. */
  constructor(
    code: ContentErrorCode,
    message: string,
    options: { faults?: readonly ContentFault[]; details?: ContentErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ContentError';
    this.code = code;
    this.faults = options.faults ?? [];
    this.details = options.details;
  }

  /** Tells whether this error carries the given code. */
  is(code: ContentErrorCode): boolean {
    return this.code === code;
  }

  /** Tells whether any value is a ContentError, optionally with the given code. */
  static isContentError(value: unknown, code?: ContentErrorCode): value is ContentError {
    return value instanceof ContentError && (code === undefined || value.code === code);
  }
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/** Renders a path of keys and indices as a JSON path: `$`, `$.items[0].value`, `$["odd key"]`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

/** Turns the issues of a failed schema parse into faults, one per offending field. */
export function faultsOf(error: z.ZodError): ContentFault[] {
  const faults: ContentFault[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        faults.push({ path: jsonPath([...issue.path, key]), message: 'unknown field' });
      }
    } else {
      faults.push({ path: jsonPath(issue.path), message: issue.message });
    }
  }
  return faults;
}

/**
 * Validates `json` with `schema` and returns it typed. The content schemas neither transform nor default
 * anything, so the value returned is a copy of the input with its keys in their original order: content
 * goes out exactly as it came in.
 * @throws {ContentError} `error.content.invalid` with one fault per offending field
 */
export function parseWith<S extends z.ZodType>(schema: S, json: unknown, what = 'content'): z.output<S> {
  const result = schema.safeParse(json);
  if (result.success) return structuredClone(json) as z.output<S>;
  const faults = faultsOf(result.error);
  const first = faults[0];
  const summary = first === undefined ? '' : `: ${first.path}: ${first.message}`;
  const more = faults.length > 1 ? ` (and ${faults.length - 1} more)` : '';
  throw new ContentError(ContentErrorCodes.invalid, `invalid ${what}${summary}${more}`, { faults });
}
