import type { Frame } from '../capture/frame.js';
import { Engine } from '../dissect/engine.js';
import type { EngineOptions } from '../dissect/state.js';
import { layerObjects, warningTexts } from '../output/packet-json.js';
import { packetText } from '../output/packet-text.js';
import type { StoredPacket } from './store.js';
import { visible } from '../output/escape.js';

export interface LayerDetail {
  name: string;
  fields: [string, string][];
  /** The header's bytes in the frame, or null when the layer came from a reassembled or decrypted buffer. */
  range: [number, number] | null;
}

export interface PacketDetail {
  layers: LayerDetail[];
  warnings: string[];
  bytes: Uint8Array;
}

/**
 * A kept packet dissected again on its own, for the drill-down (a packet
 * that needed reassembly shows as the fragment it arrived in).
 */
function redissect(p: StoredPacket, options?: EngineOptions) {
  const engine = new Engine(options);
  const frame: Frame = {
    data: p.bytes, dv: new DataView(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength), off: 0,
    caplen: p.bytes.length, len: p.len, tsSec: p.tsSec, tsNsec: p.tsNsec, tsDigits: 6, linktype: p.linktype,
  };
  return engine.dissect(frame);
}

const lines = new WeakMap<StoredPacket, string>();

/** The packet's text line, made the first time a list shows it. */
export function packetLine(p: StoredPacket, options?: EngineOptions): string {
  let line = lines.get(p);
  if (line === undefined) {
    line = packetText(redissect(p, options));
    lines.set(p, line);
  }
  return line;
}

/** The layer tree of one kept packet. */
export function packetDetail(p: StoredPacket, options?: EngineOptions): PacketDetail {
  const ctx = redissect(p, options);
  const objects = layerObjects(ctx);
  const layers = objects.map((o, i): LayerDetail => {
    const l = ctx.layers[i]!;
    // A field's text may come from the packet: drawn escaped.
    const fields = Object.entries(o).filter(([k]) => k !== 'protocol').map(([k, v]): [string, string] => [visible(k), visible(typeof v === 'object' ? JSON.stringify(v) : String(v))]);
    return { name: String(o.protocol), fields, range: l.buf === p.bytes ? [l.off, l.hdrEnd] : null };
  });
  return { layers, warnings: warningTexts(ctx), bytes: p.bytes };
}

/** Hex dump rows: offset, 16 bytes in hex, and as text. */
export function hexRows(bytes: Uint8Array): { offset: number; cells: number[] }[] {
  const rows: { offset: number; cells: number[] }[] = [];
  for (let o = 0; o < bytes.length; o += 16) rows.push({ offset: o, cells: [...bytes.subarray(o, o + 16)] });
  return rows;
}
