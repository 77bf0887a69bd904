import { abbrevOf, DATA_FIELDS, FRAME_FIELDS, tail, trailingData } from '../dissect/frame-fields.js';
import { fitsLabel, LABEL_BYTES, utf8Prefix, Values, type Field } from '../dissect/field.js';
import type { FieldList } from '../dissect/field-list.js';
import type { Layer, PacketCtx } from '../dissect/packet.js';
import { W } from '../dissect/warnings.js';
import { fieldDisplayText } from './field-format.js';
import { summaryText } from './packet-text.js';
import { layerFields, warningTexts } from './packet-json.js';
import type { LineSink } from './sink.js';
import { visible } from './escape.js';
import type { TextOut } from '../util/text-out.js';

/**
 * -V: each packet as tshark -V prints it, a tree of fields with labels and
 * decoded values: `Protocol Type: IP (0x0800)`, flag bits drawn over
 * their word, warnings as expert lines under their layer. -O names the
 * protocols to expand; the others keep their title line.
 */
export type PacketWriter = (ctx: PacketCtx, out: TextOut) => void;

const values = new Values();

/**
 * One line of the detail tree: its depth (0 the frame and layer titles, 1
 * their fields, 2 a flag under its word), its text (escaped), the layer it
 * belongs to (-1 the frame), and the bytes it was read from (buf null when
 * it has none of its own). The -V writer prints these lines; the UI draws
 * them and lights the bytes.
 */
export type DetailEmit = (
  depth: number,
  text: string,
  layer: number,
  buf: Uint8Array | null,
  off: number,
  len: number,
  expert: boolean,
) => void;

/** The bytes of a `data` item, for the -V writer, which prints them as tshark -V does (without -x). */
export type DataBytes = (buf: Uint8Array, off: number, len: number) => void;

/**
 * The -V tree of a packet, line by line, to `emit`; with `expand`, only those protocols' fields. `onData` hears of
 * each `data` item's bytes, right after its title line.
 */
export function walkDetail(
  ctx: PacketCtx,
  expand: ReadonlySet<string> | null,
  emit: DetailEmit,
  onData: DataBytes | null = null,
): void {
  emit(
    0,
    `Frame ${ctx.frameNo}: ${ctx.len} bytes on wire (${ctx.len * 8} ` +
      `bits), ${ctx.caplen} bytes captured (${ctx.caplen * 8} bits)${capturedOn(ctx)}`,
    -1,
    ctx.data,
    ctx.dataOff,
    ctx.caplen,
    false,
  );
  if (!expand || expand.has('frame')) {
    for (const f of FRAME_FIELDS) {
      values.n = 0;
      f.read(ctx.layers[0]!, values, ctx);
      emitValues(f, values, -1, 1, emit);
    }
  }
  const dataLen = trailingData(ctx);
  const { buf: dataBuf, off: dataOff, layer: dataWithin } = tail;
  const showData = !expand || expand.has('data');
  let li = 0;
  /**
   * Layer li and, within it, the layers it quotes (an ICMP error's, an NHRP indication's) or holds as extension
   * headers (IPv6's AH), as tshark nests them: at the depth the protocol's tree says, or after its fields one level
   * under its title. `base` is the depth its title is drawn at. `within`: for a layer drawn within another, whether
   * that one's subtree is drawn (-O expands a subtree whole, as tshark's); null for the others, which -O names.
   */
  const walkLayer = (base: number, within: boolean | null): void => {
    const at = li++;
    const l = ctx.layers[at]!;
    const out: DetailEmit =
      base === 0
        ? emit
        : (depth, text, layer, buf, off, len, expert) => emit(depth + base, text, layer, buf, off, len, expert);
    const hf = l.proto.hf?.();
    const shownAbove = within ?? true;
    const shown = within ?? (!expand || expand.has(abbrevOf(l)));
    let nested = false;
    /** Draws the layers that follow within this one (those it quotes, its extension headers), titles at `depth`. */
    const quoted = (depth: number): void => {
      nested = true;
      while (li < ctx.count && drawnWithinPrevious(ctx, li)) walkLayer(base + depth, shown);
    };
    const records = hf ? layerList(hf) : null;
    if (records) {
      // Each record is a protocol item of its own, as in Wireshark's tree (MPLS's label stack entries).
      if (shownAbove) walkRecords(ctx, l, at, hf!, records, null, -1, 0, 0, shown, out);
      if (shown) walkExpert(ctx, at, out);
      return;
    }
    if (shownAbove) {
      let title = l.proto.title ?? l.proto.name;
      // An extension header's title is its name alone, as tshark's.
      const summary = within !== null && !l.quoted ? '' : summaryText(l);
      if (summary) title += `, ${visible(summary)}`;
      if (l.quoted) title += ' [quoted in an error]';
      if (l.fromEsp) title += ' [from ESP]';
      out(0, title, at, l.buf, l.off, Math.max(0, l.hdrEnd - l.off), false);
    }
    if (shown) {
      if (l.proto.tree) l.proto.tree(l, ctx, (f, v, depth) => emitValues(f, v, at, depth, out), quoted);
      else if (hf) walkFields(ctx, l, at, hf, out);
      else walkJsonFields(l, at, ctx, out);
      // An ICMP echo's data is a subtree of ICMP's own, as in Wireshark's.
      // Within a quoted layer, -O expands it as the rest of the quoting layer's subtree.
      if (dataLen > 0 && dataWithin === at)
        walkData(ctx, dataBuf, dataOff, dataLen, at, 1, within ?? showData, out, onData);
      walkExpert(ctx, at, out);
    }
    if (!nested && !l.quoted) quoted(1);
  };
  while (li < ctx.count) walkLayer(0, null);
  if (dataLen > 0 && dataWithin < 0) walkData(ctx, dataBuf, dataOff, dataLen, ctx.count - 1, 0, showData, emit, onData);
  walkExpert(ctx, -1, emit);
}

/** Whether layer i is drawn within the tree of a layer before it: quoted in an error, or an extension header. */
function drawnWithinPrevious(ctx: PacketCtx, i: number): boolean {
  const l = ctx.layers[i]!;
  return l.quoted || (i > 0 && l.proto.drawnWithin?.(ctx.layers[i - 1]!) === true);
}

/**
 * The protocol items at the top of the packet's -V tree, in order, by their filter names (what tshark's -z io,phs
 * counts): a layer's own, each record of a layer drawn as records (MPLS's label stack entries), none of a layer drawn
 * within an earlier one (quoted, an extension header), then `data` drawn after the layers, and `_ws.short` or
 * `_ws.malformed` where a layer ran past the captured bytes or was malformed (tshark's exception ends its tree there).
 */
export function eachTopLevelItem(ctx: PacketCtx, visit: (name: string) => void): void {
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (drawnWithinPrevious(ctx, i)) continue;
    const hf = l.proto.hf?.();
    const records = hf ? layerList(hf) : null;
    if (records) {
      const c = records.cursor();
      for (let ok = c.first(l); ok; ok = c.next(l)) visit(abbrevOf(l));
      continue;
    }
    const names = l.proto.treeNames?.(l) ?? l.proto.frameNames?.(l) ?? abbrevOf(l);
    if (names.includes(':')) for (const name of names.split(':')) visit(name);
    else if (names !== '') visit(names);
  }
  if (trailingData(ctx) > 0 && tail.layer < 0) visit('data');
  for (let i = 0; i < ctx.warnCount; i++) {
    const w = ctx.warnings[i]!;
    if (w === W.truncated || (w.malformed && !w.limit && !w.readOn)) {
      visit(w === W.truncated ? '_ws.short' : '_ws.malformed');
      return;
    }
  }
}

/** pcapng: where the frame's title says it was captured, and which way it went where its flags say. */
function capturedOn(ctx: PacketCtx): string {
  if (!ctx.iface) return '';
  const direction = ctx.packetFlags < 0 ? 0 : ctx.packetFlags & 3;
  return (
    ` on interface ${ctx.iface.name}, id ${ctx.iface.id}` +
    (direction === 1 ? ' (inbound)' : direction === 2 ? ' (outbound)' : '')
  );
}

/** The `data` item: its title at depth, and where it is expanded, its bytes to onData, then its fields. */
function walkData(
  ctx: PacketCtx,
  buf: Uint8Array,
  off: number,
  len: number,
  li: number,
  depth: number,
  shown: boolean,
  emit: DetailEmit,
  onData: DataBytes | null,
): void {
  emit(depth, `Data (${len} bytes)`, li, buf, off, len, false);
  if (!shown) return;
  onData?.(buf, off, len);
  for (const f of DATA_FIELDS) {
    values.n = 0;
    f.read(ctx.layers[0]!, values, ctx);
    emitValues(f, values, li, depth + 1, emit);
  }
}

const INDENT = ['', '    ', '        ', '            ', '                '];

/**
 * -V's writer. Without -x (`hex` false), each `data` item's bytes follow its title, after an empty line, as tshark -V
 * prints them.
 */
export function detailWriter(only: string[] | null, hex: boolean): PacketWriter {
  const expand = only ? new Set(only) : null;
  return (ctx, out) => {
    let first = true;
    walkDetail(
      ctx,
      expand,
      (depth, text) => {
        // tshark indents no deeper than 160 columns (its print.c's MAX_INDENT).
        if (!first) out.byte(0x0a).str(INDENT[depth] ?? '    '.repeat(Math.min(depth, 40)));
        first = false;
        out.str(text);
      },
      hex
        ? null
        : (buf, off, len) => {
            out.byte(0x0a);
            dumpRows(buf, off, len, (row) => out.byte(0x0a).str(row));
          },
    );
  };
}

function walkFields(ctx: PacketCtx, l: Layer, li: number, hf: readonly Field[], emit: DetailEmit): void {
  for (const f of hf) {
    const list = f.list;
    if (list === null) {
      if (f.hidden || f.type === 'protocol') continue;
      values.n = 0;
      f.read(l, values, ctx);
      emitValues(f, values, li, 1, emit);
      continue;
    }
    // A list's field shows its occurrences outside the records where it is declared; the records, where the list's
    // first field is.
    if (f.layerRead !== null && !f.hidden) {
      values.n = 0;
      f.layerRead(l, values, ctx);
      emitValues(f, values, li, 1, emit);
    }
    if (list.fields[0] === f) walkRecords(ctx, l, li, hf, list, null, -1, 0, 1, true, emit);
  }
}

/** Each occurrence in v as a line at depth (a flag one deeper, under its word). */
function emitValues(f: Field, v: Values, li: number, depth: number, emit: DetailEmit): void {
  if (f.hidden || f.type === 'protocol') return;
  for (let i = 0; i < v.n; i++) {
    const bits = f.drawn !== 0 && f.bits > 0 ? `${bitPattern(f, v, i)} = ` : '';
    // A mark (FT_NONE) is its label alone (`Non-ESP Marker`), or a text of its own (an item with no field).
    const text =
      f.type === 'none'
        ? titleLabel(visible(f.display ? f.display(v.nums[i]!, v.bufs[i]!, v.offs[i]!, v.strs[i] ?? '') : f.label))
        : visible(itemLabel(`${bits}${f.label}`, fieldDisplayText(f, v, i)));
    emit(
      f.child ? depth + 1 : depth,
      f.generated ? `[${text}]` : text,
      li,
      // A value worked out from no bytes (the frame's times) lights none.
      v.lens[i] ? (v.bufs[i] ?? null) : null,
      v.offs[i]!,
      v.lens[i]!,
      false,
    );
  }
}

/**
 * `Name: value`, as Wireshark labels a field: one longer than its label holds says so after its name (`Host Name
 * [truncated]: \001\001...`), cut as cutLabel cuts.
 */
function itemLabel(name: string, value: string): string {
  const line = `${name}: ${value}`;
  return fitsLabel(line) ? line : cutLabel(`${name} [truncated]: ${value}`);
}

/**
 * A title a dissector wrote itself (a subtree's, an item with no field of its own), as Wireshark's
 * proto_tree_set_representation keeps it: one longer than a label holds is marked at its start, after a space
 * (` [truncated]System Description = Cisco IOS...`), and cut as cutLabel cuts.
 */
function titleLabel(text: string): string {
  return fitsLabel(text) ? text : cutLabel(` [truncated]${text}`);
}

/** A marked label cut before the character that holds its 239th byte (tshark 4.0's label_mark_truncated). */
const cutLabel = (marked: string): string => utf8Prefix(marked, LABEL_BYTES - 1);

/** The list whose records stand for the layer in the tree (ListSpec.asLayers), or null. */
function layerList(hf: readonly Field[]): FieldList | null {
  for (const f of hf) if (f.list?.asLayers) return f.list;
  return null;
}

/**
 * The records of a list that `parent` holds (null: the layer), in the
 * record at pp (-1: the layer), each a subtree at depth: its title, its
 * fields, then the lists its records hold, as subtrees of their own.
 */
function walkRecords(
  ctx: PacketCtx,
  l: Layer,
  li: number,
  hf: readonly Field[],
  list: FieldList,
  parent: FieldList | null,
  pp: number,
  plen: number,
  depth: number,
  shown: boolean,
  emit: DetailEmit,
): void {
  const c = list.cursor();
  for (let k = 0; k < list.in.length; k++) {
    if ((list.in[k]!.parent ?? null) !== parent) continue;
    for (let ok = c.region(l, k, pp, plen); ok; ok = c.step(l)) {
      const p = c.p;
      const len = c.len;
      emit(
        depth,
        titleLabel(visible(list.title(l, p, len))),
        li,
        l.buf,
        p,
        Math.max(0, Math.min(len, l.end - p)),
        false,
      );
      if (!shown) continue;
      for (const f of list.fields) {
        values.n = 0;
        f.recordRead!(l, values, ctx, p, len);
        emitValues(f, values, li, depth + 1, emit);
      }
      for (const f of hf)
        if (f.list !== null && f.list.fields[0] === f && f.list.in.some((x) => x.parent === list))
          walkRecords(ctx, l, li, hf, f.list, list, p, len, depth + 1, true, emit);
    }
  }
}
/**
 * `..1. .... .... ....`: the field's bits within its word, as Wireshark
 * draws them; read bit by bit from the bytes, so a 64-bit word is exact.
 */
function bitPattern(f: Field, v: Values, i: number): string {
  const width = f.bits;
  const buf = v.bufs[i]!;
  const first = v.offs[i]!;
  const last = first + Math.ceil(width / 8) - 1;
  let s = '';
  for (let b = width - 1; b >= 0; b--) {
    const bit = ((buf[f.littleEndian ? first + (b >> 3) : last - (b >> 3)] ?? 0) >> (b & 7)) & 1;
    s += Math.floor(f.drawn / 2 ** b) % 2 === 1 ? String(bit) : '.';
    if (b > 0 && b % 4 === 0) s += f.bitsItem && b % 8 === 0 ? '  ' : ' ';
  }
  return s;
}

/** A protocol that declares no fields yet shows its JSON members. */
function walkJsonFields(l: Layer, li: number, ctx: PacketCtx, emit: DetailEmit): void {
  for (const [k, v] of Object.entries(layerFields(l, ctx))) {
    emit(1, `${k}: ${visible(typeof v === 'string' ? v : JSON.stringify(v))}`, li, null, 0, 0, false);
  }
}

function walkExpert(ctx: PacketCtx, layer: number, emit: DetailEmit): void {
  if (ctx.warnCount === 0) return;
  const texts = warningTexts(ctx);
  for (let i = 0; i < ctx.warnCount; i++) {
    if (ctx.warnLayer[i] !== layer) continue;
    emit(
      layer >= 0 ? 1 : 0,
      `[Expert Info (${ctx.warnings[i]!.malformed ? 'Error' : 'Warning'}): ${visible(texts[i]!)}]`,
      layer,
      null,
      0,
      0,
      true,
    );
  }
}

/**
 * -x: the frame's bytes as tshark -x shows them (offset, 16 bytes in hex,
 * then as ASCII), and after them each buffer the packet made of its own
 * (a reassembled datagram, a decrypted ESP payload) as a block of its own.
 */
export function writeHexDump(ctx: PacketCtx, sink: LineSink): void {
  const line = (row: string) => sink.line(row);
  dumpRows(ctx.data, ctx.dataOff, ctx.caplen, line);
  let last: Uint8Array = ctx.data;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (l.buf === last || l.buf === ctx.data) continue;
    last = l.buf;
    sink.line(`${l.fromEsp ? 'Decrypted' : 'Reassembled'} ${l.proto.title ?? l.proto.name} (${l.buf.length} bytes):`);
    dumpRows(l.buf, 0, l.buf.length, line);
  }
  sink.line('');
}

/** Rows of 16 bytes: offset, hex, ASCII. */
function dumpRows(buf: Uint8Array, off: number, len: number, row: (text: string) => void): void {
  for (let at = 0; at < len; at += 16) {
    let hex = '';
    let ascii = '';
    for (let k = 0; k < 16; k++) {
      if (at + k < len) {
        const b = buf[off + at + k]!;
        hex += (k ? ' ' : '') + b.toString(16).padStart(2, '0');
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else hex += '   ';
    }
    row(`${at.toString(16).padStart(4, '0')}  ${hex}   ${ascii}`);
  }
}
