import { ipv4 as ipv4Text, ipv6 as ipv6Text, mac as macText } from './addr.js';
import { fixedValue, NO_FIELDS, Values, type DeclaredFields, type Field } from './field.js';
import type { FieldList, RecordCursor } from './field-list.js';
import type { Layer, PacketCtx } from './packet.js';
import type { TextOut } from '../util/text-out.js';

/**
 * A layer's JSON members (CONTRACT.md), declared once beside its fields:
 * each member is the contract's name for a declared field (hf) or for a
 * value derived from the layer (a verdict, a count, a parsed list), in the
 * contract's order. One walk over the declarations writes them either as
 * bytes (-r --json, JsonBytes) or as an object (JsonObject: tests, -V's
 * extras, the tshark comparison), so the two forms cannot differ.
 */
export interface MemberSpec {
  /** The contract's name. */
  name: string;
  /** The protocol's field (its Wireshark name) whose first occurrence is the value; absent, the member is left out. */
  field?: string;
  /** A flag written as 0 or 1 instead of false or true. */
  number?: boolean;
  /** A number written as true (not 0) or false (a one-bit integer field the contract gives as a flag). */
  boolean?: boolean;
  /** The field's number as the contract gives it (a fragment offset in bytes). */
  map?: (n: number) => number;
  /** Written only when this holds of the layer (asked before the field is read). */
  only?: (l: Layer) => boolean;
  /** Left out when the field's number is this (a flag written only when set). */
  omit?: number;
  /**
   * A value that is no header field of its own: a number, boolean, string or
   * any JSON value; undefined leaves the member out.
   */
  value?: (l: Layer) => unknown;
  /**
   * A value written through the sink's own calls, for a list read from the
   * layer on packets common enough that building it would cost (RIP's routes).
   */
  write?: (l: Layer, out: JsonSink) => void;
  /** A nested object of members; with `list`, the members of each record. */
  members?: MemberSpec[];
  /**
   * A declared list (field-list.ts) by name: a JSON list of one object per
   * record (its `members`, read in the record), of the records in the layer
   * or, in a record of another list, in that record. Written where the list
   * applies (its placement's `when`), empty too unless `omitEmpty`.
   */
  list?: string;
  omitEmpty?: boolean;
  /**
   * Members of a structure parsed from the layer rather than header fields
   * (IKE's payloads, NHRP's CIEs and extensions): written as the object
   * gives them, its undefined members left out.
   */
  rest?: (l: Layer) => Record<string, unknown>;
}

/** A member resolved against its protocol's fields. */
export interface JsonMember {
  /** `,"name":`, as written after the member before it, and `"name":` as the first of a nested object's. */
  readonly key: string;
  readonly firstKey: string;
  readonly name: string;
  readonly field: Field | null;
  /** How the field's value is written (a KIND_), decided once. */
  readonly kind: number;
  readonly map: ((n: number) => number) | null;
  readonly only: ((l: Layer) => boolean) | null;
  readonly omit: number;
  readonly value: ((l: Layer) => unknown) | null;
  readonly write: ((l: Layer, out: JsonSink) => void) | null;
  readonly members: readonly JsonMember[] | null;
  readonly rest: ((l: Layer) => Record<string, unknown>) | null;
  /** A list member: its cursor and the placements it writes (those in the enclosing record's list, or in the layer). */
  readonly cursor: RecordCursor | null;
  readonly placements: readonly number[];
  readonly omitEmpty: boolean;
}

/**
 * Writes a layer's members as the bytes of -r --json, each after a comma
 * (they follow the layer's "protocol"); s is the bytes sink, writing to o,
 * for the values written through a sink (parsed structures, lists).
 */
export type BytesWriter = (l: Layer, ctx: PacketCtx, o: TextOut, s: JsonBytes) => void;

/**
 * A protocol's members, resolved in its fields at their first use (as the fields are built: field.ts's
 * declareFields), and their bytes writer compiled from them once, at its first use.
 */
export interface JsonMembers {
  readonly members: () => readonly JsonMember[];
  readonly bytes: BytesWriter;
}

const KIND_NUMBER = 0;
const KIND_BOOL = 1;
const KIND_IPV4 = 2;
const KIND_ETHER = 3;
const KIND_IPV6 = 4;
const KIND_STRING = 5;

function kindOf(f: Field, number: boolean, boolean: boolean): number {
  if (boolean) {
    if (f.type !== 'uint') throw new Error(`JSON member of ${f.name}: boolean is for integers`);
    return KIND_BOOL;
  }
  switch (f.type) {
    case 'ipv4':
      return KIND_IPV4;
    case 'ether':
      return KIND_ETHER;
    case 'ipv6':
      return KIND_IPV6;
    case 'string':
      return KIND_STRING;
    case 'bool':
      return number ? KIND_NUMBER : KIND_BOOL;
    default:
      return KIND_NUMBER;
  }
}

/**
 * Resolves the members' field names in the protocol's fields (a name it
 * does not declare is a bug: thrown at first use, and by
 * test/json-members.test.ts for every protocol); in a list's records, in
 * the list's fields (`within`).
 */
function resolve(hf: readonly Field[], specs: MemberSpec[], within: FieldList | null = null): JsonMember[] {
  return specs.map((s) => {
    const scope = within === null ? hf : within.fields;
    const field = s.field === undefined ? null : scope.find((f) => f.name === s.field);
    const list = s.list === undefined ? null : (hf.find((f) => f.list?.name === s.list)?.list ?? undefined);
    if (list === undefined) throw new Error(`JSON member ${s.name}: no list ${s.list}`);
    const placements: number[] = [];
    list?.in.forEach((pl, k) => {
      if ((pl.parent ?? null) === within) placements.push(k);
    });
    if (field === undefined) throw new Error(`JSON member ${s.name}: no field ${s.field}`);
    const kind = field === null ? KIND_NUMBER : kindOf(field, s.number ?? false, s.boolean ?? false);
    if (kind > KIND_BOOL && (s.map !== undefined || s.omit !== undefined))
      throw new Error(`JSON member ${s.name}: map and omit are for numbers`);
    return {
      key: `,${JSON.stringify(s.name)}:`,
      firstKey: `${JSON.stringify(s.name)}:`,
      name: s.name,
      field,
      kind,
      map: s.map ?? null,
      only: s.only ?? null,
      omit: s.omit ?? NaN,
      value: s.value ?? null,
      write: s.write ?? null,
      members: s.members ? resolve(hf, s.members, list ?? within) : null,
      rest: s.rest ?? null,
      cursor: list ? list.cursor() : null,
      placements,
      omitEmpty: s.omitEmpty ?? false,
    };
  });
}

/** The protocol's members, resolved in its fields, with their bytes writer. */
export function jsonMembers(hf: DeclaredFields, specs: MemberSpec[]): JsonMembers {
  let resolved: readonly JsonMember[] | null = null;
  const members = (): readonly JsonMember[] => (resolved ??= resolve(hf(), specs));
  // Compiled at its first packet: a run that prints no JSON (text, -w, the audit) starts without compiling any.
  const json: JsonMembers & { bytes: BytesWriter } = {
    members,
    bytes(l, ctx, o, s) {
      json.bytes = compileBytes(members());
      json.bytes(l, ctx, o, s);
    },
  };
  return json;
}

/** The JSON of a protocol whose members are all of a parsed structure (MemberSpec.rest). */
export function jsonRest(rest: (l: Layer) => Record<string, unknown>): JsonMembers {
  return jsonMembers(NO_FIELDS, [{ name: '', rest }]);
}

/** Where the walk writes: the two forms of a layer's members. */
export interface JsonSink {
  /** Starts a member (its key); a nested object's first member has no comma. */
  key(m: JsonMember): void;
  /** Starts a member of a parsed structure (MemberSpec.rest). */
  keyText(name: string): void;
  num(n: number): void;
  bool(b: boolean): void;
  str(s: string): void;
  ipv4(buf: Uint8Array, off: number): void;
  mac(buf: Uint8Array, off: number): void;
  /** Any other JSON value. */
  any(v: unknown): void;
  /** An IPv4 prefix as text: the address, and `/bits` unless bits is negative. */
  ipv4Prefix(buf: Uint8Array, off: number, bits: number): void;
  /** Starts an object (a member's value or, in a list, its next item). */
  open(): void;
  close(): void;
  openList(): void;
  closeList(): void;
}

const values = new Values();

/** Writes the layer's members into the sink; with p, those of the list record of len bytes at p. */
export function walkMembers(
  members: readonly JsonMember[],
  l: Layer,
  ctx: PacketCtx,
  out: JsonSink,
  p = -1,
  len = 0,
): void {
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const f = m.field;
    if (m.only !== null && !m.only(l)) continue;
    if (f !== null) {
      let buf: Uint8Array;
      let off: number;
      let n = 0;
      if (f.at >= 0 && m.kind !== KIND_STRING && (p >= 0 || f.list === null)) {
        // A field at a fixed offset is read in place (a string's text comes from its reader).
        off = (p >= 0 ? p : l.off) + f.at;
        if (off + f.size > l.end || (p >= 0 && f.at + f.size > len)) continue;
        buf = l.buf;
        if (m.kind <= KIND_BOOL) n = fixedValue(f, buf, off);
      } else {
        values.n = 0;
        if (p >= 0) f.recordRead!(l, values, ctx, p, len);
        else f.read(l, values, ctx);
        if (values.n === 0) continue;
        n = values.nums[0]!;
        buf = values.bufs[0]!;
        off = values.offs[0]!;
      }
      if (n === m.omit) continue;
      if (m.map !== null) n = m.map(n);
      out.key(m);
      switch (m.kind) {
        case KIND_NUMBER:
          out.num(n);
          break;
        case KIND_BOOL:
          out.bool(n !== 0);
          break;
        case KIND_IPV4:
          out.ipv4(buf, off);
          break;
        case KIND_ETHER:
          out.mac(buf, off);
          break;
        case KIND_IPV6:
          out.str(ipv6Text(buf, off));
          break;
        default:
          out.str(values.strs[0]!);
      }
    } else if (m.cursor !== null) {
      writeList(m, l, ctx, out, p, len);
    } else if (m.members !== null) {
      out.key(m);
      out.open();
      walkMembers(m.members, l, ctx, out, p, len);
      out.close();
    } else if (m.write !== null) {
      out.key(m);
      m.write(l, out);
    } else if (m.rest !== null) {
      const o = m.rest(l);
      for (const k in o) {
        const v = o[k];
        if (v === undefined) continue;
        out.keyText(k);
        writeValue(v, out);
      }
    } else {
      const v = m.value!(l);
      if (v === undefined) continue;
      out.key(m);
      writeValue(v, out);
    }
  }
}

/** A list member: an object per record of its placements in the layer (pp -1) or in the record at pp. */
function writeList(m: JsonMember, l: Layer, ctx: PacketCtx, out: JsonSink, pp: number, plen: number): void {
  const c = m.cursor!;
  let open = false;
  for (let i = 0; i < m.placements.length; i++) {
    const k = m.placements[i]!;
    if (!c.applies(l, k, pp, plen)) continue;
    for (let ok = c.region(l, k, pp, plen); ok; ok = c.step(l)) {
      if (!open) {
        out.key(m);
        out.openList();
        open = true;
      }
      out.open();
      walkMembers(m.members!, l, ctx, out, c.p, c.len);
      out.close();
    }
    if (!open && !m.omitEmpty) {
      out.key(m);
      out.openList();
      open = true;
    }
  }
  if (open) out.closeList();
}

/**
 * The bytes writer of -r --json: straight-line code made once, at first use, from
 * the declarations (never from packet data) that writes what walkMembers
 * writes into JsonBytes (test/support/fuzz.ts checks it on every packet it
 * makes), so that a packet's walk interprets nothing. Each member's offset,
 * size and mask are constants; its key (with the quote that opens a text
 * value) is stored into the TextOut's buffer byte by byte, no call (a call
 * per key cost more than the whole walk saved); each call of a member's own
 * function (only, map, value, a reader) is a call site of its own, which V8
 * can inline. A nested object goes through walkMembers (it needs the sink's
 * comma state).
 */
function compileBytes(members: readonly JsonMember[]): BytesWriter {
  const table: JsonMember[] = [];
  let body = '';
  for (const m of members) {
    const m_ = `m${table.push(m) - 1}`;
    const c = bytesCode(m, m_);
    body += m.only !== null ? `if (${m_}.only(l)) {\n${c}}\n` : `{\n${c}}\n`;
  }
  const consts = table.map((_, i) => `const m${i} = T[${i}];`).join('\n');
  const make = new Function(
    'T',
    'V',
    'fixedValue',
    'ipv6Text',
    'writeValue',
    'walkMembers',
    'writeList',
    `${consts}\nreturn function writeMemberBytes(l, ctx, o, s) {\n${body}};`,
  );
  return make(table, values, fixedValue, ipv6Text, writeValue, walkMembers, writeList) as BytesWriter;
}

/**
 * The code that writes ASCII text (a key, with what goes around its value) as stores of its bytes into o's buffer, no
 * call.
 */
function asciiCode(text: string): string {
  let code = `{ o.room(${text.length}); const b = o.buf, q = o.pos;`;
  for (let i = 0; i < text.length; i++) code += ` b[q + ${i}] = ${text.charCodeAt(i)};`;
  return `${code} o.pos = q + ${text.length}; }`;
}

/** The code of one member in the bytes writer (a block of its own). */
function bytesCode(m: JsonMember, m_: string): string {
  if (!/^[\x20-\x7e]*$/.test(m.key)) throw new Error(`JSON member ${m.name}: the name is not ASCII`);
  const key = asciiCode(m.key);
  if (m.field === null) {
    if (m.cursor !== null) return `writeList(${m_}, l, ctx, s, -1, 0);\n`;
    if (m.members !== null) return `${key} s.open(); walkMembers(${m_}.members, l, ctx, s); s.close();\n`;
    if (m.write !== null) return `${key} ${m_}.write(l, s);\n`;
    if (m.rest !== null)
      return (
        `const v = ${m_}.rest(l);\nfor (const k in v) if (v[k] !== undefined) ` +
        `{ s.keyText(k); writeValue(v[k], s); }\n`
      );
    return `const v = ${m_}.value(l);\nif (v !== undefined) { ${key} writeValue(v, s); }\n`;
  }
  const f = m.field;
  let write: string;
  switch (m.kind) {
    case KIND_NUMBER:
      write = `${key} o.num(n);`;
      break;
    case KIND_BOOL:
      write = `if (n !== 0) ${asciiCode(`${m.key}true`)} else ${asciiCode(`${m.key}false`)}`;
      break;
    case KIND_IPV4:
      write = `${asciiCode(`${m.key}"`)} o.ipv4(buf, p).byte(0x22);`;
      break;
    case KIND_ETHER:
      write = `${asciiCode(`${m.key}"`)} o.mac(buf, p).byte(0x22);`;
      break;
    case KIND_IPV6:
      write = `${key} s.str(ipv6Text(buf, p));`;
      break;
    default:
      write = `${key} s.str(V.strs[0]);`;
  }
  const numeric = m.kind <= KIND_BOOL;
  if (m.map !== null) write = `n = ${m_}.map(n); ${write}`;
  // omit is asked of the number as read, before map.
  if (!Number.isNaN(m.omit)) write = `if (n !== ${m.omit}) { ${write} }`;
  // A string's text comes from its reader: only the other kinds are read in place.
  if (f.at >= 0 && m.kind !== KIND_STRING && f.list === null) {
    const read = numeric ? `let n = ${fixedCode(f, m_)};\n` : '';
    return `const buf = l.buf, p = l.off + ${f.at};\nif (p + ${f.size} <= l.end) {\n${read}${write}\n}\n`;
  }
  return (
    `V.n = 0; ${m_}.field.read(l, V, ctx);\nif (V.n !== 0) {\nlet n = ` +
    `V.nums[0]; const buf = V.bufs[0], p = V.offs[0];\n${write}\n}\n`
  );
}

/** The code of fixedValue for the field: the usual sizes read directly, the mask and shift constants. */
function fixedCode(f: Field, m_: string): string {
  let v: string;
  if (f.size === 1) v = 'buf[p]';
  else if (f.size === 2) v = '((buf[p] << 8) | buf[p + 1])';
  else if (f.size === 4) v = '(((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0)';
  else return `fixedValue(${m_}.field, buf, p)`;
  if (f.type === 'bool') return `((${v} & ${f.mask}) !== 0 ? 1 : 0)`;
  return f.mask === 0 ? v : `((${v} & ${f.mask}) >>> ${f.shift})`;
}

function writeValue(v: unknown, out: JsonSink): void {
  if (typeof v === 'number' && Number.isFinite(v)) out.num(v);
  else if (typeof v === 'boolean') out.bool(v);
  else if (typeof v === 'string') out.str(v);
  else out.any(v);
}

/** True for a string JSON.stringify writes as it is, between quotes. */
function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return false;
  }
  return true;
}

/** The bytes form: the text JSON.stringify would write for the object form, written straight into the output. */
export class JsonBytes implements JsonSink {
  out!: TextOut;
  /** The next member or item is the first of its object or list: no comma. */
  private first = false;

  key(m: JsonMember): void {
    if (this.first) {
      this.first = false;
      this.out.str(m.firstKey);
    } else this.out.str(m.key);
  }
  keyText(name: string): void {
    if (this.first) this.first = false;
    else this.out.byte(0x2c);
    this.str(name);
    this.out.byte(0x3a);
  }
  num(n: number): void {
    this.out.num(n);
  }
  bool(b: boolean): void {
    this.out.str(b ? 'true' : 'false');
  }
  str(s: string): void {
    if (plain(s)) this.out.byte(0x22).str(s).byte(0x22);
    else this.out.str(JSON.stringify(s));
  }
  ipv4(buf: Uint8Array, off: number): void {
    this.out.byte(0x22).ipv4(buf, off).byte(0x22);
  }
  ipv4Prefix(buf: Uint8Array, off: number, bits: number): void {
    this.out.byte(0x22).ipv4(buf, off);
    if (bits >= 0) this.out.byte(0x2f).num(bits);
    this.out.byte(0x22);
  }
  mac(buf: Uint8Array, off: number): void {
    this.out.byte(0x22).mac(buf, off).byte(0x22);
  }
  any(v: unknown): void {
    this.out.str(JSON.stringify(v));
  }
  open(): void {
    if (this.first) this.first = false;
    else if (this.out.buf[this.out.pos - 1] === 0x7d) this.out.byte(0x2c); // after an item of a list
    this.out.byte(0x7b);
    this.first = true;
  }
  close(): void {
    this.first = false;
    this.out.byte(0x7d);
  }
  openList(): void {
    this.out.byte(0x5b);
    this.first = true;
  }
  closeList(): void {
    this.first = false;
    this.out.byte(0x5d);
  }
}

/** The object form. */
export class JsonObject implements JsonSink {
  private stack: (Record<string, unknown> | unknown[])[] = [];
  private o: Record<string, unknown> | unknown[] = {};
  private name = '';

  /** Starts a new object. */
  reset(): Record<string, unknown> {
    this.stack.length = 0;
    const o: Record<string, unknown> = {};
    this.o = o;
    return o;
  }
  key(m: JsonMember): void {
    this.name = m.name;
  }
  keyText(name: string): void {
    this.name = name;
  }
  private set(v: unknown): void {
    if (Array.isArray(this.o)) this.o.push(v);
    else this.o[this.name] = v;
  }
  num(n: number): void {
    this.set(n);
  }
  bool(b: boolean): void {
    this.set(b);
  }
  str(s: string): void {
    this.set(s);
  }
  ipv4(buf: Uint8Array, off: number): void {
    this.set(ipv4Text(buf, off));
  }
  ipv4Prefix(buf: Uint8Array, off: number, bits: number): void {
    this.set(bits >= 0 ? `${ipv4Text(buf, off)}/${bits}` : ipv4Text(buf, off));
  }
  mac(buf: Uint8Array, off: number): void {
    this.set(macText(buf, off));
  }
  any(v: unknown): void {
    this.set(v);
  }
  open(): void {
    this.push({});
  }
  close(): void {
    this.o = this.stack.pop()!;
  }
  openList(): void {
    this.push([]);
  }
  closeList(): void {
    this.o = this.stack.pop()!;
  }
  private push(inner: Record<string, unknown> | unknown[]): void {
    this.set(inner);
    this.stack.push(this.o);
    this.o = inner;
  }
}
