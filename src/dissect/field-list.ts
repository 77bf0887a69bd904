import { field, type Field, type FieldReader, type FieldSpec } from './field.js';
import type { Layer } from './packet.js';

/**
 * A declared list: a repeated record of fields (MPLS's label stack
 * entries, NHRP's CIEs and extensions, IGMPv3's group records), declared
 * once with the rules that find its records: where they start and end, how
 * many there are, how long each is. Each of its fields then has one
 * occurrence per record (or several: a record's sources), and the one
 * declaration drives every reader: display filters and -T fields read the
 * field's occurrences record by record (Field.read), -V shows each record
 * as a subtree of its fields, and the JSON writes a list of objects from
 * the records (json.ts, MemberSpec.list). Records are found by a cursor
 * over the layer's bytes: reading them allocates nothing.
 */

/** Where a list's records are: in the layer, or in the records of another list (NHRP's CIEs in an extension). */
export interface Placement {
  /** The list whose records hold these records; absent, the layer holds them. */
  parent?: FieldList;
  /**
   * Whether the records are there at all, asked of the layer or of the
   * parent record (p, len: the record; for the layer, l.off and its length).
   */
  when?: (l: Layer, p: number, len: number) => boolean;
  /** Where the first record starts, an offset in the layer's buffer. */
  start: (l: Layer, p: number, len: number) => number;
  /** Where the records must end by, an offset in the layer's buffer. */
  end: (l: Layer, p: number, len: number) => number;
  /** How many records there are at most (a count field); absent, as many as fit. */
  count?: (l: Layer, p: number, len: number) => number;
}

export interface ListSpec {
  /** The list's name, for the JSON members that write it (`nhrp.cie`). */
  name: string;
  /** The title of a record's subtree in the detail tree. */
  title: (l: Layer, p: number, len: number) => string;
  /** Where the records are, in the order their occurrences come in. */
  in: Placement[];
  /**
   * A record's size in bytes: a constant, or read from the record at p
   * (ending by end), which has its `header` bytes; under 1, there is no record.
   */
  size: number | ((l: Layer, p: number, end: number) => number);
  /** The bytes the size is read from (default `min`, or 1). */
  header?: number;
  /** The bytes a record needs before its end; absent, the whole record must fit. */
  min?: number;
  /** The record at p is the last one (MPLS's bottom of stack, NHRP's End extension). */
  last?: (l: Layer, p: number, len: number) => boolean;
  /**
   * Each record is a protocol item of its own in Wireshark's tree (MPLS): -V shows the records in place of the layer's
   * title.
   */
  asLayers?: boolean;
  fields: FieldSpec[];
}

/** Records are bounded: a hostile length cannot make a walk longer than this. */
const MAX_RECORDS = 256;

export class FieldList {
  readonly name: string;
  readonly title: ListSpec['title'];
  readonly in: readonly Placement[];
  readonly asLayers: boolean;
  private readonly specs: readonly FieldSpec[];
  private built: readonly Field[] | null = null;
  private readonly size: ListSpec['size'];
  private readonly min: number;
  private readonly header: number;
  private readonly last: NonNullable<ListSpec['last']> | null;

  constructor(spec: ListSpec) {
    this.name = spec.name;
    this.title = spec.title;
    this.in = spec.in;
    this.asLayers = spec.asLayers ?? false;
    this.size = spec.size;
    this.min = spec.min ?? -1;
    this.header = spec.header ?? spec.min ?? 1;
    this.last = spec.last ?? null;
    this.specs = spec.fields;
  }

  /** Its fields, built at their first use, as the protocols' (field.ts's declareFields). */
  get fields(): readonly Field[] {
    return (this.built ??= this.specs.map((f) => field(f, this)));
  }

  /** A cursor over this list's records (one per reader: walks do not nest on one cursor). */
  cursor(): RecordCursor {
    return new RecordCursor(this);
  }

  /**
   * The size of the record at p, if one is there before end; otherwise 0. A size is read only from a header that is
   * there.
   */
  sizeAt(l: Layer, p: number, end: number): number {
    if (p + this.header > end) return 0;
    const len = typeof this.size === 'number' ? this.size : this.size(l, p, end);
    if (!(len >= 1) || p + (this.min < 0 ? len : this.min) > end) return 0;
    return len;
  }

  isLast(l: Layer, p: number, len: number): boolean {
    return this.last !== null && this.last(l, p, len);
  }

  /**
   * The reader of every occurrence of a field of the list: those outside its
   * records, then record by record. It is made once per field as code of its
   * own (never from packet data), the rules' functions constants in it, so
   * that each call site sees one function (V8 inlines it) rather than every
   * list's: the display filter reads list fields in its hot path.
   */
  reader(f: Field): FieldReader {
    const args: string[] = ['OUT', 'REC', 'SIZE', 'LAST', 'MAX'];
    const values: unknown[] = [f.layerRead, f.recordRead, this.size, this.last, MAX_RECORDS];
    let body = 'if (OUT !== null) OUT(l, v, ctx);\n';
    this.in.forEach((pl, k) => {
      args.push(`P${k}`);
      values.push(pl);
      if (pl.parent) {
        // Records in another list's records (NHRP's CIEs in extensions): walked by cursors.
        args.push(`C${k}`, `Q${k}`);
        values.push(this.cursor(), pl.parent.cursor());
        body += `for (let ok = Q${k}.first(l); ok; ok = Q${k}.next(l))
  for (let in_ = C${k}.region(l, ${k}, Q${k}.p, Q${k}.len); in_; in_ = C${k}.step(l))
    REC(l, v, ctx, C${k}.p, C${k}.len);\n`;
        return;
      }
      const size = typeof this.size === 'number' ? String(this.size) : 'SIZE(l, p, end)';
      body += `{ const n = l.end - l.off;
  if (${pl.when ? `P${k}.when(l, l.off, n)` : 'true'}) {
    const end = P${k}.end(l, l.off, n);
    let left = ${pl.count ? `Math.min(MAX, P${k}.count(l, l.off, n))` : 'MAX'};
    for (let p = P${k}.start(l, l.off, n); left > 0; left--) {
      if (p + ${this.header} > end) break;
      const len = ${size};
      if (!(len >= 1) || p + ${this.min < 0 ? 'len' : this.min} > end) break;
      REC(l, v, ctx, p, len);
      ${this.last ? 'if (LAST(l, p, len)) break;' : ''}
      p += len;
    }
  }
}\n`;
    });
    return new Function(...args, `return function readListField(l, v, ctx) {\n${body}};`)(...values) as FieldReader;
  }
}

/**
 * Walks a list's records: first() and next() go through every placement in
 * order (the field readers); region() and step() through the records of
 * one placement in the layer or in one parent record (-V, the JSON).
 */
export class RecordCursor {
  /** The current record: its offset and size. */
  p = 0;
  len = 0;
  private end = 0;
  private left = 0;
  private n = 0;
  private k = 0;
  private readonly parents: (RecordCursor | null)[];

  constructor(readonly list: FieldList) {
    this.parents = list.in.map((pl) => (pl.parent ? pl.parent.cursor() : null));
  }

  /** Whether placement k has records here at all (its `when`), in the layer (p = -1) or in the parent record at p. */
  applies(l: Layer, k: number, p: number, len: number): boolean {
    const pl = this.list.in[k]!;
    if (!pl.when) return true;
    return p < 0 ? pl.when(l, l.off, l.end - l.off) : pl.when(l, p, len);
  }

  /** Starts the records of placement k in the layer (p = -1) or in the parent record at p; false when there is none. */
  region(l: Layer, k: number, p: number, len: number): boolean {
    const pl = this.list.in[k]!;
    if (p < 0) {
      p = l.off;
      len = l.end - l.off;
    }
    if (pl.when && !pl.when(l, p, len)) return false;
    this.k = k;
    this.n = 0;
    this.end = pl.end(l, p, len);
    this.left = pl.count ? pl.count(l, p, len) : MAX_RECORDS;
    return this.at(l, pl.start(l, p, len));
  }

  /** The next record of the region; false at its end. */
  step(l: Layer): boolean {
    if (this.list.isLast(l, this.p, this.len)) return false;
    return this.at(l, this.p + this.len);
  }

  private at(l: Layer, p: number): boolean {
    if (this.left <= 0 || this.n >= MAX_RECORDS) return false;
    const len = this.list.sizeAt(l, p, this.end);
    if (len === 0) return false;
    this.p = p;
    this.len = len;
    this.left--;
    this.n++;
    return true;
  }

  /** The first record of the layer, in any placement. */
  first(l: Layer): boolean {
    return this.enter(l, 0);
  }

  /** The record after the current one, in any placement. */
  next(l: Layer): boolean {
    if (this.step(l)) return true;
    const parent = this.parents[this.k];
    if (parent) while (parent.next(l)) if (this.region(l, this.k, parent.p, parent.len)) return true;
    return this.enter(l, this.k + 1);
  }

  /** The first record of placement k or a later one. */
  private enter(l: Layer, k: number): boolean {
    for (; k < this.list.in.length; k++) {
      const parent = this.parents[k];
      if (!parent) {
        if (this.region(l, k, -1, 0)) return true;
        continue;
      }
      for (let ok = parent.first(l); ok; ok = parent.next(l)) if (this.region(l, k, parent.p, parent.len)) return true;
    }
    return false;
  }
}

/** Declares a list: its fields, ready for the protocol's `hf` (each knows its list). */
export function list(spec: ListSpec): FieldList {
  return new FieldList(spec);
}
