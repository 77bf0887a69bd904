import { mac } from './addr.js';
import { Table, type Layer, protocol } from './packet.js';
import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { jsonMembers } from './json.js';
import { SAP_NETWARE } from './llc.js';

/**
 * IEEE 802.11 data frames, as Aruba controllers tunnel them in GRE
 * (ARUBA_GRE_TYPES): the MAC header, then the body's LLC header (llc.ts),
 * whose SNAP names an EtherType. Protected (encrypted) frames and A-MSDU aggregates stop here.
 * aux = 1 when the frame body is protected, 2 when it is an A-MSDU.
 */
const TYPE_DATA = 2;
const FLAG_TO_DS = 0x01;
const FLAG_FROM_DS = 0x02;
const FLAG_PROTECTED = 0x40;
const FLAG_ORDER = 0x80;
const QOS_AMSDU = 0x80;

const TYPE_MGMT = 0;
const ADDR1 = 4;
const ADDR2 = 10;
const ADDR3 = 16;
const ADDR4 = 24;
const dsBits = (l: Layer): number => l.buf[l.off + 1]! & (FLAG_TO_DS | FLAG_FROM_DS);
const frameType = (l: Layer): number => (l.buf[l.off]! >> 2) & 3;
const isQosData = (l: Layer): boolean => frameType(l) === TYPE_DATA && (l.buf[l.off]! & 0x80) !== 0;

/**
 * Which address field holds the destination, source and BSSID (-1: none),
 * by frame type and the To DS / From DS bits, as Wireshark assigns them.
 */
const DA = [ADDR1, ADDR3, ADDR1, ADDR3];
const SA = [ADDR2, ADDR2, ADDR3, ADDR4];
const BSSID = [ADDR3, ADDR1, ADDR2, -1];
const addressOf =
  (table: readonly number[] | number): FieldReader =>
  (l, v) => {
    let at: number;
    if (typeof table === 'number') at = table;
    else {
      // The destination, source and BSSID of data and management frames (control frames name a receiver and a
      // transmitter).
      const t = frameType(l);
      if (t !== TYPE_DATA && t !== TYPE_MGMT) return;
      at = t === TYPE_MGMT ? table[0]! : table[dsBits(l)]!;
    }
    if (at >= 0 && l.off + at + 6 <= l.end) v.bytes(l.buf, l.off + at, 6);
  };

/** A little-endian word of the header (802.11 is little-endian) at `at`, or of the QoS control field. */
const le16 = (at: number | 'qos', mask = 0xffff, bool = false): FieldReader => {
  const shift = 31 - Math.clz32(mask & -mask);
  return (l, v) => {
    if (at === 'qos' && !isQosData(l)) return;
    const p = l.off + (at === 'qos' ? (dsBits(l) === (FLAG_TO_DS | FLAG_FROM_DS) ? 30 : 24) : at);
    if (p + 2 > l.end) return;
    const w = l.dv.getUint16(p, true) & mask;
    v.num(bool ? (w !== 0 ? 1 : 0) : w >>> shift, l.buf, p, 2);
  };
};

/** 802.11 frame types (protocol version 0). */
const FRAME_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Management frame',
  1: 'Control frame',
  2: 'Data frame',
  3: 'Extension frame',
  4: 'PV1 Reserved',
  5: 'PV1 Reserved',
  6: 'PV1 Reserved',
  7: 'PV1 Extension (currently reserved)',
};

/** 802.11 frames by type and subtype (the type times 16 plus the subtype), in Wireshark's words. */
const TYPE_SUBTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0: 'Association Request',
  0x1: 'Association Response',
  0x2: 'Reassociation Request',
  0x3: 'Reassociation Response',
  0x4: 'Probe Request',
  0x5: 'Probe Response',
  0x6: 'Measurement Pilot',
  0x8: 'Beacon frame',
  0x9: 'ATIM',
  0xa: 'Disassociate',
  0xb: 'Authentication',
  0xc: 'Deauthentication',
  0xd: 'Action',
  0xe: 'Action No Ack',
  0xf: 'Aruba Management',
  0x12: 'Trigger',
  0x14: 'Beamforming Report Poll',
  0x15: 'VHT/HE NDP Announcement',
  0x17: 'Control Wrapper',
  0x18: '802.11 Block Ack Req',
  0x19: '802.11 Block Ack',
  0x1a: 'Power-Save poll',
  0x1b: 'Request-to-send',
  0x1c: 'Clear-to-send',
  0x1d: 'Acknowledgement',
  0x1e: 'CF-End (Control-frame)',
  0x1f: 'CF-End + CF-Ack (Control-frame)',
  0x20: 'Data',
  0x21: 'Data + CF-Ack',
  0x22: 'Data + CF-Poll',
  0x23: 'Data + CF-Ack + CF-Poll',
  0x24: 'Null function (No data)',
  0x25: 'Acknowledgement (No data)',
  0x26: 'CF-Poll (No data)',
  0x27: 'CF-Ack/Poll (No data)',
  0x28: 'QoS Data',
  0x29: 'QoS Data + CF-Acknowledgment',
  0x2a: 'QoS Data + CF-Poll',
  0x2b: 'QoS Data + CF-Ack + CF-Poll',
  0x2c: 'QoS Null function (No data)',
  0x2e: 'QoS CF-Poll (No Data)',
  0x2f: 'QoS CF-Ack + CF-Poll (No data)',
  0x30: 'DMG Beacon',
  0x31: 'S1G Beacon',
  0x162: 'Poll',
  0x163: 'Service Period Request',
  0x164: 'Grant',
  0x165: 'DMG Clear-to-send',
  0x166: 'DMG Denial-to-send',
  0x167: 'Grant Acknowledgment',
  0x168: 'Sector Sweep',
  0x169: 'Sector Sweep Feedback',
  0x16a: 'Sector Sweep Acknowledgment',
};

/** The To DS and From DS bits together. */
const DS_NAMES: Readonly<Record<number, string>> = {
  0x0: 'Not leaving DS or network is operating in AD-HOC mode (To DS: 0 From DS: 0)',
  0x1: 'Frame from STA to DS via an AP (To DS: 1 From DS: 0)',
  0x2: 'Frame from DS to a STA via AP(To DS: 0 From DS: 1)',
  0x3: 'WDS (AP to AP) or Mesh (MP to MP) Frame (To DS: 1 From DS: 1)',
};

/** 802.1D user priorities, each with its access category, as Wireshark names them. */
const QOS_PRIORITY_NAMES: Readonly<Record<number, string>> = {
  0: 'Best Effort (Best Effort)',
  1: 'Background (Background)',
  2: 'Spare (Background)',
  3: 'Excellent Effort (Best Effort)',
  4: 'Controlled Load (Video)',
  5: 'Video (Video)',
  6: 'Voice (Voice)',
  7: 'Network Control (Voice)',
};

/** Wireshark's wlan fields of the MAC header this dissector reads. */
const WLAN_FIELDS = declareFields(() => [
  protocolField('wlan', 'IEEE 802.11 wireless LAN'),
  ...fields(
    { name: 'wlan.fc', label: 'Frame Control Field', type: 'uint', bits: 16, base: 'hex', at: 0 },
    { name: 'wlan.fc.version', label: 'Version', type: 'uint', mask: 0x03, child: true, at: 0 },
    { name: 'wlan.fc.type', label: 'Type', type: 'uint', values: FRAME_TYPE_NAMES, mask: 0x0c, child: true, at: 0 },
    { name: 'wlan.fc.subtype', label: 'Subtype', type: 'uint', mask: 0xf0, child: true, at: 0 },
    {
      name: 'wlan.fc.type_subtype',
      label: 'Type/Subtype',
      type: 'uint',
      values: TYPE_SUBTYPE_NAMES,
      bits: 16,
      base: 'hex',
      hidden: true,
      read: (l, v) => v.num((frameType(l) << 4) | (l.buf[l.off]! >> 4), l.buf, l.off, 1),
    },
    { name: 'wlan.flags', label: 'Flags', type: 'uint', base: 'hex', at: 1 },
    {
      name: 'wlan.fc.ds',
      label: 'DS status',
      type: 'uint',
      values: DS_NAMES,
      base: 'hex',
      mask: 0x03,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.tods',
      label: 'To DS',
      type: 'bool',
      tfs: ['Frame is entering DS', 'Frame is not entering DS'],
      mask: 0x01,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.fromds',
      label: 'From DS',
      type: 'bool',
      tfs: ['Frame is exiting DS', 'Frame is not exiting DS'],
      mask: 0x02,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.frag',
      label: 'More Fragments',
      type: 'bool',
      tfs: ['More fragments follow', 'This is the last fragment'],
      mask: 0x04,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.retry',
      label: 'Retry',
      type: 'bool',
      tfs: ['Frame is being retransmitted', 'Frame is not being retransmitted'],
      mask: 0x08,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.pwrmgt',
      label: 'PWR MGT',
      type: 'bool',
      tfs: ['STA will go to sleep', 'STA will stay up'],
      mask: 0x10,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.moredata',
      label: 'More Data',
      type: 'bool',
      tfs: ['Data is buffered for STA at AP', 'No data buffered'],
      mask: 0x20,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.protected',
      label: 'Protected flag',
      type: 'bool',
      tfs: ['Data is protected', 'Data is not protected'],
      mask: 0x40,
      child: true,
      at: 1,
    },
    {
      name: 'wlan.fc.order',
      label: '+HTC/Order flag',
      type: 'bool',
      tfs: ['Strictly ordered', 'Not strictly ordered'],
      mask: 0x80,
      child: true,
      at: 1,
    },
    { name: 'wlan.duration', label: 'Duration', type: 'uint', bits: 16, mask: 0x7fff, read: le16(2, 0x7fff) },
    { name: 'wlan.ra', label: 'Receiver address', type: 'ether', read: addressOf(ADDR1) },
    { name: 'wlan.ta', label: 'Transmitter address', type: 'ether', read: addressOf(ADDR2) },
    { name: 'wlan.da', label: 'Destination address', type: 'ether', read: addressOf(DA) },
    { name: 'wlan.sa', label: 'Source address', type: 'ether', read: addressOf(SA) },
    { name: 'wlan.bssid', label: 'BSS Id', type: 'ether', read: addressOf(BSSID) },
    { name: 'wlan.frag', label: 'Fragment number', type: 'uint', bits: 16, mask: 0x000f, read: le16(22, 0x000f) },
    { name: 'wlan.seq', label: 'Sequence number', type: 'uint', bits: 16, mask: 0xfff0, read: le16(22, 0xfff0) },
    { name: 'wlan.qos', label: 'Qos Control', type: 'uint', bits: 16, base: 'hex', read: le16('qos') },
    {
      name: 'wlan.qos.tid',
      label: 'TID',
      type: 'uint',
      bits: 16,
      mask: 0x000f,
      child: true,
      read: le16('qos', 0x000f),
    },
    {
      name: 'wlan.qos.priority',
      label: 'Priority',
      type: 'uint',
      values: QOS_PRIORITY_NAMES,
      bits: 16,
      mask: 0x0007,
      child: true,
      read: le16('qos', 0x0007),
    },
    {
      name: 'wlan.qos.amsdupresent',
      label: 'Payload Type',
      type: 'bool',
      tfs: ['A-MSDU', 'MSDU'],
      bits: 16,
      mask: 0x0080,
      child: true,
      read: le16('qos', 0x0080, true),
    },
  ),
]);

export const wlan = protocol({
  // A data frame's body that is not handed on (protected, an A-MSDU) is data; other frames' bodies are 802.11's own.
  payloadData: (l) => (((l.buf[l.off]! >> 2) & 3) === TYPE_DATA ? 'after' : null),
  name: 'wlan',
  abbrev: 'wlan',
  title: 'IEEE 802.11 wireless LAN',
  hf: WLAN_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 24)) return;
    const fc0 = l.buf[l.off]!;
    const flags = l.buf[l.off + 1]!;
    let hlen = 24;
    if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) === (FLAG_TO_DS | FLAG_FROM_DS)) hlen += 6;
    const type = (fc0 >> 2) & 3;
    const subtype = fc0 >> 4;
    const qos = type === TYPE_DATA && (subtype & 8) !== 0;
    if (qos) hlen += 2;
    if (qos && flags & FLAG_ORDER) hlen += 4;
    if (!ctx.need(l, hlen)) return;
    l.hdrEnd = l.off + hlen;
    l.aux = 0;
    // Only data frames with a body (not the Null subtypes) carry packets.
    if (type !== TYPE_DATA || subtype & 4) return;
    if (flags & FLAG_PROTECTED) return void (l.aux = 1);
    if (qos && l.buf[l.off + hlen - (flags & FLAG_ORDER ? 6 : 2)]! & QOS_AMSDU) return void (l.aux = 2);
    // The body is LLC (llc.ts): SNAP's EtherType names the packet; 0xFFFF starts Novell's raw IPX, with no LLC.
    if (l.hdrEnd + 2 <= l.end && l.dv.getUint16(l.hdrEnd) === 0xffff)
      ctx.handoff(l, Table.LlcSap, SAP_NETWARE, l.hdrEnd, l.end);
    else if (l.hdrEnd < l.end) ctx.handoff(l, Table.Ieee8023, 0, l.hdrEnd, l.end);
  },
  json: jsonMembers(WLAN_FIELDS, [
    { name: 'type', field: 'wlan.fc.type' },
    { name: 'subtype', field: 'wlan.fc.subtype' },
    { name: 'flags', field: 'wlan.flags' },
    { name: 'addr1', field: 'wlan.ra' },
    { name: 'addr2', field: 'wlan.ta' },
    // The third address as the header holds it (the BSSID, destination or source by the DS bits).
    { name: 'addr3', value: (l) => mac(l.buf, l.off + ADDR3) },
    { name: 'protected', value: (l) => (l.aux === 1 ? true : undefined) },
    { name: 'amsdu', value: (l) => (l.aux === 2 ? true : undefined) },
  ]),
  summary: (l, out) =>
    out.str(
      `802.11 ${mac(l.buf, l.off + 10)} ` +
        `> ${mac(l.buf, l.off + 4)}${l.aux === 1 ? ' protected' : l.aux === 2 ? ' A-MSDU' : ''}`,
    ),
});
