/**
 * Wireshark display filters (4.0 syntax), the part people type: the
 * tokens and the syntax tree. Types are checked and values parsed in
 * compile.ts, where the fields are known.
 */

/** A mistake in the filter, with the columns it spans (for the caret line). */
export class FilterError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly length: number,
  ) {
    super(message);
  }
}

type TokenKind = 'word' | 'string' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  /** A string's bytes, as tshark compares them with bytes: typed characters in UTF-8, an escape as its one byte. */
  bytes?: Uint8Array;
}

const PUNCT = [
  '===',
  '!==',
  '==',
  '!=',
  '~=',
  '>=',
  '<=',
  '&&',
  '||',
  '..',
  '>',
  '<',
  '!',
  '&',
  '+',
  '*',
  '%',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  '#',
];
const WORD = /[A-Za-z0-9_.:\-/]/;
const UTF8 = new TextEncoder();

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || (c === 'r' && text[i + 1] === '"')) {
      const raw = c === 'r';
      const start = i;
      i += raw ? 2 : 1;
      let s = '';
      const bytes: number[] = [];
      for (;;) {
        if (i >= text.length)
          throw new FilterError('the string is not closed (a " is missing)', start, text.length - start);
        const ch = text[i]!;
        if (ch === '"') break;
        if (ch === '\\' && !raw) {
          const [value, used] = unescape(text, i, start);
          s += value;
          bytes.push(value.charCodeAt(0));
          i += used;
          continue;
        }
        const typed = String.fromCodePoint(text.codePointAt(i)!);
        s += typed;
        bytes.push(...UTF8.encode(typed));
        i += typed.length;
      }
      i++;
      tokens.push({ kind: 'string', text: s, start, bytes: Uint8Array.from(bytes) });
      continue;
    }
    if (WORD.test(c) && !text.startsWith('..', i)) {
      const start = i;
      while (i < text.length && WORD.test(text[i]!)) i++;
      let word = text.slice(start, i);
      // 1000..2000 is a range of two numbers, not one word.
      const dots = word.indexOf('..');
      if (dots > 0) {
        i = start + dots;
        word = word.slice(0, dots);
      }
      tokens.push({ kind: 'word', text: word, start });
      continue;
    }
    const p = PUNCT.find((op) => text.startsWith(op, i));
    if (!p) throw new FilterError(`"${c}" was unexpected here`, i, 1);
    tokens.push({ kind: 'punct', text: p, start: i });
    i += p.length;
  }
  tokens.push({ kind: 'end', text: '', start: text.length });
  return tokens;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

function unescape(text: string, i: number, start: number): [string, number] {
  const e = text[i + 1];
  if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4)))
    return [String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16)), 4];
  if (e !== undefined && /[0-7]/.test(e) && /^[0-7]{3}$/.test(text.slice(i + 1, i + 4)))
    return [String.fromCharCode(parseInt(text.slice(i + 1, i + 4), 8)), 4];
  if (e !== undefined && SIMPLE_ESCAPES[e] !== undefined) return [SIMPLE_ESCAPES[e]!, 2];
  throw new FilterError(`"\\${e ?? ''}" is not an escape a string can hold`, start, i + 2 - start);
}

/**
 * A byte range of a field: [start:length], [start-end], [start:], [:length], [n]; end is exclusive, null to the end.
 * A negative start with a length past the end ([-1:5]) has end 0: a byte slice then has no value (as in tshark), a
 * layer range runs to the innermost.
 */
export interface Range {
  from: number;
  to: number | null;
}

/** A literal's `quoted` holds a quoted string's bytes (see Token.bytes), null for a bare word. */
export type Operand =
  | { kind: 'field'; name: string; start: number; length: number; layers: Range[] | null; slice: Range[] | null }
  | { kind: 'literal'; text: string; quoted: Uint8Array | null; start: number; length: number }
  | { kind: 'call'; fn: FilterFunction; args: Operand[]; start: number; length: number }
  | { kind: 'and-mask'; field: Operand; mask: Operand; start: number; length: number }
  | { kind: 'arith'; op: ArithOp; left: Operand; right: Operand; start: number; length: number }
  | { kind: 'neg'; arg: Operand; start: number; length: number };

/** tshark 4.0's functions. */
const FUNCTIONS = ['len', 'count', 'upper', 'lower', 'string', 'abs', 'max', 'min'] as const;
export type FilterFunction = (typeof FUNCTIONS)[number];

/** tshark 4.0's arithmetic; `-` and `/` need spaces around them, as a field name or a network can hold them. */
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Relation = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'lt' | 'ge' | 'le' | 'contains' | 'matches';

export type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; expr: Node }
  | { kind: 'exists'; operand: Operand }
  | { kind: 'compare'; rel: Relation; left: Operand; right: Operand; quantifier: 'any' | 'all' | null; at: number }
  | { kind: 'in'; operand: Operand; items: { lo: Operand; hi: Operand | null }[]; at: number };

const RELATIONS: Record<string, Relation> = {
  '==': 'any_eq',
  eq: 'any_eq',
  any_eq: 'any_eq',
  '!=': 'all_ne',
  ne: 'all_ne',
  all_ne: 'all_ne',
  '===': 'all_eq',
  all_eq: 'all_eq',
  '!==': 'any_ne',
  '~=': 'any_ne',
  any_ne: 'any_ne',
  '>': 'gt',
  gt: 'gt',
  '<': 'lt',
  lt: 'lt',
  '>=': 'ge',
  ge: 'ge',
  '<=': 'le',
  le: 'le',
  contains: 'contains',
  matches: 'matches',
  '~': 'matches',
};

/**
 * Recursive descent with Wireshark's precedence: `not` binds tightest,
 * then `and`, then `or`. isField says which words name fields or protocols.
 */
export function parseFilter(text: string, isField: (name: string) => boolean): Node {
  const tokens = lex(text);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isWord = (t: Token, ...words: string[]) => t.kind === 'word' && words.includes(t.text);
  const isPunct = (t: Token, ...ps: string[]) => t.kind === 'punct' && ps.includes(t.text);
  const unexpected = (t: Token): FilterError =>
    t.kind === 'end'
      ? new FilterError('the filter ends too soon', text.length, 1)
      : new FilterError(`"${t.text}" was unexpected here`, t.start, Math.max(1, t.text.length));
  const expect = (p: string) => {
    const t = next();
    if (!isPunct(t, p)) throw t.kind === 'end' ? new FilterError(`"${p}" is missing`, text.length, 1) : unexpected(t);
  };

  function orExpr(): Node {
    let left = andExpr();
    while (isWord(peek(), 'or') || isPunct(peek(), '||')) {
      next();
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  }
  function andExpr(): Node {
    let left = notExpr();
    while (isWord(peek(), 'and') || isPunct(peek(), '&&')) {
      next();
      left = { kind: 'and', left, right: notExpr() };
    }
    return left;
  }
  function notExpr(): Node {
    if (isWord(peek(), 'not') || isPunct(peek(), '!')) {
      next();
      return { kind: 'not', expr: notExpr() };
    }
    if (isPunct(peek(), '(')) {
      next();
      const e = orExpr();
      expect(')');
      return e;
    }
    return test();
  }
  function test(): Node {
    let quantifier: 'any' | 'all' | null = null;
    if (isWord(peek(), 'any', 'all') && !isField(peek().text) && tokens[pos + 1]!.kind === 'word')
      quantifier = next().text as 'any' | 'all';
    const left = operand();
    const t = peek();
    const rel = t.kind === 'punct' || t.kind === 'word' ? RELATIONS[t.text] : undefined;
    if (rel) {
      next();
      return { kind: 'compare', rel, left, right: operand(), quantifier, at: t.start };
    }
    if (isWord(t, 'in') || (isWord(t, 'not') && isWord(tokens[pos + 1]!, 'in'))) {
      if (left.kind === 'arith' || left.kind === 'neg') throw unexpected(t);
      const negate = next().text === 'not';
      if (negate) next();
      const node: Node = { kind: 'in', operand: left, items: setItems(), at: t.start };
      return negate ? { kind: 'not', expr: node } : node;
    }
    if (quantifier) throw unexpected(t);
    return { kind: 'exists', operand: left };
  }
  function setItems(): { lo: Operand; hi: Operand | null }[] {
    expect('{');
    const items: { lo: Operand; hi: Operand | null }[] = [];
    for (;;) {
      const lo = primary();
      let hi: Operand | null = null;
      if (isPunct(peek(), '..')) {
        next();
        hi = primary();
      }
      items.push({ lo, hi });
      if (isPunct(peek(), ',')) {
        next();
        continue;
      }
      expect('}');
      return items;
    }
  }
  /** An operand with tshark 4.0's arithmetic: `&` binds loosest, then `+ -`, then `* / %`, then a unary minus. */
  function operand(): Operand {
    let o = additive();
    while (isPunct(peek(), '&')) {
      next();
      const mask = additive();
      o = { kind: 'and-mask', field: o, mask, start: o.start, length: mask.start + mask.length - o.start };
    }
    return o;
  }
  function additive(): Operand {
    let o = multiplicative();
    for (;;) {
      const t = peek();
      if (isPunct(t, '+') || isWord(t, '-')) {
        next();
        o = arith(t.text as ArithOp, o, multiplicative());
      } else if (t.kind === 'word' && /^-[0-9]/.test(t.text)) {
        // `frame.len -1`: the minus came as one word with the number.
        next();
        const n = t.text.slice(1);
        o = arith('-', o, { kind: 'literal', text: n, quoted: null, start: t.start + 1, length: n.length });
      } else return o;
    }
  }
  function multiplicative(): Operand {
    let o = unary();
    for (;;) {
      const t = peek();
      if (!isPunct(t, '*', '%') && !isWord(t, '/')) return o;
      next();
      o = arith(t.text as ArithOp, o, unary());
    }
  }
  function unary(): Operand {
    const t = peek();
    if (isWord(t, '-') || isPunct(t, '+')) {
      next();
      const arg = unary();
      return t.text === '+' ? arg : { kind: 'neg', arg, start: t.start, length: arg.start + arg.length - t.start };
    }
    if (t.kind === 'word' && t.text.startsWith('-') && isField(t.text.slice(1))) {
      // `-frame.len`: a minus before a field, in one word.
      t.text = t.text.slice(1);
      t.start++;
      const arg = primary();
      return { kind: 'neg', arg, start: t.start - 1, length: arg.length + 1 };
    }
    if (isPunct(t, '{')) {
      next();
      const o = operand();
      expect('}');
      return o;
    }
    return primary();
  }
  function arith(op: ArithOp, left: Operand, right: Operand): Operand {
    return { kind: 'arith', op, left, right, start: left.start, length: right.start + right.length - left.start };
  }
  function primary(): Operand {
    const t = next();
    if (t.kind === 'string')
      return { kind: 'literal', text: t.text, quoted: t.bytes!, start: t.start, length: t.text.length + 2 };
    if (t.kind !== 'word') throw unexpected(t);
    if ((FUNCTIONS as readonly string[]).includes(t.text) && isPunct(peek(), '(')) {
      next();
      const args = [operand()];
      while (isPunct(peek(), ',')) {
        next();
        args.push(operand());
      }
      expect(')');
      const fn = t.text as FilterFunction;
      const length = tokens[pos - 1]!.start + 1 - t.start;
      // max and min take any number of values; the others one.
      if (fn !== 'max' && fn !== 'min' && args.length !== 1)
        throw new FilterError(`${fn}() takes one argument, not ${args.length}`, t.start, length);
      return { kind: 'call', fn, args, start: t.start, length };
    }
    if (!isField(t.text)) return { kind: 'literal', text: t.text, quoted: null, start: t.start, length: t.text.length };
    const layers = isPunct(peek(), '#') ? layerRange() : null;
    const slice = isPunct(peek(), '[') ? sliceRanges() : null;
    return { kind: 'field', name: t.text, start: t.start, length: t.text.length, layers, slice };
  }
  /** `#2`, `#-1` (the innermost: beyond Wireshark 4.0), `#[2-3]`, `#[2:2]`, `#[1,3]`; layer 0 is none. */
  function layerRange(): Range[] {
    next();
    if (isPunct(peek(), '[')) return sliceRanges();
    const t = next();
    if (t.kind !== 'word' || !/^-?[0-9]+$/.test(t.text)) {
      throw new FilterError(
        'a layer is a number (-1 the innermost) or ranges in brackets',
        t.start,
        Math.max(1, t.text.length),
      );
    }
    const n = Number(t.text);
    return [{ from: n, to: n === -1 ? null : n + 1 }];
  }
  function sliceRanges(): Range[] {
    const open = next();
    const ranges: Range[] = [];
    let body = '';
    let start = open.start + 1;
    for (;;) {
      const t = next();
      if (isPunct(t, ']') || isPunct(t, ',')) {
        ranges.push(parseRange(body, start, t.start - start));
        body = '';
        start = t.start + 1;
        if (t.text === ']') return ranges;
        continue;
      }
      if (t.kind === 'end') throw new FilterError('"]" is missing', text.length, 1);
      body += t.text;
    }
  }

  const tree = orExpr();
  if (peek().kind !== 'end') throw unexpected(peek());
  return tree;
}

/** One slice: n, n:len, n-m (inclusive), n:, :len; negative n counts from the end. */
function parseRange(body: string, start: number, length: number): Range {
  const invalid = (why: string) => new FilterError(`Range ${body} isn't valid because ${why}`, start, length);
  let m = /^(-?[0-9]+)?:(-?[0-9]+)?$/.exec(body);
  if (m) {
    const from = m[1] === undefined ? 0 : Number(m[1]);
    if (m[2] === undefined) return { from, to: null };
    const n = Number(m[2]);
    if (n <= 0) throw invalid(`length ${n} isn't positive`);
    if (from < 0 && from + n > 0) return { from, to: 0 };
    return { from, to: from < 0 && from + n === 0 ? null : from + n };
  }
  m = /^(-?[0-9]+)-(-?[0-9]+)$/.exec(body);
  if (m) {
    const from = Number(m[1]);
    const last = Number(m[2]);
    // tshark 4.0's rules for n-m, in its order.
    if (from >= last) throw invalid(`${from} is greater or equal than ${last}`);
    if (from < 0 !== last < 0) throw invalid(`${from} and ${last} have different signs`);
    return { from, to: last === -1 ? null : last + 1 };
  }
  if (/^-?[0-9]+$/.test(body)) {
    const from = Number(body);
    return { from, to: from === -1 ? null : from + 1 };
  }
  throw new FilterError(`"${body}" is not a byte range (n, n:length, n-m, n:, :length)`, start, Math.max(1, length));
}
