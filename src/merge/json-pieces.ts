/**
 * JSON.parse of a large ASCII document without making it one string: V8
 * puts a string over 128 KiB in its large-object space, fresh pages mapped
 * and unmapped for each, which costs a merge about 2 ms of CPU for each
 * partial's 270 KB state, more than parsing it. Here an array or object
 * larger than a piece is cut at its top-level commas and its items parsed
 * in pieces of at most PIECE bytes (each a small string), larger items cut
 * the same way. The result is JSON.parse's: whenever the text is not the
 * plain form JSON.stringify writes (whitespace between items, `__proto__`
 * as a key, anything a piece's JSON.parse refuses), the whole text is
 * parsed as one string instead, which also gives JSON.parse's own error.
 *
 * A large object is first read member by member (see `members`), its large
 * lists cut where their items seem to end, so that most of its bytes are
 * not scanned one by one: a guess is only kept when JSON.parse takes it.
 */
const PIECE = 96 * 1024;
/**
 * Levels cut at most (a state's tunnels are the second); deeper text is parsed whole, so nesting never makes the scans
 * add up.
 */
const MAX_LEVELS = 4;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** The text is not in the plain form: parse it whole. */
class NotPlain extends Error {}

/** JSON.parse of `bytes` (ASCII), in pieces when it is large. */
export function parseAscii(bytes: Buffer): unknown {
  if (bytes.length > PIECE) {
    try {
      if (bytes[0] === OPEN_OBJECT) return members(bytes, bytes.length);
    } catch {
      // not cut that way: scanned byte by byte below
    }
    try {
      return value(bytes, 0, bytes.length, null, 0);
    } catch {
      // not the plain form, or a piece JSON.parse refused (or nesting too deep to cut): parsed whole below
    }
  }
  return JSON.parse(bytes.toString('latin1'));
}

/**
 * The object from 0 to `end`, member by member: each value's end found by a
 * scan of that value alone, except a list's (see `list`). Anything not in
 * the plain form throws, and the text is cut the usual way instead.
 */
function members(b: Buffer, end: number): Record<string, unknown> {
  if (b[end - 1] !== CLOSE_OBJECT) throw new NotPlain();
  const out: Record<string, unknown> = {};
  for (let i = 1; ; ) {
    const colon = keyEnd(b, i, end);
    const key = JSON.parse(b.toString('latin1', i, colon)) as string;
    if (key === '__proto__') throw new NotPlain();
    const v = colon + 1;
    let close: number;
    if (b[v] === OPEN_ARRAY) {
      const [items, at] = list(b, v, end);
      out[key] = items;
      close = at + 1;
    } else {
      close = valueEnd(b, v, end);
      out[key] = close - v <= PIECE ? JSON.parse(b.toString('latin1', v, close)) : value(b, v, close, null, 1);
    }
    if (close === end - 1) return out;
    if (b[close] !== COMMA) throw new NotPlain();
    i = close + 1;
  }
}

/**
 * The list opening at `open`, and where it closes. When its items are
 * objects, the text is cut where one item seems to end and the next begin
 * with the first item's first key (`},{"id":`, searched for backwards from a
 * piece's length on): a cut inside an item, or past the list's end, leaves
 * brackets or a string open and JSON.parse refuses the piece, so a guess
 * JSON.parse takes is a cut between items. From the first guess refused
 * on, the rest of the list is scanned byte by byte, as `items` does.
 */
function list(b: Buffer, open: number, end: number): [unknown[], number] {
  const out: unknown[] = [];
  let pos = open + 1;
  const sep = separator(b, pos, end);
  while (sep) {
    const c = b.lastIndexOf(sep, pos + PIECE - 1);
    if (c <= pos || c + sep.length > end) break;
    let piece: unknown[];
    try {
      piece = parseBetween(b, pos, c + 1, OPEN_ARRAY, CLOSE_ARRAY) as unknown[];
    } catch {
      break;
    }
    for (const x of piece) out.push(x);
    pos = c + 2;
  }
  const commas: number[] = [];
  const inner: number[] = [];
  const close = scan(b, pos, end, commas, inner);
  if (b[close] !== CLOSE_ARRAY) throw new NotPlain();
  if (close === open + 1) return [out, close];
  for (const x of array(b, cutsAt(pos, close, { at: commas, next: 0 }), { at: inner, next: 0 }, 2)) out.push(x);
  return [out, close];
}

/** `},{"key":` when the list's first item (at `first`) is an object with a short first key, else null. */
function separator(b: Buffer, first: number, end: number): Buffer | null {
  if (b[first] !== OPEN_OBJECT || b[first + 1] !== QUOTE) return null;
  const quote = b.indexOf(QUOTE, first + 2);
  if (quote < 0 || quote > Math.min(end, first + 64) || b[quote + 1] !== COLON) return null;
  return Buffer.concat([Buffer.from('},'), b.subarray(first, quote + 2)]);
}

/** Where the value starting at `start` ends: the comma after it or the bracket that closes what holds it. */
function valueEnd(b: Buffer, start: number, end: number): number {
  const at = scan(b, start, end, null, null);
  if (at === start) throw new NotPlain();
  return at;
}

/**
 * From `start` to the first comma outside strings and brackets, or the
 * first bracket closing what holds the text; with `commas`, goes on past
 * such commas (they go to `commas`, those one level down to `inner`) to the
 * closing bracket.
 */
function scan(b: Buffer, start: number, end: number, commas: number[] | null, inner: number[] | null): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    switch (CLASS[b[i]!]) {
      case 0:
        break;
      case 1:
        for (i++; i < end && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
        break;
      case 2:
        depth++;
        break;
      case 3:
        if (depth === 0) return i;
        depth--;
        break;
      default:
        if (depth === 0) {
          if (!commas) return i;
          commas.push(i);
        } else if (depth === 1) inner?.push(i);
    }
  }
  throw new NotPlain();
}

/**
 * The value between `start` and `end`; `commas`, when known (found by the
 * scan of the list or object around it), are those between its own items.
 */
function value(b: Buffer, start: number, end: number, commas: Commas | null, level: number): unknown {
  if (end - start <= PIECE) return JSON.parse(b.toString('latin1', start, end));
  if (level >= MAX_LEVELS) throw new NotPlain();
  const open = b[start];
  const close = b[end - 1];
  if (!((open === OPEN_ARRAY && close === CLOSE_ARRAY) || (open === OPEN_OBJECT && close === CLOSE_OBJECT)))
    throw new NotPlain();
  const inner: number[] = [];
  const cuts = commas ? cutsAt(start + 1, end - 1, commas) : items(b, start + 1, end - 1, inner);
  const within = commas ? null : { at: inner, next: 0 };
  return open === OPEN_ARRAY ? array(b, cuts, within, level + 1) : object(b, cuts, within, level + 1);
}

/** Commas one level down, in order, and the first not yet given to an item. */
interface Commas {
  at: number[];
  next: number;
}

/** The commas of `commas` between start and end: they cut the value there. */
function within(commas: Commas | null, start: number, end: number): Commas | null {
  if (!commas) return null;
  const { at } = commas;
  let i = commas.next;
  while (i < at.length && at[i]! < start) i++;
  const from = i;
  while (i < at.length && at[i]! < end) i++;
  commas.next = i;
  return { at: at.slice(from, i), next: 0 };
}

/** Items of small size parsed together as one list, each large one cut again. */
function array(b: Buffer, cuts: number[], commas: Commas | null, level: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < cuts.length; ) {
    const s = cuts[i]!;
    let j = i;
    while (j + 2 < cuts.length && cuts[j + 3]! - s <= PIECE) j += 2;
    const e = cuts[i + 1]!;
    if (j === i && e - s > PIECE) out.push(value(b, s, e, within(commas, s, e), level));
    else for (const x of parseBetween(b, s, cuts[j + 1]!, OPEN_ARRAY, CLOSE_ARRAY) as unknown[]) out.push(x);
    i = j + 2;
  }
  return out;
}

/** Members of small size parsed together as one object, each large value cut again. */
function object(b: Buffer, cuts: number[], commas: Commas | null, level: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => {
    if (k === '__proto__') throw new NotPlain();
    out[k] = v;
  };
  for (let i = 0; i < cuts.length; ) {
    const s = cuts[i]!;
    let j = i;
    while (j + 2 < cuts.length && cuts[j + 3]! - s <= PIECE) j += 2;
    const e = cuts[i + 1]!;
    if (j === i && e - s > PIECE) {
      const colon = keyEnd(b, s, e);
      put(
        JSON.parse(b.toString('latin1', s, colon)) as string,
        value(b, colon + 1, e, within(commas, colon + 1, e), level),
      );
    } else {
      const members = parseBetween(b, s, cuts[j + 1]!, OPEN_OBJECT, CLOSE_OBJECT) as Record<string, unknown>;
      for (const [k, v] of Object.entries(members)) put(k, v);
    }
    i = j + 2;
  }
  return out;
}

/**
 * JSON.parse of the items or members from `start` to `end` inside `open` and
 * `close`, written for the parse over the byte before and the byte after
 * them (a bracket or a comma: they are inside a list or object) and put
 * back: the text is made once, where a string joined from three would be
 * copied again, JSON.parse parsing flat text only.
 */
function parseBetween(b: Buffer, start: number, end: number, open: number, close: number): unknown {
  const before = b[start - 1]!;
  const after = b[end]!;
  b[start - 1] = open;
  b[end] = close;
  try {
    return JSON.parse(b.toString('latin1', start - 1, end + 1));
  } finally {
    b[start - 1] = before;
    b[end] = after;
  }
}

/** Where a member's key ends (at its colon): the key must be a string right at the start. */
function keyEnd(b: Buffer, start: number, end: number): number {
  if (b[start] !== QUOTE) throw new NotPlain();
  for (let i = start + 1; i < end; i++) {
    const c = b[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) {
      if (b[i + 1] !== COLON) throw new NotPlain();
      return i + 1;
    }
  }
  throw new NotPlain();
}

/** What the scan looks at: 1 a quote, 2 an opening bracket, 3 a closing one, 4 a comma; 0 anything else. */
const CLASS = new Uint8Array(256);
CLASS[QUOTE] = 1;
CLASS[OPEN_ARRAY] = CLASS[OPEN_OBJECT] = 2;
CLASS[CLOSE_ARRAY] = CLASS[CLOSE_OBJECT] = 3;
CLASS[COMMA] = 4;

/**
 * The items between `start` and `end` (inside a list's or object's
 * brackets), cut at the commas outside strings and nested brackets: their
 * starts and ends, in pairs. The commas one level down go to `inner`, so
 * that a large item is cut without scanning it again.
 */
function items(b: Buffer, start: number, end: number, inner: number[]): number[] {
  const commas: number[] = [];
  // The scan must stop at the closing bracket, at `end`.
  if (scan(b, start, end + 1, commas, inner) !== end) throw new NotPlain();
  return cutsAt(start, end, { at: commas, next: 0 });
}

/**
 * The items between `start` and `end` cut at these commas, in pairs of start and end; an empty item is not the plain
 * form.
 */
function cutsAt(start: number, end: number, commas: Commas): number[] {
  const cuts = [start];
  for (const c of commas.at) {
    if (c === cuts[cuts.length - 1]) throw new NotPlain();
    cuts.push(c, c + 1);
  }
  if (end === cuts[cuts.length - 1]) throw new NotPlain();
  cuts.push(end);
  return cuts;
}
