import { describe, expect, it } from 'vitest';
import { ContentError } from './errors.js';
import { contentTypes, parseContent, parseContentOf } from './parse.js';
import { examples } from './test-examples.js';
import { testId } from './test-support.js';

function thrown(fn: () => unknown): ContentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error('expected a ContentError');
}

describe('parseContent', () => {
  it('has an example for every content type', () => {
    expect(Object.keys(examples).sort()).toEqual([...contentTypes].sort());
  });

  for (const type of contentTypes) {
    it(`round-trips ${type}: JSON → parse → JSON unchanged`, () => {
      const text = JSON.stringify(examples[type]);
      const parsed = parseContent(JSON.parse(text));
      expect(parsed['@type']).toBe(type);
      expect(JSON.stringify(parsed)).toBe(text);
      expect(parseContentOf(type, JSON.parse(text))).toEqual(JSON.parse(text));
    });
  }

  it('narrows the type by @type', () => {
    const mail = parseContentOf('Mail', examples.Mail);
    expect(mail.to).toHaveLength(1);
    const content = parseContent(examples.Request);
    if (content['@type'] === 'Request') expect(content.items).toHaveLength(2);
  });

  it('refuses a missing, unknown or unexpected @type', () => {
    for (const json of [{}, { '@type': 'Spam' }, { '@type': 42 }, [], 'Mail', null]) {
      const error = thrown(() => parseContent(json));
      expect(error.code).toBe('error.content.unknownType');
      expect(error.faults[0]?.path).toBe('$["@type"]');
    }
    const error = thrown(() => parseContent(examples.Mail, ['Request', 'ResponseWrapper']));
    expect(error.code).toBe('error.content.unknownType');
    expect(error.message).toContain('expected one of Request, ResponseWrapper');
  });

  it('lists every fault with its path', () => {
    const broken = {
      ...examples.Request,
      id: 'nope',
      items: [
        {
          '@type': 'ReadAttributeRequestItem',
          query: { '@type': 'IdentityAttributeQuery', valueType: 'Shoe' },
        },
        { '@type': 'RequestItemGroup', items: [{ '@type': 'ConsentRequestItem', mustBeAccepted: true }] },
      ],
    };
    const error = thrown(() => parseContent(broken));
    expect(error.code).toBe('error.content.invalid');
    expect(error.is('error.content.invalid')).toBe(true);
    expect(ContentError.isContentError(error, 'error.content.invalid')).toBe(true);
    expect(error.faults.map((f) => f.path).sort()).toEqual(
      [
        '$.id',
        '$.items[0].mustBeAccepted',
        '$.items[0].query.valueType',
        '$.items[1].items[0].consent',
      ].sort(),
    );
    expect(error.message).toMatch(/^invalid Request: \$\.\S+: .+ \(and 3 more\)$/);
  });

  it('does not add, drop or reorder fields', () => {
    const reordered = {
      items: [{ attributeId: testId('ATT'), '@type': 'OwnAttributeDeletedByOwnerNotificationItem' }],
      id: testId('NOT'),
      '@type': 'Notification',
    };
    expect(JSON.stringify(parseContent(reordered))).toBe(JSON.stringify(reordered));
    const error = thrown(() => parseContent({ ...examples.Mail, priority: 'high' }));
    expect(error.faults).toEqual([{ path: '$.priority', message: 'unknown field' }]);
  });
});
