/**
 * The character sets of DIN 91379 ("characters and defined character sequences in Unicode for the
 * electronic processing of names and data exchange in Europe"), which Enmeshed uses to restrict names and
 * free texts in attribute values:
 *
 * - datatype A: names of natural persons (given name, surname, …);
 * - datatype B: all other names (display names, streets, cities, organisations, …);
 * - datatype C: every character the norm makes mandatory (titles, descriptions, XML).
 *
 * Each set is single code points (ranges below) plus a fixed list of base letter + combining mark sequences.
 */

/** Which DIN 91379 datatype a text must conform to. */
export const CharacterSet = { A: 'A', B: 'B', C: 'C' } as const;
/** One of the DIN 91379 datatypes. */
export type CharacterSet = (typeof CharacterSet)[keyof typeof CharacterSet];

type Range = readonly [number, number];

/** Letters beyond Latin-1 that all three datatypes allow. */
const EXTENDED_LATIN: readonly Range[] = [
  [0x187, 0x188],
  [0x18f, 0x18f],
  [0x197, 0x197],
  [0x1a0, 0x1a1],
  [0x1af, 0x1b0],
  [0x1b7, 0x1b7],
  [0x1cd, 0x1dc],
  [0x1de, 0x1df],
  [0x1e2, 0x1f0],
  [0x1f4, 0x1f5],
  [0x1f8, 0x1ff],
  [0x212, 0x213],
  [0x218, 0x21b],
  [0x21e, 0x21f],
  [0x227, 0x233],
  [0x259, 0x259],
  [0x268, 0x268],
  [0x292, 0x292],
  [0x2b9, 0x2ba],
  [0x2be, 0x2bf],
  [0x2c8, 0x2c8],
  [0x2cc, 0x2cc],
  [0x1e02, 0x1e03],
  [0x1e06, 0x1e07],
  [0x1e0a, 0x1e11],
  [0x1e17, 0x1e17],
  [0x1e1c, 0x1e2b],
  [0x1e2f, 0x1e37],
  [0x1e3a, 0x1e3b],
  [0x1e40, 0x1e49],
  [0x1e52, 0x1e5b],
  [0x1e5e, 0x1e63],
  [0x1e6a, 0x1e6f],
  [0x1e80, 0x1e87],
  [0x1e8c, 0x1e97],
  [0x1e9e, 0x1e9e],
  [0x1ea0, 0x1ef9],
  [0x2019, 0x2019],
  [0x2021, 0x2021],
];

const SINGLES: Readonly<Record<CharacterSet, readonly Range[]>> = {
  A: [
    [0x20, 0x20],
    [0x27, 0x27],
    [0x2c, 0x2e],
    [0x41, 0x5a],
    [0x60, 0x7a],
    [0x7e, 0x7e],
    [0xa8, 0xa8],
    [0xb4, 0xb4],
    [0xb7, 0xb7],
    [0xc0, 0xd6],
    [0xd8, 0xf6],
    [0xf8, 0x17e],
    ...EXTENDED_LATIN,
  ],
  B: [
    [0x20, 0x7e],
    [0xa1, 0xa3],
    [0xa5, 0xa5],
    [0xa7, 0xac],
    [0xae, 0xb7],
    [0xb9, 0xbb],
    [0xbf, 0x17e],
    ...EXTENDED_LATIN,
    [0x20ac, 0x20ac],
  ],
  C: [[0x09, 0x0a], [0x0d, 0x0d], [0x20, 0xac], [0xae, 0x17e], ...EXTENDED_LATIN, [0x20ac, 0x20ac]],
};

/**
 * The defined sequences: a base letter and the combining marks that may follow it. Marks are written as
 * escapes because they do not render on their own.
 */
const SEQUENCES: Readonly<Record<string, readonly string[]>> = {
  A: ['\u030b'],
  C: ['\u0300', '\u0304', '\u0306', '\u0308', '\u0315', '\u0323', '\u0326', '\u0328\u0306'],
  D: ['\u0302'],
  F: ['\u0300', '\u0304'],
  G: ['\u0300'],
  H: ['\u0304', '\u0326', '\u0331'],
  J: ['\u0301', '\u030c'],
  K: ['\u0300', '\u0302', '\u0304', '\u0307', '\u0315', '\u031b', '\u0326', '\u035fH', '\u035fh'],
  L: ['\u0302', '\u0325', '\u0325\u0304', '\u0326'],
  M: ['\u0300', '\u0302', '\u0306', '\u0310'],
  N: ['\u0302', '\u0304', '\u0306', '\u0326'],
  P: ['\u0300', '\u0304', '\u0315', '\u0323'],
  R: ['\u0306', '\u0325', '\u0325\u0304'],
  S: ['\u0300', '\u0304', '\u031b\u0304', '\u0331'],
  T: ['\u0300', '\u0304', '\u0308', '\u0315', '\u031b'],
  U: ['\u0307'],
  Z: ['\u0300', '\u0304', '\u0306', '\u0308', '\u0327'],
  a: ['\u030b'],
  c: ['\u0300', '\u0304', '\u0306', '\u0308', '\u0315', '\u0323', '\u0326', '\u0328\u0306'],
  d: ['\u0302'],
  f: ['\u0300', '\u0304'],
  g: ['\u0300'],
  h: ['\u0304', '\u0326'],
  j: ['\u0301'],
  k: ['\u0300', '\u0302', '\u0304', '\u0307', '\u0315', '\u031b', '\u0326', '\u035fh'],
  l: ['\u0302', '\u0325', '\u0325\u0304', '\u0326'],
  m: ['\u0300', '\u0302', '\u0306', '\u0310'],
  n: ['\u0302', '\u0304', '\u0306', '\u0326'],
  p: ['\u0300', '\u0304', '\u0315', '\u0323'],
  r: ['\u0306', '\u0325', '\u0325\u0304'],
  s: ['\u0300', '\u0304', '\u031b\u0304', '\u0331'],
  t: ['\u0300', '\u0304', '\u0315', '\u031b'],
  u: ['\u0307'],
  z: ['\u0300', '\u0304', '\u0306', '\u0308', '\u0327'],
  '\u00c7': ['\u0306'],
  '\u00db': ['\u0304'],
  '\u00e7': ['\u0306'],
  '\u00fb': ['\u0304'],
  '\u00ff': ['\u0301'],
  '\u010c': ['\u0315', '\u0323'],
  '\u010d': ['\u0315', '\u0323'],
  '\u0113': ['\u030d'],
  '\u012a': ['\u0301'],
  '\u012b': ['\u0301'],
  '\u014d': ['\u030d'],
  '\u017d': ['\u0326', '\u0327'],
  '\u017e': ['\u0326', '\u0327'],
  '\u1e32': ['\u0304'],
  '\u1e33': ['\u0304'],
  '\u1e62': ['\u0304'],
  '\u1e63': ['\u0304'],
  '\u1e6c': ['\u0304'],
  '\u1e6d': ['\u0304'],
  '\u1ea0': ['\u0308'],
  '\u1ea1': ['\u0308'],
  '\u1ecc': ['\u0308'],
  '\u1ecd': ['\u0308'],
  '\u1ee4': ['\u0304', '\u0308'],
  '\u1ee5': ['\u0304', '\u0308'],
};

/** Suffixes per base letter, longest first, so that a greedy match never strands a mark. */
const SUFFIXES = new Map(
  Object.entries(SEQUENCES).map(([base, marks]) => [base, [...marks].sort((a, b) => b.length - a.length)]),
);

function inRanges(codePoint: number, ranges: readonly Range[]): boolean {
  return ranges.some(([low, high]) => codePoint >= low && codePoint <= high);
}

/**
 * Tells whether `text` uses only characters and sequences of the given DIN 91379 datatype. Linear in the
 * length of the text (no backtracking), so it is safe for long values such as XML.
 */
export function conformsTo(text: string, set: CharacterSet): boolean {
  const singles = SINGLES[set];
  let i = 0;
  while (i < text.length) {
    const codePoint = text.codePointAt(i)!;
    const char = String.fromCodePoint(codePoint);
    const suffix = SUFFIXES.get(char)?.find((marks) => text.startsWith(marks, i + char.length));
    if (suffix !== undefined) {
      i += char.length + suffix.length;
    } else if (inRanges(codePoint, singles)) {
      i += char.length;
    } else {
      return false;
    }
  }
  return true;
}

/** A code point as it stands in a pattern: literal where it can be, escaped where it must be. */
function patternChar(codePoint: number): string {
  const char = String.fromCodePoint(codePoint);
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0xa0) || '\\[]^-'.includes(char)
    ? `\\u{${codePoint.toString(16)}}`
    : char;
}

/**
 * The same set as a regular expression source (with the `u` flag), for the `pattern` value hint that user
 * interfaces apply while typing. `conformsTo` is the authoritative check.
 */
export function characterSetPattern(set: CharacterSet): string {
  const sequences = [...SUFFIXES].flatMap(([base, marks]) =>
    marks.map((m) => [...`${base}${m}`].map((c) => patternChar(c.codePointAt(0)!)).join('')),
  );
  const singles = SINGLES[set]
    .map(([low, high]) => (low === high ? patternChar(low) : `${patternChar(low)}-${patternChar(high)}`))
    .join('');
  return `^(?:${sequences.join('|')}|[${singles}])*$`;
}
