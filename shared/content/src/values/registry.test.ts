import { describe, expect, it } from 'vitest';
import { renderHintsSchema, valueHintsSchema } from './hints.js';
import {
  editableIdentityValueTypeNames,
  identityValueTypeNames,
  isIdentityValueTypeName,
  isRelationshipValueTypeName,
  relationshipValueTypeNames,
  valueTypeOf,
  valueTypes,
} from './registry.js';

describe('value type registry', () => {
  it('lists identity and relationship value types apart', () => {
    expect(identityValueTypeNames).toContain('StreetAddress');
    expect(relationshipValueTypeNames).toContain('Consent');
    expect(editableIdentityValueTypeNames).not.toContain('SchematizedXML');
    expect(editableIdentityValueTypeNames).toHaveLength(28);
    expect(isIdentityValueTypeName('GivenName')).toBe(true);
    expect(isIdentityValueTypeName('ProprietaryString')).toBe(false);
    expect(isRelationshipValueTypeName('ProprietaryString')).toBe(true);
    expect(isIdentityValueTypeName('toString')).toBe(false);
    expect(valueTypeOf('constructor')).toBeUndefined();
  });

  it('publishes well-formed hints for every value type', () => {
    for (const [name, definition] of Object.entries(valueTypes)) {
      expect([name, valueHintsSchema.safeParse(definition.valueHints).success]).toEqual([name, true]);
      expect([name, renderHintsSchema.safeParse(definition.renderHints).success]).toEqual([name, true]);
    }
  });

  it('gives the hints Enmeshed gives', () => {
    expect(valueTypeOf('GivenName')?.valueHints).toMatchObject({ '@type': 'ValueHints', max: 100 });
    expect(valueTypeOf('GivenName')?.renderHints).toEqual({
      '@type': 'RenderHints',
      technicalType: 'String',
      editType: 'InputLike',
      propertyHints: {},
    });
    const nationality = valueTypeOf('Nationality')!;
    expect(nationality.valueHints).toMatchObject({ min: 2, max: 2 });
    expect(nationality.valueHints.values).toHaveLength(249);
    expect(nationality.valueHints.values?.[0]).toEqual({
      key: 'AD',
      displayName: 'i18n://attributes.values.countries.AD',
    });
    expect(nationality.renderHints).toMatchObject({ editType: 'SelectLike', dataType: 'Country' });
    const birthDate = valueTypeOf('BirthDate')!;
    expect(birthDate.renderHints).toMatchObject({ editType: 'Complex', technicalType: 'Object' });
    expect(birthDate.valueHints.propertyHints?.month).toMatchObject({ min: 1, max: 12 });
    expect(birthDate.renderHints.propertyHints?.year).toMatchObject({
      dataType: 'Year',
      technicalType: 'Integer',
    });
    expect(valueTypeOf('Sex')?.valueHints.values?.map((v) => v.key)).toEqual(['intersex', 'female', 'male']);
    expect(valueTypeOf('ProprietaryInteger')?.renderHints).toMatchObject({ technicalType: 'Integer' });
    expect(valueTypeOf('EMailAddress')?.valueHints).toMatchObject({ min: 3, max: 254 });
  });
});
