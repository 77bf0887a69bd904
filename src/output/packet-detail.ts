import { abbrevOf, frameFields } from '../dissect/field-index.js';
import { Values, type Field } from '../dissect/field.js';
import type { Layer, PacketCtx } from '../dissect/packet.js';
import { fieldDisplayText } from './field-format.js';
import { summaryText } from './packet-text.js';
import { layerFields, warningTexts } from './packet-json.js';
import type { LineSink } from './sink.js';
import { visible } from './escape.js';
import type { TextOut } from './text-out.js';

/**
 * -V: each packet as tshark -V prints it, a tree of fields with labels and
 * decoded values: `Protocol Type: IPv4 (0x0800)`, flag bits drawn over
 * their word, warnings as expert lines under their layer. -O names the
 * protocols to expand; the others keep their title line.
 */
export type PacketWriter = (ctx: PacketCtx, out: TextOut) => void;

const values = new Values();

export function detailWriter(only: string[] | null): PacketWriter {
  const expand = only ? new Set(only) : null;
  return (ctx, out) => {
    out.str(`Frame ${ctx.frameNo}: ${ctx.len} bytes on wire (${ctx.len * 8} bits), ${ctx.caplen} bytes captured (${ctx.caplen * 8} bits)`);
    if (!expand || expand.has('frame')) {
      for (const f of frameFields()) {
        if (f.type === 'protocol') continue;
        values.n = 0;
        f.read(ctx.layers[0]!, values, ctx);
        for (let i = 0; i < values.n; i++) out.str('\n    ').str(f.label).str(': ').str(fieldDisplayText(f, values, i));
      }
    }
    for (let li = 0; li < ctx.count; li++) {
      const l = ctx.layers[li]!;
      out.byte(0x0a).str(l.proto.title ?? l.proto.name);
      const summary = summaryText(l);
      if (summary) out.str(', ').str(visible(summary));
      if (l.quoted) out.str(' [quoted in an error]');
      if (l.fromEsp) out.str(' [from ESP]');
      if (expand && !expand.has(abbrevOf(l))) continue;
      if (l.proto.hf) writeFields(ctx, l, l.proto.hf, out);
      else writeJsonFields(l, out);
      writeExpert(ctx, li, out);
    }
    writeExpert(ctx, -1, out);
  };
}

function writeFields(ctx: PacketCtx, l: Layer, hf: readonly Field[], out: TextOut): void {
  for (const f of hf) {
    if (f.hidden || f.type === 'protocol') continue;
    values.n = 0;
    f.read(l, values, ctx);
    for (let i = 0; i < values.n; i++) {
      out.str(f.child ? '\n        ' : '\n    ');
      if (f.mask !== 0 && f.bits > 0) out.str(bitPattern(f, values, i)).str(' = ');
      out.str(f.label).str(': ').str(visible(fieldDisplayText(f, values, i)));
    }
  }
}

/** `..1. .... .... ....`: the field's bits within its word, as Wireshark draws them. */
function bitPattern(f: Field, v: Values, i: number): string {
  const width = f.bits;
  const word = readWord(v.bufs[i]!, v.offs[i]!, Math.ceil(width / 8)) % 2 ** width;
  let s = '';
  for (let b = width - 1; b >= 0; b--) {
    const bit = 2 ** b;
    s += Math.floor(f.mask / bit) % 2 === 1 ? (Math.floor(word / bit) % 2 === 1 ? '1' : '0') : '.';
    if (b > 0 && b % 4 === 0) s += ' ';
  }
  return s;
}

function readWord(buf: Uint8Array, off: number, size: number): number {
  let w = 0;
  for (let k = 0; k < size; k++) w = w * 256 + (buf[off + k] ?? 0);
  return w;
}

/** A protocol that declares no fields yet shows its JSON members. */
function writeJsonFields(l: Layer, out: TextOut): void {
  for (const [k, v] of Object.entries(layerFields(l))) {
    out.str('\n    ').str(k).str(': ').str(visible(typeof v === 'string' ? v : JSON.stringify(v)));
  }
}

function writeExpert(ctx: PacketCtx, layer: number, out: TextOut): void {
  const texts = warningTexts(ctx);
  for (let i = 0; i < ctx.warnCount; i++) {
    if (ctx.warnLayer[i] !== layer) continue;
    out.str(layer >= 0 ? '\n    ' : '\n').str('[Expert Info (').str(ctx.warnings[i]!.malformed ? 'Error' : 'Warning').str('): ').str(visible(texts[i]!)).byte(0x5d);
  }
}

/**
 * -x: the frame's bytes as tshark -x shows them (offset, 16 bytes in hex,
 * then as ASCII), and after them each buffer the packet made of its own
 * (a reassembled datagram, a decrypted ESP payload) as a block of its own.
 */
export function writeHexDump(ctx: PacketCtx, sink: LineSink): void {
  dumpBlock(ctx.data, ctx.dataOff, ctx.caplen, sink);
  let last: Uint8Array = ctx.data;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (l.buf === last || l.buf === ctx.data) continue;
    last = l.buf;
    sink.line(`${l.fromEsp ? 'Decrypted' : 'Reassembled'} ${l.proto.title ?? l.proto.name} (${l.buf.length} bytes):`);
    dumpBlock(l.buf, 0, l.buf.length, sink);
  }
  sink.line('');
}

function dumpBlock(buf: Uint8Array, off: number, len: number, sink: LineSink): void {
  for (let row = 0; row < len; row += 16) {
    let hex = '';
    let ascii = '';
    for (let k = 0; k < 16; k++) {
      if (row + k < len) {
        const b = buf[off + row + k]!;
        hex += (k ? ' ' : '') + b.toString(16).padStart(2, '0');
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else hex += '   ';
    }
    sink.line(`${row.toString(16).padStart(4, '0')}  ${hex}   ${ascii}`);
  }
}
