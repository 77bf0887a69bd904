import { ipv6 as ipv6Text, MAX_SHOWN_BYTES, shownHex, systemIdText } from '../dissect/addr.js';
import type { Field, Values } from '../dissect/field.js';
import { TextOut } from '../util/text-out.js';
import { printfG } from '../util/printf.js';
import { visible } from './escape.js';

/**
 * One occurrence of a field as tshark -T fields prints it: integers in
 * their declared base (hex padded to the field's width), flags 1/0,
 * addresses as text, bytes as bare hex digits, times with nine decimals.
 */
export function writeFieldValue(f: Field, v: Values, i: number, out: TextOut): void {
  switch (f.type) {
    case 'uint':
    case 'int': {
      const n = v.nums[i]!;
      // A 64-bit word from its bytes: a number holds 53 bits exactly (a random tie breaker has 64).
      if (f.bits === 64 && f.mask === 0 && v.lens[i] === 8 && (f.base === 'hex' || f.base === 'dec')) {
        const buf = v.bufs[i]!;
        const at = v.offs[i]!;
        if (f.base === 'hex') {
          out.str('0x');
          for (let k = at; k < at + 8; k++) out.str(HEX[buf[k]!]!);
        } else out.str(new DataView(buf.buffer, buf.byteOffset + at, 8).getBigUint64(0).toString());
      } else if (f.base === 'hex' || f.base === 'hex_dec')
        // tshark writes a hex number of 40 to 64 bits in 16 digits (its qword_to_hex).
        out.hex(n, f.bits > 32 ? 16 : Math.ceil(f.bits / 4));
      else if (f.base === 'oct') out.str(n === 0 ? '0' : '0' + n.toString(8));
      else out.num(n);
      return;
    }
    case 'double':
      // Shortest exact decimal, as tshark's %g for the binary fractions declared here.
      out.str(String(v.nums[i]!));
      return;
    case 'float': {
      const n = v.nums[i]!;
      // A NaN whose sign bit is set is C's `-nan`.
      out.str(Number.isNaN(n) && v.bufs[i]![v.offs[i]!]! & 0x80 ? '-nan' : printfG(n));
      return;
    }
    case 'bool':
      out.byte(v.nums[i] ? 0x31 : 0x30);
      return;
    case 'ipv4':
      out.ipv4(v.bufs[i]!, v.offs[i]!);
      return;
    case 'ipv6':
      out.str(ipv6Text(v.bufs[i]!, v.offs[i]!));
      return;
    case 'ether':
      out.mac(v.bufs[i]!, v.offs[i]!);
      return;
    case 'bytes': {
      // tshark 4.0 prints an empty byte field so.
      if (v.lens[i] === 0) {
        out.str(f.allowZero ? '<none>' : '<MISSING>');
        return;
      }
      const buf = v.bufs[i]!;
      const first = v.offs[i]!;
      for (let k = first, end = k + v.lens[i]!; k < end; k++) {
        if (k > first && f.separator) out.str(f.separator);
        out.str(HEX[buf[k]!]!);
      }
      return;
    }
    case 'systemid':
      out.str(systemIdText(v.bufs[i]!, v.offs[i]!, v.lens[i]!));
      return;
    case 'string':
      // Readers make their text safe where they make it; this holds for any that did not.
      out.str(visible(v.strs[i]!));
      return;
    case 'time':
      localDate(v.nums[i]!);
      out.str(date).byte(0x2e).padded(v.offs[i]!, 9).byte(0x20).str(zone);
      return;
    case 'reltime': {
      // Seconds and nanoseconds share a sign (field-index.ts): -1.5 s is -1 and -500000000.
      const s = v.nums[i]!;
      const ns = v.offs[i]!;
      if (s < 0 || ns < 0) out.byte(0x2d);
      out.num(Math.abs(s)).byte(0x2e).padded(Math.abs(ns), 9);
      return;
    }
    case 'protocol':
      // The protocol item's text: its label, or what its display makes of its number (BGP's `Border Gateway
      // Protocol - OPEN Message`, from the message type).
      out.str(f.display ? f.display(v.nums[i]!, v.bufs[i]!, v.offs[i]!, '') : f.label);
      return;
    case 'none':
      // tshark -T fields prints a mark that is there (FT_NONE) as 1.
      out.byte(0x31);
      return;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
let dateSec = NaN;
let date = '';
let zone = '';
let zoneName: Intl.DateTimeFormat | null = null;

/**
 * Sets `date` to the second as tshark writes an absolute time, in local time (`Jan  1, 2026 00:00:00`, the day padded
 * with a space), and `zone` to the local time zone's short name then: `UTC`, `EST`; where the platform names none,
 * its offset (`GMT+1`, where tshark writes the C library's `CET`).
 */
function localDate(sec: number): void {
  if (sec === dateSec) return;
  const d = new Date(sec * 1000);
  dateSec = sec;
  date =
    `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')}, ${d.getFullYear()} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  zoneName ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  zone = zoneName.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const scratch = new TextOut(256);

/** The occurrence as a string (the detail tree, the UI). */
export function fieldValueText(f: Field, v: Values, i: number): string {
  writeFieldValue(f, v, i, scratch);
  return scratch.take();
}

/**
 * The occurrence as -V shows it: `IP (0x0800)` for named values, `Unknown
 * (0x3700)` for a value a field of names has none for, hex with its decimal
 * for BASE_HEX_DEC, a flag's words (`Set`, `Yes`, `True`...).
 */
export function fieldDisplayText(f: Field, v: Values, i: number): string {
  if (f.type === 'bool') return f.tfs[v.nums[i] ? 0 : 1];
  if (f.type === 'reltime') return `${fieldValueText(f, v, i)} seconds`;
  // tshark -V shows 36 bytes at most, then an ellipsis.
  if (f.type === 'bytes' && v.lens[i]! > MAX_SHOWN_BYTES) return shownHex(v.bufs[i]!, v.offs[i]!, v.lens[i]!);
  const n = v.nums[i]!;
  // A masked field's hex is as wide as its mask in -V (`Flags: 0x0`), and as its word in -T fields (`0x00`).
  // And a hex number of 33 to 63 bits is as wide as its bits in -V, 16 digits in -T fields.
  const maskedHex =
    f.type === 'uint' && (f.mask !== 0 || (f.bits > 32 && f.bits < 64)) && (f.base === 'hex' || f.base === 'hex_dec');
  const raw = maskedHex ? `0x${n.toString(16).padStart(hexDigits(f), '0')}` : fieldValueText(f, v, i);
  if (
    f.display &&
    (f.type === 'uint' || f.type === 'int' || f.type === 'ipv4' || f.type === 'bytes' || f.type === 'string')
  )
    return f.display(n, v.bufs[i]!, v.offs[i]!, v.strs[i] ?? '');
  if (f.type !== 'uint' && f.type !== 'int') return raw;
  const name = f.values?.[n];
  // A field with no base shows its value's name alone (a checksum's status: `Good`).
  if (f.base === 'none' && name !== undefined) return name;
  if (f.base === 'hex_dec') return `${raw} (${n})`;
  if (f.base === 'dec_hex') return `${raw} (0x${n.toString(16).padStart(hexDigits(f), '0')})`;
  // A value its names do not have: tshark's `Unknown (7)`.
  if (name === undefined) return f.values ? `Unknown (${raw})` : raw;
  return `${name} (${raw})`;
}

/** Wireshark's hex width of a field: a masked one's from its mask's width (an MPLS label is 0x00064, 20 bits). */
function hexDigits(f: Field): number {
  if (f.mask === 0) return Math.ceil(f.bits / 4);
  const width = 32 - Math.clz32(Math.floor(f.mask / 2 ** f.shift) >>> 0);
  return Math.ceil(width / 4);
}
