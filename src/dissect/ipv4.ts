import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED, internetChecksum } from '../util/checksum.js';
import {
  declareFields,
  type Field,
  fields,
  protocolField,
  SET_NOT_SET,
  type FieldSpec,
  fieldShower,
  type Values,
} from './field.js';
import { drawReassembly, reassemblyFields } from './ip-fragments.js';
import { drawOptions, OPTION_FIELDS, ROUTE_CUT, routeDestination } from './ipv4-options.js';
import { jsonMembers } from './json.js';
import { IP_PROTOCOL_NAMES, DSCP_NAMES, differentiatedServices, ECN_NAMES } from './numbers.js';
import { Table, type Layer, type PacketCtx, protocol, DATA_AFTER } from './packet.js';
import { W } from './warnings.js';

/** aux bits of an IPv4 layer. */
const IPV4_FRAGMENT = 1;
const IPV4_REASSEMBLED = 2;
const IPV4_BAD_CHECKSUM = 4;

/** IPv4's reassembly items (ip-fragments.ts). */
const REASSEMBLY = {
  abbrev: 'ip',
  version: 'IPv4',
  datagram: (l: Layer) => (l.aux & IPV4_REASSEMBLED ? l.reassembled : null),
} as const;

/** The flag bits of the fragment word's first byte. */
const FLAGS: readonly (readonly [string, string, number])[] = [
  ['ip.flags.rb', 'Reserved bit', 0x80],
  ['ip.flags.df', "Don't fragment", 0x40],
  ['ip.flags.mf', 'More fragments', 0x20],
];
/** The flags word as tshark -V shows it: `0x2, Don't fragment` (n is the word's 3 bits). */
const flagsText = (n: number): string => {
  let s = `0x${n}`;
  for (const [, label, mask] of FLAGS) if (n & (mask >> 5)) s += `, ${label}`;
  return s;
};

const IPV4_FIELDS = declareFields(() => [
  protocolField('ip', 'Internet Protocol Version 4'),
  ...fields(
    {
      name: 'ip.version',
      label: 'Version',
      type: 'uint',
      drawn: 0xf0,
      read: (l, v) => v.num(l.buf[l.off]! >> 4, l.buf, l.off, 1),
    },
    // In bytes; -V also gives the 4-bit word count it comes from, as tshark -V does.
    {
      name: 'ip.hdr_len',
      label: 'Header Length',
      type: 'uint',
      drawn: 0x0f,
      display: (n) => `${n} bytes (${n >> 2})`,
      read: (l, v) => v.num((l.buf[l.off]! & 15) * 4, l.buf, l.off, 1),
    },
    {
      name: 'ip.dsfield',
      label: 'Differentiated Services Field',
      type: 'uint',
      base: 'hex',
      display: differentiatedServices,
      at: 1,
    },
    {
      name: 'ip.dsfield.dscp',
      label: 'Differentiated Services Codepoint',
      type: 'uint',
      values: DSCP_NAMES,
      mask: 0xfc,
      at: 1,
      child: true,
    },
    {
      name: 'ip.dsfield.ecn',
      label: 'Explicit Congestion Notification',
      type: 'uint',
      values: ECN_NAMES,
      mask: 0x03,
      at: 1,
      child: true,
    },
    {
      // Total length 0 is TCP segmentation offload: Wireshark then gives the length the frame has from the header on.
      name: 'ip.len',
      label: 'Total Length',
      type: 'uint',
      bits: 16,
      read: (l, v, ctx) => {
        if (l.off + 4 > l.end) return;
        const total = l.dv.getUint16(l.off + 2);
        const cut = l.short && l.buf === ctx.data ? ctx.len - ctx.caplen : 0;
        v.num(total !== 0 ? total : l.end - l.off + cut, l.buf, l.off + 2, 2);
      },
    },
    { name: 'ip.id', label: 'Identification', type: 'uint', bits: 16, base: 'hex_dec', at: 4 },
    { name: 'ip.flags', label: 'Flags', type: 'uint', base: 'hex', mask: 0xe0, display: flagsText, at: 6 },
    ...FLAGS.map(
      ([name, label, mask]): FieldSpec => ({
        name,
        label,
        type: 'bool',
        tfs: SET_NOT_SET,
        mask,
        at: 6,
        child: true,
      }),
    ),
    // Its value counts 8-byte units; tshark -V shows it in bytes.
    {
      name: 'ip.frag_offset',
      label: 'Fragment Offset',
      type: 'uint',
      bits: 16,
      mask: 0x1fff,
      at: 6,
      display: (n) => String(n * 8),
    },
    { name: 'ip.ttl', label: 'Time to Live', type: 'uint', at: 8 },
    { name: 'ip.proto', label: 'Protocol', type: 'uint', values: IP_PROTOCOL_NAMES, at: 9 },
    // tshark checks no IPv4 header checksum unless told to (ip.check_checksum): its field says so, as here. gredump
    // checks it all the same, and warns of a bad one (an expert line).
    {
      name: 'ip.checksum',
      label: 'Header Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: (n) => `0x${n.toString(16).padStart(4, '0')} [validation disabled]`,
      at: 10,
    },
    {
      name: 'ip.checksum.status',
      label: 'Header checksum status',
      type: 'uint',
      base: 'none',
      values: CHECKSUM_STATUS,
      generated: true,
      read: (l, v) => {
        if (l.off + 12 <= l.end) v.num(CHECKSUM_UNVERIFIED, l.buf, l.off + 10, 2);
      },
    },
    { name: 'ip.src', label: 'Source Address', type: 'ipv4', at: 12 },
    { name: 'ip.dst', label: 'Destination Address', type: 'ipv4', at: 16 },
    // Where a source route's pointer is valid, Wireshark shows the header's destination as the route's current hop.
    {
      name: 'ip.cur_rt',
      label: 'Current Route',
      type: 'ipv4',
      read: (l, v) => {
        if (routeDestination(l) >= 0) v.num(l.dv.getUint32(l.off + 16), l.buf, l.off + 16, 4);
      },
    },
    {
      name: 'ip.addr',
      label: 'Source or Destination Address',
      type: 'ipv4',
      hidden: true,
      read: (l, v) => {
        v.num(l.dv.getUint32(l.off + 12), l.buf, l.off + 12, 4);
        v.num(l.dv.getUint32(l.off + 16), l.buf, l.off + 16, 4);
      },
    },
  ),
  ...OPTION_FIELDS(),
  ...fields(...reassemblyFields(REASSEMBLY)),
]);

/**
 * -V's tree: the header's fields, its options (ipv4-options.ts), then what the datagram put together from fragments
 * tells (ip-fragments.ts).
 */
function ipv4Tree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const all = IPV4_FIELDS();
  const show = fieldShower(l, ctx, visit);
  const options = all.indexOf(OPTION_FIELDS()[0]!);
  const reassembly = all.findIndex((f) => f.name === 'ip.fragments');
  const route = routeDestination(l);
  for (const f of all.slice(0, options)) {
    // Options cut short end Wireshark's tree after the source address, where it looks for a source route.
    if (route === ROUTE_CUT && f.name === 'ip.dst') return;
    if (!f.hidden && f.type !== 'protocol' && !(route >= 0 && f.name === 'ip.dst')) show(f, 1);
  }
  drawOptions(l, visit);
  drawReassembly(l, REASSEMBLY, all.slice(reassembly), show, visit);
}

/**
 * IPv4: options are part of the header (ipv4-options.ts reads them for -V and fields), the header
 * checksum is checked, Ethernet padding is cut off by the total length, and
 * fragments are reassembled: the datagram is dissected on the frame that
 * completes it.
 */
export const ipv4 = protocol({
  payloadData: DATA_AFTER,
  name: 'ipv4',
  network: true,
  family: 4,
  abbrev: 'ip',
  title: 'Internet Protocol Version 4',
  hf: IPV4_FIELDS,
  tree: ipv4Tree,
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) return;
    const dv = l.dv;
    const off = l.off;
    const vihl = dv.getUint8(off);
    if (vihl >> 4 === 6) return ctx.handoff(l, Table.EtherType, 0x86dd, off, l.end);
    if (vihl >> 4 !== 4) return ctx.warn(l, W.badVersion, vihl >> 4);
    const hlen = (vihl & 0x0f) * 4;
    if (hlen < 20) return ctx.warn(l, W.badHeaderLength, hlen);
    const total = dv.getUint16(off + 2);
    // Total length 0 is TCP segmentation offload: the frame's length is the truth.
    if (total !== 0 && total < hlen) return ctx.warn(l, W.badLength, total, hlen);
    if (!ctx.need(l, hlen)) {
      // The fixed header was read: keep its addresses, stop at the options.
      l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = off + hlen;
    l.aux = 0;
    let end = l.end;
    if (total !== 0) {
      if (off + total <= l.end) end = off + total;
      else if (!l.short && !l.quoted) ctx.warn(l, W.badLength, total, l.end - off);
    }
    l.end = end;
    // A zero checksum is left to the NIC (offload): nothing to check.
    if (
      ctx.state.headerChecksums &&
      !l.quoted &&
      dv.getUint16(off + 10) !== 0 &&
      internetChecksum(dv, off, off + hlen) !== 0
    ) {
      l.aux |= IPV4_BAD_CHECKSUM;
      const sum = dv.getUint16(off + 10);
      ctx.warn(l, W.ipv4BadChecksum, sum, internetChecksum(dv, off, off + hlen, sum));
    }
    const proto = dv.getUint8(off + 9);
    const frag = dv.getUint16(off + 6);
    const more = (frag & 0x2000) !== 0;
    const fragOff = (frag & 0x1fff) * 8;
    if (!more && fragOff === 0) {
      // A header whose total length leaves no payload carries nothing (a PIM Null-Register's
      // inner header, RFC 7761 4.4.2): nothing is handed on, as in Wireshark.
      if (end > l.hdrEnd || total === 0 || l.short) ctx.handoff(l, Table.IpProto, proto, l.hdrEnd, end);
      return;
    }
    l.aux |= IPV4_FRAGMENT;
    // Quoted fragments and fragments we did not capture whole cannot be reassembled, nor (as in Wireshark) one that
    // carries nothing; a first fragment still shows its headers.
    if (l.quoted) return;
    if (l.short || off + total > l.end || end === l.hdrEnd) {
      ctx.warn(l, W.fragment, fragOff);
      if (fragOff === 0) ctx.handoff(l, Table.IpProto, proto, l.hdrEnd, end);
      return;
    }
    const key = `4,${dv.getUint32(off + 12)},${dv.getUint32(off + 16)},${dv.getUint16(off + 4)},${proto}`;
    const done = ctx.state.reassembly.add(key, ctx.tsSec, ctx.frameNo, fragOff, l.buf.subarray(l.hdrEnd, end), more);
    if (done === 'dropped') return ctx.warn(l, W.reassemblyDropped);
    if (done === null) return ctx.warn(l, W.fragment, fragOff);
    l.aux |= IPV4_REASSEMBLED;
    l.reassembled = done;
    ctx.handoffBuffer(done.data, Table.IpProto, proto);
  },
  json: jsonMembers(IPV4_FIELDS, [
    { name: 'src', field: 'ip.src' },
    { name: 'dst', field: 'ip.dst' },
    { name: 'ttl', field: 'ip.ttl' },
    { name: 'proto', field: 'ip.proto' },
    { name: 'id', field: 'ip.id' },
    { name: 'length', field: 'ip.len' },
    { name: 'dontFragment', field: 'ip.flags.df', omit: 0 },
    {
      name: 'fragment',
      only: (l) => (l.aux & IPV4_FRAGMENT) !== 0,
      members: [
        { name: 'offset', field: 'ip.frag_offset', map: (n) => n * 8 },
        { name: 'more', field: 'ip.flags.mf' },
        { name: 'reassembled', value: (l) => (l.aux & IPV4_REASSEMBLED) !== 0 },
      ],
    },
    { name: 'checksumValid', value: (l) => (l.aux & IPV4_BAD_CHECKSUM ? false : undefined) },
  ]),
  summary(l, out) {
    out
      .ipv4(l.buf, l.off + 12)
      .str(' > ')
      .ipv4(l.buf, l.off + 16)
      .byte(0x3a);
    if (l.aux & IPV4_FRAGMENT) {
      const frag = l.dv.getUint16(l.off + 6);
      out
        .str(' frag id ')
        .num(l.dv.getUint16(l.off + 4))
        .str(' offset ')
        .num((frag & 0x1fff) * 8);
      if (frag & 0x2000) out.byte(0x2b);
      if (l.aux & IPV4_REASSEMBLED) out.str(' (reassembled)');
    }
  },
});

/** The source address as a number (the header's 20 bytes must be there: see ipv4Addresses). */
export const ipv4Src = (l: Layer): number => l.dv.getUint32(l.off + 12);
export const ipv4Dst = (l: Layer): number => l.dv.getUint32(l.off + 16);
/** Whether both addresses were captured (a quoted or cut header may end before them). */
export const ipv4Addresses = (l: Layer): boolean => l.off + 20 <= l.end;
/** The payload's length as the header says it: total length less the header's (read where hdrEnd > off). */
export const ipv4PayloadLength = (l: Layer): number => l.dv.getUint16(l.off + 2) - (l.buf[l.off]! & 0x0f) * 4;
/** Whether the layer (IPv4, or IPv6: its aux has these bits) is a fragment not reassembled: what it carries is cut. */
export const ipFragmentAlone = (l: Layer): boolean => (l.aux & (IPV4_FRAGMENT | IPV4_REASSEMBLED)) === IPV4_FRAGMENT;
/** Whether the layer is a datagram put together from fragments. */
export const ipv4Reassembled = (l: Layer): boolean => (l.aux & IPV4_REASSEMBLED) !== 0;
