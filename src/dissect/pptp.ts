import {
  asciiText,
  declareFields,
  field,
  fields,
  fieldsByName,
  fieldsFoundByName,
  hexThenText,
  Values,
  type Field,
  type FieldReader,
  type FieldSpec,
} from './field.js';
import { jsonMembers } from './json.js';
import { protocol, type Layer, type PacketCtx } from './packet.js';
import { W } from './warnings.js';

/**
 * PPTP's control connection (RFC 2637) on TCP 1723, as Wireshark's packet-pptp.c reads it: the 12-byte header
 * (length, message type, magic cookie, control message type), then the body of each of the 15 control messages at the
 * offsets its type gives. The data channel is enhanced GRE (gre.ts), whose call IDs these messages assign.
 *
 * As tshark 4.0 reads it, with no reassembly: each TCP segment is one message from its first byte, its fields read
 * where the type puts them whatever the length field says; more after it (a second message) is not read, and a field
 * the segment does not hold ends the message there (a message split over two segments: the first shows what it holds,
 * malformed, the second is read as a message of its own). A segment of under 10 bytes (the length and the control
 * message type, which Wireshark reads before it draws anything) shows none of it; an unknown type's body is data.
 * aux: the control message type, -1 where the segment is too short to say.
 */
export const PPTP_PORT = 1723;
const MAGIC_COOKIE = 0x1a2b3c4d;
const HEADER = 12;
/** Through the control message type: what Wireshark reads before anything. */
const TYPE_END = 10;

const MESSAGE_TYPES: Readonly<Record<number, string>> = { 1: 'Control Message', 2: 'Management Message' };
/** Wireshark's names of the control message types (control_message_type_vals). */
const CONTROL_TYPES: Readonly<Record<number, string>> = {
  1: 'Start-Control-Connection-Request',
  2: 'Start-Control-Connection-Reply',
  3: 'Stop-Control-Connection-Request',
  4: 'Stop-Control-Connection-Reply',
  5: 'Echo-Request',
  6: 'Echo-Reply',
  7: 'Outgoing-Call-Request',
  8: 'Outgoing-Call-Reply',
  9: 'Incoming-Call-Request',
  10: 'Incoming-Call-Reply',
  11: 'Incoming-Call-Connected',
  12: 'Call-Clear-Request',
  13: 'Call-Disconnect-Notify',
  14: 'WAN-Error-Notify',
  15: 'Set-Link-Info',
};
/** The RFC's abbreviations of the control message types, for the text line (tcpdump's). */
const ABBREVIATIONS = [
  '',
  'SCCRQ',
  'SCCRP',
  'StopCCRQ',
  'StopCCRP',
  'ECHORQ',
  'ECHORP',
  'OCRQ',
  'OCRP',
  'ICRQ',
  'ICRP',
  'ICCN',
  'CCRQ',
  'CDN',
  'WEN',
  'SLI',
];
const FRAMING: Readonly<Record<number, string>> = {
  1: 'Asynchronous Framing supported',
  2: 'Synchronous Framing supported',
  3: 'Either Framing supported',
};
const BEARER: Readonly<Record<number, string>> = {
  1: 'Analog access supported',
  2: 'Digital access supported',
  3: 'Either access supported',
};
const ERRORS: Readonly<Record<number, string>> = {
  0: 'None',
  1: 'Not-Connected',
  2: 'Bad-Format',
  3: 'Bad-Value',
  4: 'No-Resource',
  5: 'Bad-Call ID',
  6: 'PAC-Error',
};
const OK_OR_ERROR: Readonly<Record<number, string>> = { 1: 'OK', 2: 'General error' };

/** One field of a message, in the order of its bytes. */
type Item = readonly [name: string, size: number];
type Layout = readonly Item[];

const RESERVED: Item = ['pptp.reserved', 2];
const VERSION: Item = ['pptp.protocol_version', 2];
const ERROR: Item = ['pptp.error', 1];
const CALL_ID: Item = ['pptp.call_id', 2];
const PEER_CALL_ID: Item = ['pptp.peer_call_id', 2];
const SERIAL: Item = ['pptp.call_serial_number', 2];
const BEARER_TYPE: Item = ['pptp.bearer_type', 4];
const FRAMING_TYPE: Item = ['pptp.framing_type', 4];
const WINDOW: Item = ['pptp.packet_receive_window_size', 2];
const DELAY: Item = ['pptp.packet_processing_delay', 2];
const CHANNEL: Item = ['pptp.physical_channel_id', 4];
const SPEED: Item = ['pptp.connect_speed', 4];
const CAUSE: Item = ['pptp.cause', 2];
const SUBADDRESS: Item = ['pptp.subaddress', 64];
const IDENTIFIER: Item = ['pptp.identifier', 4];
/** The start and the end of a control connection: SCCRQ's and SCCRP's capabilities and names. */
const CAPABILITIES: Layout = [
  ['pptp.framing_capabilities', 4],
  ['pptp.bearer_capabilities', 4],
  ['pptp.maximum_channels', 2],
  ['pptp.firmware_revision', 2],
  ['pptp.host_name', 64],
  ['pptp.vendor_name', 64],
];

const HEADER_LAYOUT: Layout = [
  ['pptp.length', 2],
  ['pptp.type', 2],
  ['pptp.magic_cookie', 4],
  ['pptp.control_message_type', 2],
  RESERVED,
];

/**
 * Each control message type's body as Wireshark reads it. CDN's call statistics are 64 bytes there (RFC 2637 gives
 * 128): the other 64 are not read.
 */
const BODIES: readonly Layout[] = [
  [],
  [VERSION, RESERVED, ...CAPABILITIES],
  [VERSION, ['pptp.control_result', 1], ERROR, ...CAPABILITIES],
  [['pptp.reason', 1], ['pptp.reserved', 1], RESERVED],
  [['pptp.stop_result', 1], ERROR, RESERVED],
  [IDENTIFIER],
  [IDENTIFIER, ['pptp.echo_result', 1], ERROR, RESERVED],
  [
    CALL_ID,
    SERIAL,
    ['pptp.minimum_bps', 4],
    ['pptp.maximum_bps', 4],
    BEARER_TYPE,
    FRAMING_TYPE,
    WINDOW,
    DELAY,
    ['pptp.phone_number_length', 2],
    RESERVED,
    ['pptp.phone_number', 64],
    SUBADDRESS,
  ],
  [CALL_ID, PEER_CALL_ID, ['pptp.out_result', 1], ERROR, CAUSE, SPEED, WINDOW, DELAY, CHANNEL],
  [
    CALL_ID,
    SERIAL,
    BEARER_TYPE,
    CHANNEL,
    ['pptp.dialed_number_length', 2],
    ['pptp.dialing_number_length', 2],
    ['pptp.dialed_number', 64],
    ['pptp.dialing_number', 64],
    SUBADDRESS,
  ],
  [CALL_ID, PEER_CALL_ID, ['pptp.in_result', 1], ERROR, WINDOW, DELAY, RESERVED],
  [PEER_CALL_ID, RESERVED, SPEED, WINDOW, DELAY, FRAMING_TYPE],
  [CALL_ID, RESERVED],
  [CALL_ID, ['pptp.disc_result', 1], ERROR, CAUSE, RESERVED, ['pptp.call_Statistics', 64]],
  [
    PEER_CALL_ID,
    RESERVED,
    ['pptp.crc_errors', 4],
    ['pptp.framing_errors', 4],
    ['pptp.hardware_overruns', 4],
    ['pptp.buffer_overruns', 4],
    ['pptp.timeout_errors', 4],
    ['pptp.alignment_errors', 4],
  ],
  [PEER_CALL_ID, RESERVED, ['pptp.send_accm', 4], ['pptp.receive_accm', 4]],
];
/** Header and body, by control message type; an unknown type's is the header's. */
const LAYOUTS: readonly Layout[] = BODIES.map((body) => [...HEADER_LAYOUT, ...body]);
const NONE: Layout = [];

const known = (l: Layer): boolean => l.aux > 0 && l.aux < LAYOUTS.length;
const layoutOf = (l: Layer): Layout => (l.aux < 0 ? NONE : known(l) ? LAYOUTS[l.aux]! : HEADER_LAYOUT);
/** The bytes a message of each known type takes (RFC 2637's sizes, but CDN's 84). */
const SIZES = LAYOUTS.map((layout) => layout.reduce((n, [, size]) => n + size, 0));

/** Puts the occurrence of f at p (its `size` bytes are captured): a number, the reserved bytes, or a name. */
function put(f: Field, l: Layer, v: Values, p: number, size: number): void {
  if (f.type === 'bytes') return v.bytes(l.buf, p, size);
  if (f.type === 'string') return v.str(asciiText(l.buf, p, size), l.buf, p, size);
  const n = size === 1 ? l.buf[p]! : size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p);
  if (f.name === 'pptp.magic_cookie') v.str(n === MAGIC_COOKIE ? ' (correct)' : ' (incorrect)', l.buf, p, 4, n);
  else v.num(n, l.buf, p, size);
}

/**
 * Calls `each` for the message's fields in the order of their bytes, up to the first its segment does not hold (there
 * Wireshark's dissection ends).
 */
function walk(l: Layer, each: (name: string, p: number, size: number) => void): void {
  let p = l.off;
  for (const [name, size] of layoutOf(l)) {
    if (p + size > l.end) return;
    each(name, p, size);
    p += size;
  }
}

/** A field's occurrences: wherever the message's layout has it (the reserved bytes up to three times). */
const readerOf =
  (name: string): FieldReader =>
  (l, v) =>
    walk(l, (at, p, size) => {
      if (at === name) put(byName().get(name)!, l, v, p, size);
    });

/** The layouts' fields: each reader finds its field by its name. */
const { item, u8, u16, u32 } = fieldsFoundByName(readerOf);
const text = (name: string, label: string): FieldSpec => item({ name, label, type: 'string' });

const PPTP_FIELDS = declareFields(() => [
  // Not of a segment too short for Wireshark to draw its item (malformed before it), though it names the protocol.
  field({
    name: 'pptp',
    label: 'Point-to-Point Tunnelling Protocol',
    type: 'protocol',
    read: (l, v) => {
      if (l.aux >= 0) v.num(1, l.buf, l.off, l.hdrEnd - l.off);
    },
  }),
  ...fields(
    u16('pptp.length', 'Length'),
    item({
      name: 'pptp.type',
      label: 'Message type',
      type: 'uint',
      bits: 16,
      values: MESSAGE_TYPES,
    }),
    item({
      name: 'pptp.magic_cookie',
      label: 'Magic Cookie',
      type: 'uint',
      bits: 32,
      base: 'hex',
      display: hexThenText(8),
    }),
    item({
      name: 'pptp.control_message_type',
      label: 'Control Message Type',
      type: 'uint',
      bits: 16,
      values: CONTROL_TYPES,
    }),
    item({ name: 'pptp.reserved', label: 'Reserved', type: 'bytes' }),
    // Shown as its two bytes, major.minor (`1.0`).
    item({
      name: 'pptp.protocol_version',
      label: 'Protocol version',
      type: 'uint',
      bits: 16,
      display: (n) => `${n >> 8}.${n & 0xff}`,
    }),
    u32('pptp.framing_capabilities', 'Framing Capabilities', FRAMING),
    u32('pptp.bearer_capabilities', 'Bearer Capabilities', BEARER),
    u16('pptp.maximum_channels', 'Maximum Channels'),
    u16('pptp.firmware_revision', 'Firmware Revision'),
    text('pptp.host_name', 'Host Name'),
    text('pptp.vendor_name', 'Vendor Name'),
    u8('pptp.control_result', 'Result Code', {
      1: 'Successful channel establishment',
      2: 'General error',
      3: 'Command channel already exists',
      4: 'Requester not authorized',
      5: 'Protocol version not supported',
    }),
    u8('pptp.error', 'Error Code', ERRORS),
    u8('pptp.reason', 'Reason', { 1: 'None', 2: 'Stop-Protocol', 3: 'Stop-Local-Shutdown' }),
    u8('pptp.stop_result', 'Result Code', OK_OR_ERROR),
    u32('pptp.identifier', 'Identifier'),
    u8('pptp.echo_result', 'Result Code', OK_OR_ERROR),
    u16('pptp.call_id', 'Call ID'),
    u16('pptp.call_serial_number', 'Call Serial Number'),
    u32('pptp.minimum_bps', 'Minimum BPS'),
    u32('pptp.maximum_bps', 'Maximum BPS'),
    u32('pptp.framing_type', 'Framing Type', FRAMING),
    u32('pptp.bearer_type', 'Bearer Type', BEARER),
    u16('pptp.packet_receive_window_size', 'Packet Receive Window Size'),
    u16('pptp.packet_processing_delay', 'Packet Processing Delay'),
    u16('pptp.phone_number_length', 'Phone Number Length'),
    text('pptp.phone_number', 'Phone Number'),
    text('pptp.subaddress', 'Subaddress'),
    u16('pptp.peer_call_id', 'Peer Call ID'),
    u8('pptp.out_result', 'Result Code', {
      1: 'Connected',
      2: 'General Error',
      3: 'No Carrier',
      4: 'Busy',
      5: 'No Dial Tone',
      6: 'Time-out',
      7: 'Do Not Accept',
    }),
    u16('pptp.cause', 'Cause Code'),
    u32('pptp.connect_speed', 'Connect Speed'),
    u32('pptp.physical_channel_id', 'Physical Channel ID'),
    u16('pptp.dialed_number_length', 'Dialed Number Length'),
    text('pptp.dialed_number', 'Dialed Number'),
    u16('pptp.dialing_number_length', 'Dialing Number Length'),
    text('pptp.dialing_number', 'Dialing Number'),
    u8('pptp.in_result', 'Result Code', { 1: 'Connect', 2: 'General error', 3: 'Do Not Accept' }),
    u8('pptp.disc_result', 'Result Code', { 1: 'Lost Carrier', 2: 'General Error', 3: 'Admin Shutdown', 4: 'Request' }),
    text('pptp.call_Statistics', 'Call Statistics'),
    u32('pptp.crc_errors', 'CRC Errors'),
    u32('pptp.framing_errors', 'Framing Errors'),
    u32('pptp.hardware_overruns', 'Hardware overruns'),
    u32('pptp.buffer_overruns', 'Buffer overruns'),
    u32('pptp.timeout_errors', 'Time-out Errors'),
    u32('pptp.alignment_errors', 'Alignment Errors'),
    item({ name: 'pptp.send_accm', label: 'Send ACCM', type: 'uint', bits: 32, base: 'hex' }),
    item({ name: 'pptp.receive_accm', label: 'Receive ACCM', type: 'uint', bits: 32, base: 'hex' }),
  ),
]);
const byName = fieldsByName(PPTP_FIELDS);

const shown = new Values();

/** -V as Wireshark's: the message's fields in the order of their bytes (the reserved ones where each is). */
function pptpTree(l: Layer, _ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  walk(l, (name, p, size) => {
    const f = byName().get(name)!;
    shown.n = 0;
    put(f, l, shown, p, size);
    visit(f, shown, 1);
  });
}

/** The number (of 1 or 2 bytes) in the message's first field of these names that its segment holds, or undefined. */
function numberOf(l: Layer, names: readonly string[]): number | undefined {
  let n: number | undefined;
  walk(l, (name, p, size) => {
    if (n !== undefined || !names.includes(name)) return;
    n = size === 1 ? l.buf[p]! : l.dv.getUint16(p);
  });
  return n;
}
const RESULTS = [
  'pptp.control_result',
  'pptp.stop_result',
  'pptp.echo_result',
  'pptp.out_result',
  'pptp.in_result',
  'pptp.disc_result',
];
const CALL_IDS = [CALL_ID[0]];
const PEER_CALL_IDS = [PEER_CALL_ID[0]];

/** `PPTP OCRQ`, `PPTP type 16`; `PPTP` of a segment too short to say. */
const pptpLabel = (l: Layer): string =>
  l.aux < 0 ? 'PPTP' : `PPTP ${known(l) ? ABBREVIATIONS[l.aux] : `type ${l.aux}`}`;

export const pptp = protocol({
  name: 'pptp',
  abbrev: 'pptp',
  title: 'Point-to-Point Tunnelling Protocol',
  hf: PPTP_FIELDS,
  tree: pptpTree,
  // An unknown type's body is Wireshark's data, within PPTP's tree.
  payloadData: (l) => (l.aux >= 0 && !known(l) ? 'within' : null),
  dissect(ctx, l) {
    // The segment is the message's, even where it cannot be read: the layer names the protocol, as tshark's frame does.
    l.hdrEnd = l.end;
    l.aux = -1;
    if (!ctx.need(l, TYPE_END)) return;
    l.aux = l.dv.getUint16(l.off + 8);
    const cookie = l.dv.getUint32(l.off + 4);
    if (cookie !== MAGIC_COOKIE) ctx.warn(l, W.pptpBadCookie, cookie);
    // A segment that holds less than its type's fields is malformed (a message split over two segments, too).
    if (known(l)) ctx.need(l, SIZES[l.aux]!);
    else if (ctx.need(l, HEADER)) l.hdrEnd = l.off + HEADER;
  },
  json: jsonMembers(PPTP_FIELDS, [
    { name: 'type', field: 'pptp.control_message_type' },
    { name: 'callId', field: 'pptp.call_id' },
    { name: 'peerCallId', field: 'pptp.peer_call_id' },
    { name: 'result', value: (l) => numberOf(l, RESULTS) },
  ]),
  label: pptpLabel,
  summary(l, out) {
    out.str(pptpLabel(l));
    const call = numberOf(l, CALL_IDS);
    const peer = numberOf(l, PEER_CALL_IDS);
    const result = numberOf(l, RESULTS);
    if (call !== undefined) out.str(' call ').num(call);
    if (peer !== undefined) out.str(' peer ').num(peer);
    if (result !== undefined) out.str(' result ').num(result);
  },
});
