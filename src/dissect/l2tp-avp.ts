import { asciiText, namedOrUnknown, type FieldReader, type FieldSpec, type RecordReader } from './field.js';
import { list, type FieldList, type Placement } from './field-list.js';
import type { Layer } from './packet.js';
import { u8, u16, u32, type LayerRead } from './layer-read.js';

/**
 * L2TP's attribute-value pairs (RFC 2661 4.1, RFC 3931 5.1), the body of every control message of L2TPv2 and v3, as
 * Wireshark's packet-l2tp.c reads them: a word of flags (M, H) and length, a vendor, a type, then the value. The IETF's
 * AVPs (vendor 0) and Cisco's (vendor 9, pre-standard L2TPv3) are read; another vendor's value is shown as undecoded
 * data, as Wireshark does for vendors it has no dissector for. A hidden AVP's value is encrypted: its header alone is
 * shown. A length under 6 ends the walk (Wireshark: malformed), and so does an AVP that runs past the message.
 */
export const VENDOR_IETF = 0;
export const VENDOR_CISCO = 9;

/** The AVP's length, from its first word (10 bits). */
export const avpLength = (l: Layer, p: number): number => l.dv.getUint16(p) & 0x03ff;
/** Its value is hidden (RFC 2661 4.3): encrypted with the tunnel's shared secret. */
export const avpHidden = (l: Layer, p: number): boolean => (l.buf[p]! & 0x40) !== 0;
export const avpVendor = (l: Layer, p: number): number => l.dv.getUint16(p + 2);
export const avpType = (l: Layer, p: number): number => l.dv.getUint16(p + 4);
/** The header before the value: flags and length, vendor, type. */
const HEADER = 6;

export const AVP_CONTROL_MESSAGE = 0;
const AVP_RESULT_ERROR = 1;
const AVP_PW_CAPABILITIES = 62;
const AVP_CONNECT_SPEED_UPDATE = 97;
const CISCO_PW_CAPABILITIES = 2;
const MSG_STOPCCN = 4;

/** The organisations Wireshark names in a vendor ID (its enterprises file), those L2TP AVPs come from. */
const ENTERPRISES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  9: 'ciscoSystems',
  193: 'Ericsson AB',
  311: 'Microsoft',
  2011: 'HUAWEI Technology Co.,Ltd',
  2636: 'Juniper Networks, Inc.',
  3561: "Broadband Forum (previously 'DSL Forum')",
  4491: 'Cable Television Laboratories, Inc.',
  6527: 'Nokia',
};
const vendorText = namedOrUnknown(ENTERPRISES);

const AVP_TYPES: Readonly<Record<number, string>> = {
  0: 'Control Message',
  1: 'Result-Error Code',
  2: 'Protocol Version',
  3: 'Framing Capabilities',
  4: 'Bearer Capabilities',
  5: 'Tie Breaker',
  6: 'Firmware Revision',
  7: 'Host Name',
  8: 'Vendor Name',
  9: 'Assigned Tunnel ID',
  10: 'Receive Window Size',
  11: 'Challenge',
  12: 'Cause Code',
  13: 'Challenge Response',
  14: 'Assigned Session',
  15: 'Call Serial Number',
  16: 'Minimum BPS',
  17: 'Maximum BPS',
  18: 'Bearer Type',
  19: 'Framing Type',
  20: 'Reserved',
  21: 'Called Number',
  22: 'Calling Number',
  23: 'Sub-Address',
  24: 'Connect Speed',
  25: 'Physical Channel',
  26: 'Initial Received LCP CONFREQ',
  27: 'Last Sent LCP CONFREQ',
  28: 'Last Received LCP CONFREQ',
  29: 'Proxy Authen Type',
  30: 'Proxy Authen Name',
  31: 'Proxy Authen Challenge',
  32: 'Proxy Authen ID',
  33: 'Proxy Authen Response',
  34: 'Call status AVPs',
  35: 'ACCM',
  36: 'Random Vector',
  37: 'Private group ID',
  38: 'RxConnect Speed',
  39: 'Sequencing Required',
  46: 'PPP Disconnect Cause Code',
  58: 'Extended Vendor ID',
  59: 'Message Digest',
  60: 'Router ID',
  61: 'Assigned Control Connection ID',
  62: 'Pseudowire Capability List',
  63: 'Local Session ID',
  64: 'Remote Session ID',
  65: 'Assigned Cookie',
  66: 'Remote End ID',
  68: 'Pseudowire Type',
  69: 'Layer2 Specific Sublayer',
  70: 'Data Sequencing',
  71: 'Circuit Status',
  72: 'Preferred Language',
  73: 'Control Message Authentication Nonce',
  74: 'Tx Connect Speed Version 3',
  75: 'Rx Connect Speed Version 3',
  76: 'Failover Capability',
  77: 'Tunnel Recovery',
  78: 'Suggested Control Sequence',
  79: 'Failover Session State',
  80: 'Multicast Capability',
  81: 'New Outgoing Sessions',
  82: 'New Outgoing Sessions Acknowledgement',
  83: 'Withdraw Outgoing Sessions',
  84: 'Multicast Packets Priority',
  85: 'Frame-Relay Header Length',
  86: 'ATM Maximum Concatenated Cells',
  87: 'OAM Emulation Required',
  88: 'ATM Alarm Status',
  89: 'Attachment Group Identifier',
  90: 'Local End Identifier',
  91: 'Interface Maximum Transmission Unit',
  92: 'FCS Retention',
  93: 'Tunnel Switching Aggregator ID',
  94: 'Maximum Receive Unit (MRU)',
  95: 'Maximum Reassembled Receive Unit (MRRU)',
  96: 'VCCV Capability',
  97: 'Connect Speed Update',
  98: 'Connect Speed Update Enable',
  99: 'TDM Pseudowire',
  100: 'RTP AVP',
  101: 'PW Switching Point',
};
const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'Start_Control_Request',
  2: 'Start_Control_Reply',
  3: 'Start_Control_Connected',
  4: 'Stop_Control_Notification',
  5: 'Reserved',
  6: 'Hello',
  7: 'Outgoing_Call_Request',
  8: 'Outgoing_Call_Reply',
  9: 'Outgoing_Call_Connected',
  10: 'Incoming_Call_Request',
  11: 'Incoming_Call_Reply',
  12: 'Incoming_Call_Connected',
  13: 'Reserved',
  14: 'Call_Disconnect_Notification',
  15: 'WAN_Error_Notify',
  16: 'Set_Link_Info',
  17: 'Modem_Status',
  18: 'Service_Relay_Request_Msg',
  19: 'Service_Relay_Reply_Message',
  20: 'Explicit_Acknowledgement',
  21: 'Failover_Session_Query_Message',
  22: 'Failover_Session_Response_Message',
  23: 'Multicast-Session-Request',
  24: 'Multicast-Session-Response',
  25: 'Multicast-Session-Establishment',
  26: 'Multicast-Session-Information',
  27: 'Multicast-Session-End-Notify',
  28: 'Connect-Speed-Update-Notification',
  29: 'Connect-Speed-Update-Request',
};
const CISCO_AVP_TYPES: Readonly<Record<number, string>> = {
  0: 'Cisco ACK',
  1: 'Assigned Connection ID',
  2: 'Pseudowire Capabilities List',
  3: 'Local Session ID',
  4: 'Remote Session ID',
  5: 'Assigned Cookie',
  6: 'Remote End ID',
  7: 'Pseudowire Type',
  8: 'Circuit Status',
  9: 'Session Tie Breaker',
  10: 'Draft AVP Version',
  12: 'Message Digest',
  13: 'Control Message Authentication Nonce',
  14: 'Interface MTU',
};
export const PW_TYPES: Readonly<Record<number, string>> = {
  1: 'Frame Relay DLCI',
  2: 'ATM AAL5 SDU VCC transport',
  3: 'ATM Cell transparent Port Mode',
  4: 'Ethernet VLAN',
  5: 'Ethernet',
  6: 'HDLC',
  7: 'PPP',
  9: 'ATM Cell transport VCC Mode',
  10: 'ATM Cell transport VPC Mode',
  11: 'IP Transport',
  12: 'MPEG-TS Payload Type (MPTPW)',
  13: 'Packet Streaming Protocol (PSPPW)',
  17: 'Structure-agnostic E1 circuit',
  18: 'Structure-agnostic T1 (DS1) circuit',
  19: 'Structure-agnostic E3 circuit',
  20: 'Structure-agnostic T3 (DS3) circuit',
  21: 'CESoPSN basic mode',
  22: 'Unassigned',
  23: 'CESoPSN TDM with CAS',
};
const STOPCCN_RESULTS: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'General request to clear control connection',
  2: 'General error, Error Code indicates the problem',
  3: 'Control connection already exists',
  4: 'Requester is not authorized to establish a control connection',
  5: 'The protocol version of the requester is not supported',
  6: 'Requester is being shut down',
  7: 'Finite state machine error or timeout',
  8: 'Control connection due to mismatching CCDS value',
};
const CDN_RESULTS: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Session disconnected due to loss of carrier or circuit disconnect',
  2: 'Session disconnected for the reason indicated in Error Code',
  3: 'Session disconnected for administrative reasons',
  4: 'Appropriate facilities unavailable (temporary condition)',
  5: 'Appropriate facilities unavailable (permanent condition)',
  6: 'Invalid destination',
  7: 'Call failed due to no carrier detected',
  8: 'Call failed due to detection of a busy signal',
  9: 'Call failed due to lack of a dial tone',
  10: 'Call was not established within time allotted by LAC',
  11: 'Call was connected but no appropriate framing was detected',
  12: 'Disconnecting call due to mismatching SDS value',
  13: 'Session not established due to losing tie breaker',
  14: 'Session not established due to unsupported PW type',
  15: 'Session not established, sequencing required without valid L2-Specific Sublayer',
  16: 'Finite state machine error or timeout',
  17: 'FR PVC was deleted permanently (no longer provisioned) ',
  18: 'FR PVC has been INACTIVE for an extended period of time',
  19: 'Mismatched FR Header Length',
  20: 'HDLC Link was deleted permanently (no longer provisioned)',
  21: 'HDLC Link has been INACTIVE for an extended period of time',
  22: 'Session not established due to other LCCE can not support the OAM Cell Emulation',
  23: 'Mismatching interface MTU',
  24: 'Attempt to connect to non-existent forwarder',
  25: 'Attempt to connect to unauthorized forwarder',
  26: 'Loop Detected',
  27: 'Attachment Circuit bound to different PE',
  28: 'Attachment Circuit bound to different remote Attachment Circuit',
  29: 'Unassigned',
  30:
    'Return code to indicate connection was refused because of TDM PW parameters. ' +
    'The error code indicates the problem.',
  31: 'Sequencing not supported',
};
const ERROR_CODES: Readonly<Record<number, string>> = {
  0: 'No General Error',
  1: 'No control connection exists yet for this pair of LCCEs',
  2: 'Length is wrong',
  3: 'One of the field values was out of range',
  4: 'Insufficient resources to handle this operation now',
  5: 'Invalid Session ID',
  6: 'A generic vendor-specific error occurred',
  7: 'Try another',
  8: 'Receipt of an unknown AVP with the M bit set',
  9: 'Try another directed',
  10: 'Next hop unreachable',
  11: 'Next hop busy',
  12: 'TSA busy',
};
const PROXY_AUTHEN_TYPES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Textual username/password exchange',
  2: 'PPP CHAP',
  3: 'PPP PAP',
  4: 'No Authentication',
  5: 'Microsoft CHAP Version 1',
  6: 'Reserved',
  7: 'EAP',
};
const SUBLAYERS: Readonly<Record<number, string>> = {
  0: 'No L2-Specific Sublayer',
  1: 'Default L2-Specific Sublayer present',
  2: 'ATM-Specific Sublayer present',
  3: 'MPT-Specific Sublayer',
  4: 'PSP-Specific Sublayer',
};
const DATA_SEQUENCING: Readonly<Record<number, string>> = {
  0: 'No incoming data packets require sequencing',
  1: 'Only non-IP data packets require sequencing',
  2: 'All incoming data packets require sequencing',
};
const CAUSE_DIRECTIONS: Readonly<Record<number, string>> = {
  0: 'global error',
  1: 'at peer',
  2: 'at local',
};

/** Wireshark's short names of the message types (its Info column), for the text line. */
export const MESSAGE_SHORT_NAMES: readonly string[] = [
  '',
  'SCCRQ',
  'SCCRP',
  'SCCCN',
  'StopCCN',
  'Reserved',
  'Hello',
  'OCRQ',
  'OCRP',
  'OCCN',
  'ICRQ',
  'ICRP',
  'ICCN',
  'Reserved',
  'CDN',
  'WEN',
  'SLI',
  'MDMST',
  'SRRQ',
  'SRRP',
  'ACK',
  'FSQ',
  'FSR',
  'MSRQ',
  'MSRP',
  'MSE',
  'MSI',
  'MSEN',
  'CSUN',
  'CSURQ',
];

/** The IETF AVP types Wireshark reads a value of: any other's value is undecoded data. */
const IETF_READ = new Set([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
  33, 34, 35, 36, 37, 38, 46, 59, 60, 61, 62, 63, 64, 65, 66, 68, 69, 70, 71, 72, 73, 74, 75, 97,
]);
/** Cisco's AVP types Wireshark reads (0, its ACK, has no value). */
const CISCO_READ = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14]);

/** Whether Wireshark shows the AVP's value as `Vendor-Specific AVP data`: a vendor's, or a type it does not read. */
export function avpUndecoded(l: Layer, p: number, len: number): boolean {
  if (avpHidden(l, p)) return false;
  const vendor = avpVendor(l, p);
  if (vendor === VENDOR_IETF) return !IETF_READ.has(avpType(l, p)) && len > HEADER;
  return vendor !== VENDOR_CISCO || !CISCO_READ.has(avpType(l, p));
}

/** The title of an AVP's subtree: `Host Name AVP`, `Vendor ciscoSystems (9): Local Session ID AVP`. */
function avpTitle(l: Layer, p: number): string {
  const vendor = avpVendor(l, p);
  const type = avpType(l, p);
  if (vendor === VENDOR_IETF) return `${AVP_TYPES[type] ?? `Unknown (${type})`} AVP`;
  if (vendor === VENDOR_CISCO) return `Vendor ciscoSystems (9): ${CISCO_AVP_TYPES[type] ?? `Unknown (${type})`} AVP`;
  return `Vendor ${ENTERPRISES[vendor] ?? 'Unknown'} (${vendor}) AVP Type ${type}`;
}

/** The title of the subtree of a list of pseudowire types, the value of these AVPs. */
export const PW_LIST_TITLE = 'Pseudowire Capabilities List';
export const isPwList = (l: Layer, p: number): boolean =>
  !avpHidden(l, p) &&
  ((avpVendor(l, p) === VENDOR_IETF && avpType(l, p) === AVP_PW_CAPABILITIES) ||
    (avpVendor(l, p) === VENDOR_CISCO && avpType(l, p) === CISCO_PW_CAPABILITIES));

/** Exact to 2^53 (what a filter compares); -V and -T fields write the 8 bytes themselves (field-format.ts). */
const u64: LayerRead = (l, q) => l.dv.getUint32(q) * 2 ** 32 + l.dv.getUint32(q + 4);
/** A flag of a 32-bit or 16-bit word. */
const bit =
  (mask: number, size: 2 | 4): LayerRead =>
  (l, q) =>
    ((size === 4 ? l.dv.getUint32(q) : l.dv.getUint16(q)) & mask) !== 0 ? 1 : 0;

/**
 * Declares the AVP list of the control messages that `where` finds. Its end is the message's end, as the length field
 * gives it (where the capture holds it): Wireshark reads a fixed-size value there even past a short AVP's end.
 * `dataPwType` reads the pseudowire type a data message's session was set up with (Wireshark's generated item).
 */
export function avpList(where: Placement, dataPwType: FieldReader): FieldList {
  const bound = (l: Layer): number => where.end(l, l.off, l.end - l.off);
  const is = (l: Layer, p: number, vendor: number, type: number): boolean =>
    !avpHidden(l, p) && avpVendor(l, p) === vendor && avpType(l, p) === type;
  /** Whether a Control Message AVP before the AVP at `at` says StopCCN (Wireshark's isStopCcn). */
  const stopCcnBefore = (l: Layer, at: number): boolean => {
    for (let p = where.start(l, l.off, l.end - l.off), len = 0; p + HEADER <= at; p += len) {
      len = avpLength(l, p);
      if (len < HEADER) return false;
      if (len >= HEADER + 2 && is(l, p, VENDOR_IETF, AVP_CONTROL_MESSAGE) && u16(l, p + HEADER) === MSG_STOPCCN)
        return true;
    }
    return false;
  };

  /** A number of `size` bytes at `at` in the AVP, where its value has at least `min` bytes. */
  const num =
    (vendor: number, type: number, at: number, size: number, read: LayerRead, min = 0): RecordReader =>
    (l, v, _ctx, p, len) => {
      const q = p + at;
      if (is(l, p, vendor, type) && len - HEADER >= min && q + size <= bound(l)) v.num(read(l, q), l.buf, q, size);
    };
  /** The rest of the AVP from `at`, as bytes or as text; where `nonEmpty`, only when there is some. */
  const rest =
    (vendor: number, type: number, at: number, text: boolean, nonEmpty = false): RecordReader =>
    (l, v, _ctx, p, len) => {
      const q = p + at;
      const n = p + len - q;
      if (!is(l, p, vendor, type) || n < (nonEmpty ? 1 : 0)) return;
      if (text) v.str(asciiText(l.buf, q, n), l.buf, q, n);
      else v.bytes(l.buf, q, n);
    };
  /** A list of 16-bit pseudowire types filling the AVP. */
  const pwTypes =
    (vendor: number, type: number): RecordReader =>
    (l, v, _ctx, p, len) => {
      if (!is(l, p, vendor, type)) return;
      for (let q = p + HEADER; q + 2 <= p + len; q += 2) v.num(u16(l, q), l.buf, q, 2);
    };
  const ietf = (type: number, at: number, size: number, read: LayerRead, min = 0): RecordReader =>
    num(VENDOR_IETF, type, at, size, read, min);
  const cisco = (type: number, at: number, size: number, read: LayerRead): RecordReader =>
    num(VENDOR_CISCO, type, at, size, read);
  /** A Connect Speed Update's value: L2TPv2's (12 bytes) or L2TPv3's (20). */
  const csu =
    (size: 12 | 20, at: number, width: number, read: LayerRead): RecordReader =>
    (l, v, _ctx, p, len) => {
      const q = p + HEADER + at;
      if (is(l, p, VENDOR_IETF, AVP_CONNECT_SPEED_UPDATE) && len - HEADER === size && q + width <= bound(l))
        v.num(read(l, q), l.buf, q, width);
    };
  const uint = (name: string, label: string, bits: number, record: RecordReader): FieldSpec => ({
    name,
    label,
    type: 'uint',
    bits,
    record,
  });
  const flag = (name: string, label: string, bits: 16 | 32, mask: number, record: RecordReader): FieldSpec => ({
    name,
    label,
    type: 'bool',
    bits,
    mask,
    record,
  });
  const text = (name: string, label: string, record: RecordReader): FieldSpec => ({
    name,
    label,
    type: 'string',
    record,
  });
  const bytes = (name: string, label: string, record: RecordReader): FieldSpec => ({
    name,
    label,
    type: 'bytes',
    record,
  });
  const UP_DOWN = ['Up', 'Down'] as const;
  const NEW_EXISTING = ['New', 'Existing'] as const;

  return list({
    name: 'l2tp.avp',
    title: avpTitle,
    in: [where],
    // A length under 6 ends the walk, as does an AVP that runs past the message (its subtree would throw).
    size: (l, p) => (avpLength(l, p) >= HEADER ? avpLength(l, p) : 0),
    header: 2,
    fields: [
      { name: 'l2tp.avp.mandatory', label: 'Mandatory', type: 'bool', bits: 16, mask: 0x8000, at: 0 },
      { name: 'l2tp.avp.hidden', label: 'Hidden', type: 'bool', bits: 16, mask: 0x4000, at: 0 },
      { name: 'l2tp.avp.length', label: 'Length', type: 'uint', bits: 16, mask: 0x03ff, at: 0 },
      {
        name: 'l2tp.avp.vendor_id',
        label: 'Vendor ID',
        type: 'uint',
        bits: 16,
        base: 'custom',
        display: vendorText,
        record: (l, v, _ctx, p) => {
          if (!avpHidden(l, p)) v.num(avpVendor(l, p), l.buf, p + 2, 2);
        },
      },
      {
        name: 'l2tp.avp.type',
        label: 'AVP Type',
        type: 'uint',
        bits: 16,
        values: AVP_TYPES,
        // Also another vendor's type, named as the IETF's (as Wireshark does).
        record: (l, v, _ctx, p) => {
          if (!avpHidden(l, p) && avpVendor(l, p) !== VENDOR_CISCO) v.num(avpType(l, p), l.buf, p + 4, 2);
        },
      },
      {
        name: 'l2tp.avp.ciscotype',
        label: 'Type',
        type: 'uint',
        bits: 16,
        values: CISCO_AVP_TYPES,
        record: (l, v, _ctx, p) => {
          if (!avpHidden(l, p) && avpVendor(l, p) === VENDOR_CISCO) v.num(avpType(l, p), l.buf, p + 4, 2);
        },
      },
      {
        name: 'l2tp.avp.message_type',
        label: 'Message Type',
        type: 'uint',
        bits: 16,
        values: MESSAGE_TYPES,
        record: ietf(AVP_CONTROL_MESSAGE, 6, 2, u16),
      },
      {
        name: 'l2tp.result_code',
        label: 'Result code',
        type: 'uint',
        bits: 16,
        values: CDN_RESULTS,
        display: (_n, _buf, _off, text) => text,
        // A StopCCN's result codes are the control connection's (RFC 2661 4.4.2), any other message's the session's.
        record: (l, v, ctx, p, len) => {
          const n = v.n;
          ietf(AVP_RESULT_ERROR, 6, 2, u16, 2)(l, v, ctx, p, len);
          if (v.n === n) return;
          const code = v.nums[n]!;
          const names = stopCcnBefore(l, p) ? STOPCCN_RESULTS : CDN_RESULTS;
          v.strs[n] = `${names[code] ?? 'Unknown'} (${code})`;
        },
      },
      {
        name: 'l2tp.avp.error_code',
        label: 'Error code',
        type: 'uint',
        bits: 16,
        values: ERROR_CODES,
        record: ietf(AVP_RESULT_ERROR, 8, 2, u16, 4),
      },
      text('l2tp.avp.error_message', 'Error Message', rest(VENDOR_IETF, AVP_RESULT_ERROR, 10, true, true)),
      uint('l2tp.avp.protocol_version', 'Version', 8, ietf(2, 6, 1, u8, 1)),
      uint('l2tp.avp.protocol_revision', 'Revision', 8, ietf(2, 7, 1, u8, 1)),
      flag('l2tp.avp.async_framing_supported', 'Async Framing Supported', 32, 2, ietf(3, 6, 4, bit(2, 4))),
      flag('l2tp.avp.sync_framing_supported', 'Sync Framing Supported', 32, 1, ietf(3, 6, 4, bit(1, 4))),
      flag('l2tp.avp.analog_access_supported', 'Analog Access Supported', 32, 2, ietf(4, 6, 4, bit(2, 4))),
      flag('l2tp.avp.digital_access_supported', 'Digital Access Supported', 32, 1, ietf(4, 6, 4, bit(1, 4))),
      { ...uint('l2tp.tie_breaker', 'Tie Breaker', 64, ietf(5, 6, 8, u64)), base: 'hex' },
      { ...uint('l2tp.avp.firmware_revision', 'Firmware Revision', 16, ietf(6, 6, 2, u16)), base: 'dec_hex' },
      text('l2tp.avp.host_name', 'Host Name', rest(VENDOR_IETF, 7, 6, true)),
      text('l2tp.avp.vendor_name', 'Vendor Name', rest(VENDOR_IETF, 8, 6, true)),
      uint('l2tp.avp.assigned_tunnel_id', 'Assigned Tunnel ID', 16, ietf(9, 6, 2, u16)),
      uint('l2tp.avp.receive_window_size', 'Receive Window Size', 16, ietf(10, 6, 2, u16)),
      bytes('l2tp.avp.chap_challenge', 'CHAP Challenge', rest(VENDOR_IETF, 11, 6, false)),
      uint('l2tp.avp.cause_code', 'Cause Code', 16, ietf(12, 6, 2, u16, 2)),
      uint('l2tp.avp.cause_msg', 'Cause Msg', 8, ietf(12, 8, 1, u8, 3)),
      text('l2tp.avp.advisory_msg', 'Advisory Msg', rest(VENDOR_IETF, 12, 9, true, true)),
      {
        ...bytes('l2tp.avp.chap_challenge_response', 'CHAP Challenge Response', (l, v, _ctx, p) => {
          if (is(l, p, VENDOR_IETF, 13) && p + 22 <= bound(l)) v.bytes(l.buf, p + 6, 16);
        }),
      },
      uint('l2tp.avp.assigned_session_id', 'Assigned Session ID', 16, ietf(14, 6, 2, u16)),
      uint('l2tp.avp.call_serial_number', 'Call Serial Number', 32, ietf(15, 6, 4, u32)),
      uint('l2tp.avp.minimum_bps', 'Minimum BPS', 32, ietf(16, 6, 4, u32)),
      uint('l2tp.avp.maximum_bps', 'Maximum BPS', 32, ietf(17, 6, 4, u32)),
      flag('l2tp.avp.analog_bearer_type', 'Analog Bearer Type', 32, 2, ietf(18, 6, 4, bit(2, 4))),
      flag('l2tp.avp.digital_bearer_type', 'Digital Bearer Type', 32, 1, ietf(18, 6, 4, bit(1, 4))),
      flag('l2tp.avp.async_framing_type', 'Async Framing Type', 32, 2, ietf(19, 6, 4, bit(2, 4))),
      flag('l2tp.avp.sync_framing_type', 'Sync Framing Type', 32, 1, ietf(19, 6, 4, bit(1, 4))),
      text('l2tp.avp.called_number', 'Called Number', rest(VENDOR_IETF, 21, 6, true, true)),
      text('l2tp.avp.calling_number', 'Calling Number', rest(VENDOR_IETF, 22, 6, true, true)),
      text('l2tp.avp.sub_address', 'Sub-Address', rest(VENDOR_IETF, 23, 6, true, true)),
      uint('l2tp.avp.connect_speed', 'Connect Speed', 32, ietf(24, 6, 4, u32)),
      uint('l2tp.avp.physical_channel', 'Physical Channel', 32, ietf(25, 6, 4, u32)),
      bytes('l2tp.avp.initial_received_lcp_confreq', 'Initial Received LCP CONFREQ', rest(VENDOR_IETF, 26, 6, false)),
      bytes('l2tp.avp.last_sent_lcp_confreq', 'Last Sent LCP CONFREQ', rest(VENDOR_IETF, 27, 6, false)),
      bytes('l2tp.avp.last_received_lcp_confreq', 'Last Received LCP CONFREQ', rest(VENDOR_IETF, 28, 6, false)),
      {
        ...uint('l2tp.avp.proxy_authen_type', 'Proxy Authen Type', 16, ietf(29, 6, 2, u16)),
        values: PROXY_AUTHEN_TYPES,
      },
      text('l2tp.avp.proxy_authen_name', 'Proxy Authen Name', rest(VENDOR_IETF, 30, 6, true, true)),
      bytes('l2tp.avp.proxy_authen_challenge', 'Proxy Authen Challenge', rest(VENDOR_IETF, 31, 6, false)),
      uint('l2tp.avp.proxy_authen_id', 'Proxy Authen ID', 8, ietf(32, 7, 1, u8)),
      bytes('l2tp.avp.proxy_authen_response', 'Proxy Authen Response', rest(VENDOR_IETF, 33, 6, false)),
      // Call Errors (RFC 2661 4.4.6): 2 reserved bytes, then six counters, each read where the value holds it.
      uint('l2tp.avp.crc_errors', 'CRC Errors', 32, ietf(34, 8, 4, u32, 6)),
      uint('l2tp.avp.framing_errors', 'Framing Errors', 32, ietf(34, 12, 4, u32, 10)),
      uint('l2tp.avp.hardware_overruns', 'Hardware Overruns', 32, ietf(34, 16, 4, u32, 14)),
      uint('l2tp.avp.buffer_overruns', 'Buffer Overruns', 32, ietf(34, 20, 4, u32, 18)),
      uint('l2tp.avp.time_out_errors', 'Time-out Errors', 32, ietf(34, 24, 4, u32, 22)),
      uint('l2tp.avp.alignment_errors', 'Alignment Errors', 32, ietf(34, 28, 4, u32, 26)),
      uint('l2tp.avp.send_accm', 'Send ACCM', 32, ietf(35, 8, 4, u32, 6)),
      uint('l2tp.avp.receive_accm', 'Receive ACCM', 32, ietf(35, 12, 4, u32, 10)),
      bytes('l2tp.avp.random_vector', 'Random Vector', rest(VENDOR_IETF, 36, 6, false)),
      bytes('l2tp.avp.private_group_id', 'Private Group ID', rest(VENDOR_IETF, 37, 6, false)),
      uint('l2tp.avp.rx_connect_speed', 'Rx Connect Speed', 32, ietf(38, 6, 4, u32)),
      uint('l2tp.avp.disconnect_code', 'Disconnect Code', 16, ietf(46, 6, 2, u16, 2)),
      uint('l2tp.avp.control_protocol_number', 'Control Protocol Number', 16, ietf(46, 8, 2, u16, 4)),
      {
        ...uint('l2tp.avp.cause_code_direction', 'Direction', 8, ietf(46, 10, 1, u8, 5)),
        values: CAUSE_DIRECTIONS,
      },
      text('l2tp.avp.cause_code_message', 'Message', rest(VENDOR_IETF, 46, 11, true, true)),
      bytes('l2tp.avp.message_digest', 'Message Digest', rest(VENDOR_IETF, 59, 6, false)),
      uint('l2tp.avp.router_id', 'Router ID', 32, ietf(60, 6, 4, u32)),
      uint('l2tp.avp.assigned_control_conn_id', 'Assigned Control Connection ID', 32, ietf(61, 6, 4, u32)),
      {
        ...uint('l2tp.avp.pw_type', 'PW Type', 16, pwTypes(VENDOR_IETF, AVP_PW_CAPABILITIES)),
        values: PW_TYPES,
      },
      uint('l2tp.avp.local_session_id', 'Local Session ID', 32, ietf(63, 6, 4, u32)),
      uint('l2tp.avp.remote_session_id', 'Remote Session ID', 32, ietf(64, 6, 4, u32)),
      bytes('l2tp.avp.assigned_cookie', 'Assigned Cookie', rest(VENDOR_IETF, 65, 6, false)),
      text('l2tp.avp.remote_end_id', 'Remote End ID', rest(VENDOR_IETF, 66, 6, true)),
      // Also the session's type that a data message is read as (its layer reader, in l2tpv3.ts).
      {
        ...uint('l2tp.avp.pseudowire_type', 'Pseudowire Type', 16, ietf(68, 6, 2, u16)),
        values: PW_TYPES,
        read: dataPwType,
      },
      {
        ...uint('l2tp.avp.layer2_specific_sublayer', 'Layer2 Specific Sublayer', 16, ietf(69, 6, 2, u16)),
        values: SUBLAYERS,
      },
      {
        ...uint('l2tp.avp.data_sequencing', 'Data Sequencing', 16, ietf(70, 6, 2, u16)),
        values: DATA_SEQUENCING,
      },
      {
        ...flag('l2tp.avp.circuit_status', 'Circuit Status', 16, 1, ietf(71, 6, 2, bit(1, 2))),
        tfs: UP_DOWN,
      },
      { ...flag('l2tp.avp.circuit_type', 'Circuit Type', 16, 2, ietf(71, 6, 2, bit(2, 2))), tfs: NEW_EXISTING },
      text('l2tp.avp.preferred_language', 'Preferred Language', rest(VENDOR_IETF, 72, 6, true)),
      bytes('l2tp.avp.nonce', 'Nonce', rest(VENDOR_IETF, 73, 6, false)),
      { ...uint('l2tp.avp.tx_connect_speed_v3', 'Tx Connect Speed v3', 64, ietf(74, 6, 8, u64, 8)), base: 'hex' },
      { ...uint('l2tp.avp.rx_connect_speed_v3', 'Rx Connect Speed v3', 64, ietf(75, 6, 8, u64, 8)), base: 'hex' },
      {
        name: 'l2tp.avp.csu',
        label: 'Connect Speed Update',
        type: 'none',
        record: (l, v, _ctx, p, len) => {
          if (is(l, p, VENDOR_IETF, AVP_CONNECT_SPEED_UPDATE)) v.bytes(l.buf, p + HEADER, len - HEADER);
        },
      },
      { ...uint('l2tp.avp.csu.res', 'Reserved', 16, csu(12, 0, 2, u16)), base: 'hex' },
      {
        name: 'l2tp.avp.csu.remote_session_id',
        label: 'Remote Session ID',
        type: 'uint',
        bits: 16,
        base: 'dec_hex',
        display: (_n, _buf, _off, text) => text,
        // L2TPv2's session ID is 16 bits, v3's 32: the hex is as wide as the one read.
        record: (l, v, ctx, p, len) => {
          const n = v.n;
          csu(12, 2, 2, u16)(l, v, ctx, p, len);
          csu(20, 0, 4, u32)(l, v, ctx, p, len);
          if (v.n > n) v.strs[n] = `${v.nums[n]} (0x${v.nums[n]!.toString(16).padStart(v.lens[n]! * 2, '0')})`;
        },
      },
      uint('l2tp.avp.csu.current_tx_speed', 'Current TX Connect Speed', 32, csu(12, 4, 4, u32)),
      uint('l2tp.avp.csu.current_rx_speed', 'Current RX Connect Speed', 32, csu(12, 8, 4, u32)),
      uint('l2tp.avp.csu.current_tx_speed64', 'Current TX Connect Speed', 64, csu(20, 4, 8, u64)),
      uint('l2tp.avp.csu.current_rx_speed64', 'Current RX Connect Speed', 64, csu(20, 12, 8, u64)),
      // Cisco's pre-standard L2TPv3 AVPs.
      uint('l2tp.cisco.assigned_control_connection_id', 'Assigned Control Connection ID', 32, cisco(1, 6, 4, u32)),
      {
        ...uint('l2tp.cisco.pw_type', 'PW Type', 16, pwTypes(VENDOR_CISCO, CISCO_PW_CAPABILITIES)),
        values: PW_TYPES,
      },
      uint('l2tp.cisco.local_session_id', 'Local Session ID', 32, cisco(3, 6, 4, u32)),
      uint('l2tp.cisco.remote_session_id', 'Remote Session ID', 32, cisco(4, 6, 4, u32)),
      bytes('l2tp.cisco.assigned_cookie', 'Assigned Cookie', rest(VENDOR_CISCO, 5, 6, false)),
      text('l2tp.cisco.remote_end_id', 'Remote End ID', rest(VENDOR_CISCO, 6, 6, true)),
      {
        ...uint('l2tp.cisco.pseudowire_type', 'Pseudowire Type', 16, cisco(7, 6, 2, u16)),
        values: PW_TYPES,
      },
      // Both of Cisco's circuit flags are declared on bit 0, as Wireshark declares them.
      { ...flag('l2tp.cisco.circuit_status', 'Circuit Status', 16, 1, cisco(8, 6, 2, bit(1, 2))), tfs: UP_DOWN },
      { ...flag('l2tp.cisco.circuit_type', 'Circuit Type', 16, 1, cisco(8, 6, 2, bit(1, 2))), tfs: NEW_EXISTING },
      { ...uint('l2tp.cisco.tie_breaker', 'Tie Breaker', 64, cisco(9, 6, 8, u64)), base: 'hex' },
      uint('l2tp.cisco.draft_avp_version', 'Draft AVP Version', 16, cisco(10, 6, 2, u16)),
      bytes('l2tp.cisco.message_digest', 'Message Digest', rest(VENDOR_CISCO, 12, 6, false)),
      bytes('l2tp.cisco.nonce', 'Nonce', rest(VENDOR_CISCO, 13, 6, false)),
      // Read over the value's own length, as Wireshark reads it (1 byte is 65 where it holds 'A').
      uint('l2tp.cisco.interface_mtu', 'Interface MTU', 16, (l, v, _ctx, p, len) => {
        const n = len - HEADER;
        if (!is(l, p, VENDOR_CISCO, 14) || n < 1 || p + len > bound(l)) return;
        let mtu = 0;
        for (let q = p + HEADER; q < p + HEADER + Math.min(n, 4); q++) mtu = mtu * 256 + l.buf[q]!;
        v.num(mtu, l.buf, p + HEADER, Math.min(n, 4));
      }),
    ],
  });
}
