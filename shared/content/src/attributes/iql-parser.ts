/**
 * The Identity Query Language (IQL) of Enmeshed: a small language to select IdentityAttributes.
 *
 *   Expr      := And ( WS+ "||" WS+ And )*          (|| binds weaker than &&)
 *   And       := Unary ( WS+ "&&" WS+ Unary )*
 *   Unary     := "!" Unary | "(" WS+ Expr WS+ ")" | Term
 *   Term      := Type ( "." Segment )+ Predicate      e.g. StreetAddress.country=DE
 *              | Type Predicate                       e.g. GivenName='Anna Lena'
 *              | Type                                 e.g. PhoneNumber
 *              | Segment ( "." Segment )* Predicate   e.g. owner=did:e:…, tags~x:private
 *              | "#" Text                             e.g. #emergency, #'Primary Address'
 *   Predicate := ( "=" | ">" | "<" | "~" ) Text | "?"
 *   Text      := "'" ( "\\" | "\'" | any but ' and \ )* "'" | ( "\\" | "\'" | any but ' \ and space )*
 *   Type      := [A-Z][A-Za-z0-9]*      Segment := [a-z][A-Za-z0-9]+      WS := space, tab, CR, LF
 *
 * Whitespace is required around `&&` and `||` and inside parentheses, and allowed nowhere else.
 */
import { ContentError, ContentErrorCodes } from '../errors.js';

/** A comparison on a field: equality, not-before / not-after (as dates), contains, or is set. */
export type IqlPredicate = { op: '=' | '>' | '<' | '~'; value: string } | { op: '?' };

/** A parsed IQL expression. */
export type IqlExpression =
  | { kind: 'or'; operands: IqlExpression[] }
  | { kind: 'and'; operands: IqlExpression[] }
  | { kind: 'not'; operand: IqlExpression }
  /** A value type, optionally with a predicate on its `value` or on a field path inside the value. */
  | { kind: 'valueType'; valueType: string; path: string[]; predicate?: IqlPredicate }
  /** A predicate on a field of the attribute itself (`owner`, `tags`, …). */
  | { kind: 'field'; path: string[]; predicate: IqlPredicate }
  | { kind: 'tag'; tag: string };

const WS = new Set([' ', '\t', '\n', '\r']);
const OPERATORS = new Set(['=', '>', '<', '~']);

class Parser {
  #pos = 0;
  #failPos = 0;
  #expected = new Set<string>();

  constructor(readonly input: string) {}

  parse(): IqlExpression {
    const result = this.#expr();
    if (result !== undefined && this.#pos === this.input.length) return result;
    if (result !== undefined) this.#fail('end of input');
    throw this.#error();
  }

  #fail(expected: string, at = this.#pos): undefined {
    if (at > this.#failPos) {
      this.#failPos = at;
      this.#expected = new Set();
    }
    if (at === this.#failPos) this.#expected.add(expected);
    return undefined;
  }

  #error(): ContentError {
    const offset = this.#failPos;
    const found =
      offset < this.input.length
        ? JSON.stringify(String.fromCodePoint(this.input.codePointAt(offset)!))
        : 'end of input';
    const expected = [...this.#expected].sort().join(', ');
    return new ContentError(
      ContentErrorCodes.iqlSyntax,
      `invalid IQL query at character offset ${offset}: expected ${expected} but found ${found}`,
      { details: { offset, column: offset + 1, expected, found } },
    );
  }

  #literal(text: string): boolean {
    if (this.input.startsWith(text, this.#pos)) {
      this.#pos += text.length;
      return true;
    }
    this.#fail(JSON.stringify(text));
    return false;
  }

  #whitespace(): boolean {
    const start = this.#pos;
    while (this.#pos < this.input.length && WS.has(this.input[this.#pos]!)) this.#pos++;
    if (this.#pos === start) this.#fail('whitespace');
    return this.#pos > start;
  }

  /** `first ( WS+ op WS+ next )*`, backtracking over a trailing separator that is not followed by an operand. */
  #chain(op: string, next: () => IqlExpression | undefined, kind: 'or' | 'and'): IqlExpression | undefined {
    const first = next();
    if (first === undefined) return undefined;
    const operands = [first];
    for (;;) {
      const save = this.#pos;
      const operand = this.#whitespace() && this.#literal(op) && this.#whitespace() ? next() : undefined;
      if (operand === undefined) {
        this.#pos = save;
        break;
      }
      operands.push(operand);
    }
    return operands.length === 1 ? first : { kind, operands };
  }

  #expr(): IqlExpression | undefined {
    return this.#chain('||', () => this.#and(), 'or');
  }

  #and(): IqlExpression | undefined {
    return this.#chain('&&', () => this.#unary(), 'and');
  }

  #unary(): IqlExpression | undefined {
    const start = this.#pos;
    if (this.#literal('!')) {
      const operand = this.#unary();
      if (operand !== undefined) return { kind: 'not', operand };
      this.#pos = start;
      return undefined;
    }
    if (this.#literal('(')) {
      const inner = this.#whitespace() ? this.#expr() : undefined;
      if (inner !== undefined && this.#whitespace() && this.#literal(')')) return inner;
      this.#pos = start;
      return undefined;
    }
    return this.#term();
  }

  #term(): IqlExpression | undefined {
    return (
      this.#attempt(() => this.#valueTypeTerm()) ?? this.#attempt(() => this.#fieldTerm()) ?? this.#tagTerm()
    );
  }

  #attempt<T>(rule: () => T | undefined): T | undefined {
    const start = this.#pos;
    const result = rule();
    if (result === undefined) this.#pos = start;
    return result;
  }

  #valueTypeTerm(): IqlExpression | undefined {
    const valueType = this.#match(/[A-Z][A-Za-z0-9]*/y, 'attribute type');
    if (valueType === undefined) return undefined;
    const afterType = this.#pos;
    const path = this.#segments();
    if (path.length > 0) {
      const predicate = this.#predicate();
      if (predicate !== undefined) return { kind: 'valueType', valueType, path, predicate };
      this.#pos = afterType;
    }
    const predicate = this.#attempt(() => this.#predicate());
    if (predicate !== undefined) return { kind: 'valueType', valueType, path: ['value'], predicate };
    return { kind: 'valueType', valueType, path: [] };
  }

  #fieldTerm(): IqlExpression | undefined {
    const first = this.#segment();
    if (first === undefined) return undefined;
    const path = [first, ...this.#segments()];
    const predicate = this.#predicate();
    return predicate === undefined ? undefined : { kind: 'field', path, predicate };
  }

  #tagTerm(): IqlExpression | undefined {
    if (!this.#literal('#')) return undefined;
    return { kind: 'tag', tag: this.#text() };
  }

  /** `( "." Segment )*`: every segment behind a dot. */
  #segments(): string[] {
    const path: string[] = [];
    for (;;) {
      const save = this.#pos;
      const segment = this.#literal('.') ? this.#segment() : undefined;
      if (segment === undefined) {
        this.#pos = save;
        return path;
      }
      path.push(segment);
    }
  }

  #segment(): string | undefined {
    return this.#match(/[a-z][A-Za-z0-9]+/y, 'field name');
  }

  #match(pattern: RegExp, what: string): string | undefined {
    pattern.lastIndex = this.#pos;
    const found = pattern.exec(this.input)?.[0];
    if (found === undefined) return this.#fail(what);
    this.#pos += found.length;
    return found;
  }

  #predicate(): IqlPredicate | undefined {
    const char = this.input[this.#pos];
    if (char !== undefined && OPERATORS.has(char)) {
      this.#pos++;
      return { op: char as '=' | '>' | '<' | '~', value: this.#text() };
    }
    if (char === '?') {
      this.#pos++;
      return { op: '?' };
    }
    this.#fail('"=", ">", "<", "~" or "?"');
    return undefined;
  }

  /** A quoted text, or an unquoted one up to the next space or quote (which may be empty). */
  #text(): string {
    const start = this.#pos;
    if (this.input[this.#pos] === "'") {
      this.#pos++;
      const quoted = this.#characters(true);
      if (this.input[this.#pos] === "'") {
        this.#pos++;
        return quoted;
      }
      this.#fail('"\'"');
      this.#pos = start;
    }
    return this.#characters(false);
  }

  #characters(quoted: boolean): string {
    let text = '';
    for (;;) {
      const char = this.input[this.#pos];
      const next = this.input[this.#pos + 1];
      if (char === '\\' && (next === '\\' || next === "'")) {
        text += next;
        this.#pos += 2;
      } else if (char === undefined || char === "'" || char === '\\' || (!quoted && char === ' ')) {
        return text;
      } else {
        text += char;
        this.#pos++;
      }
    }
  }
}

/**
 * Parses an IQL query string.
 * @throws {ContentError} `error.content.iqlSyntax`; `details.offset` is the 0-based position of the first
 *   character that does not fit (`details.column` the 1-based one), `details.expected` what would have
 *   fitted there
 */
export function parseIql(query: string): IqlExpression {
  return new Parser(query).parse();
}
