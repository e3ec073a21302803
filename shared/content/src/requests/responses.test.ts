import { describe, expect, it } from 'vitest';
import { expectFault, expectRoundTrip, testAddress, testId } from '../test-support.js';
import { decideRequestParametersSchema } from './decisions.js';
import { type FormFieldSettings, formFieldResponseFault } from './form-field.js';
import { requestSchema, responseMatchesRequest, responseSchema, responseWrapperSchema } from './request.js';
import { responseItemSchema } from './response-items.js';

const owner = testAddress();
const givenName = { '@type': 'IdentityAttribute', owner, value: { '@type': 'GivenName', value: 'Anna' } };
const fileAttribute = {
  '@type': 'IdentityAttribute',
  owner,
  value: { '@type': 'IdentityFileReference', value: 'F'.repeat(40) },
};
const accepted = (type: string, fields: Record<string, unknown> = {}) => ({
  '@type': type,
  result: 'Accepted',
  ...fields,
});

const cases: Record<
  string,
  { valid: Record<string, unknown>[]; invalid: [Record<string, unknown>, string][] }
> = {
  AcceptResponseItem: {
    valid: [accepted('AcceptResponseItem')],
    invalid: [[accepted('AcceptResponseItem', { result: 'Failed' }), '$.result']],
  },
  RejectResponseItem: {
    valid: [
      { '@type': 'RejectResponseItem', result: 'Rejected' },
      {
        '@type': 'RejectResponseItem',
        result: 'Rejected',
        code: 'error.app.notInterested',
        message: 'No, thanks',
      },
    ],
    invalid: [[{ '@type': 'RejectResponseItem', result: 'Rejected', code: 'c'.repeat(201) }, '$.code']],
  },
  ErrorResponseItem: {
    valid: [
      {
        '@type': 'ErrorResponseItem',
        result: 'Failed',
        code: 'error.runtime.unknown',
        message: 'Something broke',
      },
    ],
    invalid: [[{ '@type': 'ErrorResponseItem', result: 'Failed', code: 'x' }, '$.message']],
  },
  ReadAttributeAcceptResponseItem: {
    valid: [
      accepted('ReadAttributeAcceptResponseItem', { attributeId: testId('ATT'), attribute: givenName }),
      accepted('ReadAttributeAcceptResponseItem', {
        attributeId: testId('ATT'),
        attribute: givenName,
        initialAttributePeer: testAddress(4),
      }),
    ],
    invalid: [
      [accepted('ReadAttributeAcceptResponseItem', { attributeId: testId('ATT') }), '$.attribute'],
      [
        accepted('ReadAttributeAcceptResponseItem', {
          attributeId: testId('ATT'),
          attribute: { ...givenName, value: {} },
        }),
        '$.attribute.value["@type"]',
      ],
    ],
  },
  ProposeAttributeAcceptResponseItem: {
    valid: [
      accepted('ProposeAttributeAcceptResponseItem', { attributeId: testId('ATT'), attribute: givenName }),
    ],
    invalid: [[accepted('ProposeAttributeAcceptResponseItem', { attribute: givenName }), '$.attributeId']],
  },
  CreateAttributeAcceptResponseItem: {
    valid: [accepted('CreateAttributeAcceptResponseItem', { attributeId: testId('ATT') })],
    invalid: [
      [accepted('CreateAttributeAcceptResponseItem', { attributeId: testId('REQ') }), '$.attributeId'],
    ],
  },
  ShareAttributeAcceptResponseItem: {
    valid: [accepted('ShareAttributeAcceptResponseItem', { attributeId: testId('ATT') })],
    invalid: [[accepted('ShareAttributeAcceptResponseItem', {}), '$.attributeId']],
  },
  DeleteAttributeAcceptResponseItem: {
    valid: [accepted('DeleteAttributeAcceptResponseItem', { deletionDate: '2025-06-01T00:00:00.000Z' })],
    invalid: [
      [accepted('DeleteAttributeAcceptResponseItem', { deletionDate: 'tomorrow' }), '$.deletionDate'],
    ],
  },
  FormFieldAcceptResponseItem: {
    valid: [
      accepted('FormFieldAcceptResponseItem', { response: 'text' }),
      accepted('FormFieldAcceptResponseItem', { response: 4.5 }),
      accepted('FormFieldAcceptResponseItem', { response: false }),
      accepted('FormFieldAcceptResponseItem', { response: ['a', 'b'] }),
    ],
    invalid: [
      [accepted('FormFieldAcceptResponseItem', { response: '' }), '$.response'],
      [accepted('FormFieldAcceptResponseItem', { response: [1] }), '$.response'],
      [accepted('FormFieldAcceptResponseItem', { response: null }), '$.response'],
    ],
  },
  TransferFileOwnershipAcceptResponseItem: {
    valid: [
      accepted('TransferFileOwnershipAcceptResponseItem', {
        attributeId: testId('ATT'),
        attribute: fileAttribute,
      }),
    ],
    invalid: [
      [
        accepted('TransferFileOwnershipAcceptResponseItem', {
          attributeId: testId('ATT'),
          attribute: { ...fileAttribute, '@type': 'RelationshipAttribute' },
        }),
        '$.attribute["@type"]',
      ],
    ],
  },
  AttributeSuccessionAcceptResponseItem: {
    valid: [
      accepted('AttributeSuccessionAcceptResponseItem', {
        predecessorId: testId('ATT', 1),
        successorId: testId('ATT', 2),
        successorContent: givenName,
      }),
    ],
    invalid: [
      [
        accepted('AttributeSuccessionAcceptResponseItem', {
          predecessorId: testId('ATT'),
          successorId: testId('ATT'),
        }),
        '$.successorContent',
      ],
    ],
  },
  AttributeAlreadySharedAcceptResponseItem: {
    valid: [accepted('AttributeAlreadySharedAcceptResponseItem', { attributeId: testId('ATT') })],
    invalid: [
      [
        accepted('AttributeAlreadySharedAcceptResponseItem', {
          attributeId: testId('ATT'),
          result: 'Rejected',
        }),
        '$.result',
      ],
    ],
  },
};

describe('response items', () => {
  it('covers every response item', () => {
    expect(Object.keys(cases).sort()).toEqual(
      responseItemSchema.options.map((o) => o.shape['@type'].value).sort(),
    );
  });
  for (const [type, { valid, invalid }] of Object.entries(cases)) {
    it(`${type}: accepts valid examples and rejects wrong ones at the right path`, () => {
      for (const json of valid) expectRoundTrip(responseItemSchema, json);
      for (const [json, path] of invalid) expectFault(responseItemSchema, json, path);
    });
  }
});

const request = {
  '@type': 'Request',
  id: testId('REQ'),
  expiresAt: '2030-01-01T00:00:00.000Z',
  title: 'Onboarding',
  metadata: { ticket: 42 },
  items: [
    { '@type': 'AuthenticationRequestItem', mustBeAccepted: true, title: 'Log in' },
    {
      '@type': 'RequestItemGroup',
      title: 'About you',
      items: [
        {
          '@type': 'ReadAttributeRequestItem',
          mustBeAccepted: true,
          query: { '@type': 'IdentityAttributeQuery', valueType: 'GivenName' },
        },
        { '@type': 'ConsentRequestItem', mustBeAccepted: false, consent: 'Newsletter' },
      ],
    },
  ],
};
const response = {
  '@type': 'Response',
  result: 'Accepted',
  requestId: testId('REQ'),
  items: [
    accepted('AcceptResponseItem'),
    {
      '@type': 'ResponseItemGroup',
      items: [
        accepted('ReadAttributeAcceptResponseItem', { attributeId: testId('ATT'), attribute: givenName }),
        { '@type': 'RejectResponseItem', result: 'Rejected' },
      ],
    },
  ],
};

describe('Request, Response, ResponseWrapper', () => {
  it('round-trips a request with a group and its response', () => {
    expectRoundTrip(requestSchema, request);
    expectRoundTrip(requestSchema, { '@type': 'Request', items: [request.items[0]] });
    expectRoundTrip(responseSchema, response);
    expect(responseMatchesRequest(request as never, response as never)).toBe(true);
    expect(
      responseMatchesRequest(request as never, { ...response, items: [response.items[0]] } as never),
    ).toBe(false);
    expect(responseMatchesRequest(request as never, { ...response, result: 'Rejected' } as never)).toBe(
      false,
    );
  });

  it('rejects wrong requests and responses at the offending field', () => {
    expectFault(requestSchema, { ...request, items: [] }, '$.items');
    expectFault(requestSchema, { ...request, id: 'MSG123' }, '$.id');
    expectFault(requestSchema, { ...request, expiresAt: 'never' }, '$.expiresAt');
    expectFault(
      requestSchema,
      { ...request, items: [{ '@type': 'RequestItemGroup', items: [] }] },
      '$.items[0].items',
    );
    expectFault(
      requestSchema,
      {
        ...request,
        items: [{ '@type': 'RequestItemGroup', items: [{ '@type': 'RequestItemGroup', items: [] }] }],
      },
      '$.items[0].items[0]["@type"]',
    );
    expectFault(
      requestSchema,
      { ...request, items: [{ '@type': 'FreeTextRequestItem', mustBeAccepted: true, freeText: 'x' }] },
      '$.items[0]["@type"]',
    );
    expectFault(responseSchema, { ...response, result: 'Maybe' }, '$.result');
    expectFault(responseSchema, { ...response, requestId: undefined }, '$.requestId');
    expectFault(
      responseSchema,
      { ...response, items: [{ '@type': 'ResponseItemGroup', items: [{ result: 'Accepted' }] }] },
      '$.items[0].items[0]["@type"]',
    );
  });

  it('wraps a response with its source', () => {
    const wrapper = {
      '@type': 'ResponseWrapper',
      requestId: testId('REQ'),
      requestSourceReference: testId('RLT'),
      requestSourceType: 'RelationshipTemplate',
      response,
    };
    expectRoundTrip(responseWrapperSchema, wrapper);
    expectRoundTrip(responseWrapperSchema, {
      ...wrapper,
      requestSourceReference: testId('MSG'),
      requestSourceType: 'Message',
    });
    expectFault(
      responseWrapperSchema,
      { ...wrapper, requestSourceType: 'Message' },
      '$.requestSourceReference',
    );
    expectFault(responseWrapperSchema, { ...wrapper, requestSourceType: 'Token' }, '$.requestSourceType');
    expectFault(
      responseWrapperSchema,
      { ...wrapper, response: { ...response, items: 'none' } },
      '$.response.items',
    );
  });
});

describe('form field answers', () => {
  it('checks an answer against the field settings', () => {
    const text = { '@type': 'StringFormFieldSettings', max: 5 } as const;
    expect(formFieldResponseFault(text, 'short')).toBeUndefined();
    expect(formFieldResponseFault(text, 'too long')).toMatch(/at most 5/);
    expect(formFieldResponseFault(text, 'a\nb')).toMatch(/single line/);
    expect(formFieldResponseFault({ ...text, allowNewlines: true }, 'a\nb')).toBeUndefined();
    expect(formFieldResponseFault({ '@type': 'IntegerFormFieldSettings', min: 1 }, 0)).toMatch(/at least 1/);
    expect(formFieldResponseFault({ '@type': 'IntegerFormFieldSettings' }, 1.5)).toMatch(/integer/);
    expect(formFieldResponseFault({ '@type': 'DoubleFormFieldSettings', max: 2 }, 1.5)).toBeUndefined();
    expect(formFieldResponseFault({ '@type': 'BooleanFormFieldSettings' }, 'yes')).toMatch(/boolean/);
    expect(formFieldResponseFault({ '@type': 'DateFormFieldSettings' }, '2024-02-29')).toBeUndefined();
    expect(formFieldResponseFault({ '@type': 'DateFormFieldSettings' }, '2023-02-29')).toMatch(/date/);
    expect(formFieldResponseFault({ '@type': 'RatingFormFieldSettings', maxRating: 5 }, 6)).toMatch(/1 to 5/);
    const selection: FormFieldSettings = { '@type': 'SelectionFormFieldSettings', options: ['a', 'b'] };
    expect(formFieldResponseFault(selection, 'a')).toBeUndefined();
    expect(formFieldResponseFault(selection, ['a', 'b'])).toMatch(/only one/);
    expect(
      formFieldResponseFault(
        { '@type': 'SelectionFormFieldSettings', options: ['a', 'b'], allowMultipleSelection: true },
        ['a', 'b'],
      ),
    ).toBeUndefined();
    expect(
      formFieldResponseFault(
        { '@type': 'SelectionFormFieldSettings', options: ['a', 'b'], allowMultipleSelection: true },
        ['a', 'a'],
      ),
    ).toMatch(/twice/);
    expect(formFieldResponseFault(selection, 'c')).toMatch(/not one of the options/);
  });
});

describe('decisions', () => {
  it('accepts per-item accept and reject parameters, also in groups', () => {
    expectRoundTrip(decideRequestParametersSchema, {
      requestId: testId('REQ'),
      items: [
        { accept: true },
        {
          items: [
            { accept: true, existingAttributeId: testId('ATT'), tags: ['x:a'] },
            { accept: false, code: 'x', message: 'no' },
          ],
        },
        { accept: true, newAttribute: givenName },
        { accept: true, response: ['a'] },
        { accept: true, deletionDate: '2025-01-01T00:00:00Z' },
      ],
    });
    expectFault(
      decideRequestParametersSchema,
      { requestId: testId('REQ'), items: [{ accept: 'yes' }] },
      '$.items[0]',
    );
    expectFault(decideRequestParametersSchema, { requestId: testId('REQ'), items: [] }, '$.items');
  });
});
