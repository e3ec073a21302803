import { describe, expect, it } from 'vitest';
import { ContentError } from '../errors.js';
import { testAddress } from '../test-support.js';
import type { IdentityAttribute } from './attributes.js';
import { evaluateIql } from './iql-evaluator.js';
import { parseIql } from './iql-parser.js';

const owner = testAddress();
const attribute = (value: IdentityAttribute['value'], tags?: string[]): IdentityAttribute => ({
  '@type': 'IdentityAttribute',
  owner,
  value,
  ...(tags === undefined ? {} : { tags }),
});
const attributes: IdentityAttribute[] = [
  attribute({ '@type': 'GivenName', value: 'Anna' }),
  attribute({ '@type': 'Surname', value: 'Muster' }, ['x:official']),
  attribute({ '@type': 'PhoneNumber', value: '+49 30 1234' }, ['emergency', 'Primary Address']),
  attribute({ '@type': 'PhoneNumber', value: '+49 170 5555' }, ['x:mobile']),
  attribute({
    '@type': 'StreetAddress',
    street: 'Hauptstr.',
    houseNo: '1',
    zipCode: '10115',
    city: 'Berlin',
    country: 'DE',
  }),
  attribute(
    { '@type': 'StreetAddress', street: 'Ring', houseNo: '2', zipCode: '1010', city: 'Wien', country: 'AT' },
    ['Primary Address'],
  ),
  attribute({ '@type': 'BirthDate', day: 1, month: 2, year: 1990 }),
];

function select(query: string): number[] {
  return evaluateIql(query, attributes).map((a) => attributes.indexOf(a));
}

function syntaxError(query: string): ContentError {
  try {
    parseIql(query);
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

describe('IQL', () => {
  it('selects by value type, tag and field', () => {
    expect(select('PhoneNumber')).toEqual([2, 3]);
    expect(select('#emergency')).toEqual([2]);
    expect(select("#'Primary Address'")).toEqual([2, 5]);
    expect(select('StreetAddress.country=DE')).toEqual([4]);
    expect(select('GivenName=Anna')).toEqual([0]);
    expect(select("PhoneNumber='+49 30 1234'")).toEqual([2]);
    expect(select('BirthDate.year=1990')).toEqual([6]);
    expect(select(`owner=${owner}`)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(select('tags~x:mobile')).toEqual([3]);
    expect(select('tags?')).toEqual([1, 2, 3, 5]);
    expect(select('Website')).toEqual([]);
  });

  it('combines with &&, ||, ! and parentheses, && binding tighter than ||', () => {
    expect(select('PhoneNumber && #emergency')).toEqual([2]);
    expect(select('GivenName || Surname')).toEqual([0, 1]);
    expect(select('PhoneNumber && !#emergency')).toEqual([3]);
    expect(select('( GivenName || Surname ) || ( PhoneNumber && #emergency )')).toEqual([0, 1, 2]);
    expect(select('GivenName || PhoneNumber && #emergency')).toEqual([0, 2]);
    expect(select('( GivenName || PhoneNumber ) && #emergency')).toEqual([2]);
    expect(select('!( StreetAddress || PhoneNumber )')).toEqual([0, 1, 6]);
    expect(select('!!GivenName')).toEqual([0]);
    expect(select('( ( GivenName ) )')).toEqual([0]);
  });

  it('parses into an expression tree', () => {
    expect(parseIql('StreetAddress.country=DE && !#x')).toEqual({
      kind: 'and',
      operands: [
        {
          kind: 'valueType',
          valueType: 'StreetAddress',
          path: ['country'],
          predicate: { op: '=', value: 'DE' },
        },
        { kind: 'not', operand: { kind: 'tag', tag: 'x' } },
      ],
    });
    expect(parseIql("#'it\\'s'")).toEqual({ kind: 'tag', tag: "it's" });
  });

  it('reports syntax errors with their position', () => {
    const cases: [string, number][] = [
      ['PhoneNumber &&', 14],
      ['PhoneNumber&&#x', 11],
      ['(GivenName)', 1],
      ['( GivenName', 11],
      ['StreetAddress.country', 21],
      [' GivenName', 0],
      ['GivenName ||| Surname', 12],
      ["#'unterminated", 14],
      ['', 0],
    ];
    for (const [query, offset] of cases) {
      const error = syntaxError(query);
      expect([query, error.code, error.details?.offset]).toEqual([query, 'error.content.iqlSyntax', offset]);
      expect(error.message).toContain(`offset ${offset}`);
    }
    expect(syntaxError('PhoneNumber &&').message).toMatch(/expected whitespace but found end of input/);
  });

  it('compares dates with > and <', () => {
    const dated = [{ value: { '@type': 'X' }, since: '2024-05-01T00:00:00Z' }];
    expect(evaluateIql('since>2024-01-01', dated)).toHaveLength(1);
    expect(evaluateIql('since<2024-01-01', dated)).toHaveLength(0);
    expect(evaluateIql('since>garbage', dated)).toHaveLength(0);
  });
});
