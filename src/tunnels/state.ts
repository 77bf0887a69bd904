/**
 * The tables' state as plain data: what crosses from a worker thread to the
 * main thread and what a partial file (`audit --partial`) holds. Every class
 * of the tables writes itself with `toState()` and reads itself back with a
 * static `fromState()`; absorb() then merges as it merges the tables of
 * worker threads. Plain data read from a file is hostile input: every value
 * is checked here (types, ranges, sizes) before a table is built from it.
 */
export class StateError extends Error {}

/** Large enough for any real table; a count beyond it is a broken or hostile file. */
export const MAX_ITEMS = 1_000_000;
const MAX_TEXT = 1024;
const UINT32 = 0xffffffff;

export type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

/** Checks of values read from plain data; each throws StateError naming where in the state the value was. */
export const read = {
  obj(v: unknown, at: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new StateError(`${at}: expected an object`);
    return v as Record<string, unknown>;
  },
  arr(v: unknown, at: string, max = MAX_ITEMS): unknown[] {
    if (!Array.isArray(v)) throw new StateError(`${at}: expected a list`);
    if (v.length > max) throw new StateError(`${at}: ${v.length} items, at most ${max} allowed`);
    return v;
  },
  int(v: unknown, at: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new StateError(`${at}: expected a whole number from ${min} to ${max}`);
    return v;
  },
  u32(v: unknown, at: string): number {
    return read.int(v, at, 0, UINT32);
  },
  /** A sequence number, or -1 for none seen. */
  seq(v: unknown, at: string): number {
    return read.int(v, at, -1, UINT32);
  },
  /** A capture time in seconds; null stands for "never" (Infinity, which JSON cannot write). */
  time(v: unknown, at: string): number {
    if (v === null) return Infinity;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new StateError(`${at}: expected a time in seconds`);
    return v;
  },
  str(v: unknown, at: string, max = MAX_TEXT): string {
    if (typeof v !== 'string') throw new StateError(`${at}: expected text`);
    if (v.length > max) throw new StateError(`${at}: text of ${v.length} characters, at most ${max} allowed`);
    return v;
  },
  bool(v: unknown, at: string): boolean {
    if (typeof v !== 'boolean') throw new StateError(`${at}: expected true or false`);
    return v;
  },
  oneOf<T extends string>(v: unknown, at: string, values: readonly T[]): T {
    if (typeof v !== 'string' || !values.includes(v as T))
      throw new StateError(`${at}: expected one of ${values.join(', ')}`);
    return v as T;
  },
  /** [key, count] pairs into a Map; keys read by `key`, duplicates refused. */
  counts<K>(v: unknown, at: string, max: number, key: (k: unknown, at: string) => K): Map<K, number> {
    const out = new Map<K, number>();
    eachWithin(read.arr(v, at, max), at, (pair) => {
      const p = read.arr(pair, '', 2);
      if (p.length !== 2) throw new StateError(': expected [key, count]');
      const k = key(p[0], '[0]');
      if (out.has(k)) throw new StateError(': a key given twice');
      out.set(k, read.int(p[1], '[1]'));
    });
    return out;
  },
  /** A list of distinct values (an empty list, as most are, gives one shared empty set: not to be kept). */
  set<T>(v: unknown, at: string, max: number, item: (x: unknown, at: string) => T): ReadonlySet<T> {
    const items = read.arr(v, at, max);
    if (items.length === 0) return NO_ITEMS;
    const out = new Set<T>();
    eachWithin(items, at, (x) => {
      const value = item(x, '');
      if (out.has(value)) throw new StateError(': given twice');
      out.add(value);
    });
    return out;
  },
};

const NO_ITEMS: ReadonlySet<never> = new Set<never>();

/**
 * Reads a value with paths relative to it (from ''), as eachWithin reads
 * list items: `at` is put before a failed check's message only then.
 */
export function readWithin<T>(at: string, each: () => T): T {
  try {
    return each();
  } catch (err) {
    if (err instanceof StateError) throw new StateError(`${at}${err.message}`);
    throw err;
  }
}

/**
 * Reads each item of a list with paths relative to it (from '' on), so that
 * no path text is made for the millions of values a merge reads: a failed
 * check's message is prefixed with the item's full path (`at[i]`) only then.
 */
export function eachWithin(items: readonly unknown[], at: string, each: (x: unknown, i: number) => void): void {
  let i = 0;
  try {
    for (; i < items.length; i++) each(items[i], i);
  } catch (err) {
    if (err instanceof StateError) throw new StateError(`${at}[${i}]${err.message}`);
    throw err;
  }
}

/** Infinity ("never") as null, which JSON can write. */
export const timeState = (t: number): number | null => (Number.isFinite(t) ? t : null);

/** Which own fields of a class its state holds, and which are caches rebuilt as packets come (not state). */
export interface FieldCoverage {
  state: readonly string[];
  caches: readonly string[];
}

/**
 * Leaves out of a state object the fields that hold their default value
 * (most counters of most tunnels are zero): smaller partials, faster merges.
 * `withDefaults` puts them back when the state is read.
 */
export function compact(o: Record<string, Plain>, defaults: Readonly<Record<string, Plain>>): Record<string, Plain> {
  for (const k of Object.keys(defaults)) {
    const v = o[k];
    const d = defaults[k];
    const empty = Array.isArray(d)
      ? Array.isArray(v) && v.length === 0
      : typeof d === 'object' &&
        d !== null &&
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        Object.keys(v).length === 0;
    if (v === d || empty) delete o[k];
  }
  return o;
}

/** Whether a state object (checked to be one) has no fields: all at their defaults, left out by compact. */
export function emptyObject(v: unknown, at: string): boolean {
  for (const _ in read.obj(v, at)) return false;
  return true;
}

/** A state object read from plain data, with the fields left out (compact) back at their defaults. */
export function withDefaults(
  v: unknown,
  at: string,
  defaults: Readonly<Record<string, Plain>>,
): Record<string, unknown> {
  const o = read.obj(v, at);
  // Filled in place (the object is the parser's own): no copy of every field of every tunnel.
  for (const k in defaults) if (o[k] === undefined) o[k] = defaults[k];
  return o;
}
