import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RuntimeError, RuntimeErrorCodes, validate, validateContent } from './errors.js';

function caught(run: () => unknown): RuntimeError {
  try {
    run();
  } catch (error) {
    if (RuntimeError.isRuntimeError(error)) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('input validation', () => {
  const schema = z.strictObject({ id: z.string().min(3), list: z.array(z.number()).optional() });

  it('returns the parsed input, and treats a missing input as an empty object', () => {
    expect(validate(schema, { id: 'abc', list: [1] })).toEqual({ id: 'abc', list: [1] });
    expect(caught(() => validate(schema, undefined)).faults).toEqual([
      { path: '$.id', message: expect.any(String) },
    ]);
  });

  it('reports one fault per field with its JSON path, unknown fields included', () => {
    const error = caught(() => validate(schema, { id: 'x', list: [1, 'two'], extra: true, 'odd key': 1 }));
    expect(error.code).toBe(RuntimeErrorCodes.validation);
    expect(error.is(RuntimeErrorCodes.validation)).toBe(true);
    expect(error.faults.map((fault) => fault.path)).toEqual(['$.id', '$.list[1]', '$.extra', '$["odd key"]']);
    expect(error.message).toMatch(/^invalid input: \$\.id: .+ \(and 3 more\)$/);
  });

  it('reports content faults below the field that holds the content', () => {
    const error = caught(() =>
      validateContent({ '@type': 'Mail', to: ['nobody'], subject: 'hi', body: '' }, ['Mail'], 'content'),
    );
    expect(error.faults.map((fault) => fault.path)).toEqual(['$.content.to[0]']);
    const wrongType = caught(() =>
      validateContent({ '@type': 'Mail' }, ['ArbitraryMessageContent'], 'content'),
    );
    expect(wrongType.faults.map((fault) => fault.path)).toEqual(['$.content["@type"]']);
  });
});
