import type { Layer } from './packet.js';

/**
 * Big-endian numbers in a layer's buffer at an absolute offset: the dissectors that read a record or TLV at a time
 * (l2tp-avp, ppp-control, nhrp, pim, eigrp, isis). The caller has checked that the bytes are captured.
 */
export type LayerRead = (l: Layer, q: number) => number;

export const u8: LayerRead = (l, q) => l.buf[q]!;
export const u16: LayerRead = (l, q) => l.dv.getUint16(q);
export const u24: LayerRead = (l, q) => (l.buf[q]! << 16) | l.dv.getUint16(q + 1);
export const u32: LayerRead = (l, q) => l.dv.getUint32(q);
