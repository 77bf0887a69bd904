import { ipv4 as ipv4Text, ipv6 as ipv6Text, mac as macText } from './addr.js';
import { fixedValue, Values, type Field } from './field.js';
import type { Layer, PacketCtx } from './packet.js';
import type { TextOut } from '../output/text-out.js';

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
  /** A nested object of members. */
  members?: MemberSpec[];
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
}

const KIND_NUMBER = 0;
const KIND_BOOL = 1;
const KIND_IPV4 = 2;
const KIND_ETHER = 3;
const KIND_IPV6 = 4;
const KIND_STRING = 5;

function kindOf(f: Field, number: boolean): number {
  switch (f.type) {
    case 'ipv4': return KIND_IPV4;
    case 'ether': return KIND_ETHER;
    case 'ipv6': return KIND_IPV6;
    case 'string': return KIND_STRING;
    case 'bool': return number ? KIND_NUMBER : KIND_BOOL;
    default: return KIND_NUMBER;
  }
}

/** Resolves the members' field names in the protocol's fields (a name it does not declare is a bug: thrown at load). */
export function jsonMembers(hf: readonly Field[], specs: MemberSpec[]): JsonMember[] {
  return specs.map((s) => {
    const field = s.field === undefined ? null : hf.find((f) => f.name === s.field);
    if (field === undefined) throw new Error(`JSON member ${s.name}: no field ${s.field}`);
    return {
      key: `,${JSON.stringify(s.name)}:`,
      firstKey: `${JSON.stringify(s.name)}:`,
      name: s.name,
      field,
      kind: field === null ? KIND_NUMBER : kindOf(field, s.number ?? false),
      map: s.map ?? null,
      only: s.only ?? null,
      omit: s.omit ?? NaN,
      value: s.value ?? null,
      write: s.write ?? null,
      members: s.members ? jsonMembers(hf, s.members) : null,
      rest: s.rest ?? null,
    };
  });
}

/** The JSON of a protocol whose members are all of a parsed structure (MemberSpec.rest). */
export function jsonRest(rest: (l: Layer) => Record<string, unknown>): JsonMember[] {
  return jsonMembers([], [{ name: '', rest }]);
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

/** Writes the layer's members into the sink. */
export function walkMembers(members: readonly JsonMember[], l: Layer, ctx: PacketCtx, out: JsonSink): void {
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const f = m.field;
    if (m.only !== null && !m.only(l)) continue;
    if (f !== null) {
      let buf: Uint8Array;
      let off: number;
      let n = 0;
      if (f.at >= 0) {
        // A field at a fixed offset is read in place.
        off = l.off + f.at;
        if (off + f.size > l.end) continue;
        buf = l.buf;
        if (m.kind <= KIND_BOOL) n = fixedValue(f, buf, off);
      } else {
        values.n = 0;
        f.read(l, values, ctx);
        if (values.n === 0) continue;
        n = values.nums[0]!;
        buf = values.bufs[0]!;
        off = values.offs[0]!;
      }
      if (n === m.omit) continue;
      if (m.map !== null) n = m.map(n);
      out.key(m);
      switch (m.kind) {
        case KIND_NUMBER: out.num(n); break;
        case KIND_BOOL: out.bool(n !== 0); break;
        case KIND_IPV4: out.ipv4(buf, off); break;
        case KIND_ETHER: out.mac(buf, off); break;
        case KIND_IPV6: out.str(ipv6Text(buf, off)); break;
        default: out.str(values.strs[0]!);
      }
    } else if (m.members !== null) {
      out.key(m);
      out.open();
      walkMembers(m.members, l, ctx, out);
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
  num(n: number): void { this.out.num(n); }
  bool(b: boolean): void { this.out.str(b ? 'true' : 'false'); }
  str(s: string): void {
    if (plain(s)) this.out.byte(0x22).str(s).byte(0x22);
    else this.out.str(JSON.stringify(s));
  }
  ipv4(buf: Uint8Array, off: number): void { this.out.byte(0x22).ipv4(buf, off).byte(0x22); }
  ipv4Prefix(buf: Uint8Array, off: number, bits: number): void {
    this.out.byte(0x22).ipv4(buf, off);
    if (bits >= 0) this.out.byte(0x2f).num(bits);
    this.out.byte(0x22);
  }
  mac(buf: Uint8Array, off: number): void { this.out.byte(0x22).mac(buf, off).byte(0x22); }
  any(v: unknown): void { this.out.str(JSON.stringify(v)); }
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
  key(m: JsonMember): void { this.name = m.name; }
  keyText(name: string): void { this.name = name; }
  private set(v: unknown): void {
    if (Array.isArray(this.o)) this.o.push(v);
    else this.o[this.name] = v;
  }
  num(n: number): void { this.set(n); }
  bool(b: boolean): void { this.set(b); }
  str(s: string): void { this.set(s); }
  ipv4(buf: Uint8Array, off: number): void { this.set(ipv4Text(buf, off)); }
  ipv4Prefix(buf: Uint8Array, off: number, bits: number): void { this.set(bits >= 0 ? `${ipv4Text(buf, off)}/${bits}` : ipv4Text(buf, off)); }
  mac(buf: Uint8Array, off: number): void { this.set(macText(buf, off)); }
  any(v: unknown): void { this.set(v); }
  open(): void { this.push({}); }
  close(): void { this.o = this.stack.pop()!; }
  openList(): void { this.push([]); }
  closeList(): void { this.o = this.stack.pop()!; }
  private push(inner: Record<string, unknown> | unknown[]): void {
    this.set(inner);
    this.stack.push(this.o);
    this.o = inner;
  }
}
