import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED } from '../util/checksum.js';
import {
  COMPLETE_ACK,
  COMPLETE_DATA,
  COMPLETE_FIN,
  COMPLETE_RST,
  COMPLETE_SYN,
  COMPLETE_SYNACK,
} from './conversations.js';
import {
  declareFields,
  type Field,
  fields,
  protocolField,
  SET_NOT_SET,
  TEXT_ITEM,
  Values,
  type FieldSpec,
} from './field.js';
import { timeSince } from './frame-fields.js';
import { jsonMembers } from './json.js';
import { ipFragmentAlone, ipv4, ipv4PayloadLength } from './ipv4.js';
import { icmp } from './icmp.js';
import { ipv6, ipv6PayloadEnd } from './ipv6.js';
import { type Layer, type PacketCtx, protocol, DATA_AFTER } from './packet.js';
import { ipUnder } from './addr.js';
import { W } from './warnings.js';

/**
 * TCP header and options; aux = the MSS option's value, or 0; aux2, of a header the capture cut short, the data's
 * length as the IP header before it counts (-1 where none does). The payload is not dissected.
 */
const FLAG_NAMES = 'FSRPAUEC';

/**
 * The flags byte as letters ("." for none), for all 256 values. Made by a plain loop: the same table from Array.from
 * with a callback took 1.2-4.5 ms of every start, the loop 0.3-0.4 ms (a fresh process each, three runs).
 */
const FLAG_TEXTS: string[] = [];
for (let flags = 0; flags < 256; flags++) {
  let s = '';
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) s += FLAG_NAMES[i];
  FLAG_TEXTS.push(s || '.');
}

export const tcpSrcPort = (l: Layer): number => l.dv.getUint16(l.off);
export const tcpDstPort = (l: Layer): number => l.dv.getUint16(l.off + 2);

/** TCP-MD5 (RFC 2385) and TCP-AO (RFC 5925) signature options, as option kinds. */
export const TCP_OPTION_MD5 = 19;
export const TCP_OPTION_AO = 29;

/** The segment's authentication option: TCP_OPTION_MD5, TCP_OPTION_AO, or 0 for none. */
export function tcpAuthOption(l: Layer): number {
  for (let p = l.off + 20; p < l.hdrEnd; ) {
    const kind = l.buf[p]!;
    if (kind === 0) break;
    if (kind === 1) {
      p++;
      continue;
    }
    if (kind === TCP_OPTION_MD5 || kind === TCP_OPTION_AO) return kind;
    const len = p + 1 < l.hdrEnd ? l.buf[p + 1]! : 0;
    if (len < 2) break;
    p += len;
  }
  return 0;
}

/** Whether the segment is quoted by an ICMPv4 error (over IPv4): not by an NHRP indication, nor ICMPv6. */
function quotedByIcmpv4(l: Layer, ctx: PacketCtx): boolean {
  if (!l.quoted) return false;
  let i = ctx.layers.indexOf(l);
  while (i > 0 && ctx.layers[i - 1]!.quoted) i--;
  return ctx.layers[i - 1]?.proto === icmp && ctx.layers[ctx.layers.indexOf(l) - 1]?.proto === ipv4;
}

/** Wireshark's names of the flags set, lowest bit first, then `Reserved`; `<None>` for none. */
const FLAG_WORDS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
function flagNames(word: number): string {
  const set = FLAG_WORDS.filter((_, i) => word & (1 << i));
  if (word & 0xe00) set.push('Reserved');
  return set.length ? set.join(', ') : '<None>';
}
/** tcp.flags.str's letters, highest bit first: three reserved bits, then AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN. */
const FLAG_LETTERS = 'RRRACEUAPRSF';

/** The flag bits, as Wireshark declares them within the 12-bit flags word. */
const flag = (name: string, label: string, mask: number): FieldSpec => ({
  name: `tcp.flags.${name}`,
  label,
  type: 'bool',
  tfs: SET_NOT_SET,
  bits: 12,
  mask,
  at: 12,
  child: true,
});

const TCP_FIELDS = declareFields(() => [
  protocolField('tcp', 'Transmission Control Protocol'),
  ...fields(
    { name: 'tcp.srcport', label: 'Source Port', type: 'uint', bits: 16, at: 0 },
    { name: 'tcp.dstport', label: 'Destination Port', type: 'uint', bits: 16, at: 2 },
    {
      name: 'tcp.port',
      label: 'Source or Destination Port',
      type: 'uint',
      bits: 16,
      hidden: true,
      read: (l, v) => {
        v.num(tcpSrcPort(l), l.buf, l.off, 2);
        v.num(tcpDstPort(l), l.buf, l.off + 2, 2);
      },
    },
    {
      name: 'tcp.stream',
      conversation: true,
      label: 'Stream index',
      type: 'uint',
      bits: 32,
      generated: true,
      read: (l, v) => {
        if (l.flow.stream >= 0) v.num(l.flow.stream, l.buf, l.off, 0);
      },
    },
    {
      // The flags seen in the conversation before this segment.
      name: 'tcp.completeness',
      conversation: true,
      label: 'Conversation completeness',
      type: 'uint',
      bits: 8,
      base: 'custom',
      generated: true,
      display: completenessText,
      read: (l, v) => {
        if (l.flow.stream >= 0) v.num(l.flow.completeness, l.buf, l.off, 0);
      },
    },
    {
      // Not of a segment quoted in an ICMP error: Wireshark leaves it out there.
      name: 'tcp.len',
      label: 'TCP Segment Len',
      type: 'uint',
      bits: 32,
      generated: true,
      read: (l, v, ctx) => {
        const n = segmentLength(l, ctx);
        if (n >= 0) v.num(n, l.buf, l.hdrEnd, 0);
      },
    },
    {
      // Relative to the direction's first (tshark's TCP analysis), but in a segment an ICMPv4 error quotes: there
      // absolute, and drawn after the ports (tcpTree).
      name: 'tcp.seq',
      conversation: true,
      label: 'Sequence Number',
      type: 'uint',
      bits: 32,
      display: (n, _b, _o, text) => `${n}${text}`,
      read: (l, v, ctx) => {
        if (l.off + 8 > l.end) return;
        if (quotedByIcmpv4(l, ctx)) return v.str('', l.buf, l.off + 4, 4, l.dv.getUint32(l.off + 4));
        if (l.flow.stream >= 0) v.str(RELATIVE_SEQ, l.buf, l.off + 4, 4, l.flow.seq);
      },
    },
    {
      // Not of a segment an ICMPv4 error quotes: Wireshark gives its tcp.seq (absolute) there instead.
      name: 'tcp.seq_raw',
      label: 'Sequence Number (raw)',
      type: 'uint',
      bits: 32,
      read: (l, v, ctx) => {
        if (l.off + 8 > l.end || quotedByIcmpv4(l, ctx)) return;
        v.num(l.dv.getUint32(l.off + 4), l.buf, l.off + 4, 4);
      },
    },
    {
      name: 'tcp.nxtseq',
      conversation: true,
      label: 'Next Sequence Number',
      type: 'uint',
      bits: 32,
      generated: true,
      display: (n, _b, _o, text) => `${n}${text}`,
      read: (l, v) => {
        if (l.flow.stream >= 0 && l.flow.nextSeq >= 0) v.str(RELATIVE_SEQ, l.buf, l.off, 0, l.flow.nextSeq);
      },
    },
    {
      // Relative to the other direction's first sequence number where the ACK flag is set.
      name: 'tcp.ack',
      conversation: true,
      label: 'Acknowledgment Number',
      type: 'uint',
      bits: 32,
      display: (n, _b, _o, text) => `${n}${text}`,
      read: (l, v) => {
        if (l.flow.stream < 0) return;
        const acks = (l.buf[l.off + 13]! & 0x10) !== 0;
        v.str(acks ? '    (relative ack number)' : '', l.buf, l.off + 8, 4, l.flow.ack);
      },
    },
    { name: 'tcp.ack_raw', label: 'Acknowledgment number (raw)', type: 'uint', bits: 32, at: 8 },
    {
      // In bytes; -V draws its 4 bits (`0101 .... = Header Length: 20 bytes (5)`).
      name: 'tcp.hdr_len',
      label: 'Header Length',
      type: 'uint',
      drawn: 0xf0,
      display: (n) => `${n} bytes (${n / 4})`,
      read: (l, v) => {
        if (l.off + 13 <= l.end) v.num((l.buf[l.off + 12]! >> 4) * 4, l.buf, l.off + 12, 1);
      },
    },
    {
      // -V names the flags set, as Wireshark's (`Flags: 0x018 (PSH, ACK)`), and draws no bits of the word.
      name: 'tcp.flags',
      label: 'Flags',
      type: 'uint',
      bits: 16,
      base: 'hex',
      mask: 0x0fff,
      drawn: 0,
      display: (n) => `0x${n.toString(16).padStart(3, '0')} (${flagNames(n)})`,
      at: 12,
    },
    flag('res', 'Reserved', 0xe00),
    flag('ae', 'Accurate ECN', 0x100),
    flag('cwr', 'Congestion Window Reduced', 0x80),
    flag('ece', 'ECN-Echo', 0x40),
    flag('urg', 'Urgent', 0x20),
    flag('ack', 'Acknowledgment', 0x10),
    flag('push', 'Push', 0x08),
    flag('reset', 'Reset', 0x04),
    flag('syn', 'Syn', 0x02),
    flag('fin', 'Fin', 0x01),
    {
      // Each of the 12 bits as its letter, or a middle dot.
      name: 'tcp.flags.str',
      label: 'TCP Flags',
      type: 'string',
      generated: true,
      child: true,
      read: (l, v) => {
        if (l.off + 14 > l.end) return;
        const word = l.dv.getUint16(l.off + 12) & 0x0fff;
        let s = '';
        for (let i = 11; i >= 0; i--) s += word & (1 << i) ? FLAG_LETTERS[11 - i] : '\u00b7';
        v.str(s, l.buf, l.off + 12, 2);
      },
    },
    { name: 'tcp.window_size_value', label: 'Window', type: 'uint', bits: 16, at: 14 },
    {
      // Scaled by the shift the SYNs agreed; a SYN's is never scaled.
      name: 'tcp.window_size',
      conversation: true,
      label: 'Calculated window size',
      type: 'uint',
      bits: 32,
      generated: true,
      read: (l, v) => {
        if (l.flow.stream >= 0) v.num(l.flow.window, l.buf, l.off + 14, 2);
      },
    },
    {
      // The multiplier; -1 where no SYN was seen, -2 where the SYNs did not agree to scale. Not of a SYN.
      name: 'tcp.window_size_scalefactor',
      conversation: true,
      label: 'Window size scaling factor',
      type: 'int',
      bits: 32,
      generated: true,
      display: (n) => (n === -1 ? '-1 (unknown)' : n === -2 ? '-2 (no window scaling used)' : String(n)),
      read: (l, v) => {
        const shift = l.flow.winScale;
        if (l.flow.stream < 0 || Number.isNaN(shift)) return;
        v.num(shift < 0 ? shift : 2 ** shift, l.buf, l.off + 14, 2);
      },
    },
    // tshark checks no TCP checksum unless told to (tcp.check_checksum).
    {
      name: 'tcp.checksum',
      label: 'Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: (n) => `0x${n.toString(16).padStart(4, '0')} [unverified]`,
      at: 16,
    },
    {
      name: 'tcp.checksum.status',
      label: 'Checksum Status',
      type: 'uint',
      base: 'none',
      values: CHECKSUM_STATUS,
      generated: true,
      read: (l, v) => {
        if (l.off + 18 <= l.end) v.num(CHECKSUM_UNVERIFIED, l.buf, l.off + 16, 2);
      },
    },
    { name: 'tcp.urgent_pointer', label: 'Urgent Pointer', type: 'uint', bits: 16, at: 18 },
    {
      // -V leaves it out (tshark's line gives only its length; -x shows the bytes).
      name: 'tcp.payload',
      label: 'TCP payload',
      type: 'bytes',
      hidden: true,
      read: (l, v) => {
        if (l.end > l.hdrEnd) v.bytes(l.buf, l.hdrEnd, l.end - l.hdrEnd);
      },
    },
    {
      name: 'tcp.options.mss_val',
      label: 'MSS Value',
      type: 'uint',
      bits: 16,
      read: (l, v) => {
        if (l.aux) v.num(l.aux, l.buf, l.off + 20, 0);
      },
    },
    {
      name: 'tcp.time_relative',
      conversation: true,
      label: 'Time since first frame in this TCP stream',
      type: 'reltime',
      generated: true,
      child: true,
      read: (l, v, ctx) => {
        if (timesShown(l)) timeSince(v, ctx, l.flow.firstSec, l.flow.firstNsec);
      },
    },
    {
      name: 'tcp.time_delta',
      conversation: true,
      label: 'Time since previous frame in this TCP stream',
      type: 'reltime',
      generated: true,
      child: true,
      read: (l, v, ctx) => {
        if (timesShown(l)) timeSince(v, ctx, l.flow.prevSec, l.flow.prevNsec);
      },
    },
  ),
]);

/** Wireshark draws the stream's times after the urgent pointer: not where the capture cut the header before it. */
const timesShown = (l: Layer): boolean => l.flow.stream >= 0 && l.off + 20 <= l.end;

const RELATIVE_SEQ = '    (relative sequence number)';

/** tcp.completeness as Wireshark words it: the states its flags reach, else `Incomplete`. */
function completenessText(n: number): string {
  const handshake = COMPLETE_SYN | COMPLETE_SYNACK | COMPLETE_ACK;
  const closed = n & (COMPLETE_FIN | COMPLETE_RST);
  let state = '';
  if (n === COMPLETE_SYN) state = 'Incomplete, SYN_SENT';
  else if (n === (COMPLETE_SYN | COMPLETE_SYNACK)) state = 'Incomplete, CLIENT_ESTABLISHED';
  else if (n === handshake) state = 'Incomplete, ESTABLISHED';
  else if (n === (handshake | COMPLETE_DATA)) state = 'Incomplete, DATA';
  else if (closed && n === (handshake | COMPLETE_DATA | closed)) state = 'Complete, WITH_DATA';
  else if (closed && n === (handshake | closed)) state = 'Complete, NO_DATA';
  else state = 'Incomplete';
  return `${state} (${n})`;
}

const shown = new Values();
const timestamps = new Values();
let seqField: Field | undefined;
const TCP_SEQ = (): Field => (seqField ??= TCP_FIELDS().find((f) => f.name === 'tcp.seq')!);

/**
 * -V's tree as Wireshark's: the fields in their declared order, but a segment an ICMPv4 error quotes has its sequence
 * number after the ports, and the stream's times are under `[Timestamps]`.
 */
function tcpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const seqFirst = quotedByIcmpv4(l, ctx);
  for (const f of TCP_FIELDS()) {
    if (f.type === 'protocol' || f.hidden || (seqFirst && f.name === 'tcp.seq')) continue;
    if (f.name === 'tcp.time_relative' && timesShown(l)) {
      timestamps.n = 0;
      timestamps.str('[Timestamps]', l.buf, l.off, 0);
      visit(TEXT_ITEM, timestamps, 1);
    }
    shown.n = 0;
    f.read(l, shown, ctx);
    if (shown.n > 0) visit(f, shown, 1);
    if (seqFirst && f.name === 'tcp.dstport') {
      shown.n = 0;
      TCP_SEQ().read(l, shown, ctx);
      if (shown.n > 0) visit(TCP_SEQ(), shown, 1);
    }
  }
  // As long as the IP header says the data is; in a quoted segment, what the quote holds.
  const size = l.quoted ? (tcpHeaderCut(l) ? 0 : l.end - l.hdrEnd) : segmentLength(l, ctx);
  if (size <= 0) return;
  shown.n = 0;
  shown.str(`TCP payload (${size} byte${size === 1 ? '' : 's'})`, l.buf, l.hdrEnd, Math.max(0, l.end - l.hdrEnd));
  visit(TEXT_ITEM, shown, 1);
}

export const tcp = protocol({
  payloadData: DATA_AFTER,
  name: 'tcp',
  abbrev: 'tcp',
  title: 'Transmission Control Protocol',
  hf: TCP_FIELDS,
  tree: tcpTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) {
      keepCutHeader(ctx, l);
      // The window read: Wireshark has found the conversation.
      if (l.hdrEnd >= l.off + 16) ctx.state.conversations?.tcp(ctx, l, segmentLength(l, ctx));
      return;
    }
    const hlen = (l.buf[l.off + 12]! >> 4) * 4;
    if (hlen < 20) return ctx.warn(l, W.badHeaderLength, hlen);
    if (!ctx.need(l, hlen)) {
      keepCutHeader(ctx, l);
      ctx.state.conversations?.tcp(ctx, l, segmentLength(l, ctx));
      return;
    }
    l.hdrEnd = l.off + hlen;
    ctx.state.conversations?.tcp(ctx, l, segmentLength(l, ctx));
    l.aux = 0;
    // Options: kind 0 ends, 1 pads, others carry a length; MSS is kind 2, length 4.
    for (let p = l.off + 20; p < l.hdrEnd; ) {
      const kind = l.buf[p]!;
      if (kind === 0) break;
      if (kind === 1) {
        p++;
        continue;
      }
      const len = p + 1 < l.hdrEnd ? l.buf[p + 1]! : 0;
      if (len < 2 || p + len > l.hdrEnd) {
        ctx.warn(l, W.tcpOptionPastEnd);
        break;
      }
      if (kind === 2 && len === 4) l.aux = l.dv.getUint16(p + 2);
      p += len;
    }
  },
  json: jsonMembers(TCP_FIELDS, [
    { name: 'srcPort', field: 'tcp.srcport' },
    { name: 'dstPort', field: 'tcp.dstport' },
    // Also of a segment an ICMPv4 error quotes, where tcp.seq_raw is left out.
    { name: 'seq', value: (l) => (l.off + 8 <= l.end ? l.dv.getUint32(l.off + 4) : undefined) },
    { name: 'ack', field: 'tcp.ack_raw' },
    { name: 'flags', value: (l) => (l.off + 14 <= l.end ? FLAG_TEXTS[l.buf[l.off + 13]!] : undefined) },
    { name: 'window', field: 'tcp.window_size_value' },
    // Also of a quoted segment, where tcp.len is left out; not of a cut header.
    { name: 'payload', value: (l) => (tcpHeaderCut(l) ? undefined : l.end - l.hdrEnd) },
    { name: 'mss', field: 'tcp.options.mss_val' },
  ]),
  summary(l, out) {
    out.str('TCP ').num(tcpSrcPort(l)).str(' > ').num(tcpDstPort(l));
    if (l.off + 14 <= l.end)
      out
        .str(' [')
        .str(FLAG_TEXTS[l.buf[l.off + 13]!]!)
        .byte(0x5d);
    if (l.aux) out.str(' mss ').num(l.aux);
    // Always, as tcpdump: "length 0" is a pure ACK or SYN (MSS work reads these); a cut header's warning says the rest.
    if (!tcpHeaderCut(l)) out.str(' length ').num(Math.max(0, l.end - l.hdrEnd));
  },
});

/** A SYN (or SYN-ACK) segment. */
export const tcpSyn = (l: Layer): boolean => l.off + 14 <= l.end && (l.buf[l.off + 13]! & 0x02) !== 0;

/**
 * The segment's data length (tcp.len), -1 where Wireshark does not know it: a segment an error quotes, or in an IP
 * fragment not reassembled. A header the capture cut has what the IP header counts.
 */
function segmentLength(l: Layer, ctx: PacketCtx): number {
  if (l.quoted) return -1;
  const ip = ipUnder(l, ctx);
  if (ip !== null && ipFragmentAlone(ip)) return -1;
  return tcpHeaderCut(l) ? l.aux2 : l.end - l.hdrEnd;
}

/** Whether the capture cut the header short: its fields then stop where its bytes do. */
export const tcpHeaderCut = (l: Layer): boolean =>
  l.off + 13 > l.hdrEnd || l.hdrEnd - l.off < (l.buf[l.off + 12]! >> 4) * 4;

/**
 * A header the capture cut (a snapshot length, an ICMP error's quote) is kept from its ports on, its fields where
 * their bytes are, as tshark shows them; what the segment carries is unknown. A packet that is itself shorter than
 * the fixed header keeps its ports only, as tshark stops there (malformed).
 */
function keepCutHeader(ctx: PacketCtx, l: Layer): void {
  if (l.end - l.off < 4) return;
  if (!l.short && !l.quoted && l.end - l.off < 20) l.end = l.off + 4;
  l.hdrEnd = l.end;
  l.aux2 = l.off + 13 <= l.end ? claimedSegmentLength(ctx, l) - (l.buf[l.off + 12]! >> 4) * 4 : -1;
}

/** The segment's length as the IP header before it counts it (header and data), for a cut header; -1 if none does. */
function claimedSegmentLength(ctx: PacketCtx, l: Layer): number {
  const net = ctx.count >= 2 ? ctx.layers[ctx.count - 2]! : null;
  if (net === null || net.hdrEnd < 0 || net.buf !== l.buf) return -1;
  if (net.proto === ipv4) return ipv4PayloadLength(net);
  if (net.proto === ipv6) return ipv6PayloadEnd(net) - l.off;
  return -1;
}

/** The MSS option's value, 0 without one. */
export const tcpMss = (l: Layer): number => l.aux;
