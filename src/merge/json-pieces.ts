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
 */
const PIECE = 96 * 1024;

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
      return value(bytes, 0, bytes.length);
    } catch {
      // not the plain form, or a piece JSON.parse refused (or nesting too deep to cut): parsed whole below
    }
  }
  return JSON.parse(bytes.toString('latin1'));
}

function value(b: Buffer, start: number, end: number): unknown {
  if (end - start <= PIECE) return JSON.parse(b.toString('latin1', start, end));
  const open = b[start];
  if (open === OPEN_ARRAY && b[end - 1] === CLOSE_ARRAY) return array(b, items(b, start + 1, end - 1));
  if (open === OPEN_OBJECT && b[end - 1] === CLOSE_OBJECT) return object(b, items(b, start + 1, end - 1));
  throw new NotPlain();
}

/** Items of small size parsed together as one list, each large one cut again. */
function array(b: Buffer, cuts: number[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < cuts.length; ) {
    const s = cuts[i]!;
    let j = i;
    while (j + 2 < cuts.length && cuts[j + 3]! - s <= PIECE) j += 2;
    if (j === i && cuts[i + 1]! - s > PIECE) out.push(value(b, s, cuts[i + 1]!));
    else for (const x of JSON.parse(`[${b.toString('latin1', s, cuts[j + 1])}]`) as unknown[]) out.push(x);
    i = j + 2;
  }
  return out;
}

/** Members of small size parsed together as one object, each large value cut again. */
function object(b: Buffer, cuts: number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => {
    if (k === '__proto__') throw new NotPlain();
    out[k] = v;
  };
  for (let i = 0; i < cuts.length; ) {
    const s = cuts[i]!;
    let j = i;
    while (j + 2 < cuts.length && cuts[j + 3]! - s <= PIECE) j += 2;
    if (j === i && cuts[i + 1]! - s > PIECE) {
      const colon = keyEnd(b, s, cuts[i + 1]!);
      put(JSON.parse(b.toString('latin1', s, colon)) as string, value(b, colon + 1, cuts[i + 1]!));
    } else {
      const members = JSON.parse(`{${b.toString('latin1', s, cuts[j + 1])}}`) as Record<string, unknown>;
      for (const [k, v] of Object.entries(members)) put(k, v);
    }
    i = j + 2;
  }
  return out;
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

/**
 * The items between `start` and `end` (inside a list's or object's
 * brackets), cut at the commas outside strings and nested brackets: their
 * starts and ends, in pairs. An empty item is not the plain form.
 */
function items(b: Buffer, start: number, end: number): number[] {
  const cuts = [start];
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c === QUOTE) {
      for (i++; i < end && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
    else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
    else if (c === COMMA && depth === 0) {
      if (i === cuts[cuts.length - 1]) throw new NotPlain();
      cuts.push(i, i + 1);
    }
  }
  if (depth !== 0 || end === cuts[cuts.length - 1]) throw new NotPlain();
  cuts.push(end);
  return cuts;
}
