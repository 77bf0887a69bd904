import type { Layer, PacketCtx } from '../dissect/packet.js';
import { ethernetTypeOrLength } from '../dissect/ethernet.js';
import { llcLength, llcLengthField } from '../dissect/llc.js';
import { ipv4PayloadLength } from '../dissect/ipv4.js';
import { ipv6PayloadEnd } from '../dissect/ipv6.js';
import * as P from '../dissect/protocols.js';
import { udpLength } from '../dissect/udp.js';
import { vlanTypeOrLength } from '../dissect/vlan.js';
import { warningTexts } from './packet-json.js';
import { TextOut } from '../util/text-out.js';
import { writeTime } from './timestamp.js';

/**
 * Writes one line for a packet (without the newline), tcpdump-style: the
 * time, then each network layer as "src > dst:" followed by what it
 * carries, tunnels separated by " | ". Link layers before the first network
 * layer are left out, as tcpdump does without -e.
 */
export function writePacketText(ctx: PacketCtx, out: TextOut): void {
  const lineStart = out.pos;
  const timed = writeTime(ctx, out);
  let firstNetwork = -1;
  for (let i = 0; i < ctx.count; i++)
    if (ctx.layers[i]!.proto.network) {
      firstNetwork = i;
      break;
    }
  let sawNetwork = false;
  /** Where the pending segment length goes: after this layer's summary; and the length. */
  let lengthAfter = -1;
  let length = -1;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (firstNetwork > 0 && i < firstNetwork) continue;
    const before = out.pos;
    // A quoted packet opens where its first layer is (an IP header, or the NHRP packet an Error Indication quotes).
    if (l.quoted && !ctx.layers[i - 1]?.quoted) out.str(' [quoted:');
    else if (l.proto.network && sawNetwork && !l.quoted) out.str(' |');
    out.byte(0x20);
    const start = out.pos;
    l.proto.summary(l, out);
    if (out.pos === start) out.pos = before; // a layer with nothing to say is left out
    if (l.proto.network) {
      sawNetwork = true;
      const next = i + 1 < ctx.count ? ctx.layers[i + 1]! : null;
      // IP in IP: the carried protocol named, so that the segment is not empty before its " |".
      if (next?.proto.network && !next.quoted) out.byte(0x20).str(next.proto === P.ipv6 ? 'IPv6' : 'IPv4');
      // After AH the length is that of what AH protects, after it (as tcpdump gives it).
      const ah = next?.proto === P.ah && i + 2 < ctx.count && !ctx.layers[i + 2]!.proto.network ? next : null;
      const carried = ah ? ctx.layers[i + 2]! : next;
      lengthAfter = l.quoted ? -1 : carried && !carried.proto.network && carried.proto !== P.tcp ? i + (ah ? 2 : 1) : i;
      length =
        lengthAfter < 0 || carried?.proto === P.tcp ? -1 : segmentLength(l, carried) - (ah ? ah.hdrEnd - ah.off : 0);
    }
    if (i === lengthAfter && length >= 0) out.str(' length ').num(length);
  }
  // A line with no network layer: the frame's length after its link header, as tcpdump's ARP, STP or CDP lines.
  if (!sawNetwork && ctx.count > 0) {
    const n = linkLineLength(ctx);
    if (n >= 0) out.str(' length ').num(n);
  }
  if (ctx.count > 0 && ctx.layers[ctx.count - 1]!.quoted) out.byte(0x5d);
  if (ctx.count === 0) out.str(' [').num(ctx.caplen).str(' bytes, link type ').num(ctx.linktype).byte(0x5d);
  if (ctx.warnCount > 0) out.str(' [').str(warningTexts(ctx).join('; ')).byte(0x5d);
  // Without a time (-t) the line starts with its first layer, as tcpdump's does.
  if (!timed && out.buf[lineStart] === 0x20) {
    out.buf.copyWithin(lineStart, lineStart + 1, out.pos);
    out.pos--;
  }
}

/**
 * The length tcpdump gives after what an IP header carries: the IP
 * payload (GRE, ICMP, ESP, OSPF...), for UDP its payload (TCP says its
 * own); -1 where the header cannot be read.
 */
function segmentLength(net: Layer, next: Layer | null): number {
  let payload: number;
  if (next && next.buf !== net.buf)
    payload = next.end - next.off; // reassembled or decrypted: its own buffer
  else if (net.hdrEnd <= net.off) return -1;
  else if (net.proto === P.ipv4) payload = ipv4PayloadLength(net);
  else payload = ipv6PayloadEnd(net) - (next ? next.off : net.hdrEnd);
  const udp = next?.proto === P.udp ? udpLength(next) : -1;
  if (udp >= 0) return Math.max(0, udp - 8);
  return Math.max(0, payload);
}

/**
 * A line without a network layer: for 802.3 LLC (the type field is a
 * length) that length less the LLC header (and SNAP's), as tcpdump's STP,
 * CDP and DTP lines; otherwise the frame from its last layer on (ARP),
 * or after the link header of a type nothing here reads (Loopback).
 */
function linkLineLength(ctx: PacketCtx): number {
  const first = ctx.layers[0]!;
  // LLC's payload: the 802.3 length less LLC's header (tcpdump's STP, CDP and DTP lines).
  const llcAt = ctx.find(P.llc);
  if (llcAt > 0) {
    const llc = ctx.layers[llcAt]!;
    const length = llcLengthField(llc);
    return length < 0 ? Math.max(0, llc.end - llc.off - llcLength(llc)) : Math.max(0, length - llcLength(llc));
  }
  const last = ctx.layers[ctx.count - 1]!;
  // 802.1ah's customer type, when nothing here reads it (a length there is read as a type, as tshark does).
  if (last.proto === P.pbb && last.hdrEnd > last.off) return Math.max(0, ctx.len - (last.hdrEnd - first.off));
  const type =
    last.proto === P.ethernet
      ? ethernetTypeOrLength(last)
      : last.proto === P.vlan || last.proto === P.ieee8021ad
        ? vlanTypeOrLength(last)
        : -1;
  // A type nothing here reads (Loopback), or a length whose LLC was not read: the frame after the link header.
  if (type >= 0) return Math.max(0, ctx.len - (last.hdrEnd - first.off));
  return last.buf === first.buf ? Math.max(0, ctx.len - (last.off - first.off)) : -1;
}

const scratch = new TextOut(1024);

/** The packet's text line as a string, for the UI and tests. */
export function packetText(ctx: PacketCtx): string {
  writePacketText(ctx, scratch);
  return scratch.take();
}

/** One layer's summary as a string. */
export function summaryText(l: Layer): string {
  l.proto.summary(l, scratch);
  return scratch.take();
}
