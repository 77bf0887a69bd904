import { ipv4, ipv6, shownHex } from './addr.js';
import {
  appendedTitle,
  asciiText,
  checksumFields,
  declareFields,
  fields,
  formatText,
  namedOrUnknown,
  protocolField,
  Values,
  visitText,
  YES_NO,
  type Field,
  type FieldSpec,
  type RecordReader,
  type TrueFalse,
  SUPPORTED,
} from './field.js';
import { list } from './field-list.js';
import { jsonMembers } from './json.js';
import { u8, u16, u32 } from './layer-read.js';
import { ETHERTYPE_NAMES, NLPID_NAMES } from './numbers.js';
import { protocol, type Layer, type PacketCtx } from './packet.js';
import { internetChecksum } from '../util/checksum.js';
import type { TextOut } from '../util/text-out.js';
import { plural } from '../util/words.js';

/**
 * Cisco Discovery Protocol, as Wireshark's packet-cdp.c reads it: under LLC SNAP (Cisco's protocol ID 0x2000), as a
 * GRE protocol type (0x2000: CDP run on a tunnel interface) and as a PPP protocol (0x0207). A CDP frame says who
 * sent it: device, port, platform, software, addresses, native VLAN, duplex, MTU. Across a tunnel it names the router
 * at the far end; in an ERSPAN or gretap mirror, the switch a port faces. Its checksum is checked as Cisco computes
 * it (an odd length's last byte summed as the low byte of a word, less one where its top bit is set). TLVs read as
 * Wireshark reads them, its quirks kept (a Port ID whose length looks 3 short, an IP prefix TLV read 5 bytes at a time
 * past its end). Not read: the Protocol Hello's cluster fields and EnergyWise's records (their values as data).
 */

const TLV_DEVICE_ID = 0x0001;
const TLV_ADDRESSES = 0x0002;
const TLV_PORT_ID = 0x0003;
const TLV_CAPABILITIES = 0x0004;
const TLV_SOFTWARE_VERSION = 0x0005;
const TLV_PLATFORM = 0x0006;
const TLV_IP_PREFIX = 0x0007;
const TLV_VTP_DOMAIN = 0x0009;
const TLV_NATIVE_VLAN = 0x000a;
const TLV_DUPLEX = 0x000b;
const TLV_VOIP_VLAN_REPLY = 0x000e;
const TLV_VOIP_VLAN_QUERY = 0x000f;
const TLV_POWER = 0x0010;
const TLV_MTU = 0x0011;
const TLV_TRUST_BITMAP = 0x0012;
const TLV_UNTRUSTED_COS = 0x0013;
const TLV_SYSTEM_NAME = 0x0014;
const TLV_SYSTEM_OID = 0x0015;
const TLV_MANAGEMENT_ADDRESSES = 0x0016;
const TLV_LOCATION = 0x0017;
const TLV_POWER_REQUESTED = 0x0019;
const TLV_POWER_AVAILABLE = 0x001a;
const TLV_SPARE_POE = 0x001f;
const TLV_HP_SSID = 0x1002;

/** Wireshark's type_vals. */
const TLV_NAMES: Readonly<Record<number, string>> = {
  0x0001: 'Device ID',
  0x0002: 'Addresses',
  0x0003: 'Port ID',
  0x0004: 'Capabilities',
  0x0005: 'Software version',
  0x0006: 'Platform',
  0x0007: 'IP Prefix/Gateway (used for ODR)',
  0x0008: 'Protocol Hello',
  0x0009: 'VTP Management Domain',
  0x000a: 'Native VLAN',
  0x000b: 'Duplex',
  0x000e: 'VoIP VLAN Reply',
  0x000f: 'VoIP VLAN Query',
  0x0010: 'Power consumption',
  0x0011: 'MTU',
  0x0012: 'Trust Bitmap',
  0x0013: 'Untrusted Port CoS',
  0x0014: 'System Name',
  0x0015: 'System Object ID',
  0x0016: 'Management Address',
  0x0017: 'Location',
  0x0018: 'External Port-ID',
  0x0019: 'Power Requested',
  0x001a: 'Power Available',
  0x001b: 'Port Unidirectional',
  0x001d: 'EnergyWise',
  0x001f: 'Spare PoE',
  0x1000: 'BSSID',
  0x1001: 'Serial number',
  0x1002: 'SSID',
  0x1003: 'Radio1 channel',
  0x1006: 'SNMP UDP port',
  0x1007: 'Web TCP port',
  0x1008: 'Source MAC address',
  0x1009: 'Radio2 channel',
  0x100a: 'Radio1 Operating mode',
  0x100b: 'Radio2 Operating mode',
  0x100c: 'Radio1 Radio mode',
  0x100d: 'Radio2 Radio mode',
};

/** HP access points' text TLVs: each shown as `cdp.platform` under its own title (Wireshark's). */
const HP_TEXT_TITLES: Readonly<Record<number, string>> = {
  0x1000: 'BSSID',
  0x1001: 'Serial',
  0x1002: 'SSID',
  0x1003: 'Radio 1 channel',
  0x1006: 'SNMP port',
  0x1007: 'Web mgmt port',
  0x1008: 'Source MAC',
  0x1009: 'Radio 2 channel',
  0x100a: 'Radio 1 operating mode',
  0x100b: 'Radio 2 operating mode',
  0x100c: 'Radio 1 radio mode',
  0x100d: 'Radio 2 radio mode',
};

/** The TLVs whose values Wireshark reads; any other is `Type: ..., length: n` with its value as `cdp.data`. */
const READ_TLVS = new Set([
  TLV_DEVICE_ID,
  TLV_ADDRESSES,
  TLV_PORT_ID,
  TLV_CAPABILITIES,
  TLV_SOFTWARE_VERSION,
  TLV_PLATFORM,
  TLV_IP_PREFIX,
  TLV_VTP_DOMAIN,
  TLV_NATIVE_VLAN,
  TLV_DUPLEX,
  TLV_VOIP_VLAN_REPLY,
  TLV_VOIP_VLAN_QUERY,
  TLV_POWER,
  TLV_MTU,
  TLV_TRUST_BITMAP,
  TLV_UNTRUSTED_COS,
  TLV_SYSTEM_NAME,
  TLV_SYSTEM_OID,
  TLV_MANAGEMENT_ADDRESSES,
  TLV_LOCATION,
  TLV_POWER_REQUESTED,
  TLV_POWER_AVAILABLE,
  TLV_SPARE_POE,
  ...Object.keys(HP_TEXT_TITLES).map(Number),
]);

const PROTOCOL_TYPES: Readonly<Record<number, string>> = { 1: 'NLPID', 2: '802.2' };
const PROTOCOL_TYPE_NLPID = 1;
const PROTOCOL_TYPE_802_2 = 2;
const NLPID_IP = 0xcc;
const ETHERTYPE_IPV6 = 0x86dd;
const FULL_HALF: TrueFalse = ['Full', 'Half'];

const tlvType = (l: Layer, p: number): number => l.dv.getUint16(p);
const tlvLength = (l: Layer, p: number): number => l.dv.getUint16(p + 2);
const isAddresses = (l: Layer, p: number): boolean =>
  tlvType(l, p) === TLV_ADDRESSES || tlvType(l, p) === TLV_MANAGEMENT_ADDRESSES;
/** A VoIP VLAN TLV of 6 bytes holds 2 bytes of data; a longer one a byte of data, then the voice VLAN. */
const isVoipVlan = (l: Layer, p: number): boolean =>
  tlvType(l, p) === TLV_VOIP_VLAN_REPLY || tlvType(l, p) === TLV_VOIP_VLAN_QUERY;

/**
 * A TLV's bytes as Wireshark steps over them: its length; 4 for one whose length is under 4 (the walk's last); a
 * Port ID whose next 2 bytes do not start with 0x00 or 0x10 its length plus 3 (Wireshark's guess at a length 3 short,
 * where the frame holds 3 more); an IP prefix TLV (but a default gateway's 8) 5 bytes a prefix, rounded up.
 */
function tlvSize(l: Layer, p: number, end: number): number {
  const n = tlvLength(l, p);
  if (n < 4) return 4;
  let size = n;
  if (tlvType(l, p) === TLV_PORT_ID && end - p >= n + 3 && l.buf[p + n] !== 0x00 && l.buf[p + n] !== 0x10) size = n + 3;
  else if (tlvType(l, p) === TLV_IP_PREFIX && n !== 8) size = 4 + Math.ceil((n - 4) / 5) * 5;
  return p + size <= end ? size : 0;
}

/** The walk ends after a TLV whose length is under 4, and after an unread one with no value (Wireshark returns). */
const endsWalk = (l: Layer, p: number): boolean =>
  tlvLength(l, p) < 4 || (tlvLength(l, p) === 4 && !READ_TLVS.has(tlvType(l, p)));

/** A field of TLVs of type `type`: `read` gets the TLV's offset and its size as walked. */
const inTlv =
  (type: number, read: RecordReader): RecordReader =>
  (l, v, ctx, p, len) => {
    if (tlvLength(l, p) >= 4 && tlvType(l, p) === type) read(l, v, ctx, p, len);
  };

/** A TLV's value from byte `from` as a string field (Wireshark's ENC_ASCII: shown to its first NUL). */
function valueString(l: Layer, v: Values, p: number, len: number, from: number): void {
  if (len >= from) v.str(asciiText(l.buf, p + from, len - from), l.buf, p + from, len - from);
}
const text =
  (type: number, from = 4): RecordReader =>
  (l, v, _ctx, p, len) => {
    if (tlvLength(l, p) >= 4 && tlvType(l, p) === type) valueString(l, v, p, len, from);
  };

/** A number `size` bytes wide at `at` in TLVs of type `type` (where the TLV holds it). */
const number = (type: number, at: number, size: 1 | 2 | 4): RecordReader =>
  inTlv(type, (l, v, _ctx, p, len) => {
    if (at + size > len) return;
    const read = size === 1 ? u8 : size === 2 ? u16 : u32;
    v.num(read(l, p + at), l.buf, p + at, size);
  });

/** A TLV's value from byte 4 line by line, each a `cdp.software_version` as tvb_format_stringzpad makes it (UTF-8). */
const lines: RecordReader = inTlv(TLV_SOFTWARE_VERSION, (l, v, _ctx, p) => {
  const end = p + tlvLength(l, p);
  for (let q = p + 4; q < end; ) {
    let eol = q;
    while (eol < end && l.buf[eol] !== 0x0d && l.buf[eol] !== 0x0a) eol++;
    // A CR LF ends a line as one; a CR at the value's end, or a CR or LF alone, as itself.
    const next =
      eol === end ? end : l.buf[eol] === 0x0d && eol + 1 < end && l.buf[eol + 1] === 0x0a ? eol + 2 : eol + 1;
    v.str(formatText(l.buf, q, eol - q, true), l.buf, q, next - q);
    q = next;
  }
});

/** Each value of a Power Requested or Power Available TLV: after a request and management ID, 4 bytes in mW. */
function eachPowerValue(l: Layer, p: number, each: (q: number) => void): void {
  for (let q = p + 8; q + 4 <= p + tlvLength(l, p); q += 4) each(q);
}
const powerValues = (type: number): RecordReader =>
  inTlv(type, (l, v, _ctx, p) => eachPowerValue(l, p, (q) => v.num(l.dv.getUint32(q), l.buf, q, 4)));

/** The capability bits (Wireshark's, under `cdp.capabilities`), in a TLV with 4 value bytes or more. */
function capability(name: string, label: string, mask: number): FieldSpec {
  return {
    name: `cdp.capabilities.${name}`,
    label,
    type: 'bool',
    bits: 32,
    mask,
    tfs: YES_NO,
    child: true,
    record: inTlv(TLV_CAPABILITIES, (l, v, _ctx, p) => {
      if (tlvLength(l, p) >= 8) v.num(l.dv.getUint32(p + 4) & mask ? 1 : 0, l.buf, p + 4, 4);
    }),
  };
}

/** A Spare PoE bit (under `cdp.spare_poe_tlv`), in a TLV with a value byte. */
function sparePoe(name: string, label: string, mask: number, tfs: TrueFalse): FieldSpec {
  return {
    name: `cdp.spare_poe_tlv.${name}`,
    label,
    type: 'bool',
    bits: 8,
    mask,
    tfs,
    child: true,
    record: inTlv(TLV_SPARE_POE, (l, v, _ctx, p) => {
      if (tlvLength(l, p) > 4) v.num(l.buf[p + 4]! & mask ? 1 : 0, l.buf, p + 4, 1);
    }),
  };
}

const TLVS = list({
  name: 'cdp.tlv',
  title: tlvTitle,
  in: [{ start: (l) => l.off + 4, end: (l) => l.end }],
  size: tlvSize,
  header: 4,
  last: endsWalk,
  fields: [
    {
      name: 'cdp.tlv.type',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: TLV_NAMES,
      at: 0,
    },
    { name: 'cdp.tlv.len', label: 'Length', type: 'uint', bits: 16, at: 2 },
    { name: 'cdp.deviceid', label: 'Device ID', type: 'string', record: text(TLV_DEVICE_ID) },
    { name: 'cdp.software_version', label: 'Software version', type: 'string', record: lines },
    { name: 'cdp.platform', label: 'Platform', type: 'string', record: platform },
    { name: 'cdp.number_of_addresses', label: 'Number of addresses', type: 'uint', bits: 32, record: addressCount },
    { name: 'cdp.portid', label: 'Sent through Interface', type: 'string', record: text(TLV_PORT_ID) },
    { name: 'cdp.capabilities', label: 'Capabilities', type: 'uint', bits: 32, base: 'hex', record: capabilities },
    capability('router', 'Router', 0x01),
    capability('trans_bridge', 'Transparent Bridge', 0x02),
    capability('src_bridge', 'Source Route Bridge', 0x04),
    capability('switch', 'Switch', 0x08),
    capability('host', 'Host', 0x10),
    capability('igmp_capable', 'IGMP capable', 0x20),
    capability('repeater', 'Repeater', 0x40),
    capability('voip_phone', 'VoIP Phone', 0x80),
    capability('remote', 'Remotely Managed Device', 0x100),
    capability('cvta', 'CVTA/STP Dispute Resolution/Cisco VT Camera', 0x200),
    capability('mac_relay', 'Two Port Mac Relay', 0x400),
    {
      name: 'cdp.odr_default_gateway',
      label: 'ODR Default gateway',
      type: 'ipv4',
      record: inTlv(TLV_IP_PREFIX, (l, v, _ctx, p) => {
        if (tlvLength(l, p) === 8) v.num(l.dv.getUint32(p + 4), l.buf, p + 4, 4);
      }),
    },
    {
      name: 'cdp.ip_prefix',
      label: 'IP Prefix',
      type: 'ipv4',
      // `10.110.110.0/24`: the prefix and the length byte after it.
      display: (_n, buf, off) => `${ipv4(buf, off)}/${buf[off + 4]}`,
      // The address as sent (Wireshark 4.0 stores it in host order, so that its -T fields shows 10.110.110.0 as
      // 0.110.110.10 on a little-endian machine: a bug not copied).
      record: inTlv(TLV_IP_PREFIX, (l, v, _ctx, p, len) => {
        if (tlvLength(l, p) === 8) return;
        for (let q = p + 4; q < p + len; q += 5) v.num(l.dv.getUint32(q), l.buf, q, 5);
      }),
    },
    {
      name: 'cdp.vtp_management_domain',
      label: 'VTP Management Domain',
      type: 'string',
      record: text(TLV_VTP_DOMAIN),
    },
    { name: 'cdp.native_vlan', label: 'Native VLAN', type: 'uint', bits: 16, record: number(TLV_NATIVE_VLAN, 4, 2) },
    {
      name: 'cdp.duplex',
      label: 'Duplex',
      type: 'bool',
      bits: 0,
      tfs: FULL_HALF,
      record: inTlv(TLV_DUPLEX, (l, v, _ctx, p, len) => {
        if (len > 4) v.num(l.buf[p + 4] ? 1 : 0, l.buf, p + 4, 1);
      }),
    },
    { name: 'cdp.data', label: 'Data', type: 'bytes', record: data },
    { name: 'cdp.voice_vlan', label: 'Voice VLAN', type: 'uint', bits: 16, record: voiceVlan },
    {
      name: 'cdp.power_consumption',
      label: 'Power Consumption',
      type: 'uint',
      bits: 16,
      display: (n) => `${n}mW`,
      record: number(TLV_POWER, 4, 2),
    },
    { name: 'cdp.mtu', label: 'MTU', type: 'uint', bits: 32, record: number(TLV_MTU, 4, 4) },
    {
      name: 'cdp.trust_bitmap',
      label: 'Trust Bitmap',
      type: 'uint',
      base: 'hex',
      record: number(TLV_TRUST_BITMAP, 4, 1),
    },
    {
      name: 'cdp.untrusted_port_cos',
      label: 'Untrusted port CoS',
      type: 'uint',
      base: 'hex',
      record: number(TLV_UNTRUSTED_COS, 4, 1),
    },
    { name: 'cdp.system_name', label: 'System Name', type: 'string', record: text(TLV_SYSTEM_NAME) },
    {
      name: 'cdp.system_object_identifier',
      label: 'System Object Identifier',
      type: 'bytes',
      record: inTlv(TLV_SYSTEM_OID, (l, v, _ctx, p) => v.bytes(l.buf, p + 4, tlvLength(l, p) - 4)),
    },
    { name: 'cdp.location.unknown', label: 'UNKNOWN', type: 'uint', base: 'hex', record: number(TLV_LOCATION, 4, 1) },
    { name: 'cdp.location', label: 'Location', type: 'string', record: text(TLV_LOCATION, 5) },
    { name: 'cdp.request_id', label: 'Request-ID', type: 'uint', bits: 16, record: powerId(4) },
    { name: 'cdp.management_id', label: 'Management-ID', type: 'uint', bits: 16, record: powerId(6) },
    {
      name: 'cdp.power_requested',
      label: 'Power Requested',
      type: 'uint',
      bits: 32,
      display: (n) => `${n}mW`,
      record: powerValues(TLV_POWER_REQUESTED),
    },
    {
      name: 'cdp.power_available',
      label: 'Power Available',
      type: 'uint',
      bits: 32,
      display: (n) => `${n}mW`,
      record: powerValues(TLV_POWER_AVAILABLE),
    },
    {
      name: 'cdp.spare_poe_tlv',
      label: 'Spare Pair PoE',
      type: 'uint',
      base: 'hex',
      record: inTlv(TLV_SPARE_POE, (l, v, _ctx, p) => {
        if (tlvLength(l, p) > 4) v.num(l.buf[p + 4]!, l.buf, p + 4, 1);
      }),
    },
    sparePoe('poe', 'PSE Four-Wire PoE', 0x01, SUPPORTED),
    sparePoe('spare_pair_arch', 'PD Spare Pair Architecture', 0x02, ['Shared', 'Independent']),
    sparePoe('req_spare_pair_poe', 'PD Request Spare Pair PoE', 0x04, ['On', 'Off']),
    sparePoe('pse_spare_pair_poe', 'PSE Spare Pair PoE', 0x08, ['On', 'Off']),
  ],
});

function platform(l: Layer, v: Values, _ctx: PacketCtx, p: number, len: number): void {
  const type = tlvType(l, p);
  // An empty SSID has no item (Wireshark's `SSID: [Empty]`).
  if (tlvLength(l, p) < 4 || (type === TLV_HP_SSID && len === 4)) return;
  if (type === TLV_PLATFORM || HP_TEXT_TITLES[type] !== undefined) valueString(l, v, p, len, 4);
}

function addressCount(l: Layer, v: Values, _ctx: PacketCtx, p: number): void {
  if (tlvLength(l, p) >= 8 && isAddresses(l, p)) v.num(l.dv.getUint32(p + 4), l.buf, p + 4, 4);
}

function capabilities(l: Layer, v: Values, _ctx: PacketCtx, p: number): void {
  if (tlvType(l, p) === TLV_CAPABILITIES && tlvLength(l, p) >= 8) v.num(l.dv.getUint32(p + 4), l.buf, p + 4, 4);
}

/** An unread TLV's value; a VoIP VLAN TLV's first 2 bytes (6 bytes long) or first byte (longer). */
function data(l: Layer, v: Values, _ctx: PacketCtx, p: number): void {
  const n = tlvLength(l, p);
  if (n < 4) return;
  // A VoIP VLAN TLV's are read where Wireshark reads them, past a value too short for them, but not past the frame.
  const voip = n === 6 ? 2 : 1;
  if (isVoipVlan(l, p)) {
    if (p + 4 + voip <= l.end) v.bytes(l.buf, p + 4, voip);
  } else if (!READ_TLVS.has(tlvType(l, p)) && n > 4) v.bytes(l.buf, p + 4, n - 4);
}

function voiceVlan(l: Layer, v: Values, _ctx: PacketCtx, p: number): void {
  if (isVoipVlan(l, p) && tlvLength(l, p) >= 4 && tlvLength(l, p) !== 6 && p + 7 <= l.end)
    v.num(l.dv.getUint16(p + 5), l.buf, p + 5, 2);
}

/** Power Requested's and Power Available's request and management IDs (read past a value too short, not the frame). */
function powerId(at: number): RecordReader {
  return (l, v, _ctx, p) => {
    const type = tlvType(l, p);
    if ((type === TLV_POWER_REQUESTED || type === TLV_POWER_AVAILABLE) && tlvLength(l, p) >= 4 && p + at + 2 <= l.end)
      v.num(l.dv.getUint16(p + at), l.buf, p + at, 2);
  };
}

/**
 * An address record in an Addresses or Management Addresses TLV: protocol type, protocol length, protocol, address
 * length, address. Read as many as the TLV's count says while each fits in the TLV (Wireshark shows the parts of one
 * cut short; here it ends the list).
 */
const ADDRESSES = list({
  name: 'cdp.address',
  title: addressTitle,
  in: [
    {
      parent: TLVS,
      when: (l, p) => isAddresses(l, p) && tlvLength(l, p) >= 8,
      start: (_l, p) => p + 8,
      end: (l, p) => p + tlvLength(l, p),
      count: (l, p) => l.dv.getUint32(p + 4),
    },
  ],
  size: (l, p, end) => {
    if (p + 2 > end) return 0;
    const afterProtocol = p + 2 + l.buf[p + 1]!;
    return afterProtocol + 2 <= end ? 4 + l.buf[p + 1]! + l.dv.getUint16(afterProtocol) : 0;
  },
  header: 2,
  fields: [
    {
      name: 'cdp.protocol_type',
      label: 'Protocol type',
      type: 'uint',
      base: 'hex',
      values: PROTOCOL_TYPES,
      at: 0,
    },
    { name: 'cdp.protocol_length', label: 'Protocol length', type: 'uint', at: 1 },
    {
      name: 'cdp.protocol',
      label: 'Protocol',
      type: 'bytes',
      display: (_n, buf, off) => protocolName(buf, off - 2) ?? shownHex(buf, off, buf[off - 1]!),
      record: (l, v, _ctx, p) => v.bytes(l.buf, p + 2, l.buf[p + 1]!),
    },
    {
      name: 'cdp.address_length',
      label: 'Address length',
      type: 'uint',
      bits: 16,
      record: (l, v, _ctx, p) => v.num(l.dv.getUint16(p + 2 + l.buf[p + 1]!), l.buf, p + 2 + l.buf[p + 1]!, 2),
    },
    {
      name: 'cdp.nrgyz.ip_address',
      label: 'IP Address',
      type: 'ipv4',
      record: (l, v, _ctx, p, len) => {
        if (addressKind(l.buf, p, len) === 4) v.num(l.dv.getUint32(p + len - 4), l.buf, p + len - 4, 4);
      },
    },
    {
      name: 'cdp.nrgyz.ipv6_address',
      label: 'IPv6 Address',
      type: 'ipv6',
      record: (l, v, _ctx, p, len) => {
        if (addressKind(l.buf, p, len) === 6) v.bytes(l.buf, p + len - 16, 16);
      },
    },
    {
      name: 'cdp.address',
      label: 'Address',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        const at = p + 4 + l.buf[p + 1]!;
        if (addressKind(l.buf, p, len) === 0) v.bytes(l.buf, at, p + len - at);
      },
    },
  ],
});

/**
 * The name Wireshark gives an address record's protocol at p: an NLPID's (1 byte), or an 802.2 SNAP header's
 * EtherType (8 bytes, AA AA 03 00 00 00 then the type); null for any other, shown as its bytes.
 */
function protocolName(buf: Uint8Array, p: number): string | null {
  const type = buf[p];
  const size = buf[p + 1];
  if (type === PROTOCOL_TYPE_NLPID && size === 1) return NLPID_NAMES[buf[p + 2]!] ?? namedOrUnknown({}, 2)(buf[p + 2]!);
  if (type === PROTOCOL_TYPE_802_2 && size === 8 && isSnapHeader(buf, p + 2)) {
    const etype = (buf[p + 8]! << 8) | buf[p + 9]!;
    return ETHERTYPE_NAMES[etype] ?? namedOrUnknown({}, 4)(etype);
  }
  return null;
}

const isSnapHeader = (buf: Uint8Array, q: number): boolean =>
  buf[q] === 0xaa &&
  buf[q + 1] === 0xaa &&
  buf[q + 2] === 3 &&
  buf[q + 3] === 0 &&
  buf[q + 4] === 0 &&
  buf[q + 5] === 0;

/** An address record's address: 4 an IPv4 one (NLPID IP, 4 bytes), 6 an IPv6 one (802.2 IPv6, 16), 0 other bytes. */
function addressKind(buf: Uint8Array, p: number, len: number): 0 | 4 | 6 {
  const size = buf[p + 1]!;
  const addressLength = len - 4 - size;
  if (buf[p] === PROTOCOL_TYPE_NLPID && size === 1 && buf[p + 2] === NLPID_IP && addressLength === 4) return 4;
  if (
    buf[p] === PROTOCOL_TYPE_802_2 &&
    size === 8 &&
    isSnapHeader(buf, p + 2) &&
    ((buf[p + 8]! << 8) | buf[p + 9]!) === ETHERTYPE_IPV6 &&
    addressLength === 16
  )
    return 6;
  return 0;
}

/** `IP address: 192.0.2.1`, `IPv6 address: 2001:db8::1`, `Address: 0a0b`, or (no address bytes) Wireshark's default. */
function addressTitle(l: Layer, p: number, len: number): string {
  const kind = addressKind(l.buf, p, len);
  if (kind === 4) return `IP address: ${ipv4(l.buf, p + len - 4)}`;
  if (kind === 6) return `IPv6 address: ${ipv6(l.buf, p + len - 16)}`;
  const at = p + 4 + l.buf[p + 1]!;
  return p + len > at ? `Address: ${shownHex(l.buf, at, p + len - at)}` : 'Truncated address';
}

/** A TLV's subtree title, as Wireshark writes each type's. */
function tlvTitle(l: Layer, p: number, len: number): string {
  const type = tlvType(l, p);
  const n = tlvLength(l, p);
  if (n < 4) return `TLV with invalid length ${n} (< 4)`;
  // A title that holds a number reads it where Wireshark does, past a value too short for it; past the frame, the
  // TLV's name alone (Wireshark's exception draws nothing of it).
  if (p + 4 + (TITLE_NUMBER_ENDS[type] ?? 0) > l.end) return TLV_NAMES[type]!;
  // Wireshark's tvb_format_text: the value's bytes escaped, NULs among them shown (tvb_format_stringzpad ends there).
  const valueText = (from = 4, size = n - from, nulEnds = false) => formatText(l.buf, p + from, size, nulEnds);
  switch (type) {
    case TLV_DEVICE_ID:
      return `Device ID: ${valueText(4, n - 4, true)}`;
    case TLV_PORT_ID:
      return `Port ID: ${valueText(4, len - 4)}`;
    case TLV_ADDRESSES:
      return 'Addresses';
    case TLV_CAPABILITIES:
      return 'Capabilities';
    case TLV_SOFTWARE_VERSION:
      return 'Software Version';
    case TLV_PLATFORM:
      return `Platform: ${valueText()}`;
    case TLV_IP_PREFIX:
      return n === 8 ? `ODR Default gateway: ${ipv4(l.buf, p + 4)}` : `IP Prefixes: ${Math.floor(n / 5)}`;
    case TLV_VTP_DOMAIN:
      return `VTP Management Domain: ${valueText()}`;
    case TLV_NATIVE_VLAN:
      return `Native VLAN: ${l.dv.getUint16(p + 4)}`;
    case TLV_DUPLEX:
      return `Duplex: ${l.buf[p + 4] ? 'Full' : 'Half'}`;
    case TLV_VOIP_VLAN_REPLY:
    case TLV_VOIP_VLAN_QUERY:
      return `${TLV_NAMES[type]}${n === 6 ? '' : `: VLAN ${l.dv.getUint16(p + 5)}`}`;
    case TLV_POWER:
      return `Power Consumption: ${l.dv.getUint16(p + 4)} mW`;
    case TLV_MTU:
      return `MTU: ${l.dv.getUint32(p + 4)}`;
    case TLV_TRUST_BITMAP:
      return `Trust Bitmap: 0x${hex2(l.buf[p + 4]!)}`;
    case TLV_UNTRUSTED_COS:
      return `Untrusted port CoS: 0x${hex2(l.buf[p + 4]!)}`;
    case TLV_SYSTEM_NAME:
      return `System Name: ${valueText()}`;
    case TLV_SYSTEM_OID:
      return 'System Object Identifier';
    case TLV_MANAGEMENT_ADDRESSES:
      return 'Management Addresses';
    case TLV_LOCATION:
      return `Location: ${valueText(5)}`;
    // Each value is appended to the title.
    case TLV_POWER_REQUESTED:
      return appendedTitle(`Power Request${powerText(l, p)}`);
    case TLV_POWER_AVAILABLE:
      return appendedTitle(`Power Available${powerText(l, p)}`);
    case TLV_SPARE_POE:
      return 'Spare Pair PoE';
    case TLV_HP_SSID:
      if (n === 4) return 'SSID: [Empty]';
  }
  const hp = HP_TEXT_TITLES[type];
  if (hp !== undefined) return `${hp}: ${valueText()}`;
  return `Type: ${TLV_NAMES[type] ?? `Unknown (0x${type.toString(16).padStart(4, '0')})`}, length: ${n}`;
}

/** Where the number a TLV's title shows ends, from the value's start. */
const TITLE_NUMBER_ENDS: Readonly<Record<number, number>> = {
  [TLV_NATIVE_VLAN]: 2,
  [TLV_DUPLEX]: 1,
  [TLV_VOIP_VLAN_REPLY]: 3,
  [TLV_VOIP_VLAN_QUERY]: 3,
  [TLV_POWER]: 2,
  [TLV_MTU]: 4,
  [TLV_TRUST_BITMAP]: 1,
  [TLV_UNTRUSTED_COS]: 1,
};

/** Wireshark's `%02X`. */
const hex2 = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/** `: 15400 mW, 12950 mW`: a power TLV's values after its title. */
function powerText(l: Layer, p: number): string {
  let s = '';
  eachPowerValue(l, p, (q) => {
    s += `${s ? ',' : ':'} ${l.dv.getUint32(q)} mW`;
  });
  return s;
}

/**
 * The checksum CDP should carry, over the frame with its own word left out: Cisco's sum takes an odd length's last
 * byte b as the word 0x00b (0xff00 + b - 1 where b's top bit is set, an off-by-one of Cisco's that Wireshark copies).
 */
function expectedChecksum(l: Layer): number {
  // Cut by the snap length, the frame's sum cannot be had (Wireshark's throws, and shows no checksum).
  if (l.short) return -1;
  const n = l.end - l.off;
  if (n % 2 === 0) return internetChecksum(l.dv, l.off + 4, l.end, l.dv.getUint16(l.off));
  const b = l.buf[l.end - 1]!;
  const last = b & 0x80 ? 0xff00 | (b - 1) : b;
  return internetChecksum(l.dv, l.off + 4, l.end - 1, l.dv.getUint16(l.off) + last);
}

const CDP_FIELDS = declareFields(() => [
  protocolField('cdp', 'Cisco Discovery Protocol'),
  ...fields(
    { name: 'cdp.version', label: 'Version', type: 'uint', at: 0 },
    { name: 'cdp.ttl', label: 'TTL', type: 'uint', display: (n) => plural(n, 'second'), at: 1 },
    ...checksumFields('cdp.checksum', 2, expectedChecksum),
  ),
  ...TLVS.fields,
  ...ADDRESSES.fields,
]);

const values = new Values();
const tlvCursor = TLVS.cursor();
const addressCursor = ADDRESSES.cursor();

/**
 * -V as Wireshark's: the header, then each TLV a subtree of its type, length and value (capabilities' and Spare PoE's
 * bits under their word), each address a subtree of its parts.
 */
function cdpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  for (const f of CDP_FIELDS()) {
    if (f.type === 'protocol' || f.list !== null) continue;
    values.n = 0;
    f.read(l, values, ctx);
    if (values.n > 0) visit(f, values, 1);
  }
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    const { p, len } = tlvCursor;
    visitText(visit, TLVS.title(l, p, len), l.buf, p, len, 1);
    for (const f of TLVS.fields) {
      values.n = 0;
      f.recordRead!(l, values, ctx, p, len);
      if (values.n > 0) visit(f, values, 2); // a child (a bit) is drawn one deeper by the visit
      if (f.name !== 'cdp.number_of_addresses') continue;
      for (let more = addressCursor.region(l, 0, p, len); more; more = addressCursor.step(l)) {
        const q = addressCursor.p;
        visitText(visit, ADDRESSES.title(l, q, addressCursor.len), l.buf, q, addressCursor.len, 2);
        for (const a of ADDRESSES.fields) {
          values.n = 0;
          a.recordRead!(l, values, ctx, q, addressCursor.len);
          if (values.n > 0) visit(a, values, 3);
        }
      }
    }
  }
}

/** How the TLV walk ended (walkEnd): at the frame's end or after its last TLV, or at a TLV running past the frame. */
let walkStop = 0;

/**
 * Where the TLV walk ends (what follows is Wireshark's data); walkStop is then where the TLV that runs past the frame
 * starts, or -1 where none does.
 */
function walkEnd(l: Layer): number {
  let end = l.off + 4;
  let last = -1;
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    end = tlvCursor.p + tlvCursor.len;
    last = tlvCursor.p;
  }
  walkStop = -1;
  if (last >= 0 && endsWalk(l, last)) {
    // A TLV whose length is under 4 ends the walk, and what follows is data; an unread one with no value ends the
    // dissection, and what follows is nothing.
    return tlvLength(l, last) < 4 ? end : l.end;
  }
  if (end < l.end) walkStop = end;
  return end;
}

/** `CDPv2, ttl: 180s, Device-ID 'R1'`, as tcpdump's line. */
function cdpSummary(l: Layer, out: TextOut): void {
  if (l.off + 2 > l.end) {
    out.str('CDP');
    return;
  }
  out
    .str('CDPv')
    .num(l.buf[l.off]!)
    .str(', ttl: ')
    .num(l.buf[l.off + 1]!)
    .byte(0x73);
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    const { p } = tlvCursor;
    if (tlvType(l, p) === TLV_DEVICE_ID && tlvLength(l, p) > 4) {
      out
        .str(", Device-ID '")
        .str(formatText(l.buf, p + 4, tlvLength(l, p) - 4, true))
        .byte(0x27);
      return;
    }
  }
}

/** The bytes of a device ID and of a port ID the audit keeps of a CDP frame (Cisco's are 255 at most). */
export const CDP_ID_BYTES = 64;

/**
 * The device a CDP frame announces, as the audit names it: its device ID and the port it was sent through
 * (`R1 (Tunnel40)`), escaped, each of its first 64 bytes; null where it gives no device ID (or an empty one).
 */
export function cdpDevice(l: Layer): string | null {
  // An ID that is empty (or starts with a NUL) is none.
  let device = '';
  let port = '';
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    const { p, len } = tlvCursor;
    const value = Math.min(CDP_ID_BYTES, len - 4);
    if (tlvType(l, p) === TLV_DEVICE_ID && tlvLength(l, p) > 4 && !device)
      device = formatText(l.buf, p + 4, value, true);
    else if (tlvType(l, p) === TLV_PORT_ID && tlvLength(l, p) > 4 && !port)
      port = formatText(l.buf, p + 4, value, true);
  }
  return !device ? null : port ? `${device} (${port})` : device;
}

export const cdp = protocol({
  name: 'cdp',
  abbrev: 'cdp',
  title: 'Cisco Discovery Protocol',
  hf: CDP_FIELDS,
  tree: cdpTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) {
      if (l.end > l.off) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = walkEnd(l);
    if (walkStop < 0) return;
    // A TLV that runs past the frame (its header, or its value): the frame is short by what it lacks (Wireshark's
    // exception), and nothing after the TLVs read is data.
    const p = walkStop;
    ctx.need(l, (p + 4 > l.end ? p + 4 : p + tlvLength(l, p)) - l.off);
    l.hdrEnd = l.end;
  },
  // Bytes after the last TLV are Wireshark's data, within CDP's tree.
  payloadData: () => 'within',
  json: jsonMembers(CDP_FIELDS, [
    { name: 'version', field: 'cdp.version' },
    { name: 'ttl', field: 'cdp.ttl' },
    { name: 'deviceId', field: 'cdp.deviceid' },
    { name: 'portId', field: 'cdp.portid' },
    { name: 'platform', field: 'cdp.platform' },
  ]),
  summary: cdpSummary,
});
