import { describe, expect, it } from 'vitest';
import { expectFault, expectRoundTrip } from '../test-support.js';
import {
  relationshipAttributeValueSchema,
  relationshipValueTypeNames,
  relationshipValueTypes,
} from './registry.js';

type Case = { valid: unknown[]; invalid: [unknown, string][] };
const p = (type: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  '@type': type,
  title: 'Customer number',
  ...extra,
  value,
});

/** Cases every Proprietary* type shares: title, description and the override hints. */
function common(type: string, good: unknown): [unknown, string][] {
  return [
    [{ '@type': type, value: good }, '$.title'],
    [p(type, good, { title: 'x'.repeat(101) }), '$.title'],
    [p(type, good, { title: 'bad \u4e2d' }), '$.title'],
    [p(type, good, { description: 'd'.repeat(1001) }), '$.description'],
    [p(type, good, { unknown: true }), '$.unknown'],
    [{ '@type': type, title: 'T' }, '$.value'],
  ];
}

const cases: Record<string, Case> = {
  ProprietaryBoolean: {
    valid: [p('ProprietaryBoolean', true)],
    invalid: [[p('ProprietaryBoolean', 'true'), '$.value']],
  },
  ProprietaryCountry: {
    valid: [p('ProprietaryCountry', 'NL')],
    invalid: [[p('ProprietaryCountry', 'NLD'), '$.value']],
  },
  ProprietaryEMailAddress: {
    valid: [p('ProprietaryEMailAddress', 'support@example.org')],
    invalid: [[p('ProprietaryEMailAddress', 'support'), '$.value']],
  },
  ProprietaryFileReference: {
    valid: [p('ProprietaryFileReference', 'F'.repeat(30))],
    invalid: [[p('ProprietaryFileReference', 'F'.repeat(29)), '$.value']],
  },
  ProprietaryFloat: {
    valid: [p('ProprietaryFloat', 3.25), p('ProprietaryFloat', -1)],
    invalid: [[p('ProprietaryFloat', '3.25'), '$.value']],
  },
  ProprietaryHEXColor: {
    valid: [p('ProprietaryHEXColor', '#fa0'), p('ProprietaryHEXColor', '#FFAA00')],
    invalid: [
      [p('ProprietaryHEXColor', 'FFAA00'), '$.value'],
      [p('ProprietaryHEXColor', '#FFAA0'), '$.value'],
    ],
  },
  ProprietaryInteger: {
    valid: [p('ProprietaryInteger', 42, { valueHintsOverride: { min: 0, max: 100 } })],
    invalid: [
      [p('ProprietaryInteger', 4.2), '$.value'],
      [p('ProprietaryInteger', 1, { valueHintsOverride: { min: 'zero' } }), '$.valueHintsOverride.min'],
    ],
  },
  ProprietaryLanguage: {
    valid: [p('ProprietaryLanguage', 'en')],
    invalid: [[p('ProprietaryLanguage', 'english'), '$.value']],
  },
  ProprietaryPhoneNumber: {
    valid: [p('ProprietaryPhoneNumber', '+31 20 123 4567')],
    invalid: [[p('ProprietaryPhoneNumber', 'call me'), '$.value']],
  },
  ProprietaryString: {
    valid: [p('ProprietaryString', 'K-4711', { description: 'Your number at ACME' })],
    invalid: [[p('ProprietaryString', 'x'.repeat(101)), '$.value']],
  },
  ProprietaryURL: {
    valid: [p('ProprietaryURL', 'https://acme.example/c/4711')],
    invalid: [[p('ProprietaryURL', '::'), '$.value']],
  },
  ProprietaryJSON: {
    valid: [p('ProprietaryJSON', { tier: 'gold', points: [1, 2] })],
    invalid: [
      [p('ProprietaryJSON', 'x'.repeat(4100)), '$.value'],
      [p('ProprietaryJSON', 1, { valueHintsOverride: {} }), '$.valueHintsOverride'],
    ],
  },
  ProprietaryXML: {
    valid: [p('ProprietaryXML', '<contract id="1"/>', { schemaURL: 'https://acme.example/c.xsd' })],
    invalid: [[p('ProprietaryXML', '<a/>', { schemaURL: 'no url' }), '$.schemaURL']],
  },
  Consent: {
    valid: [
      { '@type': 'Consent', consent: 'I agree to the terms.' },
      {
        '@type': 'Consent',
        consent: 'I agree.',
        link: 'https://acme.example/terms',
        linkDisplayText: 'Terms',
      },
    ],
    invalid: [
      [{ '@type': 'Consent', consent: 'I agree.', linkDisplayText: 'Terms' }, '$.linkDisplayText'],
      [{ '@type': 'Consent', consent: 'c'.repeat(2001) }, '$.consent'],
      [
        { '@type': 'Consent', consent: 'ok', link: 'https://a.example', linkDisplayText: 'ab' },
        '$.linkDisplayText',
      ],
      [{ '@type': 'Consent' }, '$.consent'],
    ],
  },
};

describe('RelationshipAttribute value types', () => {
  it('covers exactly the 14 value types', () => {
    expect(relationshipValueTypeNames).toHaveLength(14);
    expect(Object.keys(cases).sort()).toEqual([...relationshipValueTypeNames].sort());
  });

  for (const typeName of relationshipValueTypeNames) {
    const definition = relationshipValueTypes[typeName];
    const { valid, invalid } = cases[typeName]!;
    const good = (valid[0] as { value?: unknown }).value;
    const all = typeName === 'Consent' ? invalid : [...invalid, ...common(typeName, good)];
    describe(typeName, () => {
      it.each(valid.map((json) => [JSON.stringify(json).slice(0, 80), json]))('accepts %s', (_, json) => {
        expectRoundTrip(definition.schema, json);
        expectRoundTrip(relationshipAttributeValueSchema, json);
      });
      it.each(all.map(([json, path]) => [path, JSON.stringify(json).slice(0, 80), json]))(
        'rejects at %s: %s',
        (path, _, json) => {
          expectFault(definition.schema, json, path);
          expectFault(relationshipAttributeValueSchema, json, path);
        },
      );
    });
  }
});
