import { ConsumptionError, type ConsumptionErrorCode, ConsumptionErrorCodes } from '@enmesh/consumption';
import { describe, expect, it } from 'vitest';
import { fromDomainError } from './domain-errors.js';

const mapped = (code: ConsumptionErrorCode) => {
  const error = fromDomainError(new ConsumptionError(code, `refused: ${code}`));
  return { code: error?.code, status: error?.status, message: error?.message };
};

describe('the consumption layer’s errors at the REST edge', () => {
  it('answers an unknown record with 404 and malformed content with 400 invalidPropertyValue', () => {
    expect(mapped(ConsumptionErrorCodes.recordNotFound)).toEqual({
      code: 'error.connector.recordNotFound',
      status: 404,
      message: 'refused: error.consumption.recordNotFound',
    });
    expect(mapped(ConsumptionErrorCodes.invalidContent)).toMatchObject({
      code: 'error.connector.validation.invalidPropertyValue',
      status: 400,
    });
  });

  it('answers every other code with 400 and the code itself, never a 500', () => {
    const others = Object.values(ConsumptionErrorCodes).filter(
      (code) =>
        code !== ConsumptionErrorCodes.recordNotFound && code !== ConsumptionErrorCodes.invalidContent,
    );
    expect(others.length).toBeGreaterThan(30);
    for (const code of others)
      expect(mapped(code)).toEqual({ code, status: 400, message: `refused: ${code}` });
  });

  it('leaves other errors to the caller', () => {
    expect(fromDomainError(new Error('x'))).toBeUndefined();
  });
});
