import { fieldNames, lookupField, readField } from '../dissect/field-index.js';
import { ipv6 as ipv6Text, mac as macText } from '../dissect/addr.js';
import { protocolData, Values, type Field } from '../dissect/field.js';
import type { PacketCtx } from '../dissect/packet.js';
import { editDistance } from '../util/edit-distance.js';
import { parseIpv4, parseIpv6 } from '../util/ip-text.js';
import { type ArithOp, FilterError, parseFilter, type Node, type Operand, type Range, type Relation } from './parse.js';

/**
 * A display filter compiled once into a predicate over the dissected
 * packet: each field use owns a reused Values, so matching a packet
 * allocates nothing (except `matches` on bytes, which needs a string).
 * Semantics are tshark 4.0's: `==` any occurrence, `!=` all differ (and
 * the field is present), `===` all equal, `!==`/`~=` any differs; a test on
 * an absent field is false.
 */
export type Predicate = (ctx: PacketCtx) => boolean;

/** How values compare: numbers, IPv4 (numbers with a prefix), byte strings, text. */
type Kind = 'num' | 'ipv4' | 'bytes' | 'str';

interface Source {
  readonly kind: Kind;
  /** The field behind the values, when they are its own (literals are read in its terms). */
  readonly field: Field | null;
  readonly v: Values;
  /**
   * Signed numbers (int and time fields, a minus before a field). An unsigned source's values are never compared
   * with a negative number, as in tshark 4.0, where `frame.len > -1` and `frame.len == -1` are false and `!=` true;
   * its negative values (a subtraction below 0 is signed in tshark) still are.
   */
  readonly signed: boolean;
  /** Reads the packet's values into v; returns how many. */
  load(ctx: PacketCtx): number;
  /** Arithmetic: whether its last load had operands but dropped every value (an overflow, a division by zero). */
  readonly dropped?: () => boolean;
}

/** A literal read in the terms of the values it is compared with. */
interface Const {
  num: number;
  /** IPv4: the prefix mask (0xffffffff for a host); bytes: the prefix in bits, -1 for all of them. */
  mask: number;
  bytes: Uint8Array;
  str: string;
}

const KIND_OF: Record<Field['type'], Kind> = {
  uint: 'num',
  int: 'num',
  double: 'num',
  float: 'num',
  bool: 'num',
  time: 'num',
  reltime: 'num',
  ipv4: 'ipv4',
  ipv6: 'bytes',
  ether: 'bytes',
  bytes: 'bytes',
  systemid: 'bytes',
  protocol: 'bytes',
  none: 'bytes',
  string: 'str',
};

export class DisplayFilter {
  readonly match: Predicate;
  /** It reads a field of TCP's or UDP's conversations (tcp.stream): the engine must keep them. */
  readsConversations = false;

  constructor(readonly text: string) {
    const tree = parseFilter(text, (name) => {
      const entry = lookupField(name);
      if (entry?.field.conversation) this.readsConversations = true;
      return entry !== undefined;
    });
    this.match = compileNode(tree);
  }
}

/** The message, the filter and a caret line under the mistake, as dftest shows them. */
export function describeFilterError(err: FilterError, text: string): string {
  const start = Math.min(err.start, text.length);
  return (
    `${err.message}\n    ${text}\n   ` +
    ` ${' '.repeat(start)}^${'~'.repeat(Math.max(0, Math.min(err.length, text.length - start) - 1))}`
  );
}

function compileNode(n: Node): Predicate {
  switch (n.kind) {
    case 'and': {
      const a = compileNode(n.left);
      const b = compileNode(n.right);
      return (ctx) => a(ctx) && b(ctx);
    }
    case 'or': {
      const a = compileNode(n.left);
      const b = compileNode(n.right);
      return (ctx) => a(ctx) || b(ctx);
    }
    case 'not': {
      const a = compileNode(n.expr);
      return (ctx) => !a(ctx);
    }
    case 'exists': {
      const o = n.operand;
      if (o.kind === 'literal') throw notAField(o);
      if (o.kind === 'call') throw new FilterError('You cannot test whether a function is present', o.start, o.length);
      const s = source(leftHand(o));
      // A mask or arithmetic alone is true where a value is not 0, as in tshark.
      if (o.kind === 'and-mask' || o.kind === 'arith' || o.kind === 'neg')
        return (ctx) => {
          const k = s.load(ctx);
          for (let i = 0; i < k; i++) if (s.v.nums[i] !== 0) return true;
          return false;
        };
      return (ctx) => s.load(ctx) > 0;
    }
    case 'in':
      return compileIn(n);
    case 'compare':
      return compileCompare(n);
  }
}

/** The left-hand side as tshark 4.0 takes it: arithmetic that starts with a number is refused there. */
function leftHand(o: Operand): Operand {
  for (let x = o; ; ) {
    if (x.kind === 'call') {
      for (const a of x.args) leftHand(a);
      return o;
    }
    if (x.kind === 'neg') x = x.arg;
    else if (x.kind === 'arith' || x.kind === 'and-mask') {
      const first = x.kind === 'arith' ? x.left : x.field;
      if (isConstant(first))
        throw new FilterError('Constant arithmetic expression on the LHS is invalid', x.start, x.length);
      x = first;
    } else return o;
  }
}

function notAField(o: Operand): FilterError {
  const text = o.kind === 'literal' ? o.text : '';
  return new FilterError(`"${text}" is not a field or protocol${nearest(text)}`, o.start, o.length);
}

/** " (did you mean ip.src?)" for a misspelt field name, or nothing when none is near. */
export function nearest(name: string): string {
  if (!/^[a-z][a-z0-9_.-]*$/i.test(name)) return '';
  let best = '';
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of fieldNames()) {
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const d = editDistance(name, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

// ---- sources: what an operand reads from the packet ----

function source(o: Operand): Source {
  switch (o.kind) {
    case 'field':
      return fieldSource(o);
    case 'call':
      return callSource(o);
    case 'and-mask': {
      if (o.field.kind === 'literal') throw notAField(o.field);
      const inner = source(o.field);
      if (inner.kind !== 'num' || inner.field?.type === 'bool')
        throw new FilterError('"&" takes an integer field', o.start, o.length);
      // A number, or arithmetic of numbers (`ip.ttl & 0x0f + 1`: & binds loosest).
      const mask = isConstant(o.mask) ? constantNumber(o.mask, inner) : NaN;
      if (!(mask >= 0)) throw new FilterError('the mask after "&" is a number', o.mask.start, o.mask.length);
      return mapped(inner, 'num', null, false, (v, from, i) => v.num(bitAnd(from.nums[i]!, mask), EMPTY, 0, 0));
    }
    case 'arith':
      return arithSource(o);
    case 'neg':
      return negSource(o);
    case 'literal':
      throw notAField(o);
  }
}

const EMPTY = new Uint8Array(0);

/** Values made from inner's, one by one: put adds what value i of inner gives (none, when it is dropped). */
function mapped(
  inner: Source,
  kind: Kind,
  field: Field | null,
  signed: boolean,
  put: (v: Values, from: Values, i: number) => void,
): Source {
  const v = new Values();
  return {
    kind,
    field,
    signed,
    v,
    load(ctx) {
      const k = inner.load(ctx);
      v.n = 0;
      for (let i = 0; i < k; i++) put(v, inner.v, i);
      return v.n;
    },
  };
}
const TWO_32 = 2 ** 32;

/** & on values that may exceed 32 bits. */
function bitAnd(a: number, b: number): number {
  if (a < TWO_32 && b < TWO_32) return (a & b) >>> 0;
  return Number(BigInt(a) & BigInt(b));
}

function fieldSource(o: Extract<Operand, { kind: 'field' }>, entry = lookupField(o.name)!): Source {
  const f = entry.field;
  const layers = o.layers ? layerBounds(o.layers) : null;
  const v = new Values();
  const time = f.type === 'time' || f.type === 'reltime';
  const read = (ctx: PacketCtx): number => {
    readField(entry, ctx, v, layers);
    // Times compare as seconds with their fraction.
    if (time) for (let i = 0; i < v.n; i++) v.nums[i] = v.nums[i]! + v.offs[i]! / 1e9;
    return v.n;
  };
  if (!o.slice) return { kind: KIND_OF[f.type], field: f, signed: f.type === 'int' || time, v, load: read };
  if (time) throw new FilterError(`${o.name} is a time: it has no bytes to slice`, o.start, o.length);
  if (f.type === 'double' || f.type === 'float')
    throw new FilterError(`${o.name} is a number with a fraction: it has no bytes to slice`, o.start, o.length);
  if (f.type === 'none')
    throw new FilterError(`"${o.name}" is a Label and cannot be sliced into a sequence of bytes`, o.start, o.length);
  return sliceSource(v, o.slice, read);
}

// ---- arithmetic (tshark 4.0): a value that overflows or divides by zero is dropped, as tshark drops it ----

const isConstant = (o: Operand): boolean =>
  o.kind === 'literal' ||
  (o.kind === 'arith' && isConstant(o.left) && isConstant(o.right)) ||
  (o.kind === 'neg' && isConstant(o.arg));

/** An operand of arithmetic: numbers only, times only added to and subtracted from. */
function numericSource(o: Operand, op: ArithOp | 'a minus'): Source {
  const s = source(o);
  const t = s.field?.type;
  if (
    s.kind !== 'num' ||
    t === 'bool' ||
    t === 'time' ||
    (t === 'reltime' && op !== '+' && op !== '-' && op !== 'a minus')
  )
    throw new FilterError(`${describe(o)} cannot take ${op === 'a minus' ? op : `"${op}"`}`, o.start, o.length);
  return s;
}

/** The limits of a number of s's type, as tshark keeps it: 32 bits unless the field is wider. */
function limits(s: Source): { min: number; max: number; wide: number } {
  const wide = s.field && s.field.bits > 32 ? 64 : 32;
  return s.signed ? { min: -(2 ** (wide - 1)), max: 2 ** (wide - 1) - 1, wide } : { min: 0, max: 2 ** wide - 1, wide };
}

/**
 * x op y for a value x of s's type, or NaN where tshark fails: an overflow, a division by zero. An unsigned
 * subtraction below 0 turns signed (32 bits), as in tshark.
 */
function applyArith(op: ArithOp, x: number, y: number, s: Source): number {
  if (s.field?.type === 'reltime') return op === '+' ? x + y : x - y;
  const { min, max, wide } = limits(s);
  const signedNow = s.signed || x < 0;
  const lo = signedNow ? -(2 ** (wide - 1)) : min;
  const hi = signedNow ? 2 ** (wide - 1) - 1 : max;
  let r: number;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      if (!signedNow && y > x) return x > 2 ** 31 - 1 || y > 2 ** 31 - 1 ? NaN : x - y;
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
      if (y === 0) return NaN;
      r = Math.trunc(x / y);
      break;
    case '%':
      if (y === 0) return NaN;
      r = x % y;
      break;
  }
  return r < lo || r > hi ? NaN : r;
}

/** A constant operand read in s's terms: a literal, or arithmetic of literals (`frame.len == 31 * 2`). */
function constantNumber(o: Operand, s: Source): number {
  if (o.kind === 'literal') {
    const n = literal(o, s, 'any_eq').num;
    // A negative literal of an unsigned type wraps, as C's unsigned arithmetic in tshark: -3 is 2^32 - 3.
    return n < 0 && !s.signed && s.field?.type !== 'reltime' ? n + limits(s).max + 1 : n;
  }
  if (o.kind === 'neg') return -constantNumber(o.arg, s);
  if (o.kind !== 'arith') throw new FilterError('a value is expected here', o.start, o.length);
  return applyArith(o.op, constantNumber(o.left, s), constantNumber(o.right, s), s);
}

/** a op b over every pair of their values (tshark's order); a literal side is read in the other side's terms. */
function arithSource(o: Extract<Operand, { kind: 'arith' }>): Source {
  if (isConstant(o.left) && isConstant(o.right))
    throw new FilterError('Constant arithmetic expression on the LHS is invalid', o.start, o.length);
  const a = isConstant(o.left) ? null : numericSource(o.left, o.op);
  const b = isConstant(o.right) ? null : numericSource(o.right, o.op);
  const typed = (a ?? b)!;
  const ca = a ? 0 : constantNumber(o.left, typed);
  const cb = b ? 0 : constantNumber(o.right, typed);
  const v = new Values();
  let operands = 0;
  return {
    kind: 'num',
    field: typed.field,
    signed: typed.signed,
    v,
    load(ctx) {
      v.n = 0;
      const na = a ? a.load(ctx) : 1;
      const nb = b ? b.load(ctx) : 1;
      operands = na * nb;
      for (let i = 0; i < na; i++) {
        for (let j = 0; j < nb; j++) {
          const r = applyArith(o.op, a ? a.v.nums[i]! : ca, b ? b.v.nums[j]! : cb, typed);
          if (!Number.isNaN(r)) v.num(r, EMPTY, 0, 0);
        }
      }
      return v.n;
    },
    dropped: () => operands > 0 && v.n === 0,
  };
}

/** -x: signed; the most negative number has no opposite and is dropped. */
function negSource(o: Extract<Operand, { kind: 'neg' }>): Source {
  if (isConstant(o.arg))
    throw new FilterError('Constant arithmetic expression on the LHS is invalid', o.start, o.length);
  const a = numericSource(o.arg, 'a minus');
  const time = a.field?.type === 'reltime';
  const { wide } = limits(a);
  return mapped(a, 'num', time ? a.field : null, true, (v, from, i) => {
    const x = from.nums[i]!;
    if (time || (x > -(2 ** (wide - 1)) && x <= 2 ** (wide - 1) - 1)) v.num(-x, EMPTY, 0, 0);
  });
}

// ---- functions (tshark 4.0) ----

/** A function's values: len(), count(), upper(), lower(), string(), abs(), max(), min(). */
function callSource(o: Extract<Operand, { kind: 'call' }>): Source {
  const arg = o.args[0]!;
  switch (o.fn) {
    case 'len':
    case 'count': {
      if (arg.kind !== 'field' || arg.slice !== null)
        throw new FilterError(`Only fields can be used as parameter for ${o.fn}()`, arg.start, arg.length);
      const inner = fieldSource(arg);
      if (o.fn === 'count') {
        const v = new Values();
        return {
          kind: 'num',
          field: null,
          signed: false,
          v,
          load(ctx) {
            const k = inner.load(ctx);
            v.n = 0;
            // count() of an absent field has no value, as in tshark (count(vxlan) == 0 is false).
            if (k > 0) v.num(k, EMPTY, 0, 0);
            return v.n;
          },
        };
      }
      // len() of a number is its type's width in bytes (a flag's 0), as tshark's, whatever it takes in the packet.
      const t = inner.field?.type;
      // A mark without a value (FT_NONE) has no length either.
      const width = t === 'bool' || t === 'none' ? 0 : t === 'uint' || t === 'int' ? inner.field!.size : -1;
      return mapped(inner, 'num', null, false, (v, from, i) => v.num(width >= 0 ? width : from.lens[i]!, EMPTY, 0, 0));
    }
    case 'upper':
    case 'lower': {
      const inner = arg.kind === 'field' ? fieldSource(arg) : null;
      if (inner?.kind !== 'str')
        throw new FilterError(`Only string type fields can be used as parameter for ${o.fn}()`, arg.start, arg.length);
      const upper = o.fn === 'upper';
      return mapped(inner, 'str', null, false, (v, from, i) => {
        const text = from.strs[i]!;
        v.str(upper ? text.toUpperCase() : text.toLowerCase(), from.bufs[i]!, from.offs[i]!, from.lens[i]!);
      });
    }
    case 'string':
      return stringSource(arg);
    case 'abs': {
      const inner = arg.kind === 'literal' ? null : source(arg);
      const t = inner?.field?.type;
      if (!inner || inner.kind !== 'num' || t === 'bool' || t === 'time')
        throw new FilterError(`'${describe(arg)}' is not a valid argument to 'abs'()`, arg.start, arg.length);
      return mapped(inner, 'num', inner.field, inner.signed, (v, from, i) =>
        v.num(Math.abs(from.nums[i]!), EMPTY, 0, 0),
      );
    }
    case 'max':
    case 'min':
      return extremeSource(o);
  }
}

/** string(): an integer in decimal, an address as text; tshark 4.0 converts no other field. */
function stringSource(arg: Operand): Source {
  const inner = arg.kind === 'field' && !arg.slice ? fieldSource(arg) : null;
  const t = inner?.field?.type;
  if (!inner || (t !== 'uint' && t !== 'int' && t !== 'ipv4' && t !== 'ipv6' && t !== 'ether'))
    throw new FilterError(`String conversion for field "${describe(arg)}" is not supported`, arg.start, arg.length);
  return mapped(inner, 'str', null, false, (v, from, i) => {
    const n = from.nums[i]!;
    const buf = from.bufs[i]!;
    const off = from.offs[i]!;
    const text =
      t === 'ipv4'
        ? `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`
        : t === 'ipv6'
          ? ipv6Text(buf, off)
          : t === 'ether'
            ? macText(buf, off)
            : String(n);
    v.str(text, buf, off, from.lens[i]!);
  });
}

/**
 * max() and min(): the greatest or least of every value of every argument, one value (none when there is none).
 * The arguments are of one type, as tshark 4.0 asks; literals are read in the terms of the first field.
 */
function extremeSource(o: Extract<Operand, { kind: 'call' }>): Source {
  const fields = o.args.filter((a) => !isConstant(a)).map(source);
  const first = fields[0];
  if (!first) throw new FilterError(`${o.fn}() needs a field among its arguments`, o.start, o.length);
  for (const s of fields) {
    const [a, b] = [s.field, first.field];
    if (s.kind !== first.kind || (a && b && (a.type !== b.type || a.bits !== b.bits)))
      throw new FilterError(`Arguments to '${o.fn}' must have the same type`, o.start, o.length);
  }
  // The literals, as one more argument whose values never change.
  const constants = new Values();
  for (const a of o.args) {
    if (!isConstant(a)) continue;
    const c = literal(a, first, 'any_eq');
    if (first.kind === 'str') constants.str(c.str, EMPTY, 0, 0);
    else if (first.kind === 'bytes') constants.bytes(c.bytes, 0, c.bytes.length);
    else constants.num(c.num, EMPTY, 0, 0);
  }
  const all: Source[] = [...fields];
  if (constants.n > 0) all.push({ ...first, v: constants, load: () => constants.n });
  const max = o.fn === 'max';
  const v = new Values();
  return {
    kind: first.kind,
    field: first.field,
    signed: first.signed,
    v,
    load(ctx) {
      v.n = 0;
      let best: Source | null = null;
      let at = 0;
      for (const s of all) {
        const k = s.load(ctx);
        for (let i = 0; i < k; i++) {
          if (best !== null && (max ? compareSources(s, i, best, at) <= 0 : compareSources(s, i, best, at) >= 0))
            continue;
          best = s;
          at = i;
        }
      }
      if (best === null) return 0;
      const from = best.v;
      if (first.kind === 'str') v.str(from.strs[at]!, from.bufs[at]!, from.offs[at]!, from.lens[at]!);
      else v.num(from.nums[at]!, from.bufs[at]!, from.offs[at]!, from.lens[at]!);
      return 1;
    },
  };
}

/** Layer ranges as readField takes them: pairs of 1-based inclusive numbers, negative from the innermost. */
function layerBounds(ranges: Range[]): number[] {
  return ranges.flatMap((r) => [r.from, r.to === null ? -1 : r.to - 1]);
}

/** A slice of each occurrence's bytes; several ranges are joined into one byte string. */
function sliceSource(values: Values, ranges: Range[], read: (ctx: PacketCtx) => number): Source {
  const v = new Values();
  const scratch = new Uint8Array(65536);
  return {
    kind: 'bytes',
    field: null,
    signed: false,
    v,
    load(ctx) {
      const k = read(ctx);
      v.n = 0;
      let used = 0;
      for (let i = 0; i < k; i++) {
        const buf = values.bufs[i]!;
        const off = values.offs[i]!;
        const len = values.lens[i]!;
        if (ranges.length === 1) {
          const [s, e] = clamp(ranges[0]!, len);
          if (e > s) v.bytes(buf, off + s, e - s);
          continue;
        }
        const begin = used;
        for (const r of ranges) {
          const [s, e] = clamp(r, len);
          for (let p = s; p < e && used < scratch.length; p++) scratch[used++] = buf[off + p]!;
        }
        if (used > begin) v.bytes(scratch, begin, used - begin);
      }
      return v.n;
    },
  };
}

/** A slice's [start, end) within a value of len bytes; empty when it falls outside (Wireshark: no value). */
function clamp(r: Range, len: number): [number, number] {
  const s = r.from < 0 ? len + r.from : r.from;
  const e = r.to === null ? len : r.to < 0 ? len + r.to : r.to;
  if (s < 0 || s >= len || e > len) return [0, 0];
  return [s, e];
}

// ---- literals, read in the terms of what they are compared with ----

/** Whether t (lower case) is one of the flag's words, set or not set. */
const isFlagWord = (f: Field, t: string): boolean => f.tfs.some((w) => w.toLowerCase() === t);

/** A field whose numbers may have a fraction: times, and doubles. */
const fractional = (f: Field): boolean =>
  f.type === 'time' || f.type === 'reltime' || f.type === 'double' || f.type === 'float';

function parseNumber(text: string, f: Field | null, at: Operand): number {
  const t = text.toLowerCase();
  let n = NaN;
  // A double's literal is a C floating-point number, as tshark reads it: 020 is twenty, 15e-1 one and a half.
  if ((f?.type === 'double' || f?.type === 'float') && /^-?([0-9]+\.?[0-9]*|\.[0-9]+)(e[-+]?[0-9]+)?$/.test(t))
    n = Number(t);
  else if (/^0x[0-9a-f]+$/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0b[01]+$/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) n = parseInt(t.slice(1), 8);
  else if (/^-?[0-9]+$/.test(t)) n = Number(t);
  else if (f && fractional(f) && /^-?[0-9]*\.[0-9]+$/.test(t)) n = Number(t);
  else if (f?.type === 'bool' && (t === 'true' || t === 'false')) n = t === 'true' ? 1 : 0;
  // A flag's own words, as tshark takes them (`gre.flags.key == "Yes"`).
  else if (f?.type === 'bool' && isFlagWord(f, t)) n = f.tfs[0].toLowerCase() === t ? 1 : 0;
  else if (f?.values) {
    const named = Object.entries(f.values);
    for (const [value, name] of named) if (name === text) n = Number(value);
    if (Number.isNaN(n)) {
      for (const [value, name] of named) if (name.toLowerCase() === t) n = Number(value);
    }
    if (Number.isNaN(n))
      throw new FilterError(`"${text}" cannot be found among the possible values for ${f.name}`, at.start, at.length);
  }
  if (!Number.isSafeInteger(n) && !(Number.isFinite(n) && f && fractional(f))) {
    throw new FilterError(`"${text}" is not a valid number${f ? ` for ${f.name}` : ''}`, at.start, at.length);
  }
  return n;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z| UTC|[+-]\d{2}:?\d{2})?$/;
const NAMED_MONTH_TIME = /^([a-z]{3}) +(\d{1,2}), *(\d{4}) +(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z| UTC)?$/i;

/**
 * An absolute time (frame.time) in seconds since the epoch, in the forms tshark 4.0 takes: `Nov 12, 1999
 * 08:55:44.123` and ISO 8601's `2011-07-04 12:34:56` (or with a T, the seconds and the time optional there), in local
 * time unless `Z`, ` UTC` or an offset says otherwise. Days past a month's end roll over, as C's mktime rolls them.
 */
function absoluteTime(o: Extract<Operand, { kind: 'literal' }>): number {
  const iso = ISO_TIME.exec(o.text);
  const named = iso ? null : NAMED_MONTH_TIME.exec(o.text);
  const m = iso ?? named;
  const month = iso ? Number(m?.[2]) - 1 : MONTHS.indexOf(m?.[1]?.toLowerCase() ?? '');
  const [day, hour, minute, second] = [m?.[3 - (named ? 1 : 0)], m?.[4], m?.[5], m?.[6]].map(Number);
  const year = Number(named ? m?.[3] : m?.[1]);
  if (!m || month < 0 || month > 11 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 60) {
    throw new FilterError(
      `"${o.text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`,
      o.start,
      o.length,
    );
  }
  const [h, mi, sec] = [hour || 0, minute || 0, second || 0];
  const zone = m[8];
  let ms: number;
  if (zone === undefined) ms = new Date(year, month, day!, h, mi, sec).getTime();
  else {
    ms = Date.UTC(year, month, day!, h, mi, sec);
    const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (offset) ms -= (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000;
  }
  return ms / 1000 + Number(`0.${m[7] ?? '0'}`);
}

/**
 * A number compared with a field, as tshark 4.0 takes it: past the field's width it is refused ("70000" for a 16-bit
 * port), and for a boolean any number but 0 is true.
 */
function fitted(n: number, f: Field, at: Extract<Operand, { kind: 'literal' }>): number {
  if (f.type === 'bool') {
    if (n < 0) throw new FilterError(`"${at.text}" is not a boolean (0, 1, true or false)`, at.start, at.length);
    return n === 0 ? 0 : 1;
  }
  if (f.type !== 'uint' && f.type !== 'int') return n;
  const max = f.type === 'uint' ? 2 ** f.bits - 1 : 2 ** (f.bits - 1) - 1;
  if (n > max) throw new FilterError(`"${at.text}" too big for this field, maximum ${max}`, at.start, at.length);
  if (f.type === 'int' && n < -max - 1)
    throw new FilterError(`"${at.text}" too small for this field, minimum ${-max - 1}`, at.start, at.length);
  return n;
}

/**
 * A colon before a byte string makes it one to tshark 4.0's scanner, never a field's name (`:ff`): hex digits, or
 * pairs parted all by colons, all by dots or all by hyphens.
 */
const COLON_BYTES =
  /^:(?:[0-9a-f]+|[0-9a-f]{2}(?::[0-9a-f]{2})+|[0-9a-f]{2}(?:\.[0-9a-f]{2})+|[0-9a-f]{2}(?:-[0-9a-f]{2})+)$/i;

/**
 * Names of tshark 4.0's protocols and fields (`tshark -G protocols`, `-G fields`) that are also byte strings. tshark
 * reads such a word as the field (`frame contains ff` looks for FOUNDATION Fieldbus, which is not there), so gredump,
 * which does not dissect these, refuses them as values rather than read bytes that tshark would not.
 * test/fields-tshark.test.ts holds the list to tshark's.
 */
export const TSHARK_NAMES_LIKE_BYTES = [
  'a11',
  'a11.b',
  'a11.d',
  'a21',
  'a615a',
  'aaf',
  'acf',
  'adb',
  'bfd',
  'c1222',
  'c15',
  'dc',
  'dc.dc',
  'dcc',
  'e100',
  'e164',
  'e212',
  'fc',
  'fc00',
  'fefd',
  'ff',
  'ff.fda',
];

/**
 * Refuses a bare value tshark's scanner refuses (a colon before what is not a byte string: `:R`; `::1` is IPv6) or
 * reads as a protocol or field gredump does not have (see above).
 */
function refuseBareValue(o: Operand & { kind: 'literal' }): void {
  if (o.quoted) return;
  if (o.text.startsWith(':') && !o.text.startsWith('::') && !COLON_BYTES.test(o.text))
    throw new FilterError('":" was unexpected here', o.start, 1);
  if (!TSHARK_NAMES_LIKE_BYTES.includes(o.text) || lookupField(o.text)) return;
  const bytes = COLON_BYTES.test(`:${o.text}`) ? `; for bytes write :${o.text}` : '';
  throw new FilterError(`"${o.text}" is a protocol or field to tshark, not dissected here${bytes}`, o.start, o.length);
}

/**
 * A byte string as tshark 4.0 reads one (Wireshark's hex_str_to_bytes, separators optional): hex digits taken four,
 * then two, then one at a time, each group a byte or two, a '.' or '-' after any group (`0200.0000`, `8-0`, `450` is
 * 45 00, `5` is 05), colons only between pairs; and one byte written `0x45`.
 */
function parseByteString(literal: string): Uint8Array | null {
  if (literal.startsWith(':')) return COLON_BYTES.test(literal) ? parseByteString(literal.slice(1)) : null;
  const text = literal.length === 4 && /^0x/i.test(literal) ? literal.slice(2) : literal;
  const isSeparator = (c: string | undefined) => c === ':' || c === '.' || c === '-';
  // tshark's scanner takes colons only between pairs (`08:00`; `8:00` and `08:0045` are refused).
  if (text.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(text)) return null;
  const out: number[] = [];
  for (let p = 0; p < text.length; ) {
    const digits = /^[0-9a-f]{0,4}/i.exec(text.slice(p, p + 4))![0].length;
    const take = digits === 4 ? 4 : digits >= 2 ? 2 : digits;
    if (take === 0 || (take === 1 && p + 1 < text.length && !isSeparator(text[p + 1]))) return null;
    for (let k = 0; k < take; k += 2) out.push(parseInt(text.slice(p + k, p + Math.min(k + 2, take)), 16));
    p += take;
    if (isSeparator(text[p])) p++;
  }
  return out.length === 0 ? null : Uint8Array.from(out);
}

/** tshark's refusal of a quoted string against an address field. */
function notFromString(type: 'ipv4' | 'ipv6' | 'ether' | 'systemid', o: Operand & { kind: 'literal' }): FilterError {
  const what = {
    ipv4: 'IPv4 address',
    ipv6: 'IPv6 address',
    ether: 'Ethernet or other MAC address',
    systemid: 'OSI System-ID',
  }[type];
  return new FilterError(`${what} cannot be converted from a string ("${o.text}")`, o.start, o.length);
}

function literal(o: Operand, against: Source, rel: Relation | 'in'): Const {
  const c: Const = { num: 0, mask: -1, bytes: EMPTY, str: '' };
  if ((o.kind === 'arith' || o.kind === 'neg') && isConstant(o)) {
    if (against.kind !== 'num') {
      const op = o.kind === 'arith' ? o.op : '-';
      throw new FilterError(`${against.field?.name ?? 'the value'} cannot take "${op}"`, o.start, o.length);
    }
    c.num = constantNumber(o, against);
    return c;
  }
  if (o.kind !== 'literal') throw new FilterError('a value is expected here', o.start, o.length);
  refuseBareValue(o);
  const f = against.field;
  const what = f ? f.name : 'the value';
  if (f?.type === 'time') {
    c.num = absoluteTime(o);
    return c;
  }
  switch (against.kind) {
    case 'num':
      // A value's name may be quoted, as tshark takes it (`gre.proto == "Transparent Ethernet bridging"`).
      if (
        o.quoted &&
        !(f?.values && Object.values(f.values).some((n) => n.toLowerCase() === o.text.toLowerCase())) &&
        !(f?.type === 'bool' && isFlagWord(f, o.text.toLowerCase()))
      )
        throw new FilterError(
          f?.type === 'bool'
            ? `"${o.text}" cannot be found among the possible values for ${f.name}`
            : `${what} is a number: "${o.text}" is a string`,
          o.start,
          o.length,
        );
      c.num = parseNumber(o.text, f, o);
      if (f) c.num = fitted(c.num, f, o);
      return c;
    case 'ipv4': {
      if (o.quoted) throw notFromString('ipv4', o);
      const [addr, prefix] = o.text.split('/');
      const a = parseIpv4(addr!);
      const bits = prefix === undefined ? 32 : /^[0-9]{1,2}$/.test(prefix) ? Number(prefix) : 99;
      if (a === null || bits > 32)
        throw new FilterError(`"${o.text}" is not a valid IPv4 address or network`, o.start, o.length);
      if (
        prefix !== undefined &&
        rel !== 'any_eq' &&
        rel !== 'all_ne' &&
        rel !== 'all_eq' &&
        rel !== 'any_ne' &&
        rel !== 'in'
      ) {
        throw new FilterError('a network (/prefix) can only be tested for equality', o.start, o.length);
      }
      c.mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      c.num = (a & c.mask) >>> 0;
      return c;
    }
    case 'bytes': {
      if (o.quoted && (f?.type === 'ether' || f?.type === 'ipv6' || f?.type === 'systemid'))
        throw notFromString(f.type, o);
      if (o.quoted) {
        c.bytes = o.quoted;
        return c;
      }
      if (f?.type === 'ipv6') {
        const [addr, prefix] = o.text.split('/');
        const a = parseIpv6(addr!);
        const bits =
          prefix === undefined ? -1 : /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= 128 ? Number(prefix) : 999;
        if (!a || bits === 999)
          throw new FilterError(`"${o.text}" is not a valid IPv6 address or network`, o.start, o.length);
        c.bytes = a;
        c.mask = bits;
        return c;
      }
      const b = parseByteString(o.text);
      if (!b || (f?.type === 'ether' && b.length !== 6)) {
        throw new FilterError(
          `"${o.text}" is not a valid ${f?.type === 'ether' ? 'Ethernet address' : 'byte string'}`,
          o.start,
          o.length,
        );
      }
      c.bytes = b;
      return c;
    }
    case 'str':
      c.str = o.text;
      return c;
  }
}

// ---- comparing ----

/** Negative, zero or positive as value i of s is below, equal to or above c (IPv4 and bytes within the prefix). */
function compareConst(s: Source, i: number, c: Const): number {
  const v = s.v;
  switch (s.kind) {
    case 'num':
      return v.nums[i]! - c.num;
    case 'ipv4': {
      const a = v.nums[i]!;
      if (c.mask !== 0xffffffff && c.mask !== -1) return ((a & c.mask) >>> 0) - c.num;
      return a - c.num;
    }
    case 'bytes':
      return compareBytes(v.bufs[i]!, v.offs[i]!, v.lens[i]!, c.bytes, 0, c.bytes.length, c.mask);
    case 'str':
      return v.strs[i]! < c.str ? -1 : v.strs[i]! > c.str ? 1 : 0;
  }
}

function compareBytes(
  a: Uint8Array,
  ao: number,
  al: number,
  b: Uint8Array,
  bo: number,
  bl: number,
  prefixBits: number,
): number {
  if (prefixBits >= 0) {
    const whole = prefixBits >> 3;
    for (let k = 0; k < whole; k++) if (a[ao + k] !== b[bo + k]) return a[ao + k]! - b[bo + k]!;
    const rest = prefixBits & 7;
    if (rest === 0) return 0;
    const m = (0xff << (8 - rest)) & 0xff;
    return (a[ao + whole]! & m) - (b[bo + whole]! & m);
  }
  // A shorter byte string is the smaller, as tshark 4.0 orders them.
  if (al !== bl) return al - bl;
  for (let k = 0; k < al; k++) if (a[ao + k] !== b[bo + k]) return a[ao + k]! - b[bo + k]!;
  return 0;
}

function compareSources(a: Source, i: number, b: Source, j: number): number {
  switch (a.kind) {
    case 'num':
    case 'ipv4':
      return a.v.nums[i]! - b.v.nums[j]!;
    case 'bytes':
      return compareBytes(a.v.bufs[i]!, a.v.offs[i]!, a.v.lens[i]!, b.v.bufs[j]!, b.v.offs[j]!, b.v.lens[j]!, -1);
    case 'str':
      return a.v.strs[i]! < b.v.strs[j]! ? -1 : a.v.strs[i]! > b.v.strs[j]! ? 1 : 0;
  }
}

const TRUTH: Record<Exclude<Relation, 'contains' | 'matches'>, (d: number) => boolean> = {
  any_eq: (d) => d === 0,
  all_eq: (d) => d === 0,
  all_ne: (d) => d !== 0,
  any_ne: (d) => d !== 0,
  gt: (d) => d > 0,
  lt: (d) => d < 0,
  ge: (d) => d >= 0,
  le: (d) => d <= 0,
};
const FLIPPED: Partial<Record<Relation, Relation>> = { gt: 'lt', lt: 'gt', ge: 'le', le: 'ge' };
const RELATION_TEXT: Record<Relation | 'in', string> = {
  any_eq: '==',
  all_ne: '!=',
  all_eq: '===',
  any_ne: '~=',
  gt: '>',
  lt: '<',
  ge: '>=',
  le: '<=',
  contains: 'contains',
  matches: 'matches',
  in: 'in',
};

/** A mark without a value (FT_NONE, `udpencap.non_esp_marker`) is there or not: tshark compares it with nothing. */
const isLabel = (o: Operand): boolean => o.kind === 'field' && !o.slice && lookupField(o.name)?.field.type === 'none';

function refuseLabel(o: Operand, rel: Relation | 'in'): void {
  if (o.kind === 'field' && isLabel(o))
    throw new FilterError(
      `${o.name} (type=Label) cannot participate in ${RELATION_TEXT[rel]} comparison`,
      o.start,
      o.length,
    );
}

function compileCompare(n: Extract<Node, { kind: 'compare' }>): Predicate {
  let { left, right, rel } = n;
  // 10.0.0.1 == ip.src reads as ip.src == 10.0.0.1.
  if (left.kind === 'literal' && right.kind !== 'literal' && rel !== 'contains' && rel !== 'matches') {
    [left, right] = [right, left];
    rel = FLIPPED[rel] ?? rel;
  }
  if (left.kind === 'literal') throw notAField(left);
  leftHand(left);
  refuseLabel(left, rel);
  if (isLabel(right))
    throw new FilterError(
      `${describe(left)} and ${describe(right)} are not of compatible types`,
      right.start,
      right.length,
    );
  if (rel === 'contains') return compileContains(searchedSource(left), right);
  if (rel === 'matches') return compileMatches(searchedSource(left), right);
  const a = source(left);
  // A quantifier decides for every relation (`any x === v` is any equal); without one, === and != hold for all
  // occurrences.
  const every = n.quantifier ? n.quantifier === 'all' : rel === 'all_eq' || rel === 'all_ne';
  const truth = TRUTH[rel];
  if (!isConstant(right)) {
    const b = source(right);
    if (b.kind !== a.kind)
      throw new FilterError(
        `${describe(left)} and ${describe(right)} are not of compatible types`,
        right.start,
        right.length,
      );
    return (ctx) => {
      const na = a.load(ctx);
      const nb = b.load(ctx);
      if (na === 0 || nb === 0) return every && ((na === 0 && a.dropped?.()) || (nb === 0 && b.dropped?.())) === true;
      for (let i = 0; i < na; i++) {
        for (let j = 0; j < nb; j++) {
          const ok = truth(compareSources(a, i, b, j));
          if (every && !ok) return false;
          if (!every && ok) return true;
        }
      }
      return every;
    };
  }
  const c = literal(right, a, rel);
  const everyValue = c.num >= 0;
  const dropped = a.dropped;
  return (ctx) => {
    const k = a.load(ctx);
    // Arithmetic whose every value was dropped leaves != and === true, as tshark's empty comparison.
    if (k === 0) return every && dropped !== undefined && dropped();
    for (let i = 0; i < k; i++) {
      if (!everyValue && !comparable(a, i, c.num)) continue;
      const ok = truth(compareConst(a, i, c));
      if (every && !ok) return false;
      if (!every && ok) return true;
    }
    return every;
  };
}

/**
 * Whether value i of s compares with the number n at all: tshark 4.0 compares no unsigned value with a negative
 * number (nor with a value it dropped, NaN), so both `==` and `!=` are false for that value.
 */
function comparable(s: Source, i: number, n: number): boolean {
  return n >= 0 || (n < 0 && (s.signed || s.v.nums[i]! < 0));
}

const describe = (o: Operand): string =>
  o.kind === 'field'
    ? o.name
    : o.kind === 'literal'
      ? o.text
      : o.kind === 'call'
        ? `${o.fn}()`
        : o.kind === 'and-mask'
          ? 'the masked value'
          : 'the arithmetic';

function compileIn(n: Extract<Node, { kind: 'in' }>): Predicate {
  if (n.operand.kind === 'literal') throw notAField(n.operand);
  leftHand(n.operand);
  refuseLabel(n.operand, 'in');
  const a = source(n.operand);
  const items = n.items.map(({ lo, hi }) => ({ lo: literal(lo, a, 'in'), hi: hi ? literal(hi, a, 'in') : null }));
  return (ctx) => {
    const k = a.load(ctx);
    for (let i = 0; i < k; i++) {
      for (const it of items) {
        if (!comparable(a, i, it.lo.num) || (it.hi !== null && !comparable(a, i, it.hi.num))) continue;
        if (
          it.hi === null
            ? compareConst(a, i, it.lo) === 0
            : compareConst(a, i, it.lo) >= 0 && compareConst(a, i, it.hi) <= 0
        )
          return true;
      }
    }
    return false;
  };
}

/** What `contains` and `matches` search: a protocol (`tcp contains "USER"`) with its payload, anything else as read. */
function searchedSource(o: Operand): Source {
  if (o.kind !== 'field' || o.slice) return source(o);
  const entry = lookupField(o.name)!;
  // frame (no abbreviation) already reads the whole frame.
  if (entry.field.type !== 'protocol' || entry.abbrev === null) return source(o);
  return fieldSource(o, { ...entry, field: { ...entry.field, read: protocolData } });
}

function compileContains(a: Source, right: Operand): Predicate {
  const t = a.field?.type;
  if (a.kind === 'num' || a.kind === 'ipv4' || t === 'ipv6')
    throw new FilterError('"contains" takes a byte or text field', right.start, right.length);
  if (t === 'ether' && right.kind === 'literal' && right.quoted) throw notFromString(t, right);
  if (right.kind !== 'literal') throw new FilterError('"contains" takes a string or bytes', right.start, right.length);
  refuseBareValue(right);
  if (a.kind === 'str') {
    const needle = right.text;
    return (ctx) => {
      const k = a.load(ctx);
      for (let i = 0; i < k; i++) if (a.v.strs[i]!.includes(needle)) return true;
      return false;
    };
  }
  const needle = right.quoted ?? parseByteString(right.text);
  if (!needle || needle.length === 0)
    throw new FilterError(`"${right.text}" is not a byte string or a string`, right.start, right.length);
  return (ctx) => {
    const k = a.load(ctx);
    for (let i = 0; i < k; i++) if (indexOfBytes(a.v.bufs[i]!, a.v.offs[i]!, a.v.lens[i]!, needle) >= 0) return true;
    return false;
  };
}

function indexOfBytes(buf: Uint8Array, off: number, len: number, needle: Uint8Array): number {
  const first = needle[0]!;
  for (let p = off, last = off + len - needle.length; p <= last; p++) {
    if (buf[p] !== first) continue;
    let k = 1;
    while (k < needle.length && buf[p + k] === needle[k]) k++;
    if (k === needle.length) return p - off;
  }
  return -1;
}

function compileMatches(a: Source, right: Operand): Predicate {
  if (a.kind === 'num' || a.kind === 'ipv4')
    throw new FilterError('"matches" takes a byte or text field', right.start, right.length);
  if (right.kind !== 'literal' || !right.quoted)
    throw new FilterError('"matches" takes a regular expression in quotes', right.start, right.length);
  let pattern = right.text;
  // Case-insensitive unless the expression starts with PCRE's (?-i), as in Wireshark; JavaScript writes these as flags.
  let flags = 'si';
  if (pattern.startsWith('(?-i)')) {
    pattern = pattern.slice(5);
    flags = 's';
  } else if (pattern.startsWith('(?i)')) pattern = pattern.slice(4);
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags);
  } catch (err) {
    throw new FilterError(
      `the regular expression does not compile: ${(err as Error).message}`,
      right.start,
      right.length,
    );
  }
  const latin1 = new TextDecoder('latin1');
  return (ctx) => {
    const k = a.load(ctx);
    for (let i = 0; i < k; i++) {
      const text =
        a.kind === 'str'
          ? a.v.strs[i]!
          : latin1.decode(a.v.bufs[i]!.subarray(a.v.offs[i]!, a.v.offs[i]! + a.v.lens[i]!));
      if (re.test(text)) return true;
    }
    return false;
  };
}
