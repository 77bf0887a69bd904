import { ipv4, ipv6, mac, shownHex } from './addr.js';
import {
  appendedTitle,
  asciiText,
  CAPABLE,
  declareFields,
  ENABLED,
  formatText,
  protocolField,
  shiftOf,
  SUPPORTED,
  Values,
  visitText,
  YES_NO,
  type Field,
  type FieldSpec,
  type RecordReader,
  type TrueFalse,
} from './field.js';
import { list } from './field-list.js';
import { jsonMembers } from './json.js';
import { u8, u16, u24, u32 } from './layer-read.js';
import { AFN_NAMES, OUI_NAMES, ouiText } from './numbers.js';
import { protocol, type Layer, type PacketCtx } from './packet.js';
import type { TextOut } from '../util/text-out.js';

/**
 * Link Layer Discovery Protocol (IEEE 802.1AB, EtherType 0x88CC), as Wireshark's packet-lldp.c reads it: what a
 * switch or router says of itself to the device on its port (chassis, port, system name and description,
 * capabilities, management address, VLANs, link settings). In a gretap or ERSPAN mirror it names the switch whose
 * port is mirrored. The three TLVs that must come first are checked as Wireshark checks them (a walk that finds
 * them wrong ends there), then every TLV to the End of LLDPDU. Read: the basic TLVs, IEEE 802.1's port VLAN,
 * protocol VLAN, VLAN name, protocol identity and link aggregation, IEEE 802.3's MAC/PHY settings, power via MDI
 * (802.3bt's too), link aggregation, maximum frame size, EEE and frame preemption, and TIA's LLDP-MED (capabilities,
 * network policies, location, extended power, inventory); another organisation's TLV is shown as Wireshark shows one
 * whose organisation it does not know (its subtype and bytes), and one of the organisations Wireshark reads itself
 * (PROFINET, Cisco, DCBX...) by its code alone.
 */

const TLV_END = 0;
const TLV_CHASSIS_ID = 1;
const TLV_PORT_ID = 2;
const TLV_TTL = 3;
const TLV_PORT_DESCRIPTION = 4;
const TLV_SYSTEM_NAME = 5;
const TLV_SYSTEM_DESCRIPTION = 6;
const TLV_CAPABILITIES = 7;
const TLV_MANAGEMENT_ADDRESS = 8;
const TLV_ORGANIZATION = 127;

const TLV_NAMES: Readonly<Record<number, string>> = {
  0: 'End of LLDPDU',
  1: 'Chassis Id',
  2: 'Port Id',
  3: 'Time to Live',
  4: 'Port Description',
  5: 'System Name',
  6: 'System Description',
  7: 'System Capabilities',
  8: 'Management Address',
  127: 'Organization Specific',
};

const CHASSIS_SUBTYPES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Chassis component',
  2: 'Interface alias',
  3: 'Port component',
  4: 'MAC address',
  5: 'Network address',
  6: 'Interface name',
  7: 'Locally assigned',
};
const PORT_SUBTYPES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Interface alias',
  2: 'Port component',
  3: 'MAC address',
  4: 'Network address',
  5: 'Interface name',
  6: 'Agent circuit Id',
  7: 'Locally assigned',
};
/** Where an ID of each kind says what it is: its MAC address, a network address, or bytes shown in hex. */
const CHASSIS_MAC = 4;
const CHASSIS_NETWORK = 5;
const CHASSIS_HEX = 3;
const PORT_MAC = 3;
const PORT_NETWORK = 4;
const PORT_HEX = 2;
const AFN_IPV4 = 1;
const AFN_IPV6 = 2;

/** An ID's kind in Wireshark's info column (`MA/00:23:89:af:d2:52`), by subtype: chassis IDs', then ports'. */
const CHASSIS_KINDS: Readonly<Record<number, string>> = {
  1: 'CC',
  2: 'IA',
  3: 'PC',
  4: 'MA',
  5: 'NA',
  6: 'IN',
  7: 'LA',
};
const PORT_KINDS: Readonly<Record<number, string>> = { 1: 'IA', 2: 'PC', 3: 'MA', 4: 'NA', 5: 'IN', 6: 'AC', 7: 'LA' };

const INTERFACE_SUBTYPES: Readonly<Record<number, string>> = { 1: 'Unknown', 2: 'ifIndex', 3: 'System port number' };

const OUI_IEEE_802_1 = 0x0080c2;
const OUI_IEEE_802_3 = 0x00120f;
/** TIA's LLDP-MED (ANSI/TIA-1057): what IP phones and the switch ports they sit on say of each other. */
const OUI_MEDIA = 0x0012bb;
/**
 * The organisations whose TLVs Wireshark reads with a reader of its own (DCBX, PROFINET, Cisco, 802.1Qbg, Hytec,
 * Avaya, IANA, Extreme, ONOS, ODVA): not read here beyond their code. Any other's TLV is Wireshark's unknown subtype
 * and its bytes.
 */
const OWN_READERS = new Set([
  0x001b21, 0x000ecf, 0x000142, 0x001b3f, 0x30b216, 0x00400d, 0x00005e, 0x00040d, 0xd88466, 0xa42305, 0x00216c,
]);

const IEEE_802_1_SUBTYPES: Readonly<Record<number, string>> = {
  0x01: 'Port VLAN ID',
  0x02: 'Port and Protocol VLAN ID',
  0x03: 'VLAN Name',
  0x04: 'Protocol Identity',
  0x05: 'VID Usage Digest',
  0x06: 'Management VID',
  0x07: 'Link Aggregation',
  0x08: 'Congestion Notification',
  0x09: 'ETS Configuration',
  0x0a: 'ETS Recommendation',
  0x0b: 'Priority Flow Control Configuration',
  0x0c: 'Application Protocol',
  0x0d: 'EVB',
  0x0e: 'CDCP',
  0x0f: 'Port extension',
  0x10: 'Application VLAN',
  0x11: 'LRP ECP Discovery',
  0x12: 'LRP TCP Discovery',
  0x13: 'Congestion Isolation',
  0x14: 'Topology Recognition',
};
const IEEE_802_3_SUBTYPES: Readonly<Record<number, string>> = {
  0x01: 'MAC/PHY Configuration/Status',
  0x02: 'Power Via MDI',
  0x03: 'Link Aggregation',
  0x04: 'Maximum Frame Size',
  0x05: 'EEE (Energy-Efficient Ethernet)',
  0x07: 'IEEE 802.3br Additional Ethernet capabilities',
};
const MEDIA_SUBTYPES: Readonly<Record<number, string>> = {
  1: 'Media Capabilities',
  2: 'Network Policy',
  3: 'Location Identification',
  4: 'Extended Power-via-MDI',
  5: 'Inventory - Hardware Revision',
  6: 'Inventory - Firmware Revision',
  7: 'Inventory - Software Revision',
  8: 'Inventory - Serial Number',
  9: 'Inventory - Manufacturer Name',
  10: 'Inventory - Model Name',
  11: 'Inventory - Asset ID',
};
const MEDIA_CLASSES: Readonly<Record<number, string>> = {
  0: 'Type Not Defined',
  1: 'Endpoint Class I',
  2: 'Endpoint Class II',
  3: 'Endpoint Class III',
  4: 'Network Connectivity',
};
const MEDIA_APPLICATIONS: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Voice',
  2: 'Voice Signaling',
  3: 'Guest Voice',
  4: 'Guest Voice Signaling',
  5: 'Softphone Voice',
  6: 'Video Conferencing',
  7: 'Streaming Video',
  8: 'Video Signaling',
};
const MEDIA_CAPABILITY_BITS: readonly (readonly [name: string, label: string])[] = [
  ['llpd', 'LLDP-MED Capabilities'],
  ['network_policy', 'Network Policy'],
  ['location_id', 'Location Identification'],
  ['mdi_pse', 'Extended Power via MDI-PSE'],
  ['mid_pd', 'Extended Power via MDI-PD'],
  ['inventory', 'Inventory'],
];
const LOCATION_FORMATS: Readonly<Record<number, string>> = {
  0: 'Invalid ',
  1: 'Coordinate-based LCI',
  2: 'Civic Address LCI',
  3: 'ECS ELIN',
};
const LOCATION_COORDINATES = 1;
const LOCATION_CIVIC = 2;
const LOCATION_ELIN = 3;
const ALTITUDE_TYPES: Readonly<Record<number, string>> = { 1: 'Meters', 2: 'Floors' };
const CIVIC_WHAT: Readonly<Record<number, string>> = {
  0: 'Location of the DHCP server',
  1: 'Location of the network element believed to be closest to the client',
  2: 'Location of the client',
};
const CIVIC_TYPES: Readonly<Record<number, string>> = {
  0: 'Language',
  1: 'National subdivisions (province, state, etc)',
  2: 'County, parish, district',
  3: 'City, township',
  4: 'City division, borough, ward',
  5: 'Neighborhood, block',
  6: 'Street',
  16: 'Leading street direction',
  17: 'Trailing street suffix',
  18: 'Street suffix',
  19: 'House number',
  20: 'House number suffix',
  21: 'Landmark or vanity address',
  22: 'Additional location information',
  23: 'Name',
  24: 'Postal/ZIP code',
  25: 'Building',
  26: 'Unit',
  27: 'Floor',
  28: 'Room number',
  29: 'Place type',
  128: 'Script',
};
const MEDIA_POWER_TYPES: Readonly<Record<number, string>> = {
  0: 'PSE Device',
  1: 'PD Device',
  2: 'PSE Device',
  3: 'PD Device',
};
/** LLDP-MED's inventory TLVs (subtypes 5 to 11): each a string. */
const INVENTORY: readonly (readonly [name: string, label: string])[] = [
  ['hardware', 'Hardware Revision'],
  ['firmware', 'Firmware Revision'],
  ['software', 'Software Revision'],
  ['sn', 'Serial Number'],
  ['manufacturer', 'Manufacturer Name'],
  ['model', 'Model Name'],
  ['asset', 'Asset ID'],
];
const AGGREGATION_PORT_TYPES: Readonly<Record<number, string>> = {
  0: 'Not specified',
  1: 'From aggregation port',
  2: 'From aggregator',
  3: 'From single-port aggregator',
};
const POWER_CLASSES: Readonly<Record<number, string>> = { 1: '0', 2: '1', 3: '2', 4: '3', 5: '4' };
const POWER_TYPES: Readonly<Record<number, string>> = {
  0: 'Type 2 PSE Device',
  1: 'Type 2 PD Device',
  2: 'Type 1 PSE Device',
  3: 'Type 1 PD Device',
};
const POWER_PRIORITIES: Readonly<Record<number, string>> = { 0: 'Unknown', 1: 'Critical', 2: 'High', 3: 'Low' };
/** A power source's name, by whether the device is a PSE (power types 0 and 2) or a PD (1 and 3). */
const PSE_POWER_SOURCES: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Primary Power Source',
  2: 'Backup Power Source',
};
const PD_POWER_SOURCES: Readonly<Record<number, string>> = { 0: 'Unknown', 1: 'PSE', 2: 'Local', 3: 'PSE and Local' };

/** IETF's operational MAU types (RFC 1515 to 4836), as Wireshark names them. */
const MAU_TYPES: Readonly<Record<number, string>> = {
  0: 'other or unknown',
  1: 'AUI - no internal MAU, view from AUI',
  2: '10Base5 - thick coax MAU',
  3: 'Foirl - FOIRL MAU',
  4: '10Base2 - thin coax MAU',
  5: '10BaseT - UTP MAU',
  6: '10BaseFP - passive fiber MAU',
  7: '10BaseFB - sync fiber MAU',
  8: '10BaseFL - async fiber MAU',
  9: '10Broad36 - broadband DTE MAU',
  10: '10BaseTHD - UTP MAU, half duplex mode',
  11: '10BaseTFD - UTP MAU, full duplex mode',
  12: '10BaseFLHD - async fiber MAU, half duplex mode',
  13: '10BaseFLDF - async fiber MAU, full duplex mode',
  14: '10BaseT4 - 4 pair category 3 UTP',
  15: '100BaseTXHD - 2 pair category 5 UTP, half duplex mode',
  16: '100BaseTXFD - 2 pair category 5 UTP, full duplex mode',
  17: '100BaseFXHD - X fiber over PMT, half duplex mode',
  18: '100BaseFXFD - X fiber over PMT, full duplex mode',
  19: '100BaseT2HD - 2 pair category 3 UTP, half duplex mode',
  20: '100BaseT2DF - 2 pair category 3 UTP, full duplex mode',
  21: '1000BaseXHD - PCS/PMA, unknown PMD, half duplex mode',
  22: '1000BaseXFD - PCS/PMA, unknown PMD, full duplex mode',
  23: '1000BaseLXHD - Fiber over long-wavelength laser, half duplex mode',
  24: '1000BaseLXFD - Fiber over long-wavelength laser, full duplex mode',
  25: '1000BaseSXHD - Fiber over short-wavelength laser, half duplex mode',
  26: '1000BaseSXFD - Fiber over short-wavelength laser, full duplex mode',
  27: '1000BaseCXHD - Copper over 150-Ohm balanced cable, half duplex mode',
  28: '1000BaseCXFD - Copper over 150-Ohm balanced cable, full duplex mode',
  29: '1000BaseTHD - Four-pair Category 5 UTP, half duplex mode',
  30: '1000BaseTFD - Four-pair Category 5 UTP, full duplex mode',
  31: '10GigBaseX - X PCS/PMA, unknown PMD.',
  32: '10GigBaseLX4 - X fiber over WWDM optics',
  33: '10GigBaseR - R PCS/PMA, unknown PMD.',
  34: '10GigBaseER - R fiber over 1550 nm optics',
  35: '10GigBaseLR - R fiber over 1310 nm optics',
  36: '10GigBaseSR - R fiber over 850 nm optics',
  37: '10GigBaseW - W PCS/PMA, unknown PMD.',
  38: '10GigBaseEW - W fiber over 1550 nm optics',
  39: '10GigBaseLW - W fiber over 1310 nm optics',
  40: '10GigBaseSW - W fiber over 850 nm optics',
  41: '10GBASE-CX4 - X copper over 8 pair 100-Ohm balanced cable',
  42: '2BASE-TL - Voice grade UTP copper, up to 2700m, optional PAF',
  43: '10PASS-TS - Voice grade UTP copper, up to 750m, optional PAF',
  44: '100BASE-BX10D - One single-mode fiber OLT, long wavelength, 10km',
  45: '100BASE-BX10U - One single-mode fiber ONU, long wavelength, 10km',
  46: '100BASE-LX10 - One single-mode fiber ONU, long wavelength, 10km',
  47: '1000BASE-BX10D - One single-mode fiber OLT, long wavelength, 10km',
  48: '1000BASE-BX10U - One single-mode fiber ONU, long wavelength, 10km',
  49: '1000BASE-LX10 - Two sigle-mode fiber, long wavelength, 10km',
  50: '1000BASE-PX10D - One single-mode fiber EPON OLT, 10km',
  51: '1000BASE-PX10U - One single-mode fiber EPON ONU, 10km',
  52: '1000BASE-PX20D - One single-mode fiber EPON OLT, 20km',
  53: '1000BASE-PX20U - One single-mode fiber EPON ONU, 20km',
};

/** The PMD auto-negotiation bits, low bit first (Wireshark also draws them in the inverse order, as senders err). */
const AUTONEG_BITS: readonly (readonly [name: string, label: string])[] = [
  ['1000base_tfd', '1000BASE-T (full duplex mode)'],
  ['1000base_t', '1000BASE-T (half duplex mode)'],
  ['1000base_xfd', '1000BASE-X (-LX, -SX, -CX full duplex mode)'],
  ['1000base_x', '1000BASE-X (-LX, -SX, -CX half duplex mode)'],
  ['fdx_bpause', 'Asymmetric and Symmetric PAUSE (for full-duplex links)'],
  ['fdx_spause', 'Symmetric PAUSE (for full-duplex links)'],
  ['fdx_apause', 'Asymmetric PAUSE (for full-duplex links)'],
  ['fdx_pause', 'PAUSE (for full-duplex links)'],
  ['100base_t2fd', '100BASE-T2 (full duplex mode)'],
  ['100base_t2', '100BASE-T2 (half duplex mode)'],
  ['100base_txfd', '100BASE-TX (full duplex mode)'],
  ['100base_tx', '100BASE-TX (half duplex mode)'],
  ['100base_t4', '100BASE-T4'],
  ['10base_tfd', '10BASE-T (full duplex mode)'],
  ['10base_t', '10BASE-T (half duplex mode)'],
  ['other', 'Other or unknown'],
];
const CAPABILITY_BITS: readonly (readonly [name: string, label: string])[] = [
  ['other', 'Other'],
  ['repeater', 'Repeater'],
  ['bridge', 'Bridge'],
  ['wlan_access_pt', 'WLAN access point'],
  ['router', 'Router'],
  ['telephone', 'Telephone'],
  ['docsis_cable_device', 'DOCSIS cable device'],
  ['station_only', 'Station only'],
];

const tlvType = (l: Layer, p: number): number => l.buf[p]! >> 1;
const tlvLength = (l: Layer, p: number): number => l.dv.getUint16(p) & 0x1ff;

/** The TLV's place among the three that must come first (0 chassis ID, 1 port ID, 2 TTL), or 3 for a later one. */
function place(l: Layer, p: number): number {
  let q = l.off;
  for (let i = 0; i < 3 && q + 2 <= l.end; i++) {
    if (q === p) return i;
    q += 2 + tlvLength(l, q);
  }
  return 3;
}

/**
 * Whether an ID TLV is one Wireshark accepts (else it draws its header and subtype and ends the walk): 2 bytes or
 * more; a MAC address 6 bytes; a network address of IPv4 4 bytes, of IPv6 16; any other 255 bytes at most.
 */
function idValid(l: Layer, p: number, macSubtype: number, networkSubtype: number): boolean {
  const n = tlvLength(l, p);
  if (n < 2) return false;
  const subtype = l.buf[p + 2];
  if (subtype === macSubtype) return n === 7;
  if (subtype === networkSubtype) {
    const family = l.buf[p + 3];
    return family === AFN_IPV4 ? n === 6 : family === AFN_IPV6 ? n === 18 : true;
  }
  return n <= 256;
}
const chassisValid = (l: Layer, p: number): boolean => idValid(l, p, CHASSIS_MAC, CHASSIS_NETWORK);
const portValid = (l: Layer, p: number): boolean => idValid(l, p, PORT_MAC, PORT_NETWORK);

/** A TLV's bytes; none (the walk ends before it) where the first three are not chassis ID, port ID and TTL. */
function tlvSize(l: Layer, p: number, end: number): number {
  if (p + 2 > end) return 0;
  const at = place(l, p);
  if (at < 3 && tlvType(l, p) !== at + 1) return 0;
  const size = 2 + tlvLength(l, p);
  return p + size <= end ? size : 0;
}

/** The walk ends at the End of LLDPDU, a chassis or port ID Wireshark refuses, and a mandatory TLV seen again. */
function endsWalk(l: Layer, p: number): boolean {
  const type = tlvType(l, p);
  if (type === TLV_END) return true;
  const at = place(l, p);
  if (at === 0) return !chassisValid(l, p);
  if (at === 1) return !portValid(l, p);
  return at === 3 && type <= TLV_TTL;
}

/** Which TLVs a field is read in: the TLV at p, its `len` bytes. */
type Where = (l: Layer, p: number, len: number) => boolean;
const ofType =
  (type: number): Where =>
  (l, p) =>
    tlvType(l, p) === type;
/** An ID TLV (chassis or port) whose subtype is `subtype` and that Wireshark accepts. */
const idOf =
  (type: number, subtype: number): Where =>
  (l, p) =>
    tlvType(l, p) === type &&
    (type === TLV_CHASSIS_ID ? chassisValid(l, p) : portValid(l, p)) &&
    l.buf[p + 2] === subtype;
/** An ID TLV of a network address (its address family drawn whether or not Wireshark accepts the ID). */
const isNetworkId: Where = (l, p) =>
  tlvLength(l, p) >= 2 &&
  (tlvType(l, p) === TLV_CHASSIS_ID
    ? l.buf[p + 2] === CHASSIS_NETWORK
    : tlvType(l, p) === TLV_PORT_ID && l.buf[p + 2] === PORT_NETWORK);
/** A network address ID of address family `family`. */
const networkIdOf =
  (type: number, family: number): Where =>
  (l, p, len) =>
    idOf(type, type === TLV_CHASSIS_ID ? CHASSIS_NETWORK : PORT_NETWORK)(l, p, len) && l.buf[p + 3] === family;

const ouiOf = (l: Layer, p: number): number => u24(l, p + 2);
/** An organisation's TLV with its code and subtype (Wireshark reads neither in one under 4 bytes). */
const isOrganization = (l: Layer, p: number): boolean => tlvType(l, p) === TLV_ORGANIZATION && tlvLength(l, p) >= 4;
const orgOf =
  (oui: number, subtype: number): Where =>
  (l, p) =>
    isOrganization(l, p) && ouiOf(l, p) === oui && l.buf[p + 5] === subtype;

/** A 40-bit number (LLDP-MED's coordinates). */
const u40 = (l: Layer, q: number): number => l.buf[q]! * 2 ** 32 + u32(l, q + 1);

/**
 * A number of `size` bytes at `at` in the TLVs `where` holds of (masked and shifted where `mask` is given: a number of
 * 4 bytes at most).
 */
function numberIn(where: Where, at: number, size: 1 | 2 | 3 | 4 | 5, mask = 0): RecordReader {
  const read = size === 1 ? u8 : size === 2 ? u16 : size === 3 ? u24 : size === 4 ? u32 : u40;
  const shift = mask ? shiftOf(mask) : 0;
  return (l, v, _ctx, p, len) => {
    if (at + size > len || !where(l, p, len)) return;
    const word = read(l, p + at);
    v.num(mask ? (word & mask) >>> shift : word, l.buf, p + at, size);
  };
}

/** Bytes from `at` to the TLV's end (none where there are none). */
function bytesIn(where: Where, at: number): RecordReader {
  return (l, v, _ctx, p, len) => {
    if (len > at && where(l, p, len)) v.bytes(l.buf, p + at, len - at);
  };
}

/**
 * A string from `at`: to the TLV's end, shown to its first NUL (Wireshark's ENC_ASCII); an empty one too, but where
 * `nonEmpty` (LLDP-MED's strings, which Wireshark leaves out when empty).
 */
function textIn(where: Where, at: number, nonEmpty = false): RecordReader {
  return (l, v, _ctx, p, len) => {
    if ((nonEmpty ? len > at : len >= at) && where(l, p, len))
      v.str(asciiText(l.buf, p + at, len - at), l.buf, p + at, len - at);
  };
}

/** One flag of a word at `at` (a child of the word's field). */
function flag(name: string, label: string, bits: 8 | 16 | 24, mask: number, tfs: TrueFalse, where: Where, at: number) {
  return {
    name,
    label,
    type: 'bool',
    bits,
    mask,
    tfs,
    child: true,
    record: numberIn(where, at, bits === 8 ? 1 : bits === 16 ? 2 : 3, mask),
  } satisfies FieldSpec;
}

const capabilities = (name: string, where: Where, at: number): FieldSpec[] =>
  CAPABILITY_BITS.map(([bit, label], i) => flag(`${name}.${bit}`, label, 16, 1 << i, CAPABLE, where, at));

const MANAGEMENT = ofType(TLV_MANAGEMENT_ADDRESS);
/** A management address TLV's address length byte: where its interface subtype is (after the address). */
const afterAddress = (l: Layer, p: number): number => 3 + l.buf[p + 2]!;
/** A field of a management address TLV at `from` bytes past its address. */
function pastAddress(from: number, size: 1 | 4): RecordReader {
  const read = size === 1 ? u8 : u32;
  return (l, v, _ctx, p, len) => {
    if (!MANAGEMENT(l, p, len) || len < 3) return;
    const q = afterAddress(l, p) + from;
    if (q + size <= len) v.num(read(l, p + q), l.buf, p + q, size);
  };
}

const PORT_VLAN = orgOf(OUI_IEEE_802_1, 1);
const PROTOCOL_VLAN = orgOf(OUI_IEEE_802_1, 2);
const VLAN_NAME = orgOf(OUI_IEEE_802_1, 3);
const PROTOCOL_IDENTITY = orgOf(OUI_IEEE_802_1, 4);
const AGGREGATION_802_1 = orgOf(OUI_IEEE_802_1, 7);
const MAC_PHY = orgOf(OUI_IEEE_802_3, 1);
const POWER = orgOf(OUI_IEEE_802_3, 2);
/** Power via MDI's type, source, priority and power values, in a TLV of more than the 3 value bytes before them. */
const POWER_DETAIL: Where = (l, p, len) => POWER(l, p, len) && tlvLength(l, p) !== 7;
/** 802.3bt's extension of power via MDI: a TLV of 29 bytes (26 after the code). */
const POWER_BT: Where = (l, p, len) => POWER(l, p, len) && tlvLength(l, p) === 29;
const AGGREGATION_802_3 = orgOf(OUI_IEEE_802_3, 3);
const EEE = orgOf(OUI_IEEE_802_3, 5);
const PREEMPTION = orgOf(OUI_IEEE_802_3, 7);
const MAX_FRAME = orgOf(OUI_IEEE_802_3, 4);
const MEDIA_CAPABILITIES = orgOf(OUI_MEDIA, 1);
const NETWORK_POLICY = orgOf(OUI_MEDIA, 2);
const LOCATION = orgOf(OUI_MEDIA, 3);
const locationOf =
  (format: number): Where =>
  (l, p, len) =>
    LOCATION(l, p, len) && len > 6 && l.buf[p + 6] === format;
/** Coordinates: read where the 16 bytes they take are there (Wireshark reads none of a shorter one). */
const COORDINATES: Where = (l, p, len) => locationOf(LOCATION_COORDINATES)(l, p, len) && len - 7 >= 16;
const MEDIA_POWER = orgOf(OUI_MEDIA, 4);
/** An organisation Wireshark has no reader for: its subtype and bytes. */
const UNKNOWN_ORG: Where = (l, p) =>
  isOrganization(l, p) &&
  ouiOf(l, p) !== OUI_IEEE_802_1 &&
  ouiOf(l, p) !== OUI_IEEE_802_3 &&
  ouiOf(l, p) !== OUI_MEDIA &&
  !OWN_READERS.has(ouiOf(l, p));

/** Counted bytes after a length byte at `at` (VLAN name, protocol identity); as a string or as bytes. */
function counted(where: Where, at: number, asText: boolean): RecordReader {
  return (l, v, _ctx, p, len) => {
    if (at >= len || !where(l, p, len)) return;
    const n = l.buf[p + at]!;
    if (n === 0 || at + 1 + n > len) return;
    if (asText) v.str(asciiText(l.buf, p + at + 1, n), l.buf, p + at + 1, n);
    else v.bytes(l.buf, p + at + 1, n);
  };
}

/**
 * Link aggregation, in 802.1's TLV (subtype 7) and in 802.3's older one (subtype 3): the status byte and its flags
 * (802.1's with the port type), then the aggregated port's ID.
 */
function aggregation(org: '802_1' | '802_3', where: Where): FieldSpec[] {
  const status = `lldp.ieee.${org}.aggregation_status`;
  const portType: FieldSpec = {
    name: `${status}.porttype`,
    label: 'Aggregation Status',
    type: 'uint',
    mask: 0x0c,
    values: AGGREGATION_PORT_TYPES,
    child: true,
    record: numberIn(where, 6, 1, 0x0c),
  };
  return [
    { name: status, label: 'Aggregation Status', type: 'uint', base: 'hex', record: numberIn(where, 6, 1) },
    flag(`${status}.cap`, 'Aggregation Capability', 8, 0x01, YES_NO, where, 6),
    flag(`${status}.enabled`, 'Aggregation Status', 8, 0x02, ENABLED, where, 6),
    ...(org === '802_1' ? [portType] : []),
    {
      name: `lldp.ieee.${org}.aggregated_port_id`,
      label: 'Aggregated Port Id',
      type: 'uint',
      bits: 32,
      record: numberIn(where, 7, 4),
    },
  ];
}

/** A civic address's element: its type byte, length byte or value (`size` bytes), at `at`. */
interface CivicElement {
  kind: 'lci' | 'type' | 'length' | 'value';
  at: number;
  size: number;
}
const civicElement: CivicElement = { kind: 'lci', at: 0, size: 0 };

/**
 * Walks a civic address location TLV as Wireshark does, giving each element read: the LCI length (where it does not
 * exceed the bytes after it), then after the what byte and the country code each CA's type, length and value, to the
 * first that does not fit.
 */
function walkCivic(l: Layer, p: number, len: number, each: (e: CivicElement) => void): void {
  if (!locationOf(LOCATION_CIVIC)(l, p, len) || len - 7 < 1) return;
  let left = l.buf[p + 7]!;
  if (left > len - 8) return;
  civicElement.kind = 'lci';
  civicElement.at = p + 7;
  civicElement.size = 1;
  each(civicElement);
  if (left < 3) return; // the what byte and the two of the country code
  left -= 3;
  for (let q = p + 11; left > 0; ) {
    civicElement.kind = 'type';
    civicElement.at = q;
    each(civicElement);
    left--;
    if (left < 1) return;
    const size = l.buf[q + 1]!;
    civicElement.kind = 'length';
    civicElement.at = q + 1;
    each(civicElement);
    left--;
    if (size > left) return;
    if (size > 0) {
      civicElement.kind = 'value';
      civicElement.at = q + 2;
      civicElement.size = size;
      each(civicElement);
      left -= size;
    }
    q += 2 + size;
  }
}

/** A field read from a civic address's elements: `lengths` also the LCI length's (one field name in Wireshark). */
function civicElements(read: (l: Layer, v: Values, e: CivicElement) => void, lengths = false): RecordReader {
  return (l, v, _ctx, p, len) =>
    walkCivic(l, p, len, (e) => {
      if (!lengths) read(l, v, e);
      else if (e.kind === 'lci' || e.kind === 'length') read(l, v, e);
    });
}

/** The what byte (at 8) or the country code (at 9, 2 bytes) of a civic address whose LCI length covers them. */
function civicHeader(at: number, size: 1 | 2): RecordReader {
  return (l, v, _ctx, p, len) => {
    if (!locationOf(LOCATION_CIVIC)(l, p, len) || len - 7 < 1) return;
    const lci = l.buf[p + 7]!;
    if (lci > len - 8 || at + size > 8 + lci) return;
    if (size === 1) v.num(l.buf[p + at]!, l.buf, p + at, 1);
    else v.str(asciiText(l.buf, p + at, 2), l.buf, p + at, 2);
  };
}

const powerWatts = (n: number): string => `${Math.floor(n / 10)}.${n % 10}. Watt`;

/** A 24-bit network policy's part (`mask` of its word after the application type). */
const policyPart = (name: string, label: string, mask: number): FieldSpec => ({
  name,
  label,
  type: 'uint',
  bits: 24,
  mask,
  record: numberIn(NETWORK_POLICY, 7, 3, mask),
});

/** A coordinate's 40-bit field as Wireshark shows it: whole degrees (its fraction is always .0000: a bug of its) */
const coordinate =
  (positive: string, negative: string) =>
  (n: number): string => {
    const value = n % 2 ** 34;
    // 9 bits of whole degrees and 25 of fraction, two's complement; Wireshark divides the fraction by 2^25 as an
    // integer, so that it is always 0.
    const negativeValue = value >= 2 ** 33;
    const magnitude = negativeValue ? 2 ** 34 - value : value;
    const degrees = Math.floor(magnitude / 2 ** 25) % 512;
    const hex = value.toString(16).toUpperCase().padStart(10, '0');
    return `${degrees}.0000 degrees ${negativeValue ? negative : positive} (0x${hex})`;
  };

/** A masked part of a word at `at`, drawn under the word (a child). */
function childPart(name: string, label: string, bits: 8 | 16 | 24, mask: number, where: Where, at: number): FieldSpec {
  return {
    name,
    label,
    type: 'uint',
    bits,
    mask,
    child: true,
    record: numberIn(where, at, bits === 8 ? 1 : bits === 16 ? 2 : 3, mask),
  };
}

/** Frame preemption's flags (802.3br), low bit first, and their words. */
const PREEMPTION_FLAGS: readonly (readonly [name: string, tfs: TrueFalse])[] = [
  ['support', SUPPORTED],
  ['enable', ENABLED],
  ['active', ['Active', 'Inactive']],
];

/** Energy-Efficient Ethernet's wake times (802.3az), each 2 bytes. */
const EEE_FIELDS: readonly (readonly [name: string, label: string])[] = [
  ['transmit', 'Transmit'],
  ['receive', 'Receive'],
  ['fallback_receive', 'Fallback Receive'],
  ['echo_transmit', 'Echo Transmit'],
  ['echo_receive', 'Echo Receive'],
];

/** A number of 802.3bt's extension, at `at`. */
const bt = (name: string, label: string, at: number, bits: 8 | 16 | 24, base: 'dec' | 'hex' = 'dec'): FieldSpec => ({
  name: `lldp.ieee.802_3.bt_${name}`,
  label,
  type: 'uint',
  bits,
  base,
  record: numberIn(POWER_BT, at, bits === 8 ? 1 : bits === 16 ? 2 : 3),
});
/** A part of one of 802.3bt's words, under it. */
const btPart = (name: string, label: string, at: number, bits: 8 | 16 | 24, mask: number): FieldSpec =>
  childPart(`lldp.ieee.802_3.bt_${name}`, label, bits, mask, POWER_BT, at);

/** 802.3bt's extension of power via MDI (types 3 and 4 PoE): per-mode power values, status, autoclass, power down. */
const POWER_BT_FIELDS: FieldSpec[] = [
  bt('ds_pd_requested_power_value_mode_a', 'DS PD Requested Power Value Mode A', 14, 16),
  bt('ds_pd_requested_power_value_mode_b', 'DS PD Requested Power Value Mode B', 16, 16),
  bt('ds_pse_allocated_power_value_alt_a', 'DS PSE Allocated Power Value Alt A', 18, 16),
  bt('ds_pse_allocated_power_value_alt_b', 'DS PSE Allocated Power Value Alt B', 20, 16),
  bt('power_status', 'Power Status', 22, 16, 'hex'),
  btPart('pse_powering_status', 'PSE Powering Status', 22, 16, 0xc000),
  btPart('pd_powered_status', 'PD Powered Status', 22, 16, 0x3000),
  btPart('pse_power_pairs_ext', 'PSE Power Pairs ext', 22, 16, 0x0c00),
  btPart('ds_pwr_class_ext_a', 'DS Pwr Class Ext A', 22, 16, 0x0380),
  btPart('ds_pwr_class_ext_b', 'DS Pwr Class Ext B', 22, 16, 0x0070),
  btPart('pwr_class_ext_', 'Pwr Class Ext', 22, 16, 0x000f),
  bt('system_setup', 'System Setup', 24, 8, 'hex'),
  btPart('power_type_ext', 'Power Type Ext', 24, 8, 0x0e),
  bt('pse_maximum_available_power_value', 'PSE Maximum Available Power Value', 25, 16),
  bt('autoclass', 'Autoclass', 27, 8, 'hex'),
  btPart('pse_autoclass_support', 'PSE Autoclass support', 27, 8, 0x04),
  btPart('autoclass_completed', 'Autoclass Completed', 27, 8, 0x02),
  btPart('autoclass_request', 'Autoclass Request', 27, 8, 0x01),
  { ...btPart('autoclass_reserved', 'Autoclass Reserved', 27, 8, 0xf8), base: 'hex' },
  bt('power_down', 'Power down', 28, 24, 'hex'),
  btPart('power_down_request', 'Power down request', 28, 24, 0xfc0000),
  btPart('power_down_time', 'Power down time', 28, 24, 0x03ffff),
];

/** LLDP-MED's fields (TIA's organisation TLVs); a civic address's elements are read by civicElements. */
const MEDIA_FIELDS: FieldSpec[] = [
  {
    name: 'lldp.media.subtype',
    label: 'Media Subtype',
    type: 'uint',
    base: 'hex',
    values: MEDIA_SUBTYPES,
    record: numberIn((l, p) => isOrganization(l, p) && ouiOf(l, p) === OUI_MEDIA, 5, 1),
  },
  {
    name: 'lldp.media.subtype.caps',
    label: 'Capabilities',
    type: 'uint',
    bits: 16,
    base: 'hex',
    record: numberIn(MEDIA_CAPABILITIES, 6, 2),
  },
  ...MEDIA_CAPABILITY_BITS.map(([bit, label], i) =>
    flag(`lldp.media.subtype.caps.${bit}`, label, 16, 1 << i, CAPABLE, MEDIA_CAPABILITIES, 6),
  ),
  {
    name: 'lldp.media.subtype.class',
    label: 'Class Type',
    type: 'uint',
    values: MEDIA_CLASSES,
    record: numberIn(MEDIA_CAPABILITIES, 8, 1),
  },
  {
    name: 'lldp.media.app_type',
    label: 'Application Type',
    type: 'uint',
    values: MEDIA_APPLICATIONS,
    record: numberIn(NETWORK_POLICY, 6, 1),
  },
  // Drawn beside the VLAN, not under a word of their own.
  {
    ...flag('lldp.media.policy_flag', 'Policy', 24, 0x800000, ['Unknown', 'Defined'], NETWORK_POLICY, 7),
    child: false,
  },
  { ...flag('lldp.media.tag_flag', 'Tagged', 24, 0x400000, YES_NO, NETWORK_POLICY, 7), child: false },
  policyPart('lldp.media.vlan_id', 'VLAN Id', 0x1ffe00),
  policyPart('lldp.media.l2_prio', 'L2 Priority', 0x1c0),
  policyPart('lldp.media.dscp', 'DSCP Priority', 0x3f),
  {
    name: 'lldp.media.loc.data_format',
    label: 'Location Data Format',
    type: 'uint',
    values: LOCATION_FORMATS,
    record: numberIn(LOCATION, 6, 1),
  },
  {
    name: 'lldp.media.loc.lat_resolution',
    label: 'Latitude Resolution',
    type: 'uint',
    mask: 0xfc,
    record: numberIn(COORDINATES, 7, 1, 0xfc),
  },
  {
    name: 'lldp.media.loc.latitude',
    label: 'Latitude',
    type: 'uint',
    bits: 40,
    base: 'custom',
    display: coordinate('North', 'South'),
    record: numberIn(COORDINATES, 7, 5),
  },
  {
    name: 'lldp.media.loc.long_resolution',
    label: 'Longitude Resolution',
    type: 'uint',
    mask: 0xfc,
    record: numberIn(COORDINATES, 12, 1, 0xfc),
  },
  {
    name: 'lldp.media.loc.longitude',
    label: 'Longitude',
    type: 'uint',
    bits: 40,
    base: 'custom',
    display: coordinate('East', 'West'),
    record: numberIn(COORDINATES, 12, 5),
  },
  {
    name: 'lldp.media.loc.alt_type',
    label: 'Altitude Type',
    type: 'uint',
    mask: 0xf0,
    values: ALTITUDE_TYPES,
    record: numberIn(COORDINATES, 17, 1, 0xf0),
  },
  {
    name: 'lldp.media.loc.alt_resolution',
    label: 'Altitude Resolution',
    type: 'uint',
    bits: 16,
    mask: 0x0fc0,
    record: numberIn(COORDINATES, 17, 2, 0x0fc0),
  },
  {
    name: 'lldp.media.loc.altitude',
    label: 'Altitude',
    type: 'uint',
    bits: 32,
    mask: 0x3fffffff,
    record: numberIn(COORDINATES, 18, 4, 0x3fffffff),
  },
  { name: 'lldp.media.loc.datum', label: 'Datum', type: 'uint', record: numberIn(COORDINATES, 22, 1) },
  {
    name: 'lldp.media.civic.length',
    label: 'CA Length',
    type: 'uint',
    record: civicElements((l, v, e) => v.num(l.buf[e.at]!, l.buf, e.at, 1), true),
  },
  {
    name: 'lldp.media.civic.what',
    label: 'What',
    type: 'uint',
    values: CIVIC_WHAT,
    record: civicHeader(8, 1),
  },
  { name: 'lldp.media.civic.country', label: 'Country', type: 'string', record: civicHeader(9, 2) },
  {
    name: 'lldp.media.civic.type',
    label: 'CA Type',
    type: 'uint',
    values: CIVIC_TYPES,
    record: civicElements((l, v, e) => {
      if (e.kind === 'type') v.num(l.buf[e.at]!, l.buf, e.at, 1);
    }),
  },
  {
    name: 'lldp.media.civic.value',
    label: 'CA Value',
    type: 'string',
    record: civicElements((l, v, e) => {
      if (e.kind === 'value') v.str(asciiText(l.buf, e.at, e.size), l.buf, e.at, e.size);
    }),
  },
  { name: 'lldp.media.ecs', label: 'ELIN', type: 'string', record: textIn(locationOf(LOCATION_ELIN), 7, true) },
  {
    name: 'lldp.media.power.type',
    label: 'Power Type',
    type: 'uint',
    mask: 0xc0,
    values: MEDIA_POWER_TYPES,
    record: numberIn(MEDIA_POWER, 6, 1, 0xc0),
  },
  {
    name: 'lldp.media.power.source',
    label: 'Power Source',
    type: 'uint',
    mask: 0x30,
    // The number, then its name for the device's power type: a PSE's (type 0), a PD's (1), else Unknown.
    display: (n, buf, off) => {
      const type = buf[off]! >> 6;
      const names = type === 0 ? PSE_POWER_SOURCES : type === 1 ? PD_POWER_SOURCES : null;
      return `${n} ${names === null ? 'Unknown' : (names[n] ?? 'Reserved')}`;
    },
    record: numberIn(MEDIA_POWER, 6, 1, 0x30),
  },
  {
    name: 'lldp.media.power.prio',
    label: 'Power Priority',
    type: 'uint',
    mask: 0x0f,
    values: POWER_PRIORITIES,
    record: numberIn(MEDIA_POWER, 6, 1, 0x0f),
  },
  {
    name: 'lldp.media.power.value',
    label: 'Power Value',
    type: 'uint',
    bits: 16,
    base: 'custom',
    display: (n) => `${n * 100} mW`,
    record: numberIn(MEDIA_POWER, 7, 2),
  },
  ...INVENTORY.map(
    ([name, label], i): FieldSpec => ({
      name: `lldp.media.${name}`,
      label,
      type: 'string',
      record: textIn(orgOf(OUI_MEDIA, 5 + i), 6, true),
    }),
  ),
];

const TLVS = list({
  name: 'lldp.tlv',
  title: tlvTitle,
  in: [{ start: (l) => l.off, end: (l) => l.end }],
  size: tlvSize,
  header: 2,
  last: endsWalk,
  fields: [
    {
      name: 'lldp.tlv.type',
      label: 'TLV Type',
      type: 'uint',
      bits: 16,
      mask: 0xfe00,
      values: TLV_NAMES,
      at: 0,
    },
    { name: 'lldp.tlv.len', label: 'TLV Length', type: 'uint', bits: 16, mask: 0x1ff, at: 0 },
    {
      name: 'lldp.chassis.subtype',
      label: 'Chassis Id Subtype',
      type: 'uint',
      values: CHASSIS_SUBTYPES,
      record: idSubtype(TLV_CHASSIS_ID),
    },
    {
      name: 'lldp.network_address.subtype',
      label: 'Network Address family',
      type: 'uint',
      values: AFN_NAMES,
      record: numberIn(isNetworkId, 3, 1),
    },
    {
      name: 'lldp.chassis.id.mac',
      label: 'Chassis Id',
      type: 'ether',
      record: bytesIn(idOf(TLV_CHASSIS_ID, CHASSIS_MAC), 3),
    },
    {
      name: 'lldp.chassis.id.ip4',
      label: 'Chassis Id',
      type: 'ipv4',
      record: numberIn(networkIdOf(TLV_CHASSIS_ID, AFN_IPV4), 4, 4),
    },
    {
      name: 'lldp.chassis.id.ip6',
      label: 'Chassis Id',
      type: 'ipv6',
      record: bytesIn(networkIdOf(TLV_CHASSIS_ID, AFN_IPV6), 4),
    },
    { name: 'lldp.chassis.id', label: 'Chassis Id', type: 'bytes', record: otherId(TLV_CHASSIS_ID, false) },
    {
      name: 'lldp.port.subtype',
      label: 'Port Id Subtype',
      type: 'uint',
      values: PORT_SUBTYPES,
      record: idSubtype(TLV_PORT_ID),
    },
    { name: 'lldp.port.id.mac', label: 'Port Id', type: 'ether', record: bytesIn(idOf(TLV_PORT_ID, PORT_MAC), 3) },
    {
      name: 'lldp.port.id.ip4',
      label: 'Port Id',
      type: 'ipv4',
      record: numberIn(networkIdOf(TLV_PORT_ID, AFN_IPV4), 4, 4),
    },
    {
      name: 'lldp.port.id.ip6',
      label: 'Port Id',
      type: 'ipv6',
      record: bytesIn(networkIdOf(TLV_PORT_ID, AFN_IPV6), 4),
    },
    { name: 'lldp.port.id', label: 'Port Id', type: 'string', record: otherId(TLV_PORT_ID, true) },
    { name: 'lldp.time_to_live', label: 'Seconds', type: 'uint', bits: 16, record: numberIn(ofType(TLV_TTL), 2, 2) },
    {
      name: 'lldp.port.desc',
      label: 'Port Description',
      type: 'string',
      record: textIn(ofType(TLV_PORT_DESCRIPTION), 2),
    },
    {
      name: 'lldp.tlv.system.name',
      label: 'System Name',
      type: 'string',
      record: textIn(ofType(TLV_SYSTEM_NAME), 2),
    },
    {
      name: 'lldp.tlv.system.desc',
      label: 'System Description',
      type: 'string',
      record: textIn(ofType(TLV_SYSTEM_DESCRIPTION), 2),
    },
    {
      name: 'lldp.tlv.system_cap',
      label: 'Capabilities',
      type: 'uint',
      bits: 16,
      base: 'hex',
      record: numberIn(ofType(TLV_CAPABILITIES), 2, 2),
    },
    ...capabilities('lldp.tlv.system_cap', ofType(TLV_CAPABILITIES), 2),
    {
      name: 'lldp.tlv.enable_system_cap',
      label: 'Enabled Capabilities',
      type: 'uint',
      bits: 16,
      base: 'hex',
      record: numberIn(ofType(TLV_CAPABILITIES), 4, 2),
    },
    ...capabilities('lldp.tlv.enable_system_cap', ofType(TLV_CAPABILITIES), 4),
    { name: 'lldp.mgn.address.len', label: 'Address String Length', type: 'uint', record: numberIn(MANAGEMENT, 2, 1) },
    {
      name: 'lldp.mgn.address.subtype',
      label: 'Address Subtype',
      type: 'uint',
      values: AFN_NAMES,
      record: numberIn(MANAGEMENT, 3, 1),
    },
    {
      name: 'lldp.mgn.addr.ip4',
      label: 'Management Address',
      type: 'ipv4',
      record: numberIn((l, p, len) => MANAGEMENT(l, p, len) && l.buf[p + 3] === AFN_IPV4, 4, 4),
    },
    {
      name: 'lldp.mgn.addr.ip6',
      label: 'Management Address',
      type: 'ipv6',
      record: (l, v, _ctx, p, len) => {
        if (len >= 20 && MANAGEMENT(l, p, len) && l.buf[p + 3] === AFN_IPV6) v.bytes(l.buf, p + 4, 16);
      },
    },
    {
      name: 'lldp.mgn.addr.hex',
      label: 'Management Address',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        if (len < 4 || !MANAGEMENT(l, p, len)) return;
        const family = l.buf[p + 3];
        const n = l.buf[p + 2]! - 1;
        if (family !== AFN_IPV4 && family !== AFN_IPV6 && n > 0 && 4 + n <= len) v.bytes(l.buf, p + 4, n);
      },
    },
    {
      name: 'lldp.mgn.interface.subtype',
      label: 'Interface Subtype',
      type: 'uint',
      values: INTERFACE_SUBTYPES,
      record: pastAddress(0, 1),
    },
    { name: 'lldp.mgn.interface.number', label: 'Interface Number', type: 'uint', bits: 32, record: pastAddress(1, 4) },
    { name: 'lldp.mgn.obj.len', label: 'OID String Length', type: 'uint', record: pastAddress(5, 1) },
    {
      name: 'lldp.mgn.obj.id',
      label: 'Object Identifier',
      type: 'string',
      display: (_n, _buf, _off, text) => `${text} (${oidNamed(text)})`,
      record: (l, v, _ctx, p, len) => {
        if (!MANAGEMENT(l, p, len) || len < 3) return;
        const q = afterAddress(l, p) + 6;
        const n = q <= len ? l.buf[p + q - 1]! : 0;
        if (n > 0 && q + n <= len) v.str(oidText(l.buf, p + q, n), l.buf, p + q, n);
      },
    },
    {
      name: 'lldp.orgtlv.oui',
      label: 'Organization Unique Code',
      type: 'uint',
      bits: 24,
      base: 'oui',
      display: ouiText,
      record: numberIn((l, p) => isOrganization(l, p), 2, 3),
    },
    {
      name: 'lldp.ieee.802_1.subtype',
      label: 'IEEE 802.1 Subtype',
      type: 'uint',
      base: 'hex',
      values: IEEE_802_1_SUBTYPES,
      record: numberIn((l, p) => isOrganization(l, p) && ouiOf(l, p) === OUI_IEEE_802_1, 5, 1),
    },
    {
      name: 'lldp.ieee.802_1.port_vlan.id',
      label: 'Port VLAN Identifier',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      record: numberIn(PORT_VLAN, 6, 2),
    },
    {
      name: 'lldp.ieee.802_1.port_and_vlan_id_flag',
      label: 'Flags',
      type: 'uint',
      base: 'hex',
      record: numberIn(PROTOCOL_VLAN, 6, 1),
    },
    flag(
      'lldp.ieee.802_1.port_and_vlan_id_flag.supported',
      'Port and Protocol VLAN',
      8,
      0x02,
      SUPPORTED,
      PROTOCOL_VLAN,
      6,
    ),
    flag('lldp.ieee.802_1.port_and_vlan_id_flag.enabled', 'Port and Protocol VLAN', 8, 0x04, ENABLED, PROTOCOL_VLAN, 6),
    {
      name: 'lldp.ieee.802_1.port_proto_vlan.id',
      label: 'Port and Protocol VLAN Identifier',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      record: numberIn(PROTOCOL_VLAN, 7, 2),
    },
    {
      name: 'lldp.ieee.802_1.vlan.id',
      label: 'VLAN Identifier',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      record: numberIn(VLAN_NAME, 6, 2),
    },
    {
      name: 'lldp.ieee.802_1.vlan.name_len',
      label: 'VLAN Name Length',
      type: 'uint',
      record: numberIn(VLAN_NAME, 8, 1),
    },
    { name: 'lldp.ieee.802_1.vlan.name', label: 'VLAN Name', type: 'string', record: counted(VLAN_NAME, 8, true) },
    {
      name: 'lldp.ieee.802_1.proto.id_length',
      label: 'Protocol Identity Length',
      type: 'uint',
      record: numberIn(PROTOCOL_IDENTITY, 6, 1),
    },
    {
      name: 'lldp.ieee.802_1.proto.id',
      label: 'Protocol Identity',
      type: 'bytes',
      record: counted(PROTOCOL_IDENTITY, 6, false),
    },
    ...aggregation('802_1', AGGREGATION_802_1),
    {
      name: 'lldp.ieee.802_3.subtype',
      label: 'IEEE 802.3 Subtype',
      type: 'uint',
      base: 'hex',
      values: IEEE_802_3_SUBTYPES,
      record: numberIn((l, p) => isOrganization(l, p) && ouiOf(l, p) === OUI_IEEE_802_3, 5, 1),
    },
    {
      name: 'lldp.ieee.802_3.mac_phy_auto_neg_status',
      label: 'Auto-Negotiation Support/Status',
      type: 'uint',
      base: 'hex',
      record: numberIn(MAC_PHY, 6, 1),
    },
    flag('lldp.ieee.802_3.mac_phy_auto_neg_status.supported', 'Auto-Negotiation', 8, 0x01, SUPPORTED, MAC_PHY, 6),
    flag('lldp.ieee.802_3.mac_phy_auto_neg_status.enabled', 'Auto-Negotiation', 8, 0x02, ENABLED, MAC_PHY, 6),
    {
      name: 'lldp.ieee.802_3.pmd_auto_neg_advertised_caps',
      label: 'PMD Auto-Negotiation Advertised Capability',
      type: 'uint',
      bits: 16,
      base: 'hex',
      record: numberIn(MAC_PHY, 7, 2),
    },
    ...AUTONEG_BITS.map(([bit, label], i) =>
      flag(`lldp.ieee.802_3.pmd_auto_neg_advertised_caps.${bit}`, label, 16, 1 << i, CAPABLE, MAC_PHY, 7),
    ),
    ...AUTONEG_BITS.map(([bit, label], i) =>
      flag(`lldp.ieee.802_3.pmd_auto_neg_advertised_caps_inv.${bit}`, label, 16, 0x8000 >> i, CAPABLE, MAC_PHY, 7),
    ),
    {
      name: 'lldp.ieee.802_3.pmd_mau_type',
      label: 'Operational MAU Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: MAU_TYPES,
      record: numberIn(MAC_PHY, 9, 2),
    },
    {
      name: 'lldp.ieee.802_3.mdi_power_support',
      label: 'MDI Power Support',
      type: 'uint',
      base: 'hex',
      record: numberIn(POWER, 6, 1),
    },
    flag('lldp.ieee.802_3.mdi_power_support.port_class', 'Port Class', 8, 0x01, ['PSE', 'PD'], POWER, 6),
    flag('lldp.ieee.802_3.mdi_power_support.supported', 'PSE MDI Power', 8, 0x02, SUPPORTED, POWER, 6),
    flag('lldp.ieee.802_3.mdi_power_support.enabled', 'PSE MDI Power', 8, 0x04, ENABLED, POWER, 6),
    flag('lldp.ieee.802_3.mdi_power_support.pse_pairs', 'PSE Pairs Control Ability', 8, 0x08, YES_NO, POWER, 6),
    { name: 'lldp.ieee.802_3.mdi_pse_pair', label: 'PSE Power Pair', type: 'uint', record: numberIn(POWER, 7, 1) },
    {
      name: 'lldp.ieee.802_3.mdi_power_class',
      label: 'Power Class',
      type: 'uint',
      values: POWER_CLASSES,
      record: numberIn(POWER, 8, 1),
    },
    {
      name: 'lldp.ieee.802_3.mdi_power_type',
      label: 'Power Type',
      type: 'uint',
      mask: 0xc0,
      values: POWER_TYPES,
      record: numberIn(POWER_DETAIL, 9, 1, 0xc0),
    },
    {
      name: 'lldp.ieee.802_3.mdi_power_source',
      label: 'Power Source',
      type: 'uint',
      mask: 0x30,
      // `1 Primary Power Source`: the number, then its name for the device's power type (a PSE's or a PD's).
      display: (n, buf, off) =>
        `${n} ${((buf[off]! >> 6) & 1 ? PD_POWER_SOURCES : PSE_POWER_SOURCES)[n] ?? 'Reserved'}`,
      record: numberIn(POWER_DETAIL, 9, 1, 0x30),
    },
    {
      name: 'lldp.ieee.802_3.mdi_power_priority',
      label: 'Power Priority',
      type: 'uint',
      mask: 0x0f,
      values: POWER_PRIORITIES,
      record: numberIn(POWER_DETAIL, 9, 1, 0x0f),
    },
    {
      name: 'lldp.ieee.802_3.mdi_pde_requested',
      label: 'PD Requested Power Value',
      type: 'uint',
      bits: 16,
      base: 'custom',
      display: powerWatts,
      record: numberIn(POWER_DETAIL, 10, 2),
    },
    {
      name: 'lldp.ieee.802_3.mdi_pse_allocated',
      label: 'PSE Allocated Power Value',
      type: 'uint',
      bits: 16,
      base: 'custom',
      display: powerWatts,
      record: numberIn(POWER_DETAIL, 12, 2),
    },
    ...POWER_BT_FIELDS,
    ...aggregation('802_3', AGGREGATION_802_3),
    {
      name: 'lldp.ieee.802_3.max_frame_size',
      label: 'Maximum Frame Size',
      type: 'uint',
      bits: 16,
      record: numberIn(MAX_FRAME, 6, 2),
    },
    ...MEDIA_FIELDS,
    ...EEE_FIELDS.map(
      ([name, label], i): FieldSpec => ({
        name: `lldp.ieee.802_3.eee.${name}`,
        label,
        type: 'uint',
        bits: 16,
        record: numberIn(EEE, 6 + 2 * i, 2),
      }),
    ),
    {
      name: 'lldp.ieee.802_3br.eac',
      label: 'Additional Ethernet Capabilities',
      type: 'uint',
      bits: 16,
      base: 'hex',
      // `0x002d, Preemption capabilities support, Preemption capabilities active`: the flags set, named after it.
      display: (n) =>
        `0x${n.toString(16).padStart(4, '0')}${PREEMPTION_FLAGS.filter((_, i) => n & (1 << i))
          .map(([name]) => `, Preemption capabilities ${name}`)
          .join('')}`,
      record: numberIn(PREEMPTION, 6, 2),
    },
    ...PREEMPTION_FLAGS.map(([name, tfs], i) =>
      flag(`lldp.ieee.802_3br.aec.${name}`, `Preemption capabilities ${name}`, 16, 1 << i, tfs, PREEMPTION, 6),
    ),
    childPart('lldp.ieee.802_3br.aec.addfragsize', 'Additional Fragment Size', 16, 0x0018, PREEMPTION, 6),
    { ...childPart('lldp.ieee.802_3br.aec.reserved', 'Reserved', 16, 0xffe0, PREEMPTION, 6), base: 'hex' },
    { name: 'lldp.unknown_subtype', label: 'Unknown Subtype', type: 'uint', record: numberIn(UNKNOWN_ORG, 5, 1) },
    {
      name: 'lldp.unknown_subtype.content',
      label: 'Unknown Subtype Content',
      type: 'bytes',
      record: bytesIn(UNKNOWN_ORG, 6),
    },
  ],
});

/** An ID TLV's subtype, where Wireshark draws it (a TLV of 2 bytes or more). */
function idSubtype(type: number): RecordReader {
  return (l, v, _ctx, p) => {
    if (tlvType(l, p) === type && tlvLength(l, p) >= 2) v.num(l.buf[p + 2]!, l.buf, p + 2, 1);
  };
}

/**
 * An ID that is neither a MAC address nor an IPv4 or IPv6 address: a network address of another family (from byte
 * 4), or an ID of any other subtype (from byte 3); as bytes (chassis IDs) or as a string (port IDs).
 */
function otherId(type: number, asText: boolean): RecordReader {
  const macSubtype = type === TLV_CHASSIS_ID ? CHASSIS_MAC : PORT_MAC;
  const networkSubtype = type === TLV_CHASSIS_ID ? CHASSIS_NETWORK : PORT_NETWORK;
  return (l, v, _ctx, p, len) => {
    if (tlvType(l, p) !== type || !idValid(l, p, macSubtype, networkSubtype)) return;
    const subtype = l.buf[p + 2];
    if (subtype === macSubtype) return;
    const family = l.buf[p + 3];
    if (subtype === networkSubtype && (family === AFN_IPV4 || family === AFN_IPV6)) return;
    const at = subtype === networkSubtype ? 4 : 3;
    if (asText) v.str(asciiText(l.buf, p + at, len - at), l.buf, p + at, len - at);
    else v.bytes(l.buf, p + at, len - at);
  };
}

/** The names Wireshark gives an object identifier's first arc. */
const OID_ROOTS: Readonly<Record<string, string>> = { 0: 'itu-t', 1: 'iso', 2: 'joint-iso-itu-t' };

/** `iso.3.6.1.4.1.9`: an object identifier with its first arc named, as Wireshark resolves it with no MIB loaded. */
function oidNamed(dotted: string): string {
  const dot = dotted.indexOf('.');
  const first = dot < 0 ? dotted : dotted.slice(0, dot);
  return (OID_ROOTS[first] ?? first) + (dot < 0 ? '' : dotted.slice(dot));
}

/** An object identifier's BER bytes as its dotted numbers (`1.3.6.1.4.1.9`). */
function oidText(buf: Uint8Array, off: number, size: number): string {
  const arcs: number[] = [];
  let n = 0;
  for (let i = off; i < off + size; i++) {
    n = n * 128 + (buf[i]! & 0x7f);
    if (buf[i]! & 0x80) continue;
    if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
    else arcs.push(n);
    n = 0;
  }
  return arcs.join('.');
}

/**
 * An ID as Wireshark's title and info column show it: a MAC or IP address, an ID of text (to its first NUL), or of
 * bytes in hex; `Reserved` for a subtype it does not know. Of text or bytes, its first `bytes`.
 */
function idText(l: Layer, p: number, type: number, bytes = Infinity): string {
  const subtype = l.buf[p + 2]!;
  const n = Math.min(tlvLength(l, p), bytes + 1);
  const chassis = type === TLV_CHASSIS_ID;
  if (subtype === (chassis ? CHASSIS_MAC : PORT_MAC)) return mac(l.buf, p + 3);
  if (subtype === (chassis ? CHASSIS_NETWORK : PORT_NETWORK)) {
    const family = l.buf[p + 3];
    if (family === AFN_IPV4) return ipv4(l.buf, p + 4);
    if (family === AFN_IPV6) return ipv6(l.buf, p + 4);
    return shownHex(l.buf, p + 4, n - 2);
  }
  if (subtype === (chassis ? CHASSIS_HEX : PORT_HEX)) return shownHex(l.buf, p + 3, n - 1);
  if ((chassis ? CHASSIS_KINDS : PORT_KINDS)[subtype] === undefined) return 'Reserved';
  return formatText(l.buf, p + 3, n - 1, true);
}

/** A TLV's subtree title, as Wireshark writes each type's. */
function tlvTitle(l: Layer, p: number, len: number): string {
  const type = tlvType(l, p);
  const n = tlvLength(l, p);
  const value = () => formatText(l.buf, p + 2, n, true);
  switch (type) {
    case TLV_CHASSIS_ID:
    case TLV_PORT_ID: {
      const chassis = type === TLV_CHASSIS_ID;
      const subtype = len > 2 ? l.buf[p + 2]! : 0;
      const name = (chassis ? CHASSIS_SUBTYPES : PORT_SUBTYPES)[subtype] ?? (chassis ? 'Reserved' : 'Unknown');
      const valid = chassis ? chassisValid(l, p) : portValid(l, p);
      // The ID is appended to the title.
      return appendedTitle(
        `${chassis ? 'Chassis' : 'Port'} Subtype = ${name}${valid ? `, Id: ${idText(l, p, type)}` : ''}`,
      );
    }
    case TLV_TTL:
      return `Time To Live = ${len >= 4 ? l.dv.getUint16(p + 2) : 0} sec`;
    case TLV_END:
      return 'End of LLDPDU';
    case TLV_PORT_DESCRIPTION:
      return `Port Description = ${value()}`;
    case TLV_SYSTEM_NAME:
      return `System Name = ${value()}`;
    case TLV_SYSTEM_DESCRIPTION:
      return `System Description = ${value()}`;
    case TLV_CAPABILITIES:
      return 'Capabilities';
    case TLV_MANAGEMENT_ADDRESS:
      return 'Management Address';
    case TLV_ORGANIZATION:
      return organizationTitle(l, p);
  }
  return 'Unknown TLV';
}

/** `IEEE - Port VLAN ID`: the organisation's name (Wireshark's manuf file) and the subtype's. */
function organizationTitle(l: Layer, p: number): string {
  if (tlvLength(l, p) < 4) return 'Unknown - Unknown (0)';
  const oui = ouiOf(l, p);
  const subtype = l.buf[p + 5]!;
  const names =
    oui === OUI_IEEE_802_1
      ? IEEE_802_1_SUBTYPES
      : oui === OUI_IEEE_802_3
        ? IEEE_802_3_SUBTYPES
        : oui === OUI_MEDIA
          ? MEDIA_SUBTYPES
          : null;
  const subtypeName =
    names !== null
      ? (names[subtype] ?? `Unknown subtype 0x${subtype.toString(16)}`)
      : OWN_READERS.has(oui)
        ? `Subtype ${subtype}`
        : `Unknown (${subtype})`;
  return `${OUI_NAMES[oui] ?? 'Unknown'} - ${subtypeName}`;
}

const LLDP_FIELDS = declareFields(() => [protocolField('lldp', 'Link Layer Discovery Protocol'), ...TLVS.fields]);

const INVERSE_FIRST = 'lldp.ieee.802_3.pmd_auto_neg_advertised_caps_inv.1000base_tfd';
/** A network address ID's family, drawn after the ID's subtype (one field in chassis and port IDs alike). */
const FAMILY = 'lldp.network_address.subtype';
const ID_SUBTYPES = new Set(['lldp.chassis.subtype', 'lldp.port.subtype']);

const values = new Values();
/** The -V tree's walk, and the one of the line, the audit and overrun (which the tree's readers may use). */
const treeCursor = TLVS.cursor();
const tlvCursor = TLVS.cursor();
/** The list's fields by name, made at the first tree drawn (fields are built lazily, as every protocol's). */
const named = new Map<string, Field>();
const fieldNamed = (name: string): Field => {
  if (named.size === 0) for (const f of TLVS.fields) named.set(f.name, f);
  return named.get(name)!;
};
/** Drawn by civicTree, in their order. */
const CIVIC_NAMES = new Set([
  'lldp.media.civic.length',
  'lldp.media.civic.what',
  'lldp.media.civic.country',
  'lldp.media.civic.type',
  'lldp.media.civic.value',
]);

/** -V as Wireshark's: each TLV a subtree of its type, length and value, flags under their word. */
function lldpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  for (let ok = treeCursor.region(l, 0, -1, 0); ok; ok = treeCursor.step(l)) {
    const { p, len } = treeCursor;
    visitText(visit, TLVS.title(l, p, len), l.buf, p, len, 1);
    for (const f of TLVS.fields) {
      if (f.name === FAMILY || CIVIC_NAMES.has(f.name)) continue;
      values.n = 0;
      f.recordRead!(l, values, ctx, p, len);
      if (values.n === 0) continue;
      // The advertised capabilities again, in the bit order some senders use (Wireshark's subtree).
      if (f.name === INVERSE_FIRST) visitText(visit, 'Same in inverse (wrong) bitorder', l.buf, p + 7, 2, 2);
      visit(f, values, 2); // a child (a bit) is drawn one deeper by the visit
      if (ID_SUBTYPES.has(f.name)) {
        values.n = 0;
        fieldNamed(FAMILY).recordRead!(l, values, ctx, p, len);
        if (values.n > 0) visit(fieldNamed(FAMILY), values, 2);
      }
      if (f.name === 'lldp.media.loc.data_format') civicTree(l, ctx, p, len, visit);
    }
  }
}

/**
 * A civic address's lines in the order Wireshark draws them: the LCI length, what and country, then each element's
 * type, length and value (the lengths are one field, `lldp.media.civic.length`, whose first is the LCI's).
 */
function civicTree(
  l: Layer,
  ctx: PacketCtx,
  p: number,
  len: number,
  visit: (f: Field, v: Values, depth: number) => void,
): void {
  walkCivic(l, p, len, (e) => {
    values.n = 0;
    if (e.kind === 'lci') {
      visitText(visit, `LCI Length: ${l.buf[e.at]}`, l.buf, e.at, 1, 2);
      for (const f of [fieldNamed('lldp.media.civic.what'), fieldNamed('lldp.media.civic.country')]) {
        values.n = 0;
        f.recordRead!(l, values, ctx, p, len);
        if (values.n > 0) visit(f, values, 2);
      }
      return;
    }
    if (e.kind === 'value') values.str(asciiText(l.buf, e.at, e.size), l.buf, e.at, e.size);
    else values.num(l.buf[e.at]!, l.buf, e.at, 1);
    visit(fieldNamed(`lldp.media.civic.${e.kind}`), values, 2);
  });
}

/**
 * After the walk: the offset of a TLV that runs past the frame, or -1 where none does (nor where the walk stopped at
 * its bound of 256 TLVs, which a frame of 1,500 bytes can pass only with TLVs of no value).
 */
function overrun(l: Layer): number {
  let end = l.off;
  let last = -1;
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    end = tlvCursor.p + tlvCursor.len;
    last = tlvCursor.p;
  }
  if ((last >= 0 && endsWalk(l, last)) || end >= l.end) return -1;
  // One of the first three out of place ends the walk quietly (Wireshark draws nothing of it).
  const at = place(l, end);
  if (end + 2 <= l.end && at < 3 && tlvType(l, end) !== at + 1) return -1;
  return end;
}

/** The first TLV of `type` in the walk, or -1. */
function firstTlv(l: Layer, type: number): number {
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l))
    if (tlvType(l, tlvCursor.p) === type) return tlvCursor.p;
  return -1;
}

/** `LLDP, ttl: 120s, System-Name 'Device C', Port-ID 'GigabitEthernet1/0/2'`, as CDP's line names a device. */
function lldpSummary(l: Layer, out: TextOut): void {
  out.str('LLDP');
  const ttl = firstTlv(l, TLV_TTL);
  if (ttl >= 0 && tlvLength(l, ttl) >= 2)
    out
      .str(', ttl: ')
      .num(l.dv.getUint16(ttl + 2))
      .byte(0x73);
  const name = systemName(l, Infinity);
  if (name !== null) out.str(", System-Name '").str(name).byte(0x27);
  else {
    const chassis = chassisId(l, Infinity);
    if (chassis !== null) out.str(', Chassis-ID ').str(chassis);
  }
  const port = portId(l, Infinity);
  if (port !== null) out.str(", Port-ID '").str(port).byte(0x27);
}

/** The bytes of a system name and of an ID the audit keeps of an LLDP frame. */
export const LLDP_ID_BYTES = 64;

/**
 * The device an LLDP frame announces, as the audit names it: its system name, or where it gives none its chassis ID
 * (`MA/02:00:00:00:04:aa`), then its port ID (`sw1 (Gi0/1)`); escaped, each of its first 64 bytes; null where it
 * gives neither name nor chassis ID.
 */
export function lldpDevice(l: Layer): string | null {
  const device = systemName(l, LLDP_ID_BYTES) ?? chassisId(l, LLDP_ID_BYTES);
  if (device === null) return null;
  const port = portId(l, LLDP_ID_BYTES);
  return port === null ? device : `${device} (${port})`;
}

/** The system name (its first `bytes`, escaped), or null where there is none or it is empty (starts with a NUL). */
function systemName(l: Layer, bytes: number): string | null {
  const p = firstTlv(l, TLV_SYSTEM_NAME);
  return (p >= 0 && formatText(l.buf, p + 2, Math.min(bytes, tlvLength(l, p)), true)) || null;
}

/** The chassis ID as Wireshark's info column gives it (`MA/02:00:00:00:04:aa`), or null. */
function chassisId(l: Layer, bytes: number): string | null {
  const p = firstTlv(l, TLV_CHASSIS_ID);
  const id = p >= 0 && chassisValid(l, p) ? idText(l, p, TLV_CHASSIS_ID, bytes) : '';
  return id ? `${CHASSIS_KINDS[l.buf[p + 2]!] ?? 'Rs'}/${id}` : null;
}

/** The port ID, or null (an empty one too). */
function portId(l: Layer, bytes: number): string | null {
  const p = firstTlv(l, TLV_PORT_ID);
  return (p >= 0 && portValid(l, p) && idText(l, p, TLV_PORT_ID, bytes)) || null;
}

export const lldp = protocol({
  name: 'lldp',
  abbrev: 'lldp',
  title: 'Link Layer Discovery Protocol',
  hf: LLDP_FIELDS,
  tree: lldpTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 2)) {
      if (l.end > l.off) l.hdrEnd = l.end;
      return;
    }
    // A TLV that runs past the frame: short by what it lacks (Wireshark's exception).
    const p = overrun(l);
    if (p >= 0) ctx.need(l, (p + 2 > l.end ? p + 2 : p + 2 + tlvLength(l, p)) - l.off);
    // What follows the End of LLDPDU (Ethernet's padding) is LLDP's body here, not data of its own.
    l.hdrEnd = l.end;
  },
  json: jsonMembers(LLDP_FIELDS, [
    { name: 'chassisMac', field: 'lldp.chassis.id.mac' },
    { name: 'portId', field: 'lldp.port.id' },
    { name: 'ttl', field: 'lldp.time_to_live' },
    { name: 'systemName', field: 'lldp.tlv.system.name' },
  ]),
  summary: lldpSummary,
});
