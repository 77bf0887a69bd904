import type { Layer, PacketCtx } from './packet.js';

/** Address formatting: made only for output, never on the dissection path. */

/**
 * Recent addresses as text, by a key of up to 48 bits (two ints): a capture
 * repeats a few endpoints and routers millions of times. Direct-mapped:
 * find() remembers the slot that keep() then fills.
 */
class TextCache {
  private static readonly SIZE = 4096;
  private readonly highs = new Int32Array(TextCache.SIZE).fill(-1);
  private readonly lows = new Int32Array(TextCache.SIZE);
  private readonly texts = new Array<string>(TextCache.SIZE).fill('');
  private slot = 0;

  /** `high` is at most 16 bits, so -1 marks an empty slot. */
  find(high: number, low: number): string | undefined {
    this.slot = (Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> 20) & (TextCache.SIZE - 1);
    return this.highs[this.slot] === high && this.lows[this.slot] === low ? this.texts[this.slot] : undefined;
  }

  keep(high: number, low: number, text: string): string {
    this.highs[this.slot] = high;
    this.lows[this.slot] = low;
    this.texts[this.slot] = text;
    return text;
  }
}

const ipv4Texts = new TextCache();

export function ipv4(buf: Uint8Array, off: number): string {
  const n = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
  return ipv4Texts.find(0, n) ?? ipv4Texts.keep(0, n, `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`);
}

/** RFC 5952 text form: lowercase, no leading zeros, the longest run of zero groups as "::". */
export function ipv6(buf: Uint8Array, off: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!);
  // IPv4-mapped addresses keep the dotted quad, as inet_ntop and Wireshark print them.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${ipv4(buf, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const macTexts = new TextCache();

export function mac(buf: Uint8Array, off: number): string {
  const high = (buf[off]! << 8) | buf[off + 1]!;
  const low = (buf[off + 2]! << 24) | (buf[off + 3]! << 16) | (buf[off + 4]! << 8) | buf[off + 5]!;
  return (
    macTexts.find(high, low) ??
    macTexts.keep(
      high,
      low,
      `${HEX_PAIRS[buf[off]!]}:${HEX_PAIRS[buf[off + 1]!]}:${HEX_PAIRS[buf[off + 2]!]}:` +
        `${HEX_PAIRS[buf[off + 3]!]}:${HEX_PAIRS[buf[off + 4]!]}:${HEX_PAIRS[buf[off + 5]!]}`,
    )
  );
}

export function hex(n: number, width = 0): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

/** An IPsec SPI as every output writes it: 0x and eight hex digits (JSON keeps the number). */
export function spiText(spi: number): string {
  return hex(spi, 8);
}

export function hexBytes(buf: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += buf[off + i]!.toString(16).padStart(2, '0');
  return s;
}

/** Wireshark writes 36 bytes of a value in a line at most, then an ellipsis. */
export const MAX_SHOWN_BYTES = 36;
/** Bytes as Wireshark shows them in a line: hex, cut at MAX_SHOWN_BYTES with an ellipsis. */
export function shownHex(buf: Uint8Array, off: number, len: number): string {
  return len > MAX_SHOWN_BYTES ? `${hexBytes(buf, off, MAX_SHOWN_BYTES)}\u2026` : hexBytes(buf, off, len);
}

/** The source or destination of an IPv4 or IPv6 layer, as text. */
export function addressText(net: Layer, which: 'src' | 'dst'): string {
  if (net.proto.family === 4) return ipv4(net.buf, net.off + (which === 'src' ? 12 : 16));
  return ipv6(net.buf, net.off + (which === 'src' ? 8 : 24));
}

/** The IP layer that carries layer l (the last before it), or null. */
export function ipUnder(l: Layer, ctx: PacketCtx): Layer | null {
  let ip: Layer | null = null;
  for (let i = 0; i < ctx.count && ctx.layers[i] !== l; i++) {
    const under = ctx.layers[i]!;
    if (under.proto.family !== undefined) ip = under;
  }
  return ip;
}

/**
 * An OSI system ID as Wireshark's print_system_id writes it: six bytes `0000.0000.0002`, a seventh `.09` (a LAN ID's
 * pseudonode), an eighth `-00` (an LSP ID's fragment); other lengths as bare hex, a dot after the fourth byte.
 */
export function systemIdText(buf: Uint8Array, off: number, len: number): string {
  if (len <= 0 || len > 15) return '<Invalid length of SYSTEM ID>';
  const h = (k: number) => buf[off + k]!.toString(16).padStart(2, '0');
  if (len >= 6 && len <= 8) {
    let s = `${h(0)}${h(1)}.${h(2)}${h(3)}.${h(4)}${h(5)}`;
    if (len >= 7) s += `.${h(6)}`;
    if (len === 8) s += `-${h(7)}`;
    return s;
  }
  // osi-utils.c: four bytes and a dot while its index is under length / 4 (so once, from 4 bytes on), then the rest.
  let s = '';
  let k = 0;
  if (len >= 4) {
    s = `${h(0)}${h(1)}${h(2)}${h(3)}.`;
    k = 4;
  }
  while (k < len) s += h(k++);
  return s;
}
