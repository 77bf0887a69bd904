import { declareFields, fields, protocolField } from './field.js';
import { jsonMembers } from './json.js';
import { Table, type Layer, protocol, DATA_AFTER } from './packet.js';
import { isRegistered } from './registry.js';
import { W } from './warnings.js';

const UDP_FIELDS = declareFields(() => [
  protocolField('udp', 'User Datagram Protocol'),
  ...fields(
    { name: 'udp.srcport', label: 'Source Port', type: 'uint', bits: 16, at: 0 },
    { name: 'udp.dstport', label: 'Destination Port', type: 'uint', bits: 16, at: 2 },
    {
      name: 'udp.port',
      label: 'Source or Destination Port',
      type: 'uint',
      bits: 16,
      hidden: true,
      read: (l, v) => {
        v.num(l.dv.getUint16(l.off), l.buf, l.off, 2);
        v.num(l.dv.getUint16(l.off + 2), l.buf, l.off + 2, 2);
      },
    },
    { name: 'udp.length', label: 'Length', type: 'uint', bits: 16, at: 4 },
    {
      // Wireshark stops at a length field under 8 (bogus), before the checksum.
      name: 'udp.checksum',
      label: 'Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      read: (l, v) => {
        if (l.off + 8 <= l.end && l.dv.getUint16(l.off + 4) >= 8) v.num(l.dv.getUint16(l.off + 6), l.buf, l.off + 6, 2);
      },
    },
    {
      // -V leaves it out (tshark's line gives only its length; -x shows the bytes).
      name: 'udp.payload',
      label: 'Payload',
      type: 'bytes',
      hidden: true,
      read: (l, v) => {
        if (l.off + 8 < l.end && l.dv.getUint16(l.off + 4) >= 8) v.bytes(l.buf, l.off + 8, l.end - l.off - 8);
      },
    },
  ),
]);

/** UDP: the payload goes to the protocol registered on the lower port first, as Wireshark tries them. */
export const udp = protocol({
  payloadData: DATA_AFTER,
  name: 'udp',
  abbrev: 'udp',
  title: 'User Datagram Protocol',
  hf: UDP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) {
      // The ports were read; what carries them is unknown.
      if (l.end - l.off >= 4) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + 8;
    const len = l.dv.getUint16(l.off + 4);
    let end = l.end;
    if (len >= 8 && l.off + len <= l.end) end = l.off + len;
    else if (len < 8 || (!l.short && !l.quoted)) ctx.warn(l, W.badLength, len, l.end - l.off);
    l.end = end;
    const src = l.dv.getUint16(l.off);
    const dst = l.dv.getUint16(l.off + 2);
    const [lo, hi] = src < dst ? [src, dst] : [dst, src];
    if (isRegistered(Table.UdpPort, lo)) ctx.handoff(l, Table.UdpPort, lo, l.hdrEnd, end);
    else if (isRegistered(Table.UdpPort, hi)) ctx.handoff(l, Table.UdpPort, hi, l.hdrEnd, end);
  },
  json: jsonMembers(UDP_FIELDS, [
    { name: 'srcPort', field: 'udp.srcport' },
    { name: 'dstPort', field: 'udp.dstport' },
    { name: 'length', field: 'udp.length' },
  ]),
  summary: (l, out) =>
    out
      .str('UDP ')
      .num(l.dv.getUint16(l.off))
      .str(' > ')
      .num(l.dv.getUint16(l.off + 2)),
});

export const udpSrcPort = (l: Layer): number => l.dv.getUint16(l.off);
export const udpDstPort = (l: Layer): number => l.dv.getUint16(l.off + 2);
/** The length field (header and payload); -1 where it was not captured. */
export const udpLength = (l: Layer): number =>
  l.off + 6 <= l.end && l.hdrEnd > l.off ? l.dv.getUint16(l.off + 4) : -1;
