import { spiText } from './addr.js';
import { declareFields, fields, protocolField } from './field.js';
import { IP_PROTOCOL_NAMES } from './numbers.js';
import { Table, type Layer, protocol } from './packet.js';
import { jsonMembers } from './json.js';

const AH_FIELDS = declareFields(() => [
  protocolField('ah', 'Authentication Header'),
  ...fields(
    { name: 'ah.next_header', label: 'Next header', type: 'uint', values: IP_PROTOCOL_NAMES, at: 0 },
    // 32-bit words minus 2; -V also gives the header's bytes.
    { name: 'ah.length', label: 'Length', type: 'uint', display: (n) => `${n} (${(n + 2) * 4} bytes)`, at: 1 },
    { name: 'ah.reserved', label: 'Reserved', type: 'bytes', bits: 16, at: 2 },
    { name: 'ah.spi', label: 'AH SPI', type: 'uint', bits: 32, base: 'hex', at: 4 },
    { name: 'ah.sequence', label: 'AH Sequence', type: 'uint', bits: 32, at: 8 },
    {
      name: 'ah.icv',
      label: 'AH ICV',
      type: 'bytes',
      read: (l, v) => {
        const end = l.off + (l.buf[l.off + 1]! + 2) * 4;
        if (end > l.off + 12 && end <= l.end) v.bytes(l.buf, l.off + 12, end - l.off - 12);
      },
    },
  ),
]);

/**
 * AH (RFC 4302): signs but does not encrypt, so dissection goes on into what
 * it protects. Length is in 32-bit words minus 2.
 */
export const ah = protocol({
  name: 'ah',
  abbrev: 'ah',
  title: 'Authentication Header',
  hf: AH_FIELDS,
  drawnWithin: (previous) => previous.proto.family === 6,
  dissect(ctx, l) {
    if (!ctx.need(l, 12)) return;
    // The payload starts where the length says, as in Wireshark, even a length of 0 (8 bytes) that puts it over the
    // sequence number (zeek's ipv6_zero_len_ah.pcap: an ICMPv6 echo whose first word tshark reads as both).
    const len = (l.buf[l.off + 1]! + 2) * 4;
    // SPI and sequence number were read; a lying length only stops us going further.
    l.hdrEnd = l.off + Math.min(len, 12);
    if (!ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    ctx.handoff(l, Table.IpProto, l.buf[l.off]!, l.hdrEnd, l.end);
  },
  json: jsonMembers(AH_FIELDS, [
    { name: 'nextHeader', field: 'ah.next_header' },
    // In bytes: the field counts 32-bit words minus 2.
    { name: 'length', field: 'ah.length', map: (n) => (n + 2) * 4 },
    { name: 'spi', field: 'ah.spi' },
    { name: 'seq', field: 'ah.sequence' },
  ]),
  summary: (l, out) => out.str(`AH spi ${spiText(l.dv.getUint32(l.off + 4))} seq ${l.dv.getUint32(l.off + 8)}`),
});

export const ahSpi = (l: Layer): number => l.dv.getUint32(l.off + 4);
/** The sequence number, -1 when the header was cut short. */
export const ahSeq = (l: Layer): number => (l.off + 12 <= l.end ? l.dv.getUint32(l.off + 8) : -1);
