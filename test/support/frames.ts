import type { Frame } from '../../src/capture/frame.js';
import { Engine } from '../../src/dissect/engine.js';
import { layerObjects, warningTexts } from '../../src/output/packet-json.js';

/** A frame over `bytes` as a reader would hand it out (any Uint8Array, including a subarray). */
export function frameOf(bytes: Uint8Array, linktype = 1, len = bytes.length): Frame {
  return {
    data: bytes,
    dv: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    off: 0,
    caplen: bytes.length,
    len,
    tsSec: 1767225600,
    tsNsec: 0,
    tsDigits: 6,
    hasTs: true,
    linktype,
    iface: null,
    flags: -1,
  };
}

/** Dissects one frame with a fresh engine and returns its JSON layers and warnings. */
export function dissectBytes(bytes: Uint8Array, linktype = 1, len = bytes.length, engine = new Engine()) {
  const ctx = engine.dissect(frameOf(bytes, linktype, len));
  return { layers: layerObjects(ctx), warnings: warningTexts(ctx), names: layerObjects(ctx).map((l) => l.protocol) };
}

/** The same bytes as a Buffer, a Uint8Array, and a subarray with a non-zero byteOffset. */
export function asEveryView(bytes: Uint8Array): [string, Uint8Array][] {
  const padded = new Uint8Array(bytes.length + 7);
  padded.set(bytes, 7);
  return [
    ['Buffer', Buffer.from(bytes)],
    ['Uint8Array', Uint8Array.from(bytes)],
    ['subarray', padded.subarray(7)],
  ];
}
