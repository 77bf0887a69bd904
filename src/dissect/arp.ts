import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { type Layer, protocol } from './packet.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { jsonMembers } from './json.js';

/** ARP for Ethernet and IPv4 (the only kind tunnels carry); other kinds show the header only. */
/** Wireshark's op_vals and the common hardware types (arp_hrd_vals). */
const OP_VALS = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  8: 'inverse request',
  9: 'inverse reply',
};
const HRD_VALS = {
  1: 'Ethernet',
  6: 'IEEE 802',
  15: 'Frame Relay DLCI',
  18: 'Fibre Channel',
  19: 'ATM (RFC 2225)',
  20: 'Serial Line',
  32: 'InfiniBand',
};
/** ATM (RFC 2225) ARP has another layout (arp.src.htype...), not read here. */
const ARPHRD_ATM2225 = 19;

/** Wireshark's ARP_HW_IS_ETHER and ARP_PRO_IS_IPv4: which addresses are MACs and IPv4 addresses. */
const hwIsEther = (l: Layer): boolean =>
  (l.dv.getUint16(l.off) === 1 || l.dv.getUint16(l.off) === 6) && l.buf[l.off + 4] === 6;
const proIsIpv4 = (l: Layer): boolean =>
  (l.dv.getUint16(l.off + 2) === 0x0800 || l.dv.getUint16(l.off + 2) === 0xcc) && l.buf[l.off + 5] === 4;

/**
 * One of the four addresses: sender (0) or target (1), hardware or protocol,
 * as MAC / IPv4 (`typed`) or as bytes when the header says it is neither.
 */
function address(which: 0 | 1, hw: boolean, typed: boolean): FieldReader {
  return (l, v) => {
    if (l.dv.getUint16(l.off) === ARPHRD_ATM2225) return;
    const hlen = l.buf[l.off + 4]!;
    const plen = l.buf[l.off + 5]!;
    const size = hw ? hlen : plen;
    if (size === 0 || (hw ? hwIsEther(l) : proIsIpv4(l)) !== typed) return;
    const p = l.off + 8 + which * (hlen + plen) + (hw ? 0 : hlen);
    if (p + size > l.end) return;
    if (typed && !hw) v.num(l.dv.getUint32(p), l.buf, p, 4);
    else v.bytes(l.buf, p, size);
  };
}

const ARP_FIELDS = declareFields(() => [
  protocolField('arp', 'Address Resolution Protocol'),
  ...fields(
    { name: 'arp.hw.type', label: 'Hardware type', type: 'uint', bits: 16, values: HRD_VALS, at: 0 },
    {
      name: 'arp.proto.type',
      label: 'Protocol type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      at: 2,
    },
    { name: 'arp.hw.size', label: 'Hardware size', type: 'uint', at: 4 },
    { name: 'arp.proto.size', label: 'Protocol size', type: 'uint', at: 5 },
    { name: 'arp.opcode', label: 'Opcode', type: 'uint', bits: 16, values: OP_VALS, at: 6 },
    { name: 'arp.src.hw_mac', label: 'Sender MAC address', type: 'ether', read: address(0, true, true) },
    { name: 'arp.src.hw', label: 'Sender hardware address', type: 'bytes', read: address(0, true, false) },
    { name: 'arp.src.proto_ipv4', label: 'Sender IP address', type: 'ipv4', read: address(0, false, true) },
    { name: 'arp.src.proto', label: 'Sender protocol address', type: 'bytes', read: address(0, false, false) },
    { name: 'arp.dst.hw_mac', label: 'Target MAC address', type: 'ether', read: address(1, true, true) },
    { name: 'arp.dst.hw', label: 'Target hardware address', type: 'bytes', read: address(1, true, false) },
    { name: 'arp.dst.proto_ipv4', label: 'Target IP address', type: 'ipv4', read: address(1, false, true) },
    { name: 'arp.dst.proto', label: 'Target protocol address', type: 'bytes', read: address(1, false, false) },
  ),
]);

/** The JSON's addresses are written for Ethernet and IPv4 only (as the summary's who-has and is-at). */
const ethernetIpv4 = (l: Layer): boolean => isEthernetIpv4(l.buf, l.off);

export const arp = protocol({
  name: 'arp',
  abbrev: 'arp',
  title: 'Address Resolution Protocol',
  hf: ARP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const hlen = l.buf[l.off + 4]!;
    const plen = l.buf[l.off + 5]!;
    if (!ctx.need(l, 8 + 2 * (hlen + plen))) return;
    l.hdrEnd = l.off + 8 + 2 * (hlen + plen);
  },
  json: jsonMembers(ARP_FIELDS, [
    { name: 'opcode', field: 'arp.opcode' },
    { name: 'senderMac', field: 'arp.src.hw_mac', only: ethernetIpv4 },
    { name: 'senderIp', field: 'arp.src.proto_ipv4', only: ethernetIpv4 },
    { name: 'targetMac', field: 'arp.dst.hw_mac', only: ethernetIpv4 },
    { name: 'targetIp', field: 'arp.dst.proto_ipv4', only: ethernetIpv4 },
  ]),
  label: arpLabel,
  summary(l, out) {
    out.str(arpLabel(l));
    if (!isEthernetIpv4(l.buf, l.off)) return;
    const op = l.dv.getUint16(l.off + 6);
    if (op === 1)
      out
        .byte(0x20)
        .ipv4(l.buf, l.off + 24)
        .str(' tell ')
        .ipv4(l.buf, l.off + 14);
    else if (op === 2)
      out
        .byte(0x20)
        .ipv4(l.buf, l.off + 14)
        .str(' is-at ')
        .mac(l.buf, l.off + 8);
  },
});

/** "ARP who-has", "ARP reply": the two of Ethernet and IPv4, by their opcode; others by number. */
function arpLabel(l: Layer): string {
  const op = l.dv.getUint16(l.off + 6);
  const ethernetIpv4 = isEthernetIpv4(l.buf, l.off);
  return ethernetIpv4 && op === 1 ? 'ARP who-has' : ethernetIpv4 && op === 2 ? 'ARP reply' : `ARP opcode ${op}`;
}

function isEthernetIpv4(buf: Uint8Array, off: number): boolean {
  return buf[off + 4] === 6 && buf[off + 5] === 4 && buf[off] === 0 && buf[off + 1] === 1;
}
