import { describe, expect, it } from 'vitest';
import { CharacterSet, characterSetPattern, conformsTo } from './charsets.js';

const samples = [
  'Anna',
  "O'Neill",
  'Łukasz Żółć',
  'Ærøskøbing',
  'ẞtraße',
  'L\u0325\u0304',
  'K\u035fh',
  'K\u035fH',
  'k\u035fH',
  'C\u0328\u0306',
  'Anna1',
  'Tel. +49 (0)30',
  'line\nbreak',
  'tab\there',
  '€ 5',
  '¡Hola!',
  'Иван',
  '中文',
  '🙂',
  '\u0301 alone',
  'a\u0301',
  'j\u0301',
  '',
];

describe('DIN 91379 character sets', () => {
  it('tells names, other names and free text apart', () => {
    expect(conformsTo("Zoë O'Brien-Łukasiewicz", 'A')).toBe(true);
    expect(conformsTo('Anna1', 'A')).toBe(false);
    expect(conformsTo('Anna1', 'B')).toBe(true);
    expect(conformsTo('€ 5', 'A')).toBe(false);
    expect(conformsTo('€ 5', 'B')).toBe(true);
    expect(conformsTo('line\nbreak', 'B')).toBe(false);
    expect(conformsTo('line\nbreak', 'C')).toBe(true);
    expect(conformsTo('Иван', 'C')).toBe(false);
    expect(conformsTo('🙂', 'C')).toBe(false);
  });

  it('allows combining marks only in the defined sequences', () => {
    expect(conformsTo('K\u035fh', 'A')).toBe(true);
    expect(conformsTo('k\u035fH', 'A')).toBe(false);
    expect(conformsTo('L\u0325\u0304', 'A')).toBe(true);
    expect(conformsTo('j\u0301', 'A')).toBe(true);
    expect(conformsTo('a\u0301', 'A')).toBe(false);
    expect(conformsTo('\u0301', 'C')).toBe(false);
  });

  it('checks long texts in linear time', () => {
    expect(conformsTo('<a>x</a>'.repeat(50_000), 'C')).toBe(true);
  });

  for (const set of Object.values(CharacterSet)) {
    it(`publishes a pattern that agrees with the check for datatype ${set}`, () => {
      const pattern = new RegExp(characterSetPattern(set), 'u');
      for (const sample of samples) {
        expect([sample, pattern.test(sample)]).toEqual([sample, conformsTo(sample, set)]);
      }
    });
  }
});
