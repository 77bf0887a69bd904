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
const HEX_DIGITS = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));
const DOT = 0x2e;
const COLON = 0x3a;

export class TextOut {
  buf: Buffer;
  pos = 0;

  constructor(size = 1 << 16) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** The text written so far (for the UI and tests, which want strings), and starts again. */
  take(): string {
    const s = this.buf.toString('utf8', 0, this.pos);
    this.pos = 0;
    return s;
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
        this.pos += buf.write(s, this.pos);
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
    if (!Number.isSafeInteger(n)) return this.str(String(n));
    this.room(17);
    if (n < 0) {
      this.buf[this.pos++] = 0x2d;
      n = -n;
    }
    return this.digits(n, 0);
  }

  /** A non-negative integer with at least `width` digits (leading zeros). */
  padded(n: number, width: number): this {
    this.room(Math.max(width, 16));
    return this.digits(n, width);
  }

  private digits(n: number, width: number): this {
    let len = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
    if (len < width) len = width;
    const buf = this.buf;
    let i = this.pos + len;
    this.pos = i;
    do {
      const q = Math.floor(n / 10);
      buf[--i] = 0x30 + n - q * 10;
      n = q;
      len--;
    } while (len > 0);
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
