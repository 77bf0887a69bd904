import { hexBytes, ipv6 as ipv6Text } from './addr.js';
import { declareFields, type Field, fieldShower, fields, protocolField, type Values } from './field.js';
import { ADDRESS_FIELDS, drawAddressDetails } from './ipv6-address.js';
import { drawReassembly, reassemblyFields } from './ip-fragments.js';
import {
  drawExtensions,
  EXTENSION_FIELDS,
  extensionNames,
  FRAGMENT_HEADER,
  headerLength,
  MAX_EXTENSION_HEADERS,
  runsPast,
} from './ipv6-ext.js';
import { IP_PROTOCOL_NAMES, DSCP_NAMES, differentiatedServices, ECN_NAMES } from './numbers.js';
import { Table, type Layer, type PacketCtx, protocol, DATA_AFTER } from './packet.js';
import { W } from './warnings.js';
import { jsonMembers } from './json.js';

/**
 * aux of an IPv6 layer: fragment flags as in ipv4.ts, and whether an extension header ran past the bytes;
 * aux2 = the upper-layer protocol after extension headers.
 */
const FRAGMENT = 1;
const REASSEMBLED = 2;
const EXTENSIONS_CUT = 4;

/** IPv6's reassembly items (ip-fragments.ts). */
const REASSEMBLY = {
  abbrev: 'ipv6',
  version: 'IPv6',
  datagram: (l: Layer) => (l.aux & REASSEMBLED ? l.reassembled : null),
} as const;

/** Extension headers with the generic (next header, length in 8-octet units) form. */
const GENERIC_EXTENSIONS = new Set([0, 43, 60, 135, 139, 140, 253, 254]);
const NO_NEXT_HEADER = 59;

const IPV6_FIELDS = declareFields(() => [
  protocolField('ipv6', 'Internet Protocol Version 6'),
  ...fields(
    {
      name: 'ipv6.version',
      label: 'Version',
      type: 'uint',
      drawn: 0xf0,
      read: (l, v) => v.num(l.buf[l.off]! >> 4, l.buf, l.off, 1),
    },
    // Wireshark adds IPv4's version field to IPv6 headers too, hidden: `ip.version == 6` finds them.
    {
      name: 'ip.version',
      label: 'Version',
      type: 'uint',
      hidden: true,
      alias: true,
      read: (l, v) => v.num(l.buf[l.off]! >> 4, l.buf, l.off, 1),
    },
    {
      name: 'ipv6.tclass',
      label: 'Traffic Class',
      type: 'uint',
      bits: 32,
      base: 'hex',
      mask: 0x0ff00000,
      display: differentiatedServices,
      at: 0,
    },
    {
      name: 'ipv6.tclass.dscp',
      label: 'Differentiated Services Codepoint',
      type: 'uint',
      values: DSCP_NAMES,
      bits: 32,
      mask: 0x0fc00000,
      at: 0,
      child: true,
    },
    {
      name: 'ipv6.tclass.ecn',
      label: 'Explicit Congestion Notification',
      type: 'uint',
      values: ECN_NAMES,
      bits: 32,
      mask: 0x00300000,
      at: 0,
      child: true,
    },
    { name: 'ipv6.flow', label: 'Flow Label', type: 'uint', bits: 24, base: 'hex', mask: 0xfffff, at: 1 },
    { name: 'ipv6.plen', label: 'Payload Length', type: 'uint', bits: 16, at: 4 },
    { name: 'ipv6.nxt', label: 'Next Header', type: 'uint', values: IP_PROTOCOL_NAMES, at: 6 },
    { name: 'ipv6.hlim', label: 'Hop Limit', type: 'uint', at: 7 },
    { name: 'ipv6.src', label: 'Source Address', type: 'ipv6', at: 8 },
    { name: 'ipv6.dst', label: 'Destination Address', type: 'ipv6', at: 24 },
    {
      name: 'ipv6.addr',
      label: 'Source or Destination Address',
      type: 'ipv6',
      hidden: true,
      read: (l, v) => {
        v.bytes(l.buf, l.off + 8, 16);
        v.bytes(l.buf, l.off + 24, 16);
      },
    },
    ...ADDRESS_FIELDS,
    ...EXTENSION_FIELDS,
    ...reassemblyFields(REASSEMBLY),
  ),
]);

/**
 * -V's tree: the fixed header's fields, what its addresses tell (ipv6-address.ts), each extension header's subtree
 * (ipv6-ext.ts), then what the datagram put together from fragments tells (ip-fragments.ts).
 */
function ipv6Tree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const all = IPV6_FIELDS();
  const show = fieldShower(l, ctx, visit);
  const details = all.findIndex((f) => f.name === ADDRESS_FIELDS[0]!.name);
  const extensions = all.findIndex((f) => f.name === EXTENSION_FIELDS[0]!.name);
  const reassembly = all.findIndex((f) => f.name === 'ipv6.fragments');
  for (const f of all.slice(0, details)) if (!f.hidden && f.type !== 'protocol') show(f, 1);
  drawAddressDetails(all.slice(details, extensions), show);
  drawExtensions(l, all.slice(extensions, reassembly), show, visit);
  drawReassembly(l, REASSEMBLY, all.slice(reassembly), show, visit);
}

/**
 * IPv6 with its extension headers (they belong to this layer); AH (51) and
 * ESP (50) are protocols of their own. Fragments are reassembled.
 */
export const ipv6 = protocol({
  payloadData: DATA_AFTER,
  name: 'ipv6',
  network: true,
  family: 6,
  abbrev: 'ipv6',
  title: 'Internet Protocol Version 6',
  hf: IPV6_FIELDS,
  tree: ipv6Tree,
  // Its extension headers are protocols of their own in frame.protocols, drawn within its tree (no -z io,phs items).
  frameNames: (l) => `ipv6${extensionNames(l)}`,
  treeNames: () => 'ipv6',
  dissect(ctx, l) {
    if (!ctx.need(l, 40)) return;
    const dv = l.dv;
    const off = l.off;
    const v = dv.getUint8(off) >> 4;
    if (v !== 6) return ctx.warn(l, W.badVersion, v);
    const plen = dv.getUint16(off + 4);
    let end = l.end;
    // Payload length 0 means a jumbogram (hop-by-hop option) or offload: trust the frame.
    if (plen !== 0) {
      if (off + 40 + plen <= l.end) end = off + 40 + plen;
      else if (!l.short && !l.quoted) ctx.warn(l, W.badLength, plen, l.end - off - 40);
    }
    l.end = end;
    l.aux = 0;
    let nh = dv.getUint8(off + 6);
    let p = off + 40;
    let fragOff = -1;
    let more = false;
    let fragId = 0;
    for (let n = 0; ; n++) {
      if (n > MAX_EXTENSION_HEADERS) {
        l.hdrEnd = p;
        return ctx.warn(l, W.extensionLoop, MAX_EXTENSION_HEADERS);
      }
      if (GENERIC_EXTENSIONS.has(nh)) {
        if (p + 2 > end) break;
        const len = headerLength(l.buf, nh, p);
        if (p + len > end) break;
        // An option running past the bytes (a route's addresses past its header) ends Wireshark's reading there.
        if (runsPast(l, nh, p, len)) break;
        nh = dv.getUint8(p);
        p += len;
      } else if (nh === FRAGMENT_HEADER) {
        if (p + 8 > end) break;
        const fo = dv.getUint16(p + 2);
        fragOff = fo & 0xfff8;
        more = (fo & 1) !== 0;
        fragId = dv.getUint32(p + 4);
        nh = dv.getUint8(p);
        p += 8;
      } else {
        l.hdrEnd = p;
        l.aux2 = nh;
        if (fragOff < 0 || (fragOff === 0 && !more)) {
          // Nothing after the headers (a PIM Null-Register's inner header) hands nothing on, as in Wireshark.
          if (nh !== NO_NEXT_HEADER && (p < end || l.short)) ctx.handoff(l, Table.IpProto, nh, p, end);
          return;
        }
        l.aux |= FRAGMENT;
        if (l.quoted) return;
        // As in Wireshark, a fragment cut short or carrying nothing is not reassembled.
        if (l.short || (plen !== 0 && off + 40 + plen > l.end) || p === end) {
          ctx.warn(l, W.fragment, fragOff);
          if (fragOff === 0) ctx.handoff(l, Table.IpProto, nh, p, end);
          return;
        }
        const key = `6,${hexBytes(l.buf, off + 8, 32)},${fragId}`;
        const done = ctx.state.reassembly.add(key, ctx.tsSec, ctx.frameNo, fragOff, l.buf.subarray(p, end), more);
        if (done === 'dropped') return ctx.warn(l, W.reassemblyDropped);
        if (done === null) return ctx.warn(l, W.fragment, fragOff);
        l.aux |= REASSEMBLED;
        l.reassembled = done;
        ctx.handoffBuffer(done.data, Table.IpProto, nh);
        return;
      }
    }
    // An extension header (or an option in one) ran past the packet: Wireshark's reading ends inside it, with no data.
    l.hdrEnd = end;
    l.aux |= EXTENSIONS_CUT;
    if (!l.quoted) ctx.warn(l, l.short ? W.truncated : W.badOptions, p - off, end - off);
  },
  json: jsonMembers(IPV6_FIELDS, [
    { name: 'src', field: 'ipv6.src' },
    { name: 'dst', field: 'ipv6.dst' },
    { name: 'hopLimit', field: 'ipv6.hlim' },
    { name: 'nextHeader', field: 'ipv6.nxt' },
    { name: 'payloadLength', field: 'ipv6.plen' },
    {
      name: 'fragment',
      only: (l) => (l.aux & FRAGMENT) !== 0,
      members: [{ name: 'reassembled', value: (l) => (l.aux & REASSEMBLED) !== 0 }],
    },
  ]),
  summary(l, out) {
    out
      .str(ipv6Text(l.buf, l.off + 8))
      .str(' > ')
      .str(ipv6Text(l.buf, l.off + 24))
      .byte(0x3a);
    if (l.aux & FRAGMENT) out.str(l.aux & REASSEMBLED ? ' frag (reassembled)' : ' frag');
    // Nothing follows the headers: said, as tcpdump says it, so that the segment is not empty.
    else if (l.aux2 === NO_NEXT_HEADER) out.str(' no next header');
  },
});

/** Where the payload ends as the header's payload length says (read where hdrEnd > off). */
export const ipv6PayloadEnd = (l: Layer): number => l.off + 40 + l.dv.getUint16(l.off + 4);
/** Whether the destination is multicast (ff00::/8). */
export const ipv6MulticastDst = (l: Layer): boolean => l.buf[l.off + 24] === 0xff;
/**
 * Whether Wireshark's IPv6 tap sees the header (its statistics and conversations count it): it does at the end of the
 * extension headers, so not for a fragment whose datagram is not whole, nor where an extension header ran past.
 */
export const ipv6Tapped = (l: Layer): boolean => (l.aux & EXTENSIONS_CUT) === 0 && !ipv6FragmentAlone(l);
/** A fragment whose datagram is not (yet) whole: its payload goes nowhere. */
const ipv6FragmentAlone = (l: Layer): boolean => (l.aux & (FRAGMENT | REASSEMBLED)) === FRAGMENT;
