import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED } from '../util/checksum.js';
import {
  COMPLETE_ACK,
  COMPLETE_DATA,
  COMPLETE_FIN,
  COMPLETE_RST,
  COMPLETE_SYN,
  COMPLETE_SYNACK,
  streamIndexField,
  streamTimeFields,
} from './conversations.js';
import {
  asciiText,
  declareFields,
  type Field,
  fields,
  protocolField,
  SET_NOT_SET,
  Values,
  type FieldSpec,
  visitText,
} from './field.js';
import { list } from './field-list.js';
import { jsonMembers } from './json.js';
import { ipFragmentAlone, ipv4, ipv4PayloadLength } from './ipv4.js';
import { icmp } from './icmp.js';
import { ipv6, ipv6PayloadEnd } from './ipv6.js';
import { type Layer, type PacketCtx, protocol, Table } from './packet.js';
import { isRegistered } from './registry.js';
import { ipUnder } from './addr.js';
import { W } from './warnings.js';
import { analysisTree, TCP_ANALYSIS_FIELDS } from './tcp-analysis.js';
import { plural } from '../util/words.js';

/**
 * TCP header and options; aux = the MSS option's value, or 0; aux2, of a header the capture cut short, the data's
 * length as the IP header before it counts (-1 where none does). The payload goes to the protocol of its port (PPTP's
 * control connection), each segment on its own: TCP's streams are not reassembled.
 */
const FLAG_NAMES = 'FSRPAUEC';
/** Ports under this are well known (IANA's system ports). */
const WELL_KNOWN_PORTS = 1024;

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

const FLAG_RST = 0x04;

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

/** Option kinds, as Wireshark names them (tcp.option_kind). */
const OPTION_KINDS: Record<number, string> = {
  0: 'End of Option List',
  1: 'No-Operation',
  2: 'Maximum Segment Size',
  3: 'Window Scale',
  4: 'SACK Permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo Reply',
  8: 'Time Stamp Option',
  9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data',
  16: 'Skeeter',
  17: 'Bubba',
  18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option',
  20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries',
  23: 'Corruption experienced',
  24: 'SNAP',
  25: 'Unassigned',
  26: 'TCP Compression Filter',
  27: 'Quick-Start Response',
  28: 'User Timeout Option',
  29: 'The TCP Authentication Option',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
  76: 'Riverbed Probe',
  78: 'Riverbed Transparency',
  172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

/** Each option's name in the Options line and its title (Wireshark's option protocols, `TCP Option - ...`). */
const OPTION_NAMES: Record<number, string> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Maximum segment size',
  3: 'Window scale',
  4: 'SACK permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo reply',
  8: 'Timestamps',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  19: 'TCP MD5 signature',
  20: 'SCPS capabilities',
  21: 'Selective Negative Acknowledgment',
  22: 'SCPS record boundary',
  23: 'SCPS corruption experienced',
  27: 'Quick-Start',
  28: 'User Timeout',
  29: 'TCP AO',
  34: 'TCP Fast Open',
  76: 'Riverbed Probe',
  78: 'Riverbed Transparency',
  253: 'Experimental',
  254: 'Experimental',
};

/** An option's fields where it has its length, else nothing (tshark checks the length before reading). */
const withLength =
  (kind: number, len: number, read: (l: Layer, v: Values, p: number) => void) =>
  (l: Layer, v: Values, _ctx: PacketCtx, p: number, size: number): void => {
    if (l.buf[p] === kind && size === len && p + len <= l.end) read(l, v, p);
  };

/** A SACK block's edge, relative to the acknowledged direction's first sequence number. */
const sackEdge =
  (at: number) =>
  (l: Layer, v: Values, _ctx: PacketCtx, p: number, size: number): void => {
    if (l.buf[p] !== 5 || l.flow.stream < 0) return;
    for (let q = p + 2; q + 8 <= p + size && q + 8 <= l.end; q += 8)
      v.str(' (relative)', l.buf, q + at, 4, (l.dv.getUint32(q + at) - l.flow.ackBase) >>> 0);
  };

/** The first SACK block's edge (at 0: left, 4: right) where the block is a D-SACK. */
function dsack(l: Layer, p: number, size: number, at: number, v: Values): void {
  if (l.buf[p] !== 5 || l.flow.stream < 0 || size < 10 || p + 10 > l.end) return;
  const le = l.dv.getUint32(p + 2);
  const re = l.dv.getUint32(p + 6);
  const below = (le - l.dv.getUint32(l.off + 8)) | 0;
  const inSecond =
    size >= 18 &&
    p + 18 <= l.end &&
    ((le - l.dv.getUint32(p + 10)) | 0) >= 0 &&
    ((re - l.dv.getUint32(p + 14)) | 0) <= 0;
  if (below >= 0 && !inSecond) return;
  v.num((l.dv.getUint32(p + 2 + at) - l.flow.ackBase) >>> 0, l.buf, p + 2 + at, 4);
}

/** The options, from the fixed header's end to the header's: kinds 0 and 1 are a byte, the others give their size. */
const OPTIONS = list({
  name: 'tcp.option',
  title: optionTitle,
  // To the end the header's length gives: an option the capture cut still shows its kind and length, as tshark's; one
  // whose length runs past the header is none (tshark: malformed).
  in: [{ start: (l) => l.off + 20, end: (l) => l.off + (l.buf[l.off + 12]! >> 4) * 4 }],
  size: (l, p, end) => {
    if (p >= l.end) return 0;
    if (l.buf[p]! <= 1) return 1;
    const len = p + 1 < l.end ? l.buf[p + 1]! : 0;
    return len >= 2 && p + len <= end ? len : 0;
  },
  min: 1,
  fields: [
    { name: 'tcp.option_kind', label: 'Kind', type: 'uint', bits: 8, values: OPTION_KINDS, at: 0 },
    {
      name: 'tcp.option_len',
      label: 'Length',
      type: 'uint',
      bits: 8,
      record: (l, v, _ctx, p) => {
        if (l.buf[p]! > 1 && p + 1 < l.end) v.num(l.buf[p + 1]!, l.buf, p + 1, 1);
      },
    },
    {
      name: 'tcp.options.mss_val',
      label: 'MSS Value',
      type: 'uint',
      bits: 16,
      record: withLength(2, 4, (l, v, p) => v.num(l.dv.getUint16(p + 2), l.buf, p + 2, 2)),
    },
    {
      name: 'tcp.options.wscale.shift',
      label: 'Shift count',
      type: 'uint',
      bits: 8,
      record: withLength(3, 3, (l, v, p) => v.num(l.buf[p + 2]!, l.buf, p + 2, 1)),
    },
    {
      // A shift over 14 counts as 14 (RFC 7323).
      name: 'tcp.options.wscale.multiplier',
      label: 'Multiplier',
      type: 'uint',
      bits: 16,
      generated: true,
      record: withLength(3, 3, (l, v, p) => v.num(2 ** Math.min(l.buf[p + 2]!, 14), l.buf, p + 2, 1)),
    },
    {
      name: 'tcp.options.timestamp.tsval',
      label: 'Timestamp value',
      type: 'uint',
      bits: 32,
      record: withLength(8, 10, (l, v, p) => v.num(l.dv.getUint32(p + 2), l.buf, p + 2, 4)),
    },
    {
      name: 'tcp.options.timestamp.tsecr',
      label: 'Timestamp echo reply',
      type: 'uint',
      bits: 32,
      record: withLength(8, 10, (l, v, p) => v.num(l.dv.getUint32(p + 6), l.buf, p + 6, 4)),
    },
    {
      name: 'tcp.options.sack_le',
      label: 'TCP SACK Left Edge',
      type: 'uint',
      bits: 32,
      conversation: true,
      display: (n, _b, _o, text) => `${n}${text}`,
      record: sackEdge(0),
    },
    {
      name: 'tcp.options.sack_re',
      label: 'TCP SACK Right Edge',
      type: 'uint',
      bits: 32,
      conversation: true,
      display: (n, _b, _o, text) => `${n}${text}`,
      record: sackEdge(4),
    },
    {
      name: 'tcp.options.sack.count',
      label: 'TCP SACK Count',
      type: 'uint',
      bits: 8,
      generated: true,
      record: (l, v, _ctx, p, size) => {
        if (l.buf[p] === 5) v.num(Math.floor((Math.min(size, l.end - p) - 2) / 8), l.buf, p, 0);
      },
    },
    {
      // RFC 2883: a first block below the acknowledgment, or within the second block, reports a duplicate.
      name: 'tcp.options.sack.dsack_le',
      label: 'TCP D-SACK Left Edge',
      type: 'uint',
      bits: 32,
      generated: true,
      conversation: true,
      record: (l, v, _ctx, p, size) => dsack(l, p, size, 0, v),
    },
    {
      name: 'tcp.options.sack.dsack_re',
      label: 'TCP D-SACK Right Edge',
      type: 'uint',
      bits: 32,
      generated: true,
      conversation: true,
      record: (l, v, _ctx, p, size) => dsack(l, p, size, 4, v),
    },
    {
      name: 'tcp.options.md5.digest',
      label: 'MD5 digest',
      type: 'bytes',
      record: withLength(19, 18, (l, v, p) => v.bytes(l.buf, p + 2, 16)),
    },
  ],
});

/** `TCP Option - Window scale: 7 (multiply by 128)`: the option's name, and for some its values. */
function optionTitle(l: Layer, p: number, size: number): string {
  const kind = l.buf[p]!;
  const name = `TCP Option - ${OPTION_NAMES[kind] ?? 'Unknown'}`;
  if (p + size > l.end) return name;
  if (kind === 2 && size === 4) return `${name}: ${l.dv.getUint16(p + 2)} bytes`;
  if (kind === 3 && size === 3) return `${name}: ${l.buf[p + 2]} (multiply by ${2 ** Math.min(l.buf[p + 2]!, 14)})`;
  if (kind === 8 && size === 10) return `${name}: TSval ${l.dv.getUint32(p + 2)}, TSecr ${l.dv.getUint32(p + 6)}`;
  if (kind === 5 && l.flow.stream >= 0) {
    let edges = '';
    for (let q = p + 2; q + 8 <= p + size; q += 8)
      edges += ` ${(l.dv.getUint32(q) - l.flow.ackBase) >>> 0}-${(l.dv.getUint32(q + 4) - l.flow.ackBase) >>> 0}`;
    return `${name}${edges}`;
  }
  return name;
}

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
    streamIndexField('tcp.stream'),
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
        const n = tcpSegmentLength(l, ctx);
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
    flag('reset', 'Reset', FLAG_RST),
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
      name: 'tcp.options',
      label: 'TCP Options',
      type: 'bytes',
      hidden: true,
      read: (l, v) => {
        if (l.hdrEnd > l.off + 20) v.bytes(l.buf, l.off + 20, l.hdrEnd - l.off - 20);
      },
    },
    {
      // -V leaves it out (tshark's line gives only its length; -x shows the bytes).
      name: 'tcp.payload',
      label: 'TCP payload',
      type: 'bytes',
      hidden: true,
      read: (l, v) => {
        if (l.end > l.hdrEnd && !resetWithData(l)) v.bytes(l.buf, l.hdrEnd, l.end - l.hdrEnd);
      },
    },
    {
      // -V draws it last, where the payload's line would be.
      name: 'tcp.reset_cause',
      label: 'Reset cause',
      type: 'string',
      read: (l, v) => {
        if (resetWithData(l)) v.str(asciiText(l.buf, l.hdrEnd, l.end - l.hdrEnd), l.buf, l.hdrEnd, l.end - l.hdrEnd);
      },
    },
    ...streamTimeFields(
      'tcp',
      'Time since first frame in this TCP stream',
      'Time since previous frame in this TCP stream',
      timesShown,
    ),
    ...TCP_ANALYSIS_FIELDS,
  ),
  ...OPTIONS.fields,
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
let byName: Map<string, Field> | undefined;
/** A TCP field by its name, for the trees that draw one out of the declared order. */
const tcpField = (name: string): Field => (byName ??= new Map(TCP_FIELDS().map((f) => [f.name, f]))).get(name)!;

const optionCursor = OPTIONS.cursor();

/** `Options: (8 bytes), Maximum segment size, ...`, then each option's subtree: its title, then its fields. */
function optionsTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const size = (l.buf[l.off + 12]! >> 4) * 4 - 20;
  if (size <= 0) return;
  let line = `Options: (${size} bytes)`;
  // Named once read whole.
  for (let ok = optionCursor.region(l, 0, -1, 0); ok; ok = optionCursor.step(l))
    if (optionCursor.p + optionCursor.len <= l.end) line += `, ${OPTION_NAMES[l.buf[optionCursor.p]!] ?? 'Unknown'}`;
  // Wireshark's item labels hold 239 characters (ITEM_LABEL_LENGTH).
  visitText(visit, line.slice(0, 239), l.buf, l.off + 20, l.hdrEnd - l.off - 20, 1);
  for (let ok = optionCursor.region(l, 0, -1, 0); ok; ok = optionCursor.step(l)) {
    const { p, len } = optionCursor;
    visitText(visit, optionTitle(l, p, len), l.buf, p, Math.min(len, l.end - p), 2);
    for (const f of OPTIONS.fields) {
      shown.n = 0;
      f.recordRead!(l, shown, ctx, p, len);
      if (shown.n === 0) continue;
      // A SACK block's edges are Wireshark's own lines (`left edge = 1 (relative)`), not the fields' labels.
      if (f.name === 'tcp.options.sack_le' || f.name === 'tcp.options.sack_re') {
        const side = f.name === 'tcp.options.sack_le' ? 'left' : 'right';
        for (let i = 0; i < shown.n; i++)
          sackLines[i * 2 + (side === 'left' ? 0 : 1)] = `${side} edge = ${shown.nums[i]} (relative)`;
        if (side === 'right')
          for (let i = 0; i < shown.n * 2; i++) visitText(visit, sackLines[i]!, l.buf, shown.offs[i >> 1]!, 4, 3);
        continue;
      }
      if (f.name === 'tcp.options.sack.dsack_le' || f.name === 'tcp.options.sack.dsack_re') {
        const side = f.name === 'tcp.options.sack.dsack_le' ? 'Left' : 'Right';
        visitText(visit, `[D-SACK ${side} Edge = ${shown.nums[0]} (relative)]`, l.buf, shown.offs[0]!, 4, 3);
        if (side === 'Right') visitText(visit, 'D-SACK Sequence', l.buf, p, 0, 3);
        continue;
      }
      visit(f, shown, 3);
    }
  }
}

const sackLines: string[] = [];

/**
 * -V's tree as Wireshark's: the fields in their declared order, but a segment an ICMPv4 error quotes has its sequence
 * number after the ports, and the stream's times are under `[Timestamps]`.
 */
function tcpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const seqFirst = quotedByIcmpv4(l, ctx);
  for (const f of TCP_FIELDS()) {
    if (f.type === 'protocol' || f.hidden || f.list !== null || (seqFirst && f.name === 'tcp.seq')) continue;
    if (f.name.startsWith('tcp.analysis') || f.name === 'tcp.reset_cause') continue;
    if (f.name === 'tcp.time_relative' && timesShown(l)) {
      visitText(visit, '[Timestamps]', l.buf, l.off, 0, 1);
    }
    shown.n = 0;
    f.read(l, shown, ctx);
    if (shown.n > 0) visit(f, shown, 1);
    if (f.name === 'tcp.urgent_pointer' && l.off + 20 <= l.end) optionsTree(l, ctx, visit);
    if (seqFirst && f.name === 'tcp.dstport') {
      shown.n = 0;
      tcpField('tcp.seq').read(l, shown, ctx);
      if (shown.n > 0) visit(tcpField('tcp.seq'), shown, 1);
    }
  }
  analysisTree(
    l,
    (name, depth) => {
      const f = tcpField(name);
      shown.n = 0;
      f.read(l, shown, ctx);
      if (shown.n > 0) visit(f, shown, depth);
    },
    (line, depth) => visitText(visit, line, l.buf, l.off, 0, depth),
  );
  // As long as the IP header says the data is; in a quoted segment, what the quote holds.
  // Not under a header the capture cut: tshark's dissection ends there.
  const size = tcpHeaderCut(l) ? 0 : l.quoted ? l.end - l.hdrEnd : tcpSegmentLength(l, ctx);
  if (size <= 0) return;
  if (resetWithData(l)) {
    const f = tcpField('tcp.reset_cause');
    shown.n = 0;
    f.read(l, shown, ctx);
    return visit(f, shown, 1);
  }
  visitText(visit, `TCP payload (${plural(size, 'byte')})`, l.buf, l.hdrEnd, l.end - l.hdrEnd, 1);
}

/**
 * A segment with RST set that carries data: RFC 1122 (4.2.2.12) lets it explain the reset in text, so Wireshark shows
 * the data as the reset's cause and hands it to no protocol.
 */
function resetWithData(l: Layer): boolean {
  return l.off + 20 <= l.hdrEnd && l.hdrEnd < l.end && (l.buf[l.off + 13]! & FLAG_RST) !== 0;
}

export const tcp = protocol({
  payloadData: (l) => (resetWithData(l) ? null : 'after'),
  name: 'tcp',
  abbrev: 'tcp',
  title: 'Transmission Control Protocol',
  hf: TCP_FIELDS,
  tree: tcpTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) {
      keepCutHeader(ctx, l);
      // The window read: Wireshark has found the conversation.
      if (l.hdrEnd >= l.off + 16) ctx.state.conversations?.tcp(ctx, l, tcpSegmentLength(l, ctx));
      return;
    }
    const hlen = (l.buf[l.off + 12]! >> 4) * 4;
    if (hlen < 20) return ctx.warn(l, W.badHeaderLength, hlen);
    if (!ctx.need(l, hlen)) {
      keepCutHeader(ctx, l);
      ctx.state.conversations?.tcp(ctx, l, tcpSegmentLength(l, ctx));
      return;
    }
    l.hdrEnd = l.off + hlen;
    const length = tcpSegmentLength(l, ctx);
    ctx.state.conversations?.tcp(ctx, l, length);
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
    // The data to the protocol of the lower port first, as Wireshark tries them; also in an ICMP error's quote, not in
    // a lone IP fragment (tshark waits for the rest). A well-known lower port is one of tshark's (SSH, BGP, HTTP):
    // the higher port's protocol is tried only after a registered port (1024 and up).
    if (l.hdrEnd >= l.end || (length < 0 && !l.quoted) || resetWithData(l)) return;
    const lo = Math.min(tcpSrcPort(l), tcpDstPort(l));
    const hi = Math.max(tcpSrcPort(l), tcpDstPort(l));
    if (isRegistered(Table.TcpPort, lo)) ctx.handoff(l, Table.TcpPort, lo, l.hdrEnd, l.end);
    else if (lo >= WELL_KNOWN_PORTS && isRegistered(Table.TcpPort, hi))
      ctx.handoff(l, Table.TcpPort, hi, l.hdrEnd, l.end);
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
    { name: 'mss', value: (l) => (l.aux ? l.aux : undefined) },
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
export function tcpSegmentLength(l: Layer, ctx: PacketCtx): number {
  if (l.quoted) return -1;
  const ip = ipUnder(l, ctx);
  if (ip !== null && ipFragmentAlone(ip)) return -1;
  if (tcpHeaderCut(l)) return l.aux2;
  // Data the snapshot length cut: as long as the IP header says.
  if (l.short && ip !== null && ip.buf === l.buf && ip.hdrEnd >= 0) {
    const claimed = ip.proto === ipv4 ? ipv4PayloadLength(ip) - (l.off - ip.hdrEnd) : ipv6PayloadEnd(ip) - l.off;
    if (claimed >= l.hdrEnd - l.off) return claimed - (l.hdrEnd - l.off);
  }
  return l.end - l.hdrEnd;
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
