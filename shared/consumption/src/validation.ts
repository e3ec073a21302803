/**
 * Validation results in the Connector's shape (`RequestValidationResult`), and content checks that turn a
 * content fault into a ConsumptionError.
 */
import { ContentError, parseWith } from '@enmesh/content';
import type { z } from 'zod';
import { ConsumptionError, type ConsumptionErrorCode, ConsumptionErrorCodes } from './errors.js';

/** The outcome of a check: success, or a code and a message; per item for requests. */
export interface ValidationResult {
  isSuccess: boolean;
  code?: ConsumptionErrorCode;
  message?: string;
  items: ValidationResult[];
}

/** A successful result, optionally with the results of the items. */
export function success(items: ValidationResult[] = []): ValidationResult {
  return { isSuccess: true, items };
}

/** A failed result with a code and a message. */
export function failure(code: ConsumptionErrorCode, message: string): ValidationResult {
  return { isSuccess: false, code, message, items: [] };
}

/** The result of a group of item results: failed (inherited from an item) when any item failed. */
export function combine(items: ValidationResult[]): ValidationResult {
  if (items.every((item) => item.isSuccess)) return success(items);
  return {
    isSuccess: false,
    code: ConsumptionErrorCodes.inheritedFromItem,
    message: 'Some child items have errors.',
    items,
  };
}

/** The first failure in a result tree (depth first), or undefined. */
export function firstFailure(result: ValidationResult): ValidationResult | undefined {
  for (const item of result.items) {
    const failed = firstFailure(item);
    if (failed !== undefined) return failed;
  }
  return result.isSuccess ? undefined : result;
}

/**
 * Throws the first failure of a result as a ConsumptionError.
 * @throws {ConsumptionError} with the failure's code and message
 */
export function throwIfFailed(result: ValidationResult): void {
  const failed = firstFailure(result);
  if (failed === undefined) return;
  throw new ConsumptionError(
    failed.code ?? ConsumptionErrorCodes.invalidContent,
    failed.message ?? 'invalid',
  );
}

/**
 * Validates content JSON with a content schema.
 * @throws {ConsumptionError} `error.consumption.invalidContent` (or `code`) with the content faults as cause
 */
export function checkContent<S extends z.ZodType>(
  schema: S,
  json: unknown,
  what: string,
  code: ConsumptionErrorCode = ConsumptionErrorCodes.invalidContent,
): z.output<S> {
  try {
    return parseWith(schema, json, what);
  } catch (error) {
    if (error instanceof ContentError) throw new ConsumptionError(code, error.message, { cause: error });
    throw error;
  }
}

/** Compares two JSON values structurally (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
