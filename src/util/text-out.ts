/**
 * Output text written straight into bytes: the text lines and JSON of
 * millions of packets are made here without building strings (a string per
 * piece, joined, then encoded, was most of the cost of -r). Numbers and
 * addresses are written digit by digit from tables.
 */

/** The decimal text of every byte value, for addresses: three bytes per value, then its length. */
const BYTE_DIGITS = new Uint8Array(256 * 4);
for (let v = 0; v < 256; v++) {
  const s = String(v);
  for (let i = 0; i < s.length; i++) BYTE_DIGITS[v * 4 + i] = s.charCodeAt(i);
  BYTE_DIGITS[v * 4 + 3] = s.length;
}
/** "00" to "99". */
const DIGIT_PAIRS = new Uint8Array(200);
for (let v = 0; v < 100; v++) {
  DIGIT_PAIRS[2 * v] = 0x30 + Math.floor(v / 10);
  DIGIT_PAIRS[2 * v + 1] = 0x30 + (v % 10);
}

function decimalLength(n: number): number {
  if (n < 1e5) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  if (n < 1e10) return n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  let len = 11;
  for (let x = n / 1e11; x >= 1; x /= 10) len++;
  return len;
}

const HEX_DIGITS = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));
const DOT = 0x2e;
const COLON = 0x3a;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A plain Uint8Array, not a Buffer: V8 stores into it a little faster. */
export class TextOut {
  buf: Uint8Array;
  pos = 0;

  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(size);
  }

  /**
   * Makes room for `n` more bytes (small enough to be inlined everywhere); public for code that stores into buf itself.
   */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const bigger = new Uint8Array(Math.max(2 * this.buf.length, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }

  /** The text written so far (for the UI and tests, which want strings), and starts again. */
  take(): string {
    const s = fromUtf8.decode(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return s;
  }

  /**
   * The bytes written so far, handed over (to be sent to another thread):
   * writing goes on in `next` (a buffer sent back once written) or a new one.
   */
  detach(next: ArrayBuffer | null): Uint8Array {
    const written = this.buf.subarray(0, this.pos);
    this.buf = next ? new Uint8Array(next) : new Uint8Array(this.buf.length);
    this.pos = 0;
    return written;
  }

  /** Any string; ASCII is copied a byte at a time, anything else is encoded as UTF-8. */
  str(s: string): this {
    const n = s.length;
    this.room(3 * n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.pos += utf8.encodeInto(s, buf.subarray(this.pos)).written;
        return this;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
    return this;
  }

  byte(c: number): this {
    this.room(1);
    this.buf[this.pos++] = c;
    return this;
  }

  /** A number as JavaScript writes it; integers are written digit by digit. */
  num(n: number): this {
    // Header fields are unsigned 32-bit integers: the one check for them; most are under 100.
    if (n >>> 0 === n) {
      if (n >= 100) return this.u32(n);
      this.room(2);
      const buf = this.buf;
      if (n < 10) buf[this.pos++] = 0x30 + n;
      else {
        buf[this.pos++] = DIGIT_PAIRS[2 * n]!;
        buf[this.pos++] = DIGIT_PAIRS[2 * n + 1]!;
      }
      return this;
    }
    if (!Number.isSafeInteger(n)) return this.str(String(n));
    if (n < 0) {
      this.byte(0x2d);
      n = -n;
    }
    return this.digits(n, 0);
  }

  /** A non-negative integer with at least `width` digits (leading zeros). */
  padded(n: number, width: number): this {
    return this.digits(n, width);
  }

  /** An unsigned 32-bit integer: as digits(), in integer arithmetic (V8 divides by 100 with a multiply). */
  private u32(n: number): this {
    const len = decimalLength(n);
    this.room(len);
    const buf = this.buf;
    let i = this.pos + len;
    this.pos = i;
    while (n >= 100) {
      const q = (n / 100) >>> 0;
      const pair = (n - q * 100) * 2;
      buf[--i] = DIGIT_PAIRS[pair + 1]!;
      buf[--i] = DIGIT_PAIRS[pair]!;
      n = q;
    }
    if (n >= 10) {
      buf[--i] = DIGIT_PAIRS[n * 2 + 1]!;
      buf[--i] = DIGIT_PAIRS[n * 2]!;
    } else buf[--i] = 0x30 + n;
    return this;
  }

  /** A non-negative safe integer, two digits at a time from the right. */
  private digits(n: number, width: number): this {
    let len = decimalLength(n);
    if (len < width) len = width;
    this.room(len);
    const buf = this.buf;
    let i = this.pos + len;
    this.pos = i;
    while (n >= 100) {
      const q = Math.floor(n / 100);
      const pair = (n - q * 100) * 2;
      buf[--i] = DIGIT_PAIRS[pair + 1]!;
      buf[--i] = DIGIT_PAIRS[pair]!;
      n = q;
      len -= 2;
    }
    if (n >= 10) {
      buf[--i] = DIGIT_PAIRS[n * 2 + 1]!;
      buf[--i] = DIGIT_PAIRS[n * 2]!;
      len -= 2;
    } else {
      buf[--i] = 0x30 + n;
      len--;
    }
    for (; len > 0; len--) buf[--i] = 0x30;
    return this;
  }

  /** "0x" and lowercase hex digits, at least `width` of them. */
  hex(n: number, width = 0): this {
    this.room(Math.max(width, 14) + 2);
    const buf = this.buf;
    buf[this.pos++] = 0x30;
    buf[this.pos++] = 0x78;
    let len = 1;
    for (let x = n; x >= 16; x = Math.floor(x / 16)) len++;
    if (len < width) len = width;
    let i = this.pos + len;
    this.pos = i;
    do {
      const q = Math.floor(n / 16);
      buf[--i] = HEX_DIGITS[n - q * 16]!;
      n = q;
      len--;
    } while (len > 0);
    return this;
  }

  /** `len` bytes at `off` as pairs of lowercase hex digits, without "0x" or separators. */
  hexBytes(src: Uint8Array, off: number, len: number): this {
    this.room(2 * len);
    const buf = this.buf;
    for (let k = 0; k < len; k++) {
      const b = src[off + k]!;
      buf[this.pos++] = HEX_DIGITS[b >> 4]!;
      buf[this.pos++] = HEX_DIGITS[b & 15]!;
    }
    return this;
  }

  /** The dotted quad of the four bytes at `off`. */
  ipv4(src: Uint8Array, off: number): this {
    this.room(15);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = 0; k < 4; k++) {
      if (k > 0) buf[pos++] = DOT;
      const d = src[off + k]! * 4;
      buf[pos] = BYTE_DIGITS[d]!;
      buf[pos + 1] = BYTE_DIGITS[d + 1]!;
      buf[pos + 2] = BYTE_DIGITS[d + 2]!;
      pos += BYTE_DIGITS[d + 3]!;
    }
    this.pos = pos;
    return this;
  }

  /** The six bytes at `off` as a colon-separated MAC address. */
  mac(src: Uint8Array, off: number): this {
    this.room(17);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = 0; k < 6; k++) {
      if (k > 0) buf[pos++] = COLON;
      const b = src[off + k]!;
      buf[pos++] = HEX_DIGITS[b >> 4]!;
      buf[pos++] = HEX_DIGITS[b & 15]!;
    }
    this.pos = pos;
    return this;
  }
}
