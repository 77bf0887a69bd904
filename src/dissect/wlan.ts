import { mac } from './addr.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import {
  declareFields,
  fields,
  protocolField,
  visitText,
  YES_NO,
  type Field,
  type FieldReader,
  type FieldSpec,
  Values,
} from './field.js';
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
const QOS_BIT4 = 0x10;
const QOS_BUFFER_STATE_INDICATED = 0x0200;

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
const STA = [-1, ADDR2, ADDR1, -1];
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
      // An A-MSDU's destination and source are its subframes': the third and fourth addresses are BSSIDs there.
      if (t === TYPE_DATA && amsdu(l)) {
        if (table === BSSID && dsBits(l) === (FLAG_TO_DS | FLAG_FROM_DS)) {
          for (const q of [ADDR3, ADDR4]) if (l.off + q + 6 <= l.end) v.bytes(l.buf, l.off + q, 6);
          return;
        }
        if (table !== BSSID && at >= ADDR3) return;
      }
    }
    if (at >= 0 && l.off + at + 6 <= l.end) v.bytes(l.buf, l.off + at, 6);
  };

/** Where a QoS data frame's QoS control field is: after the third address, or the fourth of a WDS frame. */
const qosAt = (l: Layer): number => l.off + (dsBits(l) === (FLAG_TO_DS | FLAG_FROM_DS) ? 30 : 24);
/** The QoS control field's word (0 where there is none, or it was not captured: no bit set). */
const qosWord = (l: Layer): number => {
  const p = qosAt(l);
  return isQosData(l) && p + 2 <= l.end ? l.dv.getUint16(p, true) : 0;
};
/**
 * Its second byte's meaning, as Wireshark reads it: from an AP (From DS, and WDS) the EOSP bit and the AP's power-save
 * buffer state; from a station the bit that says whether the byte is a queue size or a TXOP duration request.
 */
const fromAp = (l: Layer): boolean => (dsBits(l) & FLAG_FROM_DS) !== 0;
const bufferStated = (l: Layer): boolean => fromAp(l) && (qosWord(l) & QOS_BUFFER_STATE_INDICATED) !== 0;
const queueSize = (l: Layer): boolean => !fromAp(l) && (qosWord(l) & QOS_BIT4) !== 0;
/** A QoS data frame whose body is an A-MSDU (aggregated subframes, each with its own addresses). */
const amsdu = (l: Layer): boolean => (qosWord(l) & QOS_AMSDU) !== 0;

/**
 * A little-endian word of the header (802.11 is little-endian) at `at`, or of the QoS control field (where `when`
 * holds).
 */
const le16 = (at: number | 'qos', mask = 0xffff, bool = false, when?: (l: Layer) => boolean): FieldReader => {
  const shift = 31 - Math.clz32(mask & -mask);
  return (l, v) => {
    if (at === 'qos' && !isQosData(l)) return;
    if (when && !when(l)) return;
    const p = at === 'qos' ? qosAt(l) : l.off + at;
    if (p + 2 > l.end) return;
    const w = l.dv.getUint16(p, true) & mask;
    v.num(bool ? (w !== 0 ? 1 : 0) : w >>> shift, l.buf, p, 2);
  };
};

/**
 * A protected frame's security header after the MAC header (no keys: the body stays unread), as Wireshark tells them
 * apart: the Ext IV bit of the key byte set is TKIP where the second byte is the WEP seed made of the first
 * ((TSC1 | 0x20) & 0x7f), else CCMP; without it, WEP (its IV read, its ICV not). 0 none, 1 TKIP, 2 CCMP, 3 WEP.
 */
const PROTECTION_NONE = 0;
const PROTECTION_TKIP = 1;
const PROTECTION_CCMP = 2;
const PROTECTION_WEP = 3;
const EXT_IV = 0x20;
function protectionOf(l: Layer, body: number): number {
  if (!(l.buf[l.off + 1]! & FLAG_PROTECTED) || frameType(l) !== TYPE_DATA || body + 4 > l.end) return PROTECTION_NONE;
  if (!(l.buf[body + 3]! & EXT_IV)) return PROTECTION_WEP;
  return l.buf[body + 1] === ((l.buf[body]! | EXT_IV) & 0x7f) ? PROTECTION_TKIP : PROTECTION_CCMP;
}
/** The security header's length: TKIP's and CCMP's 8 bytes, WEP's 4-byte IV; a huge one where there is none. */
const securityHeaderLength = (kind: number): number =>
  kind === PROTECTION_WEP ? 4 : kind === PROTECTION_NONE ? Number.MAX_SAFE_INTEGER : 8;
/** The MAC header's length (its QoS and HT control fields too), where the frame body starts. */
function macHeaderLength(l: Layer): number {
  const fc0 = l.buf[l.off]!;
  const flags = l.buf[l.off + 1]!;
  let hlen = 24;
  if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) === (FLAG_TO_DS | FLAG_FROM_DS)) hlen += 6;
  const qos = ((fc0 >> 2) & 3) === TYPE_DATA && (fc0 & 0x80) !== 0;
  if (qos) hlen += 2;
  if (qos && flags & FLAG_ORDER) hlen += 4;
  return hlen;
}
/** TKIP's or CCMP's 8-byte header: its 48-bit packet number as Wireshark writes it, the highest byte first. */
const extIv =
  (which: number): FieldReader =>
  (l, v) => {
    const p = l.off + macHeaderLength(l);
    if (protectionOf(l, p) !== which || p + 8 > l.end) return;
    // TKIP's TSC1 comes before its WEP seed and TSC0; CCMP's PN0 and PN1 lead.
    const low = which === PROTECTION_TKIP ? [p, p + 2] : [p + 1, p];
    let hex = '';
    for (const q of [p + 7, p + 6, p + 5, p + 4, ...low]) hex += l.buf[q]!.toString(16).padStart(2, '0');
    v.str(`0x${hex}`, l.buf, p, 8);
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

/** QoS control's acknowledgement policies. */
const ACK_POLICY_NAMES: Readonly<Record<number, string>> = {
  0: 'Normal Ack',
  1: 'No Ack',
  2: 'No explicit acknowledgment',
  3: 'Block Ack',
};
/** Access categories, as an AP names the highest one it buffers for a station. */
const ACCESS_CATEGORY_NAMES: Readonly<Record<number, string>> = {
  0: 'Best Effort',
  1: 'Background',
  2: 'Video',
  3: 'Voice',
};

/** Subfields of the QoS control word, each under it, read where `when` holds. */
const qosFields = (
  ...specs: (Omit<FieldSpec, 'read' | 'bits' | 'child' | 'littleEndian'> & { when?: (l: Layer) => boolean })[]
): FieldSpec[] =>
  specs.map(({ when, ...spec }) => ({
    ...spec,
    bits: 16,
    child: true,
    littleEndian: true,
    read: le16('qos', spec.mask, spec.type === 'bool', when),
  }));

/** Wireshark's wlan fields of the MAC header this dissector reads. */
const WLAN_FIELDS = declareFields(() => [
  protocolField('wlan', 'IEEE 802.11 wireless LAN'),
  ...fields(
    {
      name: 'wlan.fc.type_subtype',
      label: 'Type/Subtype',
      type: 'uint',
      values: TYPE_SUBTYPE_NAMES,
      bits: 16,
      base: 'hex',
      read: (l, v) => v.num((frameType(l) << 4) | (l.buf[l.off]! >> 4), l.buf, l.off, 1),
    },
    { name: 'wlan.fc', label: 'Frame Control Field', type: 'uint', bits: 16, base: 'hex', at: 0 },
    { name: 'wlan.fc.version', label: 'Version', type: 'uint', mask: 0x03, child: true, at: 0 },
    { name: 'wlan.fc.type', label: 'Type', type: 'uint', values: FRAME_TYPE_NAMES, mask: 0x0c, child: true, at: 0 },
    { name: 'wlan.fc.subtype', label: 'Subtype', type: 'uint', mask: 0xf0, child: true, at: 0 },
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
      hidden: true,
      at: 1,
    },
    {
      name: 'wlan.fc.fromds',
      label: 'From DS',
      type: 'bool',
      tfs: ['Frame is exiting DS', 'Frame is not exiting DS'],
      mask: 0x02,
      child: true,
      hidden: true,
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
    {
      name: 'wlan.duration',
      label: 'Duration',
      type: 'uint',
      bits: 16,
      mask: 0x7fff,
      littleEndian: true,
      display: (n) => `${n} microseconds`,
      read: le16(2, 0x7fff),
    },
    { name: 'wlan.ra', label: 'Receiver address', type: 'ether', read: addressOf(ADDR1) },
    { name: 'wlan.ta', label: 'Transmitter address', type: 'ether', read: addressOf(ADDR2) },
    { name: 'wlan.da', label: 'Destination address', type: 'ether', read: addressOf(DA) },
    { name: 'wlan.sa', label: 'Source address', type: 'ether', read: addressOf(SA) },
    { name: 'wlan.bssid', label: 'BSS Id', type: 'ether', read: addressOf(BSSID) },
    // The station's address in a data frame to or from the DS: the transmitter's going to it, the receiver's from it.
    { name: 'wlan.staa', label: 'STA address', type: 'ether', read: addressOf(STA) },
    {
      name: 'wlan.frag',
      label: 'Fragment number',
      type: 'uint',
      bits: 16,
      mask: 0x000f,
      littleEndian: true,
      read: le16(22, 0x000f),
    },
    {
      name: 'wlan.seq',
      label: 'Sequence number',
      type: 'uint',
      bits: 16,
      mask: 0xfff0,
      littleEndian: true,
      read: le16(22, 0xfff0),
    },
    { name: 'wlan.qos', label: 'Qos Control', type: 'uint', bits: 16, base: 'hex', read: le16('qos') },
    ...qosFields(
      { name: 'wlan.qos.tid', label: 'TID', type: 'uint', mask: 0x000f },
      {
        name: 'wlan.qos.priority',
        label: 'Priority',
        type: 'uint',
        values: QOS_PRIORITY_NAMES,
        mask: 0x0007,
        generated: true,
      },
      {
        name: 'wlan.qos.eosp',
        label: 'EOSP',
        type: 'bool',
        tfs: ['End of service period', 'Service period'],
        mask: QOS_BIT4,
        when: fromAp,
      },
      {
        name: 'wlan.qos.bit4',
        label: 'QoS bit 4',
        type: 'bool',
        tfs: [
          'Bits 8-15 of QoS Control field are Queue Size',
          'Bits 8-15 of QoS Control field are TXOP Duration Requested',
        ],
        mask: QOS_BIT4,
        when: (l) => !fromAp(l),
      },
      { name: 'wlan.qos.ack', label: 'Ack Policy', type: 'uint', base: 'hex', values: ACK_POLICY_NAMES, mask: 0x0060 },
      { name: 'wlan.qos.amsdupresent', label: 'Payload Type', type: 'bool', tfs: ['A-MSDU', 'MSDU'], mask: QOS_AMSDU },
      {
        name: 'wlan.qos.ps_buf_state',
        label: 'QAP PS Buffer State',
        type: 'uint',
        base: 'hex',
        mask: 0xff00,
        when: fromAp,
      },
      {
        name: 'wlan.qos.buf_state_indicated',
        label: 'Buffer State Indicated',
        type: 'bool',
        tfs: YES_NO,
        mask: QOS_BUFFER_STATE_INDICATED,
        when: fromAp,
      },
      {
        name: 'wlan.qos.highest_pri_buf_ac',
        label: 'Highest-Priority Buffered AC',
        type: 'uint',
        values: ACCESS_CATEGORY_NAMES,
        mask: 0x0c00,
        when: bufferStated,
      },
      {
        name: 'wlan.qos.qap_buf_load',
        label: 'QAP Buffered Load',
        type: 'uint',
        mask: 0xf000,
        when: bufferStated,
        display: (n) =>
          n === 0
            ? '0 (no buffered traffic)'
            : n === 15
              ? '15 (greater than 57344 octets)'
              : `${n} (${n * 4096} octets)`,
      },
      {
        name: 'wlan.qos.queue_size',
        label: 'Queue Size',
        type: 'uint',
        mask: 0xff00,
        when: queueSize,
        display: (n) =>
          n === 0
            ? '0 (no buffered traffic in the queue)'
            : n === 254
              ? '254 (more than 64768 octets)'
              : n === 255
                ? '255 (unspecified or unknown)'
                : `${n} (${n * 256} bytes)`,
      },
      {
        name: 'wlan.qos.txop_dur_req',
        label: 'TXOP Duration Requested',
        type: 'uint',
        mask: 0xff00,
        when: (l) => !fromAp(l) && !queueSize(l),
        display: (n) => (n === 0 ? '0 (no TXOP requested)' : String(n)),
      },
    ),
    { name: 'wlan.tkip.extiv', label: 'TKIP Ext. Initialization Vector', type: 'string', read: extIv(PROTECTION_TKIP) },
    { name: 'wlan.ccmp.extiv', label: 'CCMP Ext. Initialization Vector', type: 'string', read: extIv(PROTECTION_CCMP) },
    {
      name: 'wlan.wep.iv',
      label: 'Initialization Vector',
      type: 'uint',
      bits: 24,
      base: 'hex',
      read: (l, v) => {
        const p = l.off + macHeaderLength(l);
        if (protectionOf(l, p) === PROTECTION_WEP) v.num(l.dv.getUint32(p) >>> 8, l.buf, p, 3);
      },
    },
    {
      name: 'wlan.wep.key',
      label: 'Key Index',
      type: 'uint',
      read: (l, v) => {
        const p = l.off + macHeaderLength(l);
        if (p + securityHeaderLength(protectionOf(l, p)) <= l.end) v.num(l.buf[p + 3]! >> 6, l.buf, p + 3, 1);
      },
    },
  ),
]);

/**
 * -V as Wireshark's: the flags a subtree of the frame control field, the AP's buffer state one of the QoS control
 * field, a protected frame's TKIP or CCMP header a subtree of its own.
 */
const DEEPER = new Set([
  'wlan.flags',
  'wlan.fc.ds',
  'wlan.fc.frag',
  'wlan.fc.retry',
  'wlan.fc.pwrmgt',
  'wlan.fc.moredata',
  'wlan.fc.protected',
  'wlan.fc.order',
  'wlan.qos.buf_state_indicated',
  'wlan.qos.highest_pri_buf_ac',
  'wlan.qos.qap_buf_load',
  'wlan.tkip.extiv',
  'wlan.ccmp.extiv',
  'wlan.wep.iv',
  'wlan.wep.key',
]);
const SECURITY_TITLES: Readonly<Record<string, string>> = {
  'wlan.tkip.extiv': 'TKIP parameters',
  'wlan.ccmp.extiv': 'CCMP parameters',
  'wlan.wep.iv': 'WEP parameters',
};
const treeValues = new Values();
/** A management frame's addresses, in the order Wireshark shows them (a data frame's are in declaration order). */
const MGMT_ADDRESSES = ['wlan.ra', 'wlan.da', 'wlan.ta', 'wlan.sa', 'wlan.bssid'];
/** Those fields, in that order (found once). */
let mgmtAddressFields: readonly Field[] | null = null;
function wlanTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const all = WLAN_FIELDS();
  const mgmt = frameType(l) === TYPE_MGMT;
  for (const f of all) {
    if (f.type === 'protocol') continue;
    if (mgmt && MGMT_ADDRESSES.includes(f.name)) {
      mgmtAddressFields ??= MGMT_ADDRESSES.map((name) => all.find((x) => x.name === name)!);
      if (f === mgmtAddressFields[0]) for (const a of mgmtAddressFields) visitField(a, l, ctx, visit);
      continue;
    }
    visitField(f, l, ctx, visit);
  }
}
function visitField(f: Field, l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  treeValues.n = 0;
  f.read(l, treeValues, ctx);
  if (treeValues.n === 0) return;
  const title = SECURITY_TITLES[f.name];
  if (title)
    visitText(visit, title, l.buf, treeValues.offs[0]!, securityHeaderLength(protectionOf(l, treeValues.offs[0]!)), 1);
  visit(f, treeValues, DEEPER.has(f.name) ? 2 : 1);
}
export const wlan = protocol({
  // A data frame's body that is not handed on (protected, an A-MSDU) is data; other frames' bodies are 802.11's own.
  payloadData: (l) => (((l.buf[l.off]! >> 2) & 3) === TYPE_DATA ? 'after' : null),
  name: 'wlan',
  abbrev: 'wlan',
  title: 'IEEE 802.11 wireless LAN',
  hf: WLAN_FIELDS,
  tree: wlanTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 24)) return;
    const fc0 = l.buf[l.off]!;
    const flags = l.buf[l.off + 1]!;
    const hlen = macHeaderLength(l);
    const type = (fc0 >> 2) & 3;
    const subtype = fc0 >> 4;
    const qos = type === TYPE_DATA && (subtype & 8) !== 0;
    if (!ctx.need(l, hlen)) return;
    l.hdrEnd = l.off + hlen;
    l.aux = 0;
    // Only data frames with a body (not the Null subtypes) carry packets.
    if (type !== TYPE_DATA || subtype & 4) return;
    if (flags & FLAG_PROTECTED) {
      l.aux = 1;
      // The security header (TKIP's, CCMP's, WEP's IV) is not the encrypted body's; every one has 4 bytes at least. A
      // header cut short is all there is (no data, as in tshark's malformed frame).
      const kind = protectionOf(l, l.hdrEnd);
      const size = kind === PROTECTION_NONE ? 4 : securityHeaderLength(kind);
      l.hdrEnd = ctx.need(l, hlen + size) ? l.hdrEnd + size : l.end;
      return;
    }
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
