import type { FieldList } from './field-list.js';
import type { Layer, PacketCtx } from './packet.js';
import { CHECKSUM_STATUS, checksumStatus, checksumVerdict } from '../util/checksum.js';

/**
 * Header fields, declared once per protocol as Wireshark's hf_ arrays: the
 * filter name (Wireshark's, so filters and scripts carry over), a label,
 * a type, a display base, value labels and a reader that finds the field's
 * occurrences in a dissected layer. Display filters (-Y), field output
 * (-T fields), the packet detail tree (-V) and the UI's layer tree all read
 * fields through these declarations; test/fields-tshark.test.ts holds them to
 * tshark's own (`tshark -G fields`: type, base, mask) and to its values.
 */
export type FieldType =
  /** Presence only: the protocol itself (`gre`), or a marker field. */
  | 'protocol'
  | 'none'
  /** Unsigned and signed integers up to 2^53; `bits` is the declared width. */
  | 'uint'
  | 'int'
  /** A number with a fraction (Wireshark's FT_DOUBLE: STP's times, in 1/256 seconds). */
  | 'double'
  /** A 4-byte IEEE float (FT_FLOAT: BGP's link bandwidth), shown as C's %g shows it, to 6 digits: `1.25e+08`. */
  | 'float'
  /** A flag: 1 or 0. `bits` is the width of the word it is masked from. */
  | 'bool'
  /** An IPv4 address, held as a 32-bit unsigned number. */
  | 'ipv4'
  /** Byte-valued fields, held as a view of the packet's bytes. */
  | 'ipv6'
  | 'ether'
  | 'bytes'
  /**
   * An OSI system ID (Wireshark's FT_SYSTEM_ID: IS-IS's source IDs, LAN IDs, LSP IDs), bytes shown as
   * `0000.0000.0002`, `.09` after a LAN ID's pseudonode, `-00` after an LSP ID's fragment; `bits` is its width.
   */
  | 'systemid'
  | 'string'
  /**
   * A time of day (frame.time: Wireshark's FT_ABSOLUTE_TIME), and a span of seconds (FT_RELATIVE_TIME:
   * frame.time_delta, and frame.time_epoch, seconds since the epoch), each held as whole seconds and nanoseconds.
   */
  | 'time'
  | 'reltime';

/**
 * How a number is shown (tshark -T fields and -V): BASE_DEC, BASE_HEX, BASE_DEC_HEX...; BASE_CUSTOM, a decimal
 * number in -T fields that -V shows by the field's display; BASE_OUI, the same for an organisation's 24-bit code.
 */
export type Base = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct' | 'none' | 'custom' | 'oui';

/**
 * Where a reader puts a field's occurrences: one reused instance per
 * field use, so reading a field allocates nothing. Each occurrence has a
 * number (integers, flags, IPv4, times) or a byte view (IPv6, MAC, bytes),
 * or a string, and the bytes it came from (-V's hex highlight).
 */
export class Values {
  /** Room for this many occurrences at first; it doubles as a packet needs, up to MAX (then more are left out). */
  static readonly FIRST = 256;
  /** More than a 64 KiB datagram's fragments (8,192) or its bytes' worth of most fields. */
  static readonly MAX = 65536;
  n = 0;
  nums = new Float64Array(Values.FIRST);
  offs = new Int32Array(Values.FIRST);
  lens = new Int32Array(Values.FIRST);
  readonly bufs: Uint8Array[] = new Array<Uint8Array>(Values.FIRST);
  readonly strs: string[] = new Array<string>(Values.FIRST);

  /** A numeric occurrence read from buf[off, off+len). */
  num(value: number, buf: Uint8Array, off: number, len: number): void {
    if (this.n >= this.nums.length && !this.grow()) return;
    const i = this.n++;
    this.nums[i] = value;
    this.bufs[i] = buf;
    this.offs[i] = off;
    this.lens[i] = len;
  }

  /** A byte-valued occurrence: buf[off, off+len). */
  bytes(buf: Uint8Array, off: number, len: number): void {
    this.num(0, buf, off, len);
  }

  /** A time: whole seconds and nanoseconds (kept apart: a double cannot hold both exactly). */
  time(sec: number, nsec: number): void {
    if (this.n >= this.nums.length && !this.grow()) return;
    const i = this.n++;
    this.nums[i] = sec;
    this.offs[i] = nsec;
    this.lens[i] = 0;
  }

  /** A string occurrence; for a number shown with a text of its own (`Flags: 0x08 (Initiator, ...)`), its value. */
  str(s: string, buf: Uint8Array, off: number, len: number, value = 0): void {
    if (this.n >= this.nums.length && !this.grow()) return;
    this.strs[this.n] = s;
    this.num(value, buf, off, len);
  }

  /** Doubles the room (false at MAX). Rare: the arrays are kept for the next packets. */
  private grow(): boolean {
    const size = this.nums.length;
    if (size >= Values.MAX) return false;
    const more = <T extends Float64Array | Int32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.nums = more(this.nums, new Float64Array(size * 2));
    this.offs = more(this.offs, new Int32Array(size * 2));
    this.lens = more(this.lens, new Int32Array(size * 2));
    return true;
  }
}

/** Finds the field's occurrences in one layer of its protocol; adds nothing when it is absent. */
export type FieldReader = (l: Layer, v: Values, ctx: PacketCtx) => void;

/**
 * Finds a list field's occurrences in one record of its list: the record's `len` bytes at p (some may lie past l.end).
 */
export type RecordReader = (l: Layer, v: Values, ctx: PacketCtx, p: number, len: number) => void;

export interface Field {
  /** Wireshark's filter name: `gre.key`. */
  readonly name: string;
  /** The label of the detail tree: `Key`. */
  readonly label: string;
  readonly type: FieldType;
  /** Width in bits of an integer, or of the word a flag is masked from. */
  readonly bits: number;
  readonly base: Base;
  /** The bit mask within its word (0: the whole word), as Wireshark declares it. */
  readonly mask: number;
  /** Names of values (`0x0800` is `IPv4`): the declaration's own table, not a copy. */
  readonly values: Readonly<Record<number, string>> | null;
  /** Shown in the detail tree under the field before it (a flag under its flags word). */
  readonly child: boolean;
  /** Not shown in the detail tree (ip.addr, tcp.port: filter helpers, as Wireshark's hidden fields). */
  readonly hidden: boolean;
  /**
   * Another protocol's field, also found in this one's layers (Wireshark's
   * IPv6 dissector adds ip.version): its occurrences join that field's.
   */
  readonly alias: boolean;
  readonly read: FieldReader;
  /**
   * Offset from the start of the layer of a field that always sits there
   * (-1: found by `read`), and its size in bytes: the JSON walk reads such a
   * field in place (fixedValue) instead of through Values.
   */
  readonly at: number;
  readonly size: number;
  /** The mask's trailing zero bits. */
  readonly shift: number;
  /** The declared list whose records hold the field (field-list.ts), or null. */
  readonly list: FieldList | null;
  /** Its occurrences in one record of that list (`at` is then from the record's start). */
  readonly recordRead: RecordReader | null;
  /**
   * Its occurrences outside the list's records (IGMP's group address of a query, beside those of a report's records),
   * or null.
   */
  readonly layerRead: FieldReader | null;
  /** How -V shows a number, where Wireshark formats the value apart from it (IPv4's fragment offset, in bytes). */
  readonly display: ((n: number, buf: Uint8Array, off: number, text: string) => string) | null;
  /** A flag's words when set and when not, as -V shows them (Wireshark's true_false_string). */
  readonly tfs: TrueFalse;
  /** The bits -V draws over the field's word: its mask, or those Wireshark draws for a field it registers without. */
  readonly drawn: number;
  /** Worked out, not read from the packet (Wireshark's generated items): -V shows it in brackets. */
  readonly generated: boolean;
  /** Its word is little-endian (802.11's): -V draws the bits of the word's value, not of its bytes in order. */
  readonly littleEndian: boolean;
  /** Read from the layer's TCP or UDP conversation (conversations.ts): a run that reads it keeps them. */
  readonly conversation: boolean;
  /** What a byte field's bytes are parted by, where Wireshark parts them (SEP_COLON: `02:11:22:33`); else ''. */
  readonly separator: string;
  /** Wireshark adds it as a bits item (proto_tree_add_bits_item): -V parts the bytes of its bits by two spaces. */
  readonly bitsItem: boolean;
  /** A byte field Wireshark registers with BASE_ALLOW_ZERO: none of its bytes is `<none>`, not `<MISSING>`. */
  readonly allowZero: boolean;
}

/** A flag's words: set, then not set. */
export type TrueFalse = readonly [string, string];
/** Wireshark's words for a flag that names none of its own (tfs_true_false). */
export const TRUE_FALSE: TrueFalse = ['True', 'False'];
export const SET_NOT_SET: TrueFalse = ['Set', 'Not set'];
export const YES_NO: TrueFalse = ['Yes', 'No'];
export const SUPPORTED: TrueFalse = ['Supported', 'Not supported'];
export const CAPABLE: TrueFalse = ['Capable', 'Not capable'];
export const ENABLED: TrueFalse = ['Enabled', 'Disabled'];

export interface FieldSpec {
  name: string;
  label: string;
  type: FieldType;
  bits?: number;
  base?: Base;
  mask?: number;
  values?: Readonly<Record<number, string>>;
  /**
   * Offset from the start of the layer (of the record, in a list), for a field that always sits there; or give `read`.
   */
  at?: number;
  read?: FieldReader;
  /** In a list: the reader of the field in one record, for a field not at a fixed offset there. */
  record?: RecordReader;
  child?: boolean;
  hidden?: boolean;
  alias?: boolean;
  /** Given the occurrence's bytes too (ICMP's code is named by the type before it), and a text its reader set. */
  display?: (n: number, buf: Uint8Array, off: number, text: string) => string;
  tfs?: TrueFalse;
  drawn?: number;
  generated?: boolean;
  littleEndian?: boolean;
  conversation?: boolean;
  separator?: string;
  bitsItem?: boolean;
  allowZero?: boolean;
}

/** Whether a field's occurrences are byte views (Values.bytes) rather than numbers. */
export const byteValued = (t: FieldType): boolean => t === 'ipv6' || t === 'ether' || t === 'bytes' || t === 'systemid';

/** Trailing zero bits of a mask: masked values are shown shifted down, as Wireshark does. */
export function shiftOf(mask: number): number {
  let s = 0;
  while (mask !== 0 && (mask & 1) === 0) {
    mask >>>= 1;
    s++;
  }
  return s;
}

/** Reads `size` bytes big-endian (exact as a double up to 6; 7 or 8 are rounded, as any number above 2^53 here). */
export function readUint(buf: Uint8Array, off: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + buf[off + i]!;
  return v;
}

/** The number of a fixed field of `size` bytes at p (integers masked and shifted, flags 1 or 0). */
export function fixedValue(f: Field, buf: Uint8Array, p: number): number {
  const size = f.size;
  // The usual sizes read directly: the JSON walk reads every fixed field of every packet here.
  const v =
    size === 1
      ? buf[p]!
      : size === 2
        ? (buf[p]! << 8) | buf[p + 1]!
        : size === 4
          ? ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0
          : readUint(buf, p, size);
  if (f.type === 'bool') return (v & f.mask) !== 0 ? 1 : 0;
  return f.mask === 0 ? v : (v & f.mask) >>> f.shift;
}

/** The reader of a field at a fixed offset. */
function fixedReader(f: Field): FieldReader {
  const { at, size } = f;
  if (byteValued(f.type)) {
    return (l, v) => {
      if (l.off + at + size <= l.end) v.bytes(l.buf, l.off + at, size);
    };
  }
  return (l, v) => {
    const p = l.off + at;
    if (p + size <= l.end) v.num(fixedValue(f, l.buf, p), l.buf, p, size);
  };
}

/** The reader of a field at a fixed offset of a record (present when its bytes are captured and in the record). */
function fixedRecordReader(f: Field): RecordReader {
  const { at, size } = f;
  const bytes = byteValued(f.type);
  return (l, v, _ctx, p, len) => {
    const q = p + at;
    if (q + size > l.end || at + size > len) return;
    if (bytes) v.bytes(l.buf, q, size);
    else v.num(fixedValue(f, l.buf, q), l.buf, q, size);
  };
}

/** Defaults as Wireshark's: integers decimal, byte fields and flags without a base. */
export function field(spec: FieldSpec, list: FieldList | null = null): Field {
  const numeric = spec.type === 'uint' || spec.type === 'int';
  const bits = spec.bits ?? (spec.type === 'ipv4' ? 32 : numeric || spec.type === 'bool' ? 8 : 0);
  if (list === null && !spec.read && spec.at === undefined)
    throw new Error(`field ${spec.name}: neither a reader nor an offset`);
  if (list !== null && !spec.record && spec.at === undefined)
    throw new Error(`field ${spec.name}: neither a record reader nor an offset in its record`);
  const type = spec.type;
  const f = {
    name: spec.name,
    label: spec.label,
    type,
    bits,
    base: spec.base ?? (numeric ? 'dec' : 'none'),
    mask: spec.mask ?? 0,
    values: spec.values ?? null,
    child: spec.child ?? false,
    hidden: spec.hidden ?? false,
    alias: spec.alias ?? false,
    read: list === null ? (spec.read ?? null) : null,
    at: (list === null ? spec.read : spec.record) ? -1 : spec.at!,
    size:
      type === 'ipv6'
        ? 16
        : type === 'ether'
          ? 6
          : type === 'bytes' || type === 'systemid'
            ? bits / 8
            : Math.max(1, Math.ceil(bits / 8)),
    shift: shiftOf(spec.mask ?? 0),
    list,
    recordRead: list === null ? null : (spec.record ?? null),
    layerRead: list === null ? null : (spec.read ?? null),
    display: spec.display ?? null,
    tfs: spec.tfs ?? TRUE_FALSE,
    drawn: spec.drawn ?? spec.mask ?? 0,
    generated: spec.generated ?? false,
    littleEndian: spec.littleEndian ?? false,
    conversation: spec.conversation ?? false,
    separator: spec.separator ?? '',
    bitsItem: spec.bitsItem ?? false,
    allowZero: spec.allowZero ?? false,
  };
  if (list !== null) {
    if (f.recordRead === null) f.recordRead = fixedRecordReader(f as Field);
    f.read = list.reader(f as Field);
  } else if (f.read === null) f.read = fixedReader(f as Field);
  return f as Field;
}

/** The protocol's own presence field (`gre`): one occurrence, the layer's header bytes. */
export function protocolField(name: string, label: string): Field {
  return field({
    name,
    label,
    type: 'protocol',
    read: (l, v) => v.num(1, l.buf, l.off, Math.max(0, Math.min(l.hdrEnd, l.end) - l.off)),
  });
}

/**
 * A protocol's bytes from its header to the end of its data, payload included: what `contains` and `matches` search
 * (Wireshark searches a protocol's whole buffer; its length, slices and == are its header's).
 */
export const protocolData: FieldReader = (l, v) => v.num(1, l.buf, l.off, Math.max(0, l.end - l.off));

/**
 * Puts one occurrence of `f` in v as its type holds it, for the fields a layout walk finds by name (BGP's, IPv4
 * options'): bytes buf[p, p + size), a text, or the number n (masked and shifted where the field has a mask).
 */
export function occurrence(
  f: Field,
  v: Values,
  buf: Uint8Array,
  p: number,
  size: number,
  n: number,
  text: string,
): void {
  if (byteValued(f.type)) v.bytes(buf, p, size);
  else if (f.type === 'string' || f.type === 'none') v.str(text, buf, p, size);
  else if (f.type === 'bool') v.num((n & f.mask) !== 0 ? 1 : 0, buf, p, size);
  else if (f.mask !== 0) v.num((n & f.mask) >>> f.shift, buf, p, size);
  // A number shown with words of its own (`0x40, Transitive`): never another occurrence's, as v is reused.
  else if (f.display) v.str(text, buf, p, size, n);
  else v.num(n, buf, p, size);
}

/**
 * A protocol's fields, declared in its file but built at their first use (then kept): every run loads every
 * dissector, while only display filters, field output, -V and JSON read fields. Building them all at load was half
 * of the bundle's top level at every start (some 1.2 MB allocated, two scavenges of the young generation).
 */
export type DeclaredFields = () => readonly Field[];

let protocolsBuilt = 0;

export function declareFields(declare: () => readonly Field[]): DeclaredFields {
  let built: readonly Field[] | null = null;
  return () => {
    if (built === null) {
      built = declare();
      protocolsBuilt++;
    }
    return built;
  };
}

/** A protocol's fields by name, the map built at its first use (for a protocol's own tree walk). */
export function fieldsByName(declared: DeclaredFields): () => ReadonlyMap<string, Field> {
  let named: Map<string, Field> | null = null;
  return () => (named ??= new Map(declared().map((f) => [f.name, f])));
}

/** How many protocols' fields have been built so far (test/startup.test.ts holds a run that reads none to 0). */
export const fieldsBuilt = (): number => protocolsBuilt;

/** The fields of a protocol that declares none of its own (its JSON members are all derived values). */
export const NO_FIELDS: DeclaredFields = () => [];

/** Shorthand for declaring several fields of one protocol. */
export function fields(...specs: FieldSpec[]): Field[] {
  return specs.map((s) => field(s));
}

/**
 * A line of a protocol's tree that is no field of its own (`NHRP Fixed Header`, `LSA-type 1 (Router-LSA), len 60`):
 * its text is the occurrence's string. Protocols whose tree function (Protocol.tree) draws subtrees visit it.
 */
export const TEXT_ITEM: Field = field({
  name: 'text',
  label: '',
  type: 'none',
  display: (_n, _b, _o, text) => text,
  read: () => {},
});

const shownValues = new Values();

/**
 * How a protocol's tree function draws a declared field: its occurrences in `l`, visited at `depth`. The occurrences
 * are reused: a visit draws them at once.
 */
export const fieldShower =
  (l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void) =>
  (f: Field, depth: number): void => {
    shownValues.n = 0;
    f.read(l, shownValues, ctx);
    visit(f, shownValues, depth);
  };

/** A generated line of a protocol's tree that is no field of its own (`[2 IPv4 Fragments (1440 bytes): ...]`). */
const GENERATED_TEXT_ITEM: Field = { ...TEXT_ITEM, generated: true };

const textItem = new Values();

/**
 * Visits a line of a protocol's tree that is no field of its own (TEXT_ITEM; `generated`: one tshark brackets),
 * `text`, lighting buf[p, p + len). The occurrence is reused: a visit draws it at once.
 */
export function visitText(
  visit: (f: Field, v: Values, depth: number) => void,
  text: string,
  buf: Uint8Array,
  p: number,
  len: number,
  depth: number,
  generated = false,
): void {
  textItem.n = 0;
  textItem.str(text, buf, p, Math.max(0, len));
  visit(generated ? GENERATED_TEXT_ITEM : TEXT_ITEM, textItem, depth);
}

/**
 * The display of a number by its name, or Wireshark's `Unknown` for one its table lacks, then the number: in hex of
 * `digits` digits (`PID: Unknown (0x9999)`), or decimal without them (`Version: Unknown (5)`).
 */
export const namedOrUnknown =
  (names: Readonly<Record<number, string>>, digits = 0) =>
  (n: number): string =>
    `${names[n] ?? 'Unknown'} (${digits ? `0x${n.toString(16).padStart(digits, '0')}` : n})`;

/**
 * Builders of the specs of fields found by name (BGP's and PPTP's): `readerOf(name)` walks the layer's layout and puts
 * each occurrence of the field of that name. An unsigned number with `values` is shown by its name, as any field is.
 */
export function fieldsFoundByName(readerOf: (name: string) => FieldReader) {
  const item = (spec: Omit<FieldSpec, 'read'>): FieldSpec => ({ ...spec, read: readerOf(spec.name) });
  const uint =
    (bits: 8 | 16 | 32) =>
    (name: string, label: string, values?: Readonly<Record<number, string>>): FieldSpec =>
      item({ name, label, type: 'uint', bits, values });
  return { item, u8: uint(8), u16: uint(16), u32: uint(32) };
}

/**
 * A flags word as Wireshark's proto_tree_add_bitmask titles it: its hex, then the label of each of its flags that is
 * set (`0x0800, VXLAN Network ID (VNI)`). `flags` are the word's flag declarations, those -V draws under it.
 */
export const hexThenSetFlags =
  (digits: number, flags: readonly FieldSpec[]) =>
  (n: number): string => {
    let s = `0x${n.toString(16).padStart(digits, '0')}`;
    for (const f of flags) if (f.type === 'bool' && f.mask && n & f.mask) s += `, ${f.label}`;
    return s;
  };

/**
 * The display of a number shown in hex with a text its reader gives after it (Values.str with the value): a checksum's
 * verdict (`0x0c46 [correct]`), the names of the flags set (`0xc002, Is Router`).
 */
export const hexThenText =
  (digits: number) =>
  (n: number, _buf: Uint8Array, _off: number, text: string): string =>
    `0x${n.toString(16).padStart(digits, '0')}${text}`;

/**
 * A NUL-padded ASCII string as tshark shows it: a byte over 0x7f as U+FFFD, the usual controls as C's escapes
 * (`\t`, `\n`), any other control in octal (`\033`): nothing from the packet reaches a terminal raw. `nulEnds`
 * false: a NUL is shown too (`\000`), as Wireshark's tvb_format_text shows a value's bytes.
 */
export function asciiText(buf: Uint8Array, off: number, size: number, nulEnds = true): string {
  let s = '';
  for (let i = off; i < off + size && (buf[i] !== 0 || !nulEnds); i++) {
    const c = buf[i]!;
    if (c > 0x7e) s += c === 0x7f ? '\\177' : '\ufffd';
    else if (c >= 0x20) s += String.fromCharCode(c);
    else s += C_ESCAPES[c] ?? `\\${c.toString(8).padStart(3, '0')}`;
  }
  return s;
}
const C_ESCAPES: Readonly<Record<number, string>> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/**
 * Bytes as Wireshark 4.0's format_text shows them, what its dissectors write in tree titles and info columns
 * (tvb_format_text; `nulEnds`: tvb_format_stringzpad, to the first NUL): UTF-8 decoded, each printable character as
 * itself, an ASCII control as C's escape or in octal (`\n`, `\033`), any other character GLib's g_unichar_isprint
 * refuses (C1 controls, bidirectional and other format marks, unassigned code points) as `\u202E` or `\U000E0001`,
 * and a byte that is not UTF-8 (a sequence cut short, a surrogate, 0xFE) as U+FFFD. Overlong and 5- or 6-byte forms
 * decode as GLib's do. No control character reaches a terminal raw (printable text does, right-to-left letters
 * too). Unassigned is Node's Unicode's: a character assigned since Unicode 15.0 (tshark's GLib 2.74) is printed
 * here and escaped by tshark.
 */
export function formatText(buf: Uint8Array, off: number, size: number, nulEnds = false): string {
  let end = Math.min(off + Math.max(0, size), buf.length);
  if (nulEnds) for (let i = off; i < end; i++) if (buf[i] === 0) end = i;
  let s = '';
  for (let i = off; i < end; ) {
    const c = buf[i++]!;
    if (c >= 0x20 && c < 0x7f) {
      s += String.fromCharCode(c);
      continue;
    }
    if (c < 0x80) {
      s += C_ESCAPES[c] ?? `\\${c.toString(8).padStart(3, '0')}`;
      continue;
    }
    // The bytes that follow the first in a sequence, and the bits the first gives.
    const more = c >= 0xfe ? -1 : c >= 0xfc ? 5 : c >= 0xf8 ? 4 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    let code = more < 0 ? REPLACEMENT : c & (0x3f >> more);
    for (let k = 0; k < more; k++) {
      // A sequence cut short is one U+FFFD; the byte that cut it starts the next character.
      if (i >= end || (buf[i]! & 0xc0) !== 0x80) {
        code = REPLACEMENT;
        break;
      }
      code = code * 64 + (buf[i++]! & 0x3f);
    }
    if (code >= 0x110000 || (code >= 0xd800 && code < 0xe000)) code = REPLACEMENT;
    const char = String.fromCodePoint(code);
    if (!UNPRINTABLE.test(char)) s += char;
    else if (code <= 0xffff) s += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else s += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return s;
}
const REPLACEMENT = 0xfffd;
/** What g_unichar_isprint refuses: controls, format characters, unassigned code points, surrogates. */
const UNPRINTABLE = /^[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]$/u;

/** What a Wireshark item's label holds: 239 bytes of UTF-8 (ITEM_LABEL_LENGTH less its NUL). */
export const LABEL_BYTES = 239;

/** Whether `text` fits a label. Three bytes at most a UTF-16 unit: a short text fits without counting. */
export const fitsLabel = (text: string): boolean =>
  text.length * 3 <= LABEL_BYTES || utf8Prefix(text, LABEL_BYTES) === text;

/**
 * A title Wireshark makes with proto_item_append_text, which cuts it where the label ends without a mark: its whole
 * characters that fit a label (tshark's cut may fall inside a character, whose first bytes it keeps).
 */
export const appendedTitle = (text: string): string => utf8Prefix(text, LABEL_BYTES);

/** The whole characters that begin `text` and fit `bytes` bytes of UTF-8. */
export function utf8Prefix(text: string, bytes: number): string {
  let used = 0;
  let i = 0;
  for (const c of text) {
    const code = c.codePointAt(0)!;
    used += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (used > bytes) return text.slice(0, i);
    i += c.length;
  }
  return text;
}

/**
 * A 16-bit checksum at `at` in the layer and its status, as Wireshark's proto_tree_add_checksum draws them:
 * `Checksum: 0x0c46 [correct]` and `[Checksum Status: Good]` (`name`, `name.status`). `expected` gives the checksum
 * the message should carry, -1 where it is not checked; `verdict`, where given, the words after an unchecked one.
 */
export function checksumFields(
  name: string,
  at: number,
  expected: (l: Layer, ctx: PacketCtx) => number,
  verdict?: (l: Layer) => string | null,
): FieldSpec[] {
  return [
    {
      name,
      label: 'Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
      read: (l, v, ctx) => {
        if (l.off + at + 2 > l.end) return;
        const should = expected(l, ctx);
        const stored = l.dv.getUint16(l.off + at);
        const text = (should < 0 ? verdict?.(l) : null) ?? checksumVerdict(should, stored);
        v.str(text, l.buf, l.off + at, 2, stored);
      },
    },
    {
      name: `${name}.status`,
      label: 'Checksum Status',
      type: 'uint',
      base: 'none',
      values: CHECKSUM_STATUS,
      generated: true,
      read: (l, v, ctx) => {
        if (l.off + at + 2 <= l.end)
          v.num(checksumStatus(expected(l, ctx), l.dv.getUint16(l.off + at)), l.buf, l.off + at, 2);
      },
    },
  ];
}
