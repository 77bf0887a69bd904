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
  /** Written only when this holds (of the layer and the field's number; 0 for a group). */
  only?: (l: Layer, n: number) => boolean;
  /**
   * A value that is no header field of its own: a number, boolean, string or
   * any JSON value; undefined leaves the member out.
   */
  value?: (l: Layer) => unknown;
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
  readonly number: boolean;
  readonly map: ((n: number) => number) | null;
  readonly only: ((l: Layer, n: number) => boolean) | null;
  readonly value: ((l: Layer) => unknown) | null;
  readonly members: readonly JsonMember[] | null;
  readonly rest: ((l: Layer) => Record<string, unknown>) | null;
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
      number: s.number ?? false,
      map: s.map ?? null,
      only: s.only ?? null,
      value: s.value ?? null,
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
  open(): void;
  close(): void;
}

const values = new Values();

/** Writes the layer's members into the sink. */
export function walkMembers(members: readonly JsonMember[], l: Layer, ctx: PacketCtx, out: JsonSink): void {
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const f = m.field;
    if (f !== null) {
      let buf: Uint8Array;
      let off: number;
      let n = 0;
      if (f.at >= 0) {
        // A field at a fixed offset is read in place.
        off = l.off + f.at;
        if (off + f.size > l.end) continue;
        buf = l.buf;
        if (f.type !== 'ipv4' && f.type !== 'ether' && f.type !== 'ipv6') n = fixedValue(f, buf, off);
      } else {
        values.n = 0;
        f.read(l, values, ctx);
        if (values.n === 0) continue;
        n = values.nums[0]!;
        buf = values.bufs[0]!;
        off = values.offs[0]!;
      }
      if (m.map !== null) n = m.map(n);
      if (m.only !== null && !m.only(l, n)) continue;
      out.key(m);
      switch (f.type) {
        case 'ipv4': out.ipv4(buf, off); break;
        case 'ether': out.mac(buf, off); break;
        case 'ipv6': out.str(ipv6Text(buf, off)); break;
        case 'string': out.str(values.strs[0]!); break;
        case 'bool': if (m.number) out.num(n); else out.bool(n !== 0); break;
        default: out.num(n);
      }
    } else if (m.members !== null) {
      if (m.only !== null && !m.only(l, 0)) continue;
      out.key(m);
      out.open();
      walkMembers(m.members, l, ctx, out);
      out.close();
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
    this.out.str(JSON.stringify(name)).byte(0x3a);
  }
  num(n: number): void { this.out.num(n); }
  bool(b: boolean): void { this.out.str(b ? 'true' : 'false'); }
  str(s: string): void {
    if (plain(s)) this.out.byte(0x22).str(s).byte(0x22);
    else this.out.str(JSON.stringify(s));
  }
  ipv4(buf: Uint8Array, off: number): void { this.out.byte(0x22).ipv4(buf, off).byte(0x22); }
  mac(buf: Uint8Array, off: number): void { this.out.byte(0x22).mac(buf, off).byte(0x22); }
  any(v: unknown): void { this.out.str(JSON.stringify(v)); }
  open(): void {
    this.out.byte(0x7b);
    this.first = true;
  }
  close(): void {
    this.first = false;
    this.out.byte(0x7d);
  }
}

/** The object form. */
export class JsonObject implements JsonSink {
  private stack: Record<string, unknown>[] = [];
  private o: Record<string, unknown> = {};
  private name = '';

  /** Starts a new object. */
  reset(): Record<string, unknown> {
    this.stack.length = 0;
    this.o = {};
    return this.o;
  }
  key(m: JsonMember): void { this.name = m.name; }
  keyText(name: string): void { this.name = name; }
  num(n: number): void { this.o[this.name] = n; }
  bool(b: boolean): void { this.o[this.name] = b; }
  str(s: string): void { this.o[this.name] = s; }
  ipv4(buf: Uint8Array, off: number): void { this.o[this.name] = ipv4Text(buf, off); }
  mac(buf: Uint8Array, off: number): void { this.o[this.name] = macText(buf, off); }
  any(v: unknown): void { this.o[this.name] = v; }
  open(): void {
    const inner: Record<string, unknown> = {};
    this.o[this.name] = inner;
    this.stack.push(this.o);
    this.o = inner;
  }
  close(): void { this.o = this.stack.pop()!; }
}
