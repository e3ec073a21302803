import { describe, expect, it } from 'vitest';
import { checkQuery, matchesQuery } from './query-filter.js';

const request = {
  id: 'REQaaaaaaaaaaaaaaaaa',
  status: 'Completed',
  createdAt: '2030-01-02T00:00:00.000Z',
  content: {
    items: [
      { '@type': 'ReadAttributeRequestItem' },
      { '@type': 'RequestItemGroup', items: [{ '@type': 'ConsentRequestItem' }] },
    ],
  },
  response: { content: { result: 'Accepted' } },
};

describe('query filters in the Connector syntax', () => {
  it.each([
    [{ status: 'Completed' }, true],
    [{ status: '!Completed' }, false],
    [{ status: ['Open', 'Completed'] }, true],
    [{ status: ['!Open', '!Completed'] }, false],
    [{ source: '' }, false],
    [{ source: '!' }, true],
    [{ id: '^REQ' }, true],
    [{ id: '$bbb' }, false],
    [{ status: '~^Comp' }, true],
    [{ createdAt: '>2030-01-01' }, true],
    [{ createdAt: '<=2029-12-31T23:59:59.999Z' }, false],
    [{ 'content.items.@type': 'ReadAttributeRequestItem' }, true],
    [{ 'content.items.items.@type': 'ConsentRequestItem' }, true],
    [{ 'response.content.result': 'Rejected' }, false],
  ])('%j matches: %s', (query, expected) => {
    expect(matchesQuery(request, query)).toBe(expected);
  });

  it('reports a bad regular expression at its path', () => {
    expect(() => checkQuery({ status: '~(' })).toThrow(
      expect.objectContaining({
        faults: [{ path: '$.query.status', message: 'is not a valid regular expression' }],
      }),
    );
  });
});
