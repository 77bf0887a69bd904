import { CHECKSUM_ILLEGAL, CHECKSUM_NOT_PRESENT, CHECKSUM_STATUS, CHECKSUM_UNVERIFIED } from '../util/checksum.js';
import { ipUnder } from './addr.js';
import { declareFields, type Field, fields, protocolField, Values, hexThenText, visitText } from './field.js';
import { streamIndexField, streamTimeFields } from './conversations.js';
import { ipFragmentAlone, ipv4PayloadLength } from './ipv4.js';
import { ipv6, ipv6PayloadEnd } from './ipv6.js';
import { jsonMembers } from './json.js';
import { Table, type Layer, type PacketCtx, protocol, DATA_AFTER } from './packet.js';
import { isRegistered } from './registry.js';
import { W } from './warnings.js';
import { plural } from '../util/words.js';

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
    {
      // -V says where it cannot be: under 8, or past the IP payload (not of a quoted datagram, nor in a fragment).
      name: 'udp.length',
      label: 'Length',
      type: 'uint',
      bits: 16,
      display: (n, _b, _o, text) => `${n}${text}`,
      read: (l, v, ctx) => {
        if (l.off + 6 > l.end) return;
        const len = l.dv.getUint16(l.off + 4);
        let text = '';
        if (len < 8) text = ' (bogus, must be >= 8)';
        else if (!l.quoted) {
          const ip = ipUnder(l, ctx);
          const reported = reportedLength(l, ip, ctx);
          if (len > reported && !(ip !== null && ipFragmentAlone(ip))) text = ` (bogus, payload length ${reported})`;
        }
        v.str(text, l.buf, l.off + 4, 2, len);
      },
    },
    {
      // Wireshark stops at a length field under 8 (bogus), before the checksum.
      name: 'udp.checksum',
      label: 'Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
      read: (l, v, ctx) => {
        if (!hasChecksum(l)) return;
        const sum = l.dv.getUint16(l.off + 6);
        v.str(
          sum !== 0 ? ' [unverified]' : zeroAllowed(l, ctx) ? ' [zero-value ignored]' : ' [zero-value illegal]',
          l.buf,
          l.off + 6,
          2,
          sum,
        );
      },
    },
    {
      // tshark checks no UDP checksum unless told to (udp.check_checksum); a zero one is none, or illegal over IPv6.
      name: 'udp.checksum.status',
      label: 'Checksum Status',
      type: 'uint',
      base: 'none',
      values: CHECKSUM_STATUS,
      generated: true,
      read: (l, v, ctx) => {
        if (!hasChecksum(l)) return;
        const sum = l.dv.getUint16(l.off + 6);
        const status = sum !== 0 ? CHECKSUM_UNVERIFIED : zeroAllowed(l, ctx) ? CHECKSUM_NOT_PRESENT : CHECKSUM_ILLEGAL;
        v.num(status, l.buf, l.off + 6, 2);
      },
    },
    streamIndexField('udp.stream'),
    // Not of a datagram an ICMP error quotes, nor of one with no payload.
    ...streamTimeFields(
      'udp',
      'Time since first frame',
      'Time since previous frame',
      (l) => l.flow.stream >= 0 && !l.flow.noTimes,
    ),
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

/**
 * The datagram's length as the IP header under it counts it (Wireshark's reported length, which a capture's snapshot
 * length does not cut); what the buffer holds where no IP header counts it (a reassembled datagram, a zero length).
 */
function reportedLength(l: Layer, ip: Layer | null, ctx: PacketCtx): number {
  if (ip !== null && ip.buf === l.buf && ip.hdrEnd >= 0) {
    // No more than the frame's length on the wire leaves.
    const wire = l.buf === ctx.data ? ctx.len - (l.off - ctx.dataOff) : Number.POSITIVE_INFINITY;
    if (ip.proto === ipv6) return Math.min(wire, ipv6PayloadEnd(ip) - l.off);
    const payload = ipv4PayloadLength(ip) - (l.off - ip.hdrEnd);
    if (payload > 0) return Math.min(wire, payload);
  }
  return l.end - l.off;
}

/** Wireshark stops at a length field under 8 (bogus), before the checksum. */
const hasChecksum = (l: Layer) => l.off + 8 <= l.end && l.dv.getUint16(l.off + 4) >= 8;
/** A zero checksum is no checksum over IPv4 and in a packet quoted in an error; over IPv6 it is illegal (RFC 8200). */
const zeroAllowed = (l: Layer, ctx: PacketCtx) => l.quoted || ipUnder(l, ctx)?.proto.family !== 6;
const shown = new Values();

/**
 * -V's tree as Wireshark's: a zero checksum's status is drawn under it, another's beside it; the stream's times under
 * `[Timestamps]`; then the payload's size.
 */
function udpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  for (const f of UDP_FIELDS()) {
    if (f.type === 'protocol' || f.hidden) continue;
    shown.n = 0;
    f.read(l, shown, ctx);
    if (shown.n === 0) continue;
    if (f.name === 'udp.time_relative') visitText(visit, '[Timestamps]', l.buf, l.off, 0, 1);
    const underChecksum = f.name === 'udp.checksum.status' && l.dv.getUint16(l.off + 6) === 0;
    visit(f, shown, underChecksum ? 2 : 1);
  }
  // What was captured of it (the length field says what was sent).
  if (!hasChecksum(l)) return;
  const size = l.end - l.off - 8;
  if (size <= 0) return;
  visitText(visit, `UDP payload (${plural(size, 'byte')})`, l.buf, l.off + 8, size, 1);
}

/** UDP: the payload goes to the protocol registered on the lower port first, as Wireshark tries them. */
export const udp = protocol({
  payloadData: DATA_AFTER,
  name: 'udp',
  abbrev: 'udp',
  title: 'User Datagram Protocol',
  hf: UDP_FIELDS,
  tree: udpTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) {
      // The ports were read; what carries them is unknown.
      if (l.end - l.off >= 4) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + 8;
    const len = l.dv.getUint16(l.off + 4);
    if (len < 8) {
      // Wireshark reads nothing past a length that cannot hold the header itself: no payload, no protocol after it.
      ctx.warn(l, W.badLength, len, l.end - l.off);
      l.hdrEnd = l.end;
      return;
    }
    let end = l.end;
    if (l.off + len <= l.end) end = l.off + len;
    else if (!l.short && !l.quoted) ctx.warn(l, W.badLength, len, l.end - l.off);
    l.end = end;
    ctx.state.conversations?.udp(ctx, l, len);
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
