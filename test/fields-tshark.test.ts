import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { protocolCatalogue } from '../src/dissect/field-index.js';
import { TSHARK_NAMES_LIKE_BYTES } from '../src/filter/compile.js';
import {
  bytesOf,
  checksum,
  concat,
  eth,
  gre,
  igmpV3TwoRecords,
  ip4,
  ip6,
  ipv4,
  ipv6,
  macBytes,
  mplsEntry,
  tcp,
  udp,
} from './support/builder.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

const run = promisify(execFile);

/**
 * Every declared field (the catalogue, less the protocols' presence fields)
 * against tshark's own, frame by frame, as both print them with
 * `-T fields -E occurrence=a`: same values, same formats, same occurrences
 * in the same order. One gredump and one tshark process a capture, each
 * given every field at once; two captures at a time. The captures: the
 * fixtures, a few of ../shared/corpus for each protocol, and four built here
 * for the headers none of those has.
 */

/** Corpus captures (../shared/corpus) that carry the protocols declared here, a few of each. */
const CORPUS_FILES = [
  // icmp, icmpv6, ospf, mpls, erspan, arp, vxlan(-gpe), geneve, pim, igmp, ppp, pppoe, 802.1ad: Arkime's synthetic mix
  'arkime/arkime_synthetic.pcap',
  // icmp errors quoting packets; icmpv6 echo, ND and Packet Too Big; ripng
  'tcpdump/PIM_register_register-stop.pcap',
  'arkime/v6.pcap',
  'ndpi/6in4tunnel.pcap',
  // ospf v2 (with icmpv6, pim, igmp) and v3
  'arkime/ospf.pcap',
  'tcpdump/OSPFv3_broadcast_adjacency.pcap',
  // mpls label stacks (with eigrp), erspan III, vxlan, geneve, 802.1ad
  'arkime/mpls-basic.pcap',
  'tcpdump/erspan-type-iii-ft-0.pcap',
  'arkime/gre-erspan-vxlan.pcap',
  'suricata-verify/bug-6402-01__input.pcap',
  'tcpdump/802.1ad_QinQ.pcap',
  // rip v1, v2 and keyed MD5, eigrp, igmp v3, vrrp v2 and v3 (IPv6)
  'tcpdump/ripv1v2.pcap',
  'tcpdump/ripv2_auth.pcap',
  'tcpdump/EIGRP_adjacency.pcap',
  'arkime/igmp.pcap',
  'tcpdump/vrrp.pcap',
  'ndpi/vrrp3.pcapng',
  // sll v2 and v1, ppp in GRE (over IPv4 and IPv6)
  'zeek/linux_dlt_sll2.pcap',
  'zeek/linuxsll-arp.pcap',
  'ndpi/gre.pcapng',
  'zeek/tunnels__gre-pptp.pcap',
  // Frame Relay, GTP-U, ERSPAN III with a platform header (cut; and whole, of a Pensando switch); 802.1ah (PBB)
  // in 802.1Q.
  'tcpdump/OSPFv3_NBMA_adjacencies.pcap',
  'ndpi/ipv6_in_gtp.pcap',
  'tcpdump/erspan-type-iii-pb-1.pcap',
  'zeek/tunnels__gre-erspan3-dot1q.pcap',
  'zeek/pbb.pcap',
  // FabricPath, each frame ending in its checksum
  'suricata-verify/decode-dce__input.pcap',
  // Arista timestamps of 64 and 48 bits, and of versions whose layout is unknown
  'tcpdump/arista_ether.pcap',
  // 802.11 in Aruba's GRE, under types 0x8200 and 0x8300 (not the A-MSDU capture: its subframes, not dissected, add
  // addresses and packets)
  'zeek/tunnels__gre-aruba.pcap',
  'zeek/tunnels__gre-aruba-ccmp.pcap',
  // The declared lists: NHRP's CIEs in extensions (responder, NAT), IS-IS TLVs of LSPs, IGMPv3 queries, MPLS over PPP.
  'tcpdump/NHRP-responder-address.pcap',
  'tcpdump/NHRP_registration.pcap',
  'tcpdump/ios_nhrp.pcap',
  'tcpdump/isis-infinite-loop.pcap',
  'tcpdump/igmpv3-queries.pcap',
  // IGMPv1 (no max resp) and multicast traceroute
  'tcpdump/IGMP_V1.pcap',
  'tcpdump/mtrace.pcap',
  'tcpdump/mpls-traceroute.pcap',
  // IKEv1 on UDP 4500 after the non-ESP marker, NAT keepalives, ESP in UDP
  'tcpdump/isakmp4500.pcap',
  // PPTP's control connection: start, an outgoing call, link info, the call cleared and disconnected
  'ndpi/pptp.pcap',
  // CDP on a GRE tunnel interface and on a LAN (with PVST+, DTP, loopback), and in an ERSPAN mirror
  'tcpdump/various_gre.pcap',
  'suricata-verify/decode-erspan-typeII-01__input.pcap',
  // LLDP of two H3C switches (IEEE 802.1 and 802.3 TLVs, power via MDI), beside ERSPAN type I
  'tcpdump/erspan-type-i-4.pcap',
];

/**
 * Real differences from tshark: a field (`arp.*`: all of a protocol's), and
 * optionally a capture and its frames, whose columns may differ, and why.
 * Anything else that differs fails.
 */
const KNOWN: { field: string; file?: string; frames?: number[]; why: string }[] = [
  {
    field: 'ip.dst ip.addr',
    file: 'crafted-ipv4-options.pcap',
    frames: [6, 7, 8],
    why:
      "a loose or strict source route with a valid pointer: tshark's ip.dst is the route's last address (the " +
      "header's is ip.cur_rt); gredump's stays the header's, which its tunnels and conversations are keyed by",
  },
  {
    field: 'udp.stream udp.time_relative udp.time_delta',
    file: 'crafted-ipv4-options.pcap',
    frames: [6, 7, 8, 9],
    why: "as ip.dst: tshark's conversations of the routed frames are the routes' last addresses', and frame 9 follows",
  },
  {
    field: 'ipv6.hopopts.* ipv6.opt ipv6.opt.*',
    file: 'arkime/arkime_synthetic.pcap',
    frames: [303],
    why:
      "tshark's ESP NULL heuristic reads an encrypted packet's last bytes as next header 0, and reads on: IPv6 " +
      'hop-by-hop headers right after ESP (no IPv6 header before them)',
  },
  {
    field: 'vxlan.flags',
    file: 'arkime/arkime_synthetic.pcap',
    why:
      'VXLAN-GPE: Wireshark shows its 8-bit flags byte under the name of ' +
      "VXLAN's 16-bit flags word; one declaration has one width, so we show " +
      'it for VXLAN only',
  },
  {
    field: 'vxlan.flags_reserved',
    file: 'arkime/arkime_synthetic.pcap',
    why: 'VXLAN-GPE: as vxlan.flags (mask 0xc2 of the byte there, 0x77b7 of the word in VXLAN)',
  },
  {
    field: 'pim.addr_address_family pim.addr_encoding_type pim.unicast pim.group pim.source',
    file: 'tcpdump/PIM_register_register-stop.pcap',
    why: "a Register-Stop's encoded group and source addresses are not read yet (a Hello's are)",
  },
  {
    field: 'isis.hello.reserved',
    why:
      "a LAN hello's priority byte's top bit: Wireshark adds it under isis.hello.reserved (declared with mask 0xfc, " +
      'hex) as a bits item, which -T fields prints in decimal (`0x00,0`); here it is a line of -V only',
  },
  {
    field: 'arp.* frame.protocols',
    file: 'zeek/linux_dlt_sll2.pcap',
    why: 'RARP (EtherType 0x8035) is not dissected; Wireshark dissects it as ARP',
  },
  {
    field: 'eth.*',
    file: 'suricata-verify/decode-dce__input.pcap',
    why:
      "tshark's FabricPath takes the outer Ethernet header as its own " +
      '(hierarchical MAC addresses, cfp.*), not as an eth layer',
  },
  { field: 'eth.*', file: 'crafted-fabricpath.pcap', why: 'as decode-dce' },
  {
    field: 'eigrp.ipv4.prefixlen eigrp.ipv4.destination eigrp.ipv6.prefixlen eigrp.ipv6.destination',
    file: 'eigrp-wide.pcap',
    frames: [1, 2, 8],
    why:
      "a route TLV's second and later destinations are read where RFC 7868 puts them; tshark 4.0 steps one byte " +
      'too far after each and reads garbage (README)',
  },
  ...[
    'cdp.pcap',
    'tcpdump-various_gre.pcap',
    'tcpdump/various_gre.pcap',
    'suricata-verify/decode-erspan-typeII-01__input.pcap',
  ].map((file) => ({
    field: 'cdp.ip_prefix',
    file,
    why:
      'tshark 4.0 stores a prefix in host order where it wants network order: 10.110.110.0 is 0.110.110.10 on a ' +
      'little-endian machine (-V shows it right); here the address as sent',
  })),
  {
    field: 'frame.protocols data.*',
    file: 'llc-stp.pcap',
    why: "a BPDU sent to GVRP's address: tshark's STP hands it to GVRP (stp:gvrp), which is not read here (data)",
  },
  ...['llc-stp.pcap', 'arkime/arkime_synthetic.pcap'].map((file) => ({
    field: 'llc.control.ftype',
    file,
    why: "an I or S frame's is 16 bits wide in tshark (0x0000), a U frame's 8 (0x03): one declaration has one width",
  })),
  {
    field: 'gre.* frame.protocols',
    file: 'ike-v2-child.pcap',
    why:
      "tshark's ESP-NULL heuristic takes an encrypted ESP packet (frame 17) " +
      'for NULL ESP carrying GRE, which it then calls malformed; we also ' +
      'check the inner header',
  },
  ...[
    'arkime/arkime_synthetic.pcap',
    'arkime/v6.pcap',
    'ndpi/6in4tunnel.pcap',
    'suricata-verify/bug-6402-01__input.pcap',
    'zeek/tunnels__gre-aruba.pcap',
  ].map((file) => ({
    field: 'frame.protocols data.*',
    file,
    why: "a TCP segment tshark's stream analysis takes for a retransmission: it hands the payload to no protocol",
  })),
  {
    field: 'frame.protocols data.*',
    file: 'tcp-analysis.pcap',
    frames: [15, 17, 19],
    why:
      "segments tshark's stream analysis takes for a retransmission, a spurious one and one out of order: it hands " +
      'their payload to no protocol (gredump reads it, whether or not it analyses the stream)',
  },
  ...[
    { file: 'tcpdump-pptp.pcap', frames: [9, 14] },
    { file: 'ndpi/pptp.pcap', frames: [19] },
  ].map(({ file, frames }) => ({
    field: 'frame.protocols pptp.*',
    file,
    frames,
    why: "a PPTP message tshark's stream analysis takes for a retransmission: it hands it to no protocol, we read it",
  })),
  {
    field: 'frame.protocols bgp.* _ws.*',
    file: 'bgp.pcap',
    frames: [14, 15, 42, 43, 48],
    why:
      'a BGP message split over two segments: tshark reassembles it and reads it in the second; without TCP ' +
      'reassembly gredump reads what each segment holds (the first cut short, the second a continuation), as tshark ' +
      'with bgp.desegment off (the -V test holds it to that); 42, 43 and 48 are first segments whose rest never comes',
  },
  {
    field: 'pptp.host_name pptp.vendor_name',
    file: 'pptp-control.pcap',
    frames: [28],
    why: 'names of control bytes: tshark 4.0 writes them raw in -T fields (\\x01, ESC), we as -V shows them (\\001)',
  },
  {
    field: 'cdp.deviceid cdp.platform',
    file: 'cdp.pcap',
    frames: [16],
    why: 'a name of control bytes: tshark 4.0 writes them raw in -T fields (ESC, \\x07), we as -V shows them (\\033)',
  },
  {
    field: 'lldp.tlv.system.name lldp.port.id',
    file: 'lldp.pcap',
    frames: [2, 4],
    why: 'IDs of control bytes: tshark 4.0 writes them raw in -T fields (ESC, \\x01), we as -V shows them (\\033)',
  },
  {
    field: 'lcp.message chap.name',
    file: 'ppp-options.pcap',
    frames: [18, 41],
    why: 'text of control bytes: tshark 4.0 writes them raw in -T fields (\\x01, ESC), we as -V shows them (\\001)',
  },
  {
    field: 'frame.protocols data.*',
    file: 'crafted-cut.pcap',
    why: "IPv4's total length of 0 (segmentation offload): tshark's TCP hands the payload to no protocol",
  },
  {
    field: 'frame.protocols data.*',
    file: 'dmvpn.pcap',
    why: "an ICMP echo quoted in an NHRP error indication: its data is not read apart from the quote's ICMP",
  },
  {
    field: 'frame.protocols data.*',
    file: 'l2tpv3.pcap',
    why: "L2TPv3's payload with no pseudowire type: tshark's guess differs (data, or an EtherType with no Ethernet)",
  },
  { field: 'frame.protocols', file: 'l2tpv3-cookies.pcap', why: 'as l2tpv3.pcap' },
  {
    field: 'l2tp.avp.tx_connect_speed_v3 l2tp.avp.rx_connect_speed_v3',
    file: 'l2tp-control.pcap',
    why: 'tshark 4.0 declares them BASE_HEX and shows them in hex in -V, but -T fields writes them in decimal',
  },
  {
    field: 'l2tp.avp.csu.res l2tp.avp.csu.remote_session_id',
    file: 'l2tp-control.pcap',
    why:
      "tshark 4.0 registers L2TPv3's Connect Speed Update remote session ID under l2tp.avp.csu.res (RFC 5515's " +
      'L2TPv2 reserved word)',
  },
  ...['tcpdump/erspan-type-iii-ft-0.pcap', 'zeek/linux_dlt_sll2.pcap', 'zeek/tunnels__gre-erspan3-dot1q.pcap'].map(
    (file) => ({
      field: 'data.*',
      file,
      why: "an ICMP echo's data that begins with a time: tshark reads 8 bytes of it as icmp.data_time (undeclared)",
    }),
  ),
  ...['wlan-aruba.pcap', 'wlan-qos.pcap'].map((file) => ({
    field: 'data.*',
    file,
    why: "a WEP-protected 802.11 frame: tshark reads its last 4 bytes as the WEP ICV (undeclared), here they're data",
  })),
  {
    field: 'ospf.tlv_type ospf.tlv_length ospf.lls.ext.*',
    file: 'suricata-verify/decode-dce__input.pcap',
    why:
      "tshark's FabricPath takes the frame's last 4 bytes for its FCS (0x00000001), which cuts the OSPF LLS " +
      "block's options TLV out of tshark's IP payload (Malformed Packet there)",
  },
  {
    field: 'frame.protocols',
    file: 'tcpdump/erspan-type-iii-pb-1.pcap',
    why: 'tshark names a raw IP link type (`raw`) a protocol',
  },
];

/** A known difference's fields: names, or `proto.*`, parted by spaces. */
const knownFor = (field: string, file: string, frame: number) =>
  KNOWN.find(
    (k) =>
      k.field
        .split(' ')
        .some((name) => name === field || (name.endsWith('.*') && field.startsWith(name.slice(0, -1)))) &&
      (k.file === undefined || k.file === file) &&
      (k.frames === undefined || k.frames.includes(frame)),
  );

/** A classic pcap of the frames, microsecond times one second apart; `captured[i]` cuts frame i, as a snap length. */
function pcap(linktype: number, frames: Uint8Array[], captured: number[] = []): Uint8Array {
  const head = new DataView(new ArrayBuffer(24));
  head.setUint32(0, 0xa1b2c3d4, true);
  head.setUint16(4, 2, true);
  head.setUint16(6, 4, true);
  head.setUint32(16, 65535, true);
  head.setUint32(20, linktype, true);
  const parts: Uint8Array[] = [new Uint8Array(head.buffer)];
  frames.forEach((f, i) => {
    const rec = new DataView(new ArrayBuffer(16));
    rec.setUint32(0, 1_700_000_000 + i, true);
    const kept = Math.min(f.length, captured[i] ?? f.length);
    rec.setUint32(8, kept, true);
    rec.setUint32(12, f.length, true);
    parts.push(new Uint8Array(rec.buffer), f.subarray(0, kept));
  });
  return concat(...parts);
}

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
const inner = () =>
  ipv4(udp(bytesOf('hello'), { srcPort: 1000, dstPort: 2000 }), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 });

/**
 * Headers no capture at hand has, built here: the WCCPv2 redirect header,
 * ARP of other hardware and protocols, an IGMPv3 query with sources and a
 * report with records, GTP-U with a sequence number, FabricPath with its
 * checksum, Arista timestamps, MPLS stacks of several labels,
 * ICMPv6 Parameter Problem, Linux cooked headers of a GRE device, an
 * 802.2 protocol number and an 8-byte address, and Frame Relay addresses of
 * 3 and 4 bytes (with and without DL-CORE control), a pad before the NLPID,
 * SNAP and Cisco's encapsulation, and ERSPAN III's platform sub-headers.
 */
/**
 * Geneve with options: Google's three (VNID, endpoint, profile), a critical one with reserved flags and no data, an
 * experimental one; then one whose option runs past the options.
 */
function genevePackets(): Uint8Array[] {
  const option = (optionClass: number, type: number, data: Uint8Array, flags = 0) =>
    concat(Uint8Array.of(optionClass >> 8, optionClass & 0xff, type, (flags << 5) | (data.length / 4)), data);
  const vnid = new Uint8Array(4);
  new DataView(vnid.buffer).setUint32(0, (123456 << 4) | 0x5);
  const options = concat(
    option(0x0132, 1, vnid),
    option(0x0132, 2, Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7)),
    option(0x0132, 3, Uint8Array.of(0, 0, 0, 0, 0, 0, 0x30, 0x39)),
    option(0x0105, 0x85, new Uint8Array(0), 5),
    option(0xfff1, 0x02, bytesOf('abcd')),
  );
  const inner = eth(
    ipv4(udp(bytesOf('x'), { srcPort: 1, dstPort: 2 }), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }),
    {
      type: 0x0800,
    },
  );
  const packet = (header: Uint8Array) =>
    eth(
      ipv4(udp(concat(header, inner), { srcPort: 5000, dstPort: 6081 }), {
        src: '192.0.2.1',
        dst: '192.0.2.2',
        proto: 17,
      }),
      {
        type: 0x0800,
      },
    );
  const runsPast = concat(Uint8Array.of(2, 0, 0x65, 0x58, 0, 0, 77, 0, 0x01, 0x01, 1, 5), bytesOf('zzzz'));
  return [packet(concat(Uint8Array.of(options.length / 4, 0xc0, 0x65, 0x58, 0, 0, 77, 5), options)), packet(runsPast)];
}

/**
 * IPv4 and IPv6 datagrams in fragments (a UDP datagram of 48 bytes, or a part of it, with its `id`): in order, out of
 * order with a 1-byte last fragment, overlapping with other bytes there and a duplicate, two last fragments that
 * disagree, one that starts past the end, an empty one (not reassembled), and 24 (a title past a label's length).
 */
function fragmentFrames(): Uint8Array[] {
  const datagram = udp(bytesOf('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'.slice(0, 40)), {
    srcPort: 1000,
    dstPort: 2000,
  });
  /** [offset, end, more-fragments]; a fourth member puts other bytes at that offset of the datagram's. */
  type Piece = [number, number, boolean, number?];
  /** A piece's bytes of `whole`, one of them changed where the piece says. */
  const bytesOfPiece = ([from, to, , lie]: Piece, whole: Uint8Array) => {
    const bytes = whole.slice(from, to);
    if (lie !== undefined) bytes[lie - from]! ^= 0xff;
    return bytes;
  };
  const v4 = (id: number, pieces: Piece[], whole = datagram) =>
    pieces.map((piece) => {
      const ip = { src: '192.0.2.1', dst: '192.0.2.2', proto: 17, id, fragOffset: piece[0], more: piece[2] };
      return eth(ipv4(bytesOfPiece(piece, whole), ip), { type: 0x0800 });
    });
  const v6 = (id: number, pieces: Piece[]) =>
    pieces.map((piece) => {
      const header = concat(Uint8Array.of(17, 0), u16(piece[0] | (piece[2] ? 1 : 0)), u32(id));
      const ip = { src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 44 };
      return eth(ipv6(concat(header, bytesOfPiece(piece, datagram)), ip), { type: 0x86dd });
    });
  // Frames are a second apart, and a datagram waits 30 s at most: 24 fragments, each long enough to pass a label.
  const long = udp(new Uint8Array(24 * 800 - 8), { srcPort: 1000, dstPort: 2000 });
  return [
    ...v4(1, [
      [0, 24, true],
      [24, 48, false],
    ]),
    ...v4(2, [
      [16, 17, false],
      [0, 16, true],
    ]),
    ...v4(3, [
      [0, 24, true],
      [16, 40, true, 20],
      [16, 40, true],
      [40, 48, false],
    ]),
    ...v4(4, [
      [16, 24, false],
      [16, 32, false],
      [0, 16, true],
    ]),
    ...v4(5, [
      [32, 40, true],
      [8, 16, false],
      [0, 8, true],
    ]),
    ...v4(6, [
      [0, 8, true],
      [8, 8, true],
      [8, 16, false],
    ]),
    ...v4(
      7,
      Array.from({ length: 24 }, (_, i): Piece => [i * 800, i * 800 + 800, i < 23]),
      long,
    ),
    ...v6(8, [
      [24, 48, false],
      [0, 24, true],
    ]),
    ...v6(9, [
      [0, 24, true],
      [16, 40, true, 17],
      [40, 48, false],
    ]),
    ...v6(10, [
      [16, 24, false],
      [16, 32, false],
      [0, 16, true],
    ]),
  ];
}

/**
 * IPv4 headers with options (each padded with End of Options List to a 4-byte multiple): Router Alert (after NOPs,
 * a reserved value), Record Route (empty, one address, full), loose and strict source routes, Time Stamp of each
 * flag, Stream ID, MTU Probe and Reply, Traceroute, Selective Directed Broadcast (with padding), Quick-Start (request,
 * report, unknown function), an unknown option, lengths past the options, too short or missing, an option after End
 * of Options List, four NOPs, pointers before or inside an address.
 */
function ipv4OptionFrames(): Uint8Array[] {
  const a = ip4('198.51.100.1');
  const b = ip4('198.51.100.2');
  const z = new Uint8Array(4);
  const options = [
    Uint8Array.of(0x94, 4, 0, 0),
    Uint8Array.of(1, 1, 0x94, 4, 0, 5),
    concat(Uint8Array.of(7, 11, 4), z, z),
    concat(Uint8Array.of(7, 11, 8), a, z),
    concat(Uint8Array.of(7, 11, 12), a, b),
    concat(Uint8Array.of(0x83, 11, 4), a, b),
    concat(Uint8Array.of(0x89, 11, 8), a, b),
    concat(Uint8Array.of(0x83, 15, 8), a, b, ip4('203.0.113.9')),
    concat(Uint8Array.of(0x44, 12, 5, 0), u32(1000), u32(2000)),
    concat(Uint8Array.of(0x44, 12, 13, 0x11), a, u32(3000)),
    concat(Uint8Array.of(0x44, 20, 5, 3), z, u32(0), b, u32(7)),
    concat(Uint8Array.of(0x44, 12, 2, 0), u32(1), u32(2)),
    Uint8Array.of(0x88, 4, 0x12, 0x34),
    Uint8Array.of(0x0b, 4, 5, 0xdc, 0x0c, 4, 5, 0x78),
    concat(Uint8Array.of(0x52, 12, 0, 7, 0, 2, 0, 3), a),
    concat(Uint8Array.of(0x95, 10), a, b),
    concat(Uint8Array.of(0x95, 8), a, Uint8Array.of(0xee, 0xff)),
    Uint8Array.of(0x19, 8, 0x05, 0x30, 0x12, 0x34, 0x56, 0x7b),
    Uint8Array.of(0x19, 8, 0x83, 0, 0xab, 0xcd, 0xef, 1),
    Uint8Array.of(0x19, 8, 0x45, 0, 0, 0, 0, 0),
    Uint8Array.of(0x9e, 4, 0, 0),
    Uint8Array.of(0x94, 8, 0, 0),
    Uint8Array.of(0, 0x94, 4, 0, 0),
    Uint8Array.of(0x94, 6, 0, 0, 0, 0),
    Uint8Array.of(1, 1, 1, 1, 0x94, 4, 0, 0),
    Uint8Array.of(0x94),
    Uint8Array.of(0x94, 1, 0, 0),
    Uint8Array.of(7, 3, 4),
    concat(Uint8Array.of(7, 7, 4), a),
    concat(Uint8Array.of(7, 8, 4), a, Uint8Array.of(0)),
    concat(Uint8Array.of(7, 11, 5), a, b),
  ];
  const datagram = udp(bytesOf('abcd'), { srcPort: 1000, dstPort: 2000 });
  return options.map((o) => {
    const padded = concat(o, new Uint8Array((4 - (o.length % 4)) % 4));
    const header = ipv4(datagram, { src: '192.0.2.1', dst: '192.0.2.2', proto: 17 }).slice(0, 20);
    header[0] = 0x40 | ((20 + padded.length) / 4);
    new DataView(header.buffer).setUint16(2, 20 + padded.length + datagram.length);
    header.set([0, 0], 10);
    const withOptions = concat(header, padded);
    new DataView(withOptions.buffer).setUint16(10, checksum(withOptions));
    return eth(concat(withOptions, datagram), { type: 0x0800 });
  });
}

function craftedCaptures(dir: string): string[] {
  const ether = [
    eth(
      ipv4(gre(concat(Uint8Array.of(0x05, 0x01, 0x02, 0x03), inner()), { protocolType: 0x883e }), {
        src: '192.0.2.1',
        dst: '192.0.2.2',
        proto: 47,
      }),
      { type: 0x0800 },
    ),
    // ARP of Frame Relay (2-byte addresses) for IPv4, and of Ethernet for IPv6.
    eth(
      concat(
        u16(15),
        u16(0x0800),
        Uint8Array.of(2, 4),
        u16(1),
        u16(0x1234),
        ip4('10.1.1.1'),
        u16(0x5678),
        ip4('10.1.1.2'),
      ),
      { type: 0x0806 },
    ),
    eth(
      concat(
        u16(1),
        u16(0x86dd),
        Uint8Array.of(6, 16),
        u16(2),
        macBytes('02:00:00:00:00:0a'),
        ip6('2001:db8::1'),
        macBytes('02:00:00:00:00:0b'),
        ip6('2001:db8::2'),
      ),
      { type: 0x0806 },
    ),
    // IGMPv3 query (max resp code 150: a float) with two sources.
    eth(
      ipv4(
        concat(
          Uint8Array.of(0x11, 150),
          u16(0),
          ip4('239.1.2.3'),
          Uint8Array.of(0x0a, 125),
          u16(2),
          ip4('10.9.9.1'),
          ip4('10.9.9.2'),
        ),
        { src: '10.0.0.9', dst: '224.0.0.1', proto: 2, ttl: 1 },
      ),
      { type: 0x0800 },
    ),
    // GTP-U with a sequence number (the 4 optional bytes).
    eth(
      ipv4(
        udp(
          concat(
            Uint8Array.of(0x32, 0xff),
            u16(inner().length + 4),
            u32(0x1020304),
            u16(0x1234),
            Uint8Array.of(0, 0),
            inner(),
          ),
          {
            srcPort: 2152,
            dstPort: 2152,
          },
        ),
        { src: '192.0.2.1', dst: '192.0.2.2', proto: 17 },
      ),
      { type: 0x0800 },
    ),
    // Arista timestamps: 48-bit (version 0x0120), and a version of unknown layout (0x0011) that tshark stops at.
    eth(concat(u16(1), u16(0x0120), u16(60821), u32(123456789), u16(0x0800), inner()), { type: 0xd28b }),
    eth(concat(u16(1), u16(0x0011), u32(1559162199), u32(5), u16(0x0800), inner()), { type: 0xd28b }),
    // An IGMPv3 report of two group records, with sources and aux data.
    igmpV3TwoRecords(),
    // An MPLS stack of three labels (the corpus has one-label stacks only), and one cut before its bottom.
    eth(concat(mplsEntry(100, 1, false, 64), mplsEntry(200, 2, false, 63), mplsEntry(300, 5, true, 62), inner()), {
      type: 0x8847,
    }),
    eth(concat(mplsEntry(1, 0, false, 9), mplsEntry(2, 0, false, 8)), { type: 0x8847 }),
    // ICMPv6 Parameter Problem, pointer 6, quoting an IPv6 header.
    eth(
      ipv6(
        concat(
          Uint8Array.of(4, 1),
          u16(0),
          u32(6),
          ipv6(new Uint8Array(0), { src: '2001:db8::2', dst: '2001:db8::3', nextHeader: 59 }),
        ),
        { src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 58 },
      ),
      { type: 0x86dd },
    ),
    ...genevePackets(),
  ];
  const sll = (pkttype: number, hatype: number, addr: Uint8Array, protocol: number, payload: Uint8Array) => {
    const a = new Uint8Array(8);
    a.set(addr);
    return concat(u16(pkttype), u16(hatype), u16(addr.length), a, u16(protocol), payload);
  };
  const cooked = [
    sll(0, 778, ip4('198.51.100.1'), 0x0800, inner()),
    sll(4, 1, macBytes('02:00:00:00:00:01'), 0x0004, Uint8Array.of(0x42, 0x42, 0x03, 0, 0, 0, 0)),
    sll(1, 32, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0x0800, inner()),
  ];
  const v4 = inner();
  const frameRelay = [
    concat(Uint8Array.of(0x48, 0xe0, 0x8b, 0x03, 0xcc), v4),
    concat(Uint8Array.of(0x48, 0xe0, 0x89, 0x03, 0xcc), v4),
    concat(Uint8Array.of(0x48, 0xe0, 0x8a, 0x8d, 0x03, 0xcc), v4),
    concat(Uint8Array.of(0x48, 0xe1, 0x03, 0x00, 0x80, 0, 0, 0), u16(0x0800), v4),
    concat(Uint8Array.of(0x48, 0xe1), u16(0x0800), v4),
  ];
  // FabricPath (FTag 1, TTL 1) carrying an ARP request, then its checksum.
  const fabricPath = [
    eth(
      concat(
        u16(0x0041),
        eth(
          concat(
            u16(1),
            u16(0x0800),
            Uint8Array.of(6, 4),
            u16(1),
            macBytes('02:00:00:00:00:0a'),
            ip4('10.0.0.1'),
            new Uint8Array(6),
            ip4('10.0.0.2'),
          ),
          { type: 0x0806 },
        ),
        u32(0xc50b8811),
      ),
      { type: 0x8903 },
    ),
  ];
  const greIp = { src: '192.0.2.1', dst: '192.0.2.2', proto: 47 };
  // ERSPAN III with a platform sub-header of each layout (IDs 0-7, and 9 and 63 of none), and one cut inside it.
  const erspanIII = (platform: number, word: number, second: number) =>
    eth(
      ipv4(
        gre(
          concat(
            u16((2 << 12) | 100),
            u16((3 << 13) | (1 << 11) | (1 << 10) | 55),
            u32(0x01020304),
            u16(0x4242),
            u16((5 << 4) | (1 << 3) | (2 << 1) | 1),
            u32(((platform << 26) | word) >>> 0),
            u32(second),
            eth(inner(), { type: 0x0800 }),
          ),
          { protocolType: 0x22eb, seq: platform },
        ),
        greIp,
      ),
      { type: 0x0800 },
    );
  const platforms: [number, number, number][] = [
    [0, 0x123456, 0xdeadbeef],
    [1, 0x0abcdef, 0x11223344],
    [2, 0x3ffffff, 0xfedcba98],
    [3, 0x3fff, 5],
    [4, 0x3ffffff, 7],
    [5, 0x1234567, 99],
    [6, 0x0ff0001, 100],
    [7, 0x3fffff0, 0x80000001],
    [9, 0x155, 0xffffffff],
    [63, 0x3ffffff, 0x12345678],
  ];
  // Type II's header (GRE 0x88be with a sequence number) of version `version`, or version 2's on 0x22eb.
  const erspanHeader = (version: number, protocolType: number) =>
    eth(
      ipv4(
        gre(concat(u16((version << 12) | 7), u16(300), u32(9), eth(inner(), { type: 0x0800 })), {
          protocolType,
          seq: version,
        }),
        greIp,
      ),
      { type: 0x0800 },
    );
  // The cut frame keeps the sub-header's first word, which tshark shows, and 2 bytes of its second. Then type II's
  // header cut after its session word and after 1 byte, and versions tshark draws twice and reads no further: 3 on
  // 0x88be, 0 on 0x22eb.
  const erspanFrames = [
    erspanIII(3, 0x3fff, 5),
    ...platforms.map(([id, w, x]) => erspanIII(id, w, x)),
    erspanHeader(1, 0x88be),
    erspanHeader(1, 0x88be),
    erspanHeader(3, 0x88be),
    erspanHeader(0, 0x22eb),
  ];
  const files = [
    join(dir, 'crafted-ether.pcap'),
    join(dir, 'crafted-sll.pcap'),
    join(dir, 'crafted-fr.pcap'),
    join(dir, 'crafted-fabricpath.pcap'),
    join(dir, 'crafted-cut.pcap'),
    join(dir, 'crafted-erspan.pcap'),
    join(dir, 'crafted-fragments.pcap'),
    join(dir, 'crafted-ipv4-options.pcap'),
  ];
  writeFileSync(files[0]!, pcap(1, ether));
  writeFileSync(files[6]!, pcap(1, fragmentFrames()));
  writeFileSync(files[7]!, pcap(1, ipv4OptionFrames()));
  writeFileSync(files[1]!, pcap(113, cooked));
  writeFileSync(files[2]!, pcap(107, frameRelay));
  writeFileSync(files[3]!, pcap(1, fabricPath));
  const erspanAt = 14 + 20 + 8;
  writeFileSync(
    files[5]!,
    pcap(1, erspanFrames, [erspanAt + 12 + 4 + 2, ...platforms.map(() => Infinity), erspanAt + 4, erspanAt + 1]),
  );
  // TCP headers cut short: by the snap length (6, 16 and 22 bytes of a 24-byte header, plain and in GRE) and in ICMP
  // errors' quotes (8, 16 and all 24 bytes); a packet itself 15 bytes into TCP (its ports only, as tshark); and an IPv4
  // total length of 0 (TCP segmentation offload).
  const segment = tcp(bytesOf('x'.repeat(100)), { srcPort: 1000, dstPort: 80, seq: 7, ack: 9, mss: 1460 });
  const carried = ipv4(segment, { src: '10.0.0.1', dst: '10.0.0.2', proto: 6 });
  const plain = eth(carried, { type: 0x0800 });
  const tunnelled = eth(ipv4(gre(carried, { protocolType: 0x0800 }), greIp), { type: 0x0800 });
  const icmpIp = { src: '10.0.0.9', dst: '10.0.0.1', proto: 1 };
  const unreachable = (quote: Uint8Array) =>
    eth(ipv4(concat(Uint8Array.of(3, 4, 0, 0, 0, 0, 5, 0xdc), quote), icmpIp), { type: 0x0800 });
  const quoted = ipv4(segment.subarray(0, 24), { src: '10.0.0.1', dst: '10.0.0.2', proto: 6 });
  const offloaded = plain.slice();
  offloaded.set([0, 0], 14 + 2);
  writeFileSync(
    files[4]!,
    pcap(
      1,
      [
        plain,
        plain,
        plain,
        tunnelled,
        ...[28, 36, 44].map((n) => unreachable(quoted.subarray(0, n))),
        eth(ipv4(segment.subarray(0, 15), { src: '10.0.0.1', dst: '10.0.0.2', proto: 6 }), { type: 0x0800 }),
        offloaded,
      ],
      [40, 50, 56, 74],
    ),
  );
  return files;
}

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out.sort();
}

/** Every declared field but the presence ones (`gre`), frame's first; an alias (ip.version in IPv6) once. */
function declaredFields(): string[] {
  const out: string[] = [];
  for (const p of protocolCatalogue().values())
    for (const f of p.fields) if (f.type !== 'protocol' && !f.alias) out.push(f.name);
  return out;
}

const lines = (s: string): string[] => {
  const a = s.split('\n');
  if (a.at(-1) === '') a.pop();
  return a;
};

async function tsharkColumns(file: string, names: string[]): Promise<string[][]> {
  // gredump always looks for NULL-encrypted ESP; tshark does when asked.
  const args = [
    '-n',
    '-r',
    file,
    '-o',
    'esp.enable_null_encryption_decode_heuristic:TRUE',
    '-T',
    'fields',
    '-E',
    'occurrence=a',
  ];
  for (const n of names) args.push('-e', n);
  const { stdout } = await run('tshark', args, { maxBuffer: 512 * 1024 * 1024 });
  // The encapsulation tells packets from the pcapng blocks tshark shows as frames too.
  const encapsulation = names.indexOf('frame.encap_type');
  return lines(stdout)
    .map((l) => l.split('\t'))
    .filter((c) => c[encapsulation] !== '');
}

async function ourColumns(file: string, names: string[]): Promise<string[][]> {
  const args = [BIN, '-r', file, '-T', 'fields', '-E', 'occurrence=a'];
  for (const n of names) args.push('-e', n);
  const { stdout } = await run(process.execPath, args, { maxBuffer: 512 * 1024 * 1024 });
  return lines(stdout).map((l) => l.split('\t'));
}

/**
 * frame.protocols: ours ends in `data` where tshark goes on with a protocol gredump does not dissect
 * (`udp:data` and `udp:dns`, `eth:data` and `eth:llc:stp`).
 */
function tsharkGoesOn(theirs: string, ours: string): boolean {
  if (!ours.endsWith(':data')) return false;
  const stem = ours.slice(0, -'data'.length);
  return theirs.startsWith(stem) && !protocolCatalogue().has(theirs.slice(stem.length).split(':')[0]!);
}

const haveTshark = tsharkAvailable();
const captured = [...captures(FIXTURES), ...CORPUS_FILES.map((f) => join(CORPUS, f)).filter(existsSync)];

test('declared fields agree with tshark -T fields, frame by frame', {
  skip: haveTshark ? false : 'tshark is not installed (apt-get install tshark)',
}, async () => {
  if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: comparing fixtures/ only`);
  const crafted = mkdtempSync(join(tmpdir(), 'gredump-fields-'));
  const files = [...craftedCaptures(crafted), ...captured];
  const names = declaredFields();
  const failures: string[] = [];
  const used = new Set<(typeof KNOWN)[number]>();
  const seen = new Map<string, number>();
  let frames = 0;
  let values = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const name = file.startsWith(CORPUS)
        ? relative(CORPUS, file)
        : file.startsWith(crafted)
          ? relative(crafted, file)
          : relative(FIXTURES, file);
      const theirs = await tsharkColumns(file, names);
      const ours = await ourColumns(file, names);
      if (theirs.length !== ours.length)
        failures.push(`${name}: tshark shows ${theirs.length} frames, we ${ours.length}`);
      const n = Math.min(theirs.length, ours.length);
      frames += n;
      const differ = new Map<string, string>();
      const chain = names.indexOf('frame.protocols');
      for (let i = 0; i < n; i++) {
        // Where tshark dissects what we leave as data, its data fields differ with it.
        const dataDiffers = tsharkGoesOn(theirs[i]![chain] ?? '', ours[i]![chain] ?? '');
        names.forEach((field, j) => {
          const a = theirs[i]![j] ?? '';
          const b = ours[i]![j] ?? '';
          if (dataDiffers && field.startsWith('data.')) return;
          if (a !== '') {
            seen.set(field, (seen.get(field) ?? 0) + 1);
            values++;
          }
          if (a === b || (field === 'frame.protocols' && dataDiffers)) return;
          const known = knownFor(field, name, i + 1);
          if (known) used.add(known);
          else if (!differ.has(field)) differ.set(field, `${name} frame ${i + 1} ${field}: tshark "${a}", we "${b}"`);
        });
      }
      failures.push(...differ.values());
    }
  };
  try {
    await Promise.all([worker(), worker()]);
  } finally {
    rmSync(crafted, { recursive: true, force: true });
  }
  const never = names.filter((f) => !seen.has(f));
  console.log(
    `# ${files.length} captures, ${frames} frames, ${names.length} fields ` +
      `(${names.length - never.length} seen in tshark's output), ${values} ` +
      `non-empty columns compared`,
  );
  if (never.length) console.log(`# fields no capture shows: ${never.join(' ')}`);
  for (const k of KNOWN) if (!used.has(k)) console.log(`# known difference not seen: ${k.field} ${k.file ?? ''}`);
  assert.deepEqual(failures, []);
});

test("ERSPAN's -V tree is tshark's, line for line: III's platform sub-headers, headers cut short, other versions", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-erspan-'));
  try {
    const file = craftedCaptures(dir).find((f) => f.endsWith('crafted-erspan.pcap'))!;
    // Each frame's ERSPAN field lines (the title lines are each tool's own, as are expert notes).
    const subtrees = (out: string) =>
      out
        .split('\n')
        .filter((line) => line.startsWith('Encapsulated Remote') || /^ {4}[^ []/.test(line))
        .map((line) => (line.startsWith('Encapsulated Remote') ? 'ERSPAN' : line))
        .join('\n')
        .split('ERSPAN\n');
    const args = ['-n', '-r', file, '-V', '-O', 'erspan'];
    const theirs = subtrees((await run('tshark', args)).stdout);
    const ours = subtrees((await run(BIN, args)).stdout);
    assert.equal(ours.length, 16);
    assert.ok(theirs[2]!.includes('= Platform ID: 0\n'), theirs[2]);
    assert.match(theirs[14]!, /^( {4}0011 \.{4} \.{4} \.{4} = Version: Unknown \(3\)\n){2}$/);
    assert.deepEqual(ours, theirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Ethernet's, 802.1Q's, IPv4's and IPv6's headers in -V are tshark's, for each DS value, traffic class, priority", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-ds-'));
  try {
    const file = join(dir, 'ds.pcap');
    const datagram = udp(bytesOf('x'), { srcPort: 1000, dstPort: 2000 });
    const withReservedBit = (frame: Uint8Array, set: boolean) => {
      if (set) frame[14 + 6]! |= 0x80;
      return frame;
    };
    const frames = Array.from({ length: 256 }, (_, ds) => [
      // Each combination of the reserved and don't-fragment flags, too.
      withReservedBit(
        eth(ipv4(datagram, { src: '192.0.2.1', dst: '192.0.2.2', proto: 17, tos: ds, df: ds % 2 === 0 }), {
          type: 0x0800,
        }),
        ds % 4 < 2,
      ),
      // Group and globally unique addresses, as well as the builder's local ones.
      eth(ipv6(datagram, { src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 17, trafficClass: ds }), {
        type: 0x86dd,
        dst: '33:33:00:00:00:01',
        src: '00:1b:21:00:00:01',
      }),
    ]).flat();
    // 802.1Q tags of each priority, with and without DEI.
    for (let tci = 0; tci < 16; tci++)
      frames.push(
        eth(ipv4(datagram, { src: '192.0.2.1', dst: '192.0.2.2', proto: 17 }), {
          type: 0x0800,
          vlan: (tci << 12) | 10,
        }),
      );
    writeFileSync(file, pcap(1, frames));
    // The header's field lines; tshark's checksum line also says it was not validated, which gredump does not say,
    // and tshark calls a value its names do not cover `Unknown (2)`, where gredump shows the number alone.
    const fieldLines = (out: string) =>
      out
        .split('\n')
        .filter((l) => /^ {4}/.test(l) && !/^ +(\[|Header Checksum)/.test(l))
        .map((l) => l.replace(/: Unknown \((\d+)\)$/, ': $1'));
    const args = ['-n', '-r', file, '-V', '-O', 'eth,vlan,ip,ipv6'];
    const theirs = fieldLines((await run('tshark', args)).stdout);
    const ours = fieldLines((await run(BIN, args)).stdout);
    assert.ok(theirs.includes('    Differentiated Services Field: 0xb8 (DSCP: EF PHB, ECN: Not-ECT)'));
    assert.ok(theirs.includes('    .... 0101 = Header Length: 20 bytes (5)'));
    assert.ok(theirs.includes('        .... ...1 .... .... .... .... = IG bit: Group address (multicast/broadcast)'));
    assert.ok(theirs.includes('    100. .... .... .... = Priority: Video, < 100ms latency and jitter (4)'));
    assert.equal(ours.length, theirs.length);
    assert.deepEqual(ours, theirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The protocols in the frame, held to tshark's with their known differences by the -T fields test. */
const NOT_COMPARED = /^ {4}\[Protocols in frame/;

test("-V's frame lines are tshark's on every capture of fixtures/, and its data items on those of ICMP, UDP and IP", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  /** The frame's lines (after its title, before the first protocol's) and each data item with its bytes and fields. */
  const parts = (out: string) => {
    const frame: string[] = [];
    const data: string[] = [];
    let inFrame = false;
    let dataDepth = -1;
    for (const line of out.split('\n')) {
      const depth = line.length - line.trimStart().length;
      if (dataDepth >= 0 && (line === '' || /^[0-9a-f]{4}  /.test(line) || depth > dataDepth)) {
        data.push(line);
        continue;
      }
      dataDepth = -1;
      if (/^ *Data \(\d+ bytes\)$/.test(line)) {
        dataDepth = depth;
        data.push(line);
      } else if (line.startsWith('Frame ')) inFrame = true;
      else if (!line.startsWith(' ')) inFrame = false;
      else if (inFrame && !NOT_COMPARED.test(line)) frame.push(line);
    }
    return { frame, data };
  };
  const files = captures(FIXTURES);
  for (const file of files) {
    const args = ['-n', '-r', file, '-V'];
    const theirs = parts((await run('tshark', args, { maxBuffer: 64 << 20 })).stdout);
    const ours = parts((await run(BIN, args, { maxBuffer: 64 << 20 })).stdout);
    assert.deepEqual(ours.frame, theirs.frame, file);
    if (/(gre-kinds|getvpn-group-sa|gre-fragments)\.pcap$/.test(file)) {
      assert.ok(theirs.data.length > 0, file);
      assert.deepEqual(ours.data, theirs.data, file);
    }
  }
  assert.ok(files.length > 50);
});

/** A little-endian pcapng block: type, body padded to 4 bytes, lengths around it. */
function pcapngBlock(type: number, body: Uint8Array): Uint8Array {
  const padded = new Uint8Array((body.length + 3) & ~3);
  padded.set(body);
  const b = new DataView(new ArrayBuffer(12 + padded.length));
  b.setUint32(0, type, true);
  b.setUint32(4, 12 + padded.length, true);
  new Uint8Array(b.buffer).set(padded, 8);
  b.setUint32(8 + padded.length, 12 + padded.length, true);
  return new Uint8Array(b.buffer);
}

/** pcapng options (code, value; each padded), ended by opt_endofopt. */
function pcapngOptions(...options: [number, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [code, value] of options) {
    const head = new DataView(new ArrayBuffer(4));
    head.setUint16(0, code, true);
    head.setUint16(2, value.length, true);
    parts.push(new Uint8Array(head.buffer), value, new Uint8Array((4 - (value.length % 4)) % 4));
  }
  return concat(...parts, new Uint8Array(4));
}

test("pcapng's interfaces and packet flags in -V and -T fields are tshark's; a name's controls are escaped", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-pcapng-'));
  try {
    const text = (t: string) => new TextEncoder().encode(t);
    const le32 = (n: number) => {
      const b = new DataView(new ArrayBuffer(4));
      b.setUint32(0, n, true);
      return new Uint8Array(b.buffer);
    };
    const shb = pcapngBlock(0x0a0d0d0a, Uint8Array.of(0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, ...new Array(8).fill(0xff)));
    const idb = (options: Uint8Array) => pcapngBlock(1, concat(Uint8Array.of(1, 0, 0, 0), le32(65535), options));
    const frame = eth(
      ipv4(udp(bytesOf('hello'), { srcPort: 1000, dstPort: 2000 }), { src: '192.0.2.1', dst: '192.0.2.2', proto: 17 }),
      {
        type: 0x0800,
      },
    );
    const epb = (ifId: number, flags: number | null) => {
      const time = 1767225600 * 1e6;
      const head = concat(le32(ifId), le32(Math.floor(time / 2 ** 32)), le32(time % 2 ** 32));
      const body = concat(
        head,
        le32(frame.length),
        le32(frame.length),
        frame,
        new Uint8Array((4 - (frame.length % 4)) % 4),
      );
      return pcapngBlock(6, flags === null ? body : concat(body, pcapngOptions([2, le32(flags)])));
    };
    const file = join(dir, 'interfaces.pcapng');
    writeFileSync(
      file,
      concat(
        shb,
        idb(new Uint8Array(0)),
        idb(pcapngOptions([3, text('uplink to site B')])),
        idb(pcapngOptions([2, text('gre1')], [3, text('tunnel')])),
        epb(0, null),
        epb(1, 0x00000001),
        epb(2, 0x81000005),
        epb(2, 0x00000042),
      ),
    );
    const section = (out: string) =>
      out.split('\n').filter((l) => /^(Frame |    (Section|Interface|Packet flags)|        (Interface|[.01]))/.test(l));
    const args = ['-n', '-r', file, '-V'];
    const theirs = section((await run('tshark', args)).stdout);
    const ours = section((await run(BIN, args)).stdout);
    assert.ok(theirs.includes('    Interface id: 1 (uplink to site B)'));
    assert.ok(theirs.some((l) => l.endsWith('on interface gre1, id 2 (inbound)')));
    assert.ok(theirs.some((l) => l.endsWith('on interface gre1, id 2 (outbound)')));
    assert.deepEqual(ours, theirs);
    const names = ['frame.section_number', 'frame.interface_id', 'frame.interface_name', 'frame.interface_description'];
    names.push('frame.packet_flags', 'frame.packet_flags_direction', 'frame.packet_flags_crc_error');
    const fieldArgs = ['-r', file, '-T', 'fields', ...names.flatMap((n) => ['-e', n])];
    assert.equal((await run(BIN, fieldArgs)).stdout, (await run('tshark', fieldArgs)).stdout);
    // An interface's name is the file's, not ours to send to a terminal as it is.
    const hostile = join(dir, 'hostile.pcapng');
    writeFileSync(hostile, concat(shb, idb(pcapngOptions([2, text('eth\x1b]0;owned\x07')])), epb(0, null)));
    const { stdout } = await run(BIN, ['-r', hostile, '-T', 'fields', '-e', 'frame.interface_name']);
    assert.equal(stdout, 'eth\\x1b]0;owned\\x07\n');
    const detail = (await run(BIN, ['-r', hostile, '-V'])).stdout;
    assert.ok(detail.includes('on interface eth\\x1b]0;owned\\x07, id 0\n'), detail);
    assert.ok(!detail.includes('\x1b'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ICMP's type and code in -V are tshark's, for every type and every code of the types that name codes", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-icmp-'));
  try {
    const file = join(dir, 'icmp.pcap');
    const message = (type: number, code: number) =>
      eth(ipv4(Uint8Array.of(type, code, 0, 0, 0, 0, 0, 0), { src: '192.0.2.1', dst: '192.0.2.2', proto: 1 }), {
        type: 0x0800,
      });
    const codes = [3, 5, 9, 11, 12, 40, 42, 43].flatMap((type) =>
      Array.from({ length: 256 }, (_, c) => message(type, c)),
    );
    writeFileSync(file, pcap(1, [...Array.from({ length: 256 }, (_, t) => message(t, 0)), ...codes]));
    const typeAndCode = (out: string) => out.split('\n').filter((l) => /^ {4}(Type|Code): /.test(l));
    const args = ['-n', '-r', file, '-V', '-O', 'icmp'];
    const big = { maxBuffer: 64 * 1024 * 1024 };
    const theirs = typeAndCode((await run('tshark', args, big)).stdout);
    const ours = typeAndCode((await run(BIN, args, big)).stdout);
    assert.ok(theirs.includes('    Code: 3 (Port unreachable)'));
    assert.ok(theirs.includes('    Type: 99 (Unknown ICMP (obsolete or malformed?))'));
    assert.equal(theirs.length, 2 * (256 + 8 * 256));
    assert.deepEqual(ours, theirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("OSPF's -V tree is tshark's: header, Hello, Database Description, requests, LSAs, LLS block, both versions", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Each frame's OSPF subtree, the title left out (gredump's adds a summary).
  const subtrees = (out: string) => {
    const frames: string[][] = [];
    let inOspf = false;
    for (const line of out.split('\n')) {
      if (!line.startsWith(' ')) {
        inOspf = line.startsWith('Open Shortest Path First');
        if (inOspf) frames.push([]);
      } else if (inOspf) frames[frames.length - 1]!.push(line);
    }
    return frames;
  };
  const depth = (line: string) => line.search(/\S/) / 4;
  const files = [
    ...[
      'gre-ospf-mtu.pcap',
      'gre-ospf-cleartext.pcap',
      'tcpdump-OSPFv2_Capture_FINAL.pcapng',
      'gre-recursive-routes.pcap',
      // The checksum over a reassembled message (IPv4 in GRE, IPv6) and over ESP-NULL's payload, not its trailer.
      'ospf-fragments.pcap',
      'ospfv3-esp-null.pcap',
      // An LLS TLV cut by the end of the IP payload, TOS metrics, opaque LSA headers.
      'ospf-odd.pcap',
    ].map((f) => join(FIXTURES, f)),
    ...['arkime/ospf.pcap', 'tcpdump/OSPFv3_broadcast_adjacency.pcap', 'tcpdump/OSPFv3_NBMA_adjacencies.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  let compared = 0;
  for (const file of files) {
    const args = ['-n', '-r', file, '-V', '-O', 'ospf'];
    const esp = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
    const theirs = subtrees((await run('tshark', [...esp, ...args], { maxBuffer: 64 << 20 })).stdout);
    const ours = subtrees((await run(BIN, args, { maxBuffer: 64 << 20 })).stdout);
    assert.equal(ours.length, theirs.length, file);
    // Where gredump writes a line it is tshark's, in tshark's order. What it leaves out: OSPFv3's LLS block and RFC
    // 7166 trailer, and the bodies of opaque LSAs in an LS Update (v2's types 9 to 11, v3's Router Information).
    theirs.forEach((lines, frame) => {
      let k = 0;
      let skipping = false;
      let opaque = false;
      const v3 = lines.includes('        Version: 3');
      for (const line of lines) {
        if (depth(line) === 1) skipping = /^ {4}(OSPF LLS Data Block|OSPF Authentication Trailer)$/.test(line);
        const type = depth(line) === 2 ? /^ {8}LSA-type (\d+) /.exec(line)?.[1] : undefined;
        if (type !== undefined) opaque = (v3 ? [1, 2, 3, 4, 5, 7, 8, 9] : [1, 2, 3, 4, 5, 7]).every((t) => t !== +type);
        if (ours[frame]![k] === line) {
          k++;
          compared++;
          continue;
        }
        const body = lines.includes('    LS Update Packet') && depth(line) >= 3 && opaque;
        assert.ok(
          (skipping && v3) || line.startsWith('    OSPF Authentication Trailer') || body,
          `${file} OSPF frame ${frame + 1}: tshark's ${JSON.stringify(line)} not written`,
        );
      }
      assert.equal(k, ours[frame]!.length, `${file} OSPF frame ${frame + 1}: ${JSON.stringify(ours[frame]![k])}`);
    });
    // The fixtures (Hellos, Database Descriptions, requests, acknowledgements, v2 updates with their LSAs, digests,
    // LLS blocks): every line.
    if (file.startsWith(FIXTURES)) assert.deepEqual(ours, theirs, file);
  }
  assert.ok(compared > 1500, `${compared} lines`);
});

test("NHRP's -V tree is tshark's: fixed header, mandatory part, CIEs, extensions, the packet an indication quotes", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Each frame's NHRP subtree, its title left out (gredump's adds a summary). The protocols an indication quotes are
  // named by their protocol alone: tshark's titles of IPv4 and NHRP are its own. A data item's bytes (tshark -V
  // writes them without indent) are left out.
  const subtrees = (out: string) => {
    const frames: string[][] = [];
    let inNhrp = false;
    let quotedData = false;
    for (const line of out.split('\n')) {
      if (line === '' || /^[0-9a-f]{4}  /.test(line)) continue;
      // tshark reads the packet a Traffic Indication quotes to the end of the NHRP packet, and shows the extensions'
      // bytes as a quoted echo's data; gredump ends it where the mandatory part does.
      if (line.search(/\S/) <= 12) quotedData = /^ {12}Data \(/.test(line);
      if (quotedData) continue;
      if (!line.startsWith(' ')) {
        inNhrp = /^(NBMA )?Next Hop Resolution Protocol/.test(line);
        if (inNhrp) frames.push([]);
      } else if (inNhrp)
        frames[frames.length - 1]!.push(
          line
            .replace(/^( +)(NBMA )?Next Hop Resolution Protocol.*/, '$1NHRP')
            .replace(/^( +)(Internet Protocol Version 4|Internet Control Message Protocol),? .*/, '$1$2'),
        );
    }
    return frames;
  };
  const files = [
    ...['dmvpn.pcap', 'dmvpn-nhrp.pcap', 'dmvpn-phase1.pcap', 'dmvpn-multicast.pcap'].map((f) => join(FIXTURES, f)),
    ...['ios_nhrp.pcap', 'nhrp-trace.pcap', 'pb_nhrp_1.pcap', 'NHRP_registration.pcap', 'NHRP-responder-address.pcap']
      .concat('nhrp.pcapng')
      .map((f) => join(CORPUS, 'tcpdump', f))
      .filter(existsSync),
  ];
  let compared = 0;
  for (const file of files) {
    const args = ['-n', '-r', file, '-V', '-O', 'nhrp'];
    // NHRP over ESP-NULL (dmvpn.pcap's last frames), which gredump reads as tshark's heuristic does.
    const esp = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
    const theirs = subtrees((await run('tshark', [...esp, ...args], { maxBuffer: 64 << 20 })).stdout);
    const ours = subtrees((await run(BIN, args, { maxBuffer: 64 << 20 })).stdout);
    assert.deepEqual(ours, theirs, file);
    compared += theirs.flat().length;
  }
  // The DMVPN fixtures alone (a clone without the corpus) hold some 2,400.
  assert.ok(compared > 2000, `${compared} lines`);
});

test("ISAKMP's -V tree is tshark's: IKEv1 and IKEv2 headers, proposals, transforms, attributes, IDs, notifies", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Each message's subtree, its title left out (gredump's adds a summary).
  const subtrees = (out: string) => {
    const messages: string[][] = [];
    let inIke = false;
    for (const line of out.split('\n')) {
      if (!line.startsWith(' ')) {
        inIke = line.startsWith('Internet Security Association and Key Management Protocol');
        if (inIke) messages.push([]);
      } else if (inIke) messages[messages.length - 1]!.push(line);
    }
    return messages;
  };
  const files = [
    ...readdirSync(FIXTURES)
      .filter((f) => /^ike-.*\.pcap$/.test(f) || f === 'tcpdump-ikev2pI2.pcap' || f === 'gre-over-ipsec.pcap')
      .map((f) => join(FIXTURES, f)),
    ...[
      'tcpdump/isakmp4500.pcap',
      'tcpdump/ikev2four.pcap',
      'tcpdump/isakmp-identification-segfault.pcap',
      'arkime/IKEv2.pcap',
      'suricata-verify/ikev1-duplicate-proposals__generated.pcap',
      'suricata-verify/ikev2-weak-dh__IKEv2_SA_INIT_2-8-weak.pcap',
    ]
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  let compared = 0;
  for (const file of files) {
    // No keys on either side: IKEv2's SK payloads and IKEv1's encrypted bodies stay ciphertext.
    const args = ['-n', '-r', file, '-V', '-O', 'isakmp'];
    const theirs = subtrees((await run('tshark', args, { maxBuffer: 64 << 20 })).stdout);
    const ours = subtrees((await run(BIN, args, { maxBuffer: 64 << 20 })).stdout);
    assert.deepEqual(ours, theirs, file);
    compared += theirs.flat().length;
  }
  assert.ok(compared > 5000, `${compared} lines`);
});

test("TCP's and UDP's -V lines are tshark's, their streams' state, TCP's options and SEQ/ACK analysis included", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Each TCP and UDP subtree (a quoted one too), its title left out (gredump's adds a summary). Not drawn here yet,
  // left out of both: the lines tshark's reassembly adds (retransmitted or segment data, PDU size), expert items but
  // the analysis flags' (test/tcp-analysis.test.ts), tshark's words for a malformed option.
  const notDrawn = new RegExp(
    '^(\\[Expert Info|Retransmitted TCP segment data|TCP segment data|' +
      '\\[PDU Size|Short segment|[^(]+\\(option length = )',
  );
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *(Transmission Control Protocol|User Datagram Protocol)/, notDrawn);
  const files = [
    ...captures(FIXTURES),
    ...[
      'ndpi/6in4tunnel.pcap',
      'ndpi/4in6tunnel.pcap',
      'ndpi/fuzz-2006-09-29-28586.pcap',
      'suricata-verify/ipv4-truncated__truncated.pcap',
      'tcpdump/wb-oobr.pcap',
      'arkime/arkime_synthetic.pcap',
      'zeek/tunnels__gre-aruba.pcap',
    ]
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  // ESP with NULL encryption (l2tpv2-tunnels.pcap) is read through here; tshark does so with its heuristic on.
  const lines = await sameSubtrees(files, subtrees, ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE']);
  const compared = lines.length;
  const streamLines = lines.filter((l) => /\[(Stream index|Conversation|Next Seq|Time since)/.test(l)).length;
  // The fixtures alone (a clone without the corpus) hold 6,067 lines, 1,293 of them the streams' own.
  assert.ok(compared > 5000 && streamLines > 1000, `${compared} lines, ${streamLines} of streams`);
});

/**
 * The subtrees of a -V output whose title lines match `title` (a quoted one too), each its lines below the title
 * (titles are each tool's own: gredump's adds a summary), with the lines `notDrawn` matches left out, and what is
 * under them.
 */
function subtreesOf(out: string, title: RegExp, notDrawn: RegExp): string[][] {
  const trees: string[][] = [];
  let tree: string[] | null = null;
  let depth = -1;
  let skipUnder = -1;
  for (const line of out.split('\n')) {
    if (line === '' || /^[0-9a-f]{4} {2}/.test(line)) continue;
    const indent = line.search(/\S/);
    if (tree !== null && indent <= depth) tree = null;
    if (title.test(line)) {
      trees.push((tree = []));
      depth = indent;
      skipUnder = -1;
      continue;
    }
    if (tree === null || (skipUnder >= 0 && indent > skipUnder)) continue;
    skipUnder = -1;
    const body = line.trim();
    if (notDrawn.test(body)) skipUnder = indent;
    else tree.push(line.slice(depth));
  }
  return trees;
}

/**
 * Asserts that each file's subtrees in `-V` are tshark's (tshark given `options` too), and gives tshark's lines of
 * them all.
 */
async function sameSubtrees(
  files: string[],
  subtrees: (out: string) => string[][],
  options: string[] = [],
): Promise<string[]> {
  const lines: string[] = [];
  for (const file of files) {
    const args = ['-n', '-r', file, '-V'];
    const theirs = subtrees((await run('tshark', [...args, ...options], { maxBuffer: 256 << 20 })).stdout);
    const ours = subtrees((await run(BIN, args, { maxBuffer: 256 << 20 })).stdout);
    assert.deepEqual(ours, theirs, file);
    lines.push(...theirs.flat());
  }
  return lines;
}

test("IPv4's -V lines are tshark's, its options too, and both IPs' lists of the fragments a datagram was made of", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-fragments-'));
  try {
    const all = craftedCaptures(dir);
    const crafted = all.find((f) => f.endsWith('crafted-fragments.pcap'))!;
    const options = all.find((f) => f.endsWith('crafted-ipv4-options.pcap'))!;
    const files = [
      crafted,
      options,
      ...captures(FIXTURES),
      ...[
        'zeek/erspan.pcap',
        'suricata-verify/defrag__bug-6942-6887-defrag-eth-ip-gre-ppp-ip-udp-data__eth-ip-gre-ppp-max-ip-packet.pcap',
        'zeek/igmp__igmp.pcap',
        'tcpdump/igmpv3-queries.pcap',
        'arkime/mpls-basic.pcap',
        'tcpdump/pb_nhrp_1.pcap',
      ]
        .map((f) => join(CORPUS, f))
        .filter(existsSync),
    ];
    // Expert items are not drawn here. ESP with NULL encryption is read through; tshark does so with its heuristic on.
    const ipv4 = (out: string) => subtreesOf(out, /^ *Internet Protocol Version 4/, /^\[Expert Info/);
    const lines = await sameSubtrees(files, ipv4, ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE']);
    // The reassembly's subtrees, their titles too (IPv6's are compared with IPv6's tree below).
    const fragments = (out: string) =>
      out
        .split('\n')
        .filter((l) =>
          /^ *\[(\d+ IPv[46] Fragments? \(|Frame: \d+[,( ]|Fragment|Conflicting|Multiple tail|Reassembled IPv)/.test(l),
        );
    const theirs = fragments((await run('tshark', ['-n', '-r', crafted, '-V'])).stdout);
    assert.deepEqual(fragments((await run(BIN, ['-r', crafted, '-V'])).stdout), theirs);
    for (const line of [
      '    [4 IPv4 Fragments (48 bytes): #5(24), #6(24), #7(24), #8(8)]',
      '            [Conflicting data in fragment overlap: True]',
      '            [Multiple tail fragments found: True]',
      '            [Fragment too long: True]',
      '        [Frame: 3, payload: 16-16 (1 byte)]',
      '        [Reassembled IPv4 length: 19200]',
      '    [2 IPv6 Fragments (48 bytes): #43(24), #42(24)]',
    ])
      assert.ok(theirs.includes(line), line);
    // Every option of the crafted capture is read (its lines are among those compared).
    const optionLines = (await run('tshark', ['-n', '-r', options, '-V'])).stdout.split('\n');
    for (const line of [
      '    Options: (4 bytes), Router Alert',
      '        IP Option - Router Alert (4 bytes): Reserved (5)',
      '                1... .... = Copy on fragmentation: Yes',
      '            Empty Route: 0.0.0.0 <- (next)',
      '            Source Route: 198.51.100.1 <- (next)',
      '            Destination Address: 198.51.100.2',
      '    Current Route: 192.0.2.2',
      '            Pointer: 2 (points before first address)',
      '            .... 0011 = Flag: Time stamps for prespecified addresses (0x3)',
      '            Address: -',
      '            Outbound Hop Count: 2',
      '            Padding: eeff',
      '        IP Option - Quick-Start (8 bytes): Rate request (0), 1.28 Mbit/s, QS TTL 48, QS TTL diff 16',
      '            [TTL Diff: 16]',
      '        Unknown (0x9e) (4 bytes)',
      '        Router Alert (option length = 8 bytes says option goes past end of options)',
    ])
      assert.ok(optionLines.includes(line), line);
    // tshark cuts the title of 24 fragments where its label ends.
    assert.ok(theirs.some((l) => /^ {4}\[24 IPv4 Fragments \(19200 bytes\): #18\(800\), .*, #38\(80\]$/.test(l)));
    // The fixtures alone (a clone without the corpus) hold about 20,000 lines.
    assert.ok(lines.length > 15_000, `${lines.length} lines`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("IPv6's -V lines are tshark's: what its addresses tell, its extension headers, options, routing and fragments", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Expert items are not drawn here.
  const subtrees = (out: string) => subtreesOf(out, /^ *Internet Protocol Version 6/, /^\[Expert Info/);
  const files = [
    ...captures(FIXTURES),
    ...['arkime/arkime_synthetic.pcap', 'zeek/ip6_esp.pcap', 'tcpdump/erspan-type-iii-pb-1.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const lines = await sameSubtrees(files, subtrees);
  // ipv6-headers.pcap's addresses, headers and options are among them.
  for (const line of [
    '    [Destination Teredo Client IPv4: 198.51.100.7]',
    '    [Source SLAAC MAC: 00:00:86:05:80:da]',
    '    [Embedded IPv4: 192.0.2.1]',
    '    Routing Header for IPv6 (Segment Routing)',
    '        Address[1]: 2001:db8:2::2',
    '            Tunnel Encapsulation Limit: 4',
    '            PadN: <none>',
    '        .... .... .... .11. = Reserved bits: 3',
    '            Return Minimum PMTU: 1500',
    '            Unknown Option Payload: 010203',
  ])
    assert.ok(lines.includes(line), line);
  // The fixtures alone (a clone without the corpus) hold about 480 lines.
  assert.ok(lines.length > 400, `${lines.length} lines`);
});

test("LLC's and STP's -V lines are tshark's: SAPs, control fields, SNAP, RSTP and MSTP, PVST+'s TLVs", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Expert items are not drawn here; a BPDU too short to read is a title with nothing under it here, none in tshark's.
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *(Logical-Link Control|Spanning Tree Protocol)/, /^\[Expert Info/).filter((t) => t.length > 0);
  const files = [
    ...captures(FIXTURES),
    ...['tcpdump/erspan-type-ii-3.pcap', 'suricata-verify/decode-erspan-typeII-01__input.pcap', 'arkime/ospf.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold over 2,000 lines.
  assert.ok(compared > 2000, `${compared} lines`);
});

test("CDP's -V lines are tshark's: checksum verdicts (odd lengths too), every TLV read, addresses, bits, data", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Expert items are not drawn here (a bad checksum's, a string's stray bytes after a NUL, a frame cut short).
  const subtrees = (out: string) => subtreesOf(out, /^ *Cisco Discovery Protocol/, /^\[Expert Info/);
  const files = [
    ...captures(FIXTURES),
    ...['tcpdump/various_gre.pcap', 'suricata-verify/decode-erspan-typeII-01__input.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold about 400 lines.
  assert.ok(compared > 350, `${compared} lines`);
});

test("LLDP's -V lines are tshark's: IDs of each subtype, capabilities, management addresses, 802.1 and 802.3 TLVs", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Expert items are not drawn here (a refused ID's, a deprecated TLV's, a first TLV out of place, a length's).
  const subtrees = (out: string) =>
    subtreesOf(
      out,
      /^ *Link Layer Discovery Protocol/,
      /^(\[Expert Info|Invalid Chassis ID \(|Invalid Port ID \(|Invalid length, (greater than expected|too short))/,
    );
  const files = [
    ...captures(FIXTURES),
    ...['tcpdump/erspan-type-i-4.pcap', 'arkime/ospf.pcap', 'arkime/arkime_synthetic.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold about 570 lines.
  assert.ok(compared > 500, `${compared} lines`);
});

test("802.11's -V lines are tshark's: frame control and flags, addresses by DS bits, QoS control, TKIP and CCMP", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // The MAC header's subtree (A-MSDU subframes and management bodies are layers of their own in tshark, not read
  // here); expert items are not drawn, nor a WEP frame's weak-IV note and ICV (its last 4 bytes are data here).
  const subtrees = (out: string) =>
    subtreesOf(out, /^IEEE 802\.11 (?!Aggregate MSDU|Wireless Management)/, /^(\[Expert Info|Weak IV|WEP ICV)/);
  const files = [
    ...captures(FIXTURES),
    ...['zeek/tunnels__gre-aruba.pcap', 'zeek/tunnels__gre-aruba-ccmp.pcap', 'zeek/tunnels__gre-aruba-amsdu.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold over 1,000 lines.
  assert.ok(compared > 1000, `${compared} lines`);
});

test("PIM's -V lines are tshark's for Hellos and Registers: checksum verdicts, every option, address lists", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // The other messages' bodies are not read yet: their trees are left out of both.
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *Protocol Independent Multicast/, /^\[Expert Info/).filter((t) =>
      /= Type: (Hello \(0\)|Register \(1\))$/.test(t[1] ?? ''),
    );
  const files = [
    ...captures(FIXTURES),
    ...[
      'tcpdump/PIMv2_hellos.pcap',
      'tcpdump/pim-packet-assortment.pcap',
      'tcpdump/PIM-DM_pruning.pcap',
      'tcpdump/PIM-SM_join_prune.pcap',
      'tcpdump/PIM_register_register-stop.pcap',
      'tcpdump/erspan-type-ii-1.pcap',
      'arkime/pim.pcap',
      'ndpi/pim.pcap',
    ]
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold about 250 lines.
  assert.ok(compared > 200, `${compared} lines`);
});

test("RIP's -V lines are tshark's: each route entry a subtree, RIPv2's authentication and keyed-MD5 trailer", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // A simple password is not read out here (rip.ts); the MD5 trailer's entry, which tshark also walks as an unknown
  // address family (an expert item), is the authentication's subtree alone here.
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *Routing Information Protocol/, /^(\[Expert Info|Password: |Unknown address family)/);
  const files = [
    ...captures(FIXTURES),
    ...['tcpdump/ripv2_auth.pcap', 'tcpdump/ripv1v2.pcap'].map((f) => join(CORPUS, f)).filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold about 40 lines.
  assert.ok(compared > 30, `${compared} lines`);
});

test("EIGRP's -V lines are tshark's: checksum verdict, Hello TLVs, authentication, stub, legacy and wide routes", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // A route TLV's second and later destinations are read where RFC 7868 puts them, where tshark 4.0 steps one byte
  // too far after each (README): a TLV's first destination is compared, in its title and its lines.
  const firstDestination = (tree: string[]) => {
    let pairs = 0;
    return tree
      .filter((line) => {
        if (/^ {4}\S/.test(line)) pairs = 0;
        return !/^ {8}(Prefix Length|Destination): /.test(line) || pairs++ < 2;
      })
      .map((line) => line.replace(/^( {4}\S.*?  = {3}\S+) {2}, {3}.*$/, '$1'));
  };
  const subtrees = (out: string) => subtreesOf(out, /^ *Cisco EIGRP/, /^\[Expert Info/).map(firstDestination);
  const files = [
    ...captures(FIXTURES),
    ...[
      'tcpdump/EIGRP_adjacency.pcap',
      'tcpdump/EIGRP_goodbye.pcap',
      'tcpdump/EIGRP_subnet_down.pcap',
      'tcpdump/EIGRP_subnet_up.pcap',
      'tcpdump/EIGRP_ipv6.pcap',
      'tcpdump/eigrp-tlv-oobr.pcap',
    ]
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold about 650 lines.
  assert.ok(compared > 550, `${compared} lines`);
});

test("IS-IS's -V lines are tshark's: each PDU kind's fixed part, LSP checksums, the TLVs the routers send", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Each PDU kind is a protocol item of its own in tshark's tree (`ISIS HELLO`), drawn after the common header's: both
  // are compared. Expert items are not drawn here (tshark's `short address` of an empty TLV is one), nor are the
  // sub-TLVs of extended IS, IP and IPv6 reachability (their length is); a cleartext password is not read out here
  // (isis.ts), its line compared up to the password.
  const noPassword = (line: string) => line.replace(/^( *clear text \(1\), password \(length \d+\)) = .*$/, '$1');
  const subtrees = (out: string) =>
    subtreesOf(
      out,
      /^(ISO 10589 ISIS|ISIS HELLO)/,
      /^(\[Expert Info|short address \(no length for payload\)|subTLV: )/,
    ).map((t) => t.map(noPassword));
  const files = [
    ...captures(FIXTURES),
    ...[
      'arkime/ospf.pcap',
      'arkime/mpls-basic.pcap',
      'arkime/arkime_synthetic.pcap',
      'tcpdump/various_gre.pcap',
      'tcpdump/isis-infinite-loop.pcap',
    ]
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const compared = (await sameSubtrees(files, subtrees)).length;
  // The fixtures alone (a clone without the corpus) hold about 300 lines.
  assert.ok(compared > 250, `${compared} lines`);
});

/** The organisations gredump names in L2TP vendor IDs (tshark names some 60,000, from its enterprises file). */
const NAMED_ENTERPRISES = new Set(['0', '9', '193', '311', '2011', '2636', '3561', '4491', '6527']);

test("L2TP's -V lines are tshark's: control headers of v2 and v3, every AVP read, Cisco's, hidden and unknown ones", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Another organisation's vendor ID is compared by its number: `Vendor ID: NxNetworks (1)` is `Unknown (1)` here.
  const byNumber = (line: string) =>
    line.replace(/(Vendor (?:ID: )?)(.+?) \((\d+)\)/, (all, head: string, _name, n: string) =>
      NAMED_ENTERPRISES.has(n) ? all : `${head}(${n})`,
    );
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *Layer 2 Tunneling Protocol/, /^\[Expert Info/).map((t) => t.map(byNumber));
  const files = [
    ...captures(FIXTURES),
    ...['tcpdump/l2tp-avp-overflow.pcap'].map((f) => join(CORPUS, f)).filter(existsSync),
  ];
  // L2TP inside ESP with NULL encryption (l2tpv2-tunnels.pcap) is read through; tshark does so with its heuristic on.
  const compared = (await sameSubtrees(files, subtrees, ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE']))
    .length;
  // The fixtures alone (a clone without the corpus) hold about 1,700 lines.
  assert.ok(compared > 1500, `${compared} lines`);
});

test("PPTP's -V lines are tshark's: every control message, a wrong cookie, an unknown type, messages cut short", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // tshark hands a segment its stream analysis takes for a retransmission to no protocol (tcpdump-pptp.pcap's frames
  // 9 and 14): told not to analyse, it reads them as we do. Expert items are not drawn here; a segment too short to
  // read (under 10 bytes) is a title with nothing under it here, none in tshark's.
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *Point-to-Point Tunnelling Protocol/, /^\[Expert Info/).filter((t) => t.length > 0);
  const files = [...captures(FIXTURES), ...['ndpi/pptp.pcap'].map((f) => join(CORPUS, f)).filter(existsSync)];
  const compared = (await sameSubtrees(files, subtrees, ['-o', 'tcp.analyze_sequence_numbers:FALSE'])).length;
  // The fixtures alone (a clone without the corpus) hold about 350 lines: 95 of tcpdump-pptp.pcap, 252 of ours.
  assert.ok(compared > 300, `${compared} lines`);
});

test("GRE's -V lines are tshark's: every header kind, RFC 1701's routing entries, odd versions, PPTP's, data", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Expert items are not drawn here. WCCPv2's redirect header, a subtree of GRE in Wireshark's tree, is a layer of its
  // own here (wccp.ts): left out of tshark's.
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *Generic Routing Encapsulation/, /^(\[Expert Info|Redirect Header)/);
  const files = [
    ...captures(FIXTURES),
    ...[
      'tcpdump/various_gre.pcap',
      'tcpdump/gre-heapoverflow-2.pcap',
      'tcpdump/wccp_redirect_gre.pcap',
      'zeek/tunnels__gre-sample.pcap',
      'zeek/tunnels__gre-pptp.pcap',
      'zeek/tunnels__gre-over-udp-4754.pcap',
      'tcpdump/nhrp.pcapng',
    ]
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  // GRE inside ESP with NULL encryption is read through; tshark does so with its heuristic on, which takes one of
  // ike-v2-child.pcap's encrypted ESP packets for GRE (it is off for that capture).
  const encrypted = join(FIXTURES, 'ike-v2-child.pcap');
  const heuristic = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
  const lines = [
    ...(await sameSubtrees([encrypted], subtrees)),
    ...(await sameSubtrees(
      files.filter((f) => f !== encrypted),
      subtrees,
      heuristic,
    )),
  ];
  // gre-headers.pcap's SREs, odd versions and data are among them (the fixtures alone hold about 6,800 lines).
  for (const line of ['    Routing Information: 010203', '        .... .... .000 0... = Flags (Reserved): 0'])
    assert.ok(lines.includes(line), line);
  assert.ok(lines.length > 6000, `${lines.length} lines`);
});

test("VXLAN's, VXLAN-GPE's and Geneve's -V lines are tshark's: flags words titled, Geneve's options", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Expert items are not drawn here (an option running past the options is a geneve-bad-option warning).
  const subtrees = (out: string) =>
    subtreesOf(
      out,
      /^ *(Virtual eXtensible Local Area Network|Generic Network Virtualization)/,
      /^(\[Expert Info|.* \(length of \d+ is past end of options\)$)/,
    );
  const files = [
    join(FIXTURES, 'overlays.pcap'),
    ...['suricata-verify/bug-6402-01__input.pcap', 'arkime/arkime_synthetic.pcap', 'arkime/gre-erspan-vxlan.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'gredump-geneve-'));
  let lines: string[];
  try {
    const crafted = join(dir, 'geneve.pcap');
    writeFileSync(crafted, pcap(1, genevePackets()));
    lines = await sameSubtrees([...files, crafted], subtrees);
  } finally {
    rmSync(dir, { recursive: true });
  }
  assert.ok(lines.includes('    Flags: 0x0800, VXLAN Network ID (VNI)'));
  assert.ok(lines.some((line) => line.includes('= GCP Virtual Network ID: 123456')));
  // The fixture and the crafted frames alone (a clone without the corpus) hold about 90 lines.
  assert.ok(lines.length > 80, `${lines.length} lines`);
});

test("BGP's -V lines are tshark's: OPEN's capabilities, UPDATE's attributes and prefixes, NOTIFICATION, the rest", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // Without TCP reassembly, as tshark with bgp.desegment off: a message split over segments is read as each holds it.
  // A length under the header's is a title with nothing under it here, no item in tshark's.
  const subtrees = (out: string) =>
    subtreesOf(out, /^ *Border Gateway Protocol/, /^\[(Expert Info|Malformed)/).filter((t) => t.length > 0);
  const files = [
    ...captures(FIXTURES),
    ...['arkime/arkime_synthetic.pcap', 'arkime/ospf.pcap'].map((f) => join(CORPUS, f)).filter(existsSync),
  ];
  const lines = await sameSubtrees(files, subtrees, ['-o', 'bgp.desegment:FALSE']);
  // What the fixture shows: each message type, the ADD-PATH and 2-octet AS guesses, IPv6 in MP_REACH, a continuation.
  for (const line of [
    'Capability: Graceful Restart capability',
    'Path Attribute - AS_PATH: 65010 65020 {100, 200} ',
    '10.1.0.0/16 PathId 1 ',
    'MP Reach NLRI IPv6 prefix: 2001:db8:20:1::',
    'Minor error Code (Cease): Administratively Shutdown (2)',
    'Link-local Address: fe80::1',
    'Cluster list (invalid): 11 bytes',
    'Large communities: 4200000001:3:4',
    'Continuation',
    'GRE Key: 1003',
    'Flags: 0xc0, Valid VN-ID, Valid MAC address',
    'SubTLV: Type A MPLS SID sub-TLV',
  ])
    assert.ok(
      lines.some((l) => l.trim() === line.trim()),
      line,
    );
  // The fixtures hold about 800 lines (bgp.pcap, and the OPENs and KEEPALIVEs of two others).
  assert.ok(lines.length > 750, `${lines.length} lines`);
});

test("PPP's control protocols' -V lines are tshark's: LCP, IPCP, IPv6CP and CCP options, every LCP code, PAP, CHAP", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // PPP's tree and each control protocol's (drawn under a title of its own, as tshark's). PAP's password is never
  // read out here (nor its length): tshark's lines of it are left out. Expert items are not drawn here.
  const subtrees = (out: string) =>
    subtreesOf(
      out,
      /^ *(Point-to-Point Protocol|PPP [A-Za-z0-9 ]+ Protocol)(, .*)?$/,
      /^(\[Expert Info|Password(-Length)?:)/,
    );
  const files = [
    ...captures(FIXTURES),
    // The corpus's LCP (a capture fixtures/ holds too, as tcpdump-pptp.pcap) and PPP's headers in GRE.
    ...['tcpdump/pptp.pcap', 'zeek/tunnels__gre-pptp.pcap', 'ndpi/gre.pcapng', 'arkime/arkime_synthetic.pcap']
      .map((f) => join(CORPUS, f))
      .filter(existsSync),
  ];
  // PPP in L2TP in ESP with NULL encryption (l2tpv2-tunnels.pcap) is read through, by tshark with its heuristic.
  const lines = await sameSubtrees(files, subtrees, ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE']);
  const options = lines.filter((l) => /^ {8}\S/.test(l)).length;
  // The fixtures alone (a clone without the corpus) hold about 970 lines, some 140 of them options' titles.
  assert.ok(lines.length > 900 && options > 120, `${lines.length} lines, ${options} options`);
});

test("PPP's Van Jacobson TCP/IP and bridged frames' -V lines are tshark's: every delta, special cases, cut headers", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // The connection number a compressed header leaves out is worked out from the frames before it, as tshark's. Expert
  // items are not drawn here (their own line is: `Connection has no direction info, cannot decompress`).
  const subtrees = (out: string) =>
    subtreesOf(
      out,
      /^ *PPP (Van Jacobson (un)?compressed TCP\/IP|Bridging Control Protocol Bridged PDU)/,
      /^\[Expert Info/,
    );
  const lines = await sameSubtrees(captures(FIXTURES), subtrees);
  // ppp-vj-bcp.pcap and ppp-readable.pcap: about 200 lines.
  assert.ok(lines.length > 180, `${lines.length} lines`);
});

/**
 * tshark -G fields' types for ours, and its bases (BASE_PT_*: ports, shown decimal). FT_IPXNET, an IPX network
 * number, is a 32-bit integer always shown in hex (it registers no base): a hex uint here; FT_FRAMENUM, a frame's
 * number, a decimal one.
 */
const G_TYPES: Record<string, string[]> = {
  uint: [
    'FT_UINT8',
    'FT_UINT16',
    'FT_UINT24',
    'FT_UINT32',
    'FT_UINT40',
    'FT_UINT48',
    'FT_UINT64',
    'FT_FRAMENUM',
    'FT_IPXNET',
  ],
  int: ['FT_INT8', 'FT_INT16', 'FT_INT24', 'FT_INT32', 'FT_INT64'],
  double: ['FT_DOUBLE'],
  float: ['FT_FLOAT'],
  bool: ['FT_BOOLEAN'],
  ipv4: ['FT_IPv4'],
  ipv6: ['FT_IPv6'],
  ether: ['FT_ETHER'],
  bytes: ['FT_BYTES'],
  systemid: ['FT_SYSTEM_ID'],
  string: ['FT_STRING', 'FT_STRINGZ', 'FT_STRINGZPAD'],
  time: ['FT_ABSOLUTE_TIME'],
  reltime: ['FT_RELATIVE_TIME'],
  none: ['FT_NONE'],
};
const G_WIDTH: Record<string, number> = {
  FT_UINT8: 8,
  FT_UINT16: 16,
  FT_UINT24: 24,
  FT_UINT32: 32,
  FT_UINT40: 40,
  FT_UINT48: 48,
  FT_FRAMENUM: 32,
  FT_IPXNET: 32,
  FT_UINT64: 64,
  FT_INT8: 8,
  FT_INT16: 16,
  FT_INT24: 24,
  FT_INT32: 32,
  FT_INT64: 64,
};
const G_BASES: Record<string, string[]> = {
  dec: ['BASE_DEC', 'BASE_PT_TCP', 'BASE_PT_UDP', 'BASE_PT_SCTP', 'BASE_PT_DCCP'],
  hex: ['BASE_HEX'],
  dec_hex: ['BASE_DEC_HEX'],
  hex_dec: ['BASE_HEX_DEC'],
  oct: ['BASE_OCT'],
  none: ['BASE_NONE'],
  custom: ['BASE_CUSTOM'],
  oui: ['BASE_OUI'],
};
/** Declarations that differ from tshark -G on purpose. */
const G_KNOWN: Record<string, string> = {
  'frame.len': 'the label is the detail line tshark -V writes (Frame Length), not the registered one',
  'frame.cap_len': 'as frame.len (Capture Length)',
  'ospf.lsa.age': "Wireshark's mask is ~0x8000 as a 64-bit word; the bits it draws are the declared 0x7fff",
  'llc.control.ftype':
    'Wireshark registers it three times (I frames: 16 bits, mask 0x1; S and U frames: mask 0x3) and -G lists the ' +
    "first; declared as U frames' byte, the frames LLC over Ethernet carries",
  'lldp.mgn.obj.id': "an FT_OID: held as its dotted text, which is what tshark's -T fields writes of one",
  'lldp.media.civic.length':
    'Wireshark registers it twice (LCI Length, CA Length) and -G lists the first; one declaration here, labelled as ' +
    "the elements' lengths, and -V draws the LCI's under its own label",
};

test("declared fields have tshark -G fields' names, labels, types, widths, bases and masks", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const { stdout } = await run('tshark', ['-G', 'fields'], { maxBuffer: 256 * 1024 * 1024 });
  // One name may be registered more than once (VXLAN-GPE's vxlan.flags): any registration that fits will do.
  const registered = new Map<string, string[][]>();
  for (const line of lines(stdout)) {
    let c = line.split('\t');
    // A protocol registered in name only, under another's dotted name (IPv4's options, ip.options.routeralert), is
    // an item of bytes: -G lists it as a protocol.
    if (c[0] === 'P' && c[2]!.includes('.')) c = ['P', c[1]!, c[2]!, 'FT_BYTES', '', '', '0x0'];
    else if (c[0] !== 'F') continue;
    registered.set(c[2]!, [...(registered.get(c[2]!) ?? []), c]);
  }
  const problems: string[] = [];
  let checked = 0;
  for (const p of protocolCatalogue().values()) {
    for (const f of p.fields) {
      if (f.type === 'protocol' || G_KNOWN[f.name]) continue;
      checked++;
      const regs = registered.get(f.name);
      if (!regs) {
        problems.push(`${f.name}: not a field of tshark's`);
        continue;
      }
      const verdicts = regs.map(([, label, , type, , base, mask]) => {
        const why: string[] = [];
        if (label !== f.label) why.push(`label "${f.label}", tshark's "${label}"`);
        if (!G_TYPES[f.type]?.includes(type!)) why.push(`type ${f.type}, tshark's ${type}`);
        if ((f.type === 'uint' || f.type === 'int') && G_WIDTH[type!] !== f.bits)
          why.push(`${f.bits} bits, tshark's ${type}`);
        const ipxNet = type === 'FT_IPXNET' && f.base === 'hex';
        // A frame number (FT_FRAMENUM: tcp.analysis.acks_frame) registers no base: it is shown in decimal.
        const frameNumber = type === 'FT_FRAMENUM' && f.base === 'dec';
        if ((f.type === 'uint' || f.type === 'int') && !ipxNet && !frameNumber && !G_BASES[f.base]?.includes(base!))
          why.push(`base ${f.base}, tshark's ${base}`);
        if (f.type === 'bool' && String(f.bits) !== base) why.push(`a flag of ${f.bits} bits, tshark's ${base}`);
        if (Number(mask) !== f.mask) why.push(`mask 0x${f.mask.toString(16)}, tshark's ${mask}`);
        return why;
      });
      const best = verdicts.reduce((a, b) => (b.length < a.length ? b : a));
      if (best.length) problems.push(`${f.name}: ${best.join('; ')}`);
    }
  }
  console.log(`# ${checked} declared fields checked against tshark -G fields`);
  assert.deepEqual(problems, []);
});

/** Value names that differ from tshark -G values on purpose, field by field. */
const VALUES_KNOWN: Record<string, string> = {
  'isakmp.nextpayload': "tshark registers IKEv1's names and names IKEv2's as it dissects; these are both versions'",
  'isakmp.typepayload': 'as isakmp.nextpayload',
  'isakmp.prop.protoid': "tshark registers IKEv1's names (ISAKMP, IPSEC_AH); these are IKEv2's (IKE, AH)",
  'isakmp.notify.protoid': 'as isakmp.prop.protoid',
  'isakmp.delete.protoid': 'as isakmp.prop.protoid',
  'isakmp.notify.msgtype': "tshark registers IKEv1's names (INVALID-COOKIE); these are IKEv2's (INVALID_IKE_SPI)",
  'isakmp.id.type': "tshark registers IKEv1's KEY_LIST; IKEv2 has no 12, and RFC 2407 calls it ID_LIST",
  'isakmp.exchangetype': 'IKE_INTERMEDIATE (43) and IKE_FOLLOWUP_KE (44) are newer than tshark 4.0',
  'isakmp.tf.id.prf': "tshark 4.0 spells 8 PRF_AES128_CMAC6, a typo of RFC 4615's PRF_AES128_CMAC",
  'rip.family': "0xffff is RFC 2453's authentication entry, which tshark 4.0 dissects without naming the family",
  'icmp.type': 'tshark writes the names in its tree text, not as value names a filter takes',
  'ppp.code': 'as icmp.type',
  'wlan.fc.subtype': "tshark registers protocol version 1's subtype names only, and -V shows version 0's as numbers",
  'geneve.option.class': 'tshark names ranges of classes (0x0108-0x0110): -V names them here, a filter takes numbers',
  'ip.opt.ra': 'as geneve.option.class (1-65535: Reserved)',
};

test("declared value names are tshark -G values' names, for every field that tshark names values of", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const { stdout } = await run('tshark', ['-G', 'values'], { maxBuffer: 512 * 1024 * 1024 });
  // V: a value and its name; R: a range of values and their name.
  const names = new Map<string, [lo: number, hi: number, name: string][]>();
  for (const line of lines(stdout)) {
    const c = line.split('\t');
    const range: [number, number, string] | null =
      c[0] === 'V' ? [Number(c[2]), Number(c[2]), c[3]!] : c[0] === 'R' ? [Number(c[2]), Number(c[3]), c[4]!] : null;
    if (range) names.set(c[1]!, [...(names.get(c[1]!) ?? []), range]);
  }
  const problems: string[] = [];
  let checked = 0;
  for (const p of protocolCatalogue().values()) {
    for (const f of p.fields) {
      if (VALUES_KNOWN[f.name] || (f.type !== 'uint' && f.type !== 'int')) continue;
      const theirs = names.get(f.name) ?? [];
      // A number tshark names (`Default (0)`, `-Y 'ip.dsfield.dscp == "Default"'`) is named here too.
      if (!f.values) {
        if (theirs.length) problems.push(`${f.name}: no value names, tshark's ${theirs.length}`);
        continue;
      }
      checked++;
      for (const [value, ours] of Object.entries(f.values)) {
        // tshark may register a field more than once, each with its table (vlan.priority, by 802.1Q's edition): any
        // of them may name the value.
        const names = theirs.filter(([lo, hi]) => lo <= Number(value) && Number(value) <= hi).map(([, , n]) => n);
        if (!names.includes(ours))
          problems.push(`${f.name} ${value}: "${ours}", tshark's ${names.join(' or ') || 'none'}`);
      }
    }
  }
  console.log(`# the value names of ${checked} declared fields checked against tshark -G values`);
  assert.deepEqual(problems, []);
});

test("declared flags' words are tshark -G values' (True and False where it names none)", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const { stdout } = await run('tshark', ['-G', 'values'], { maxBuffer: 512 * 1024 * 1024 });
  // T: a flag's true_false_string, its words when set and when not.
  const words = new Map<string, string[]>();
  for (const line of lines(stdout)) {
    const c = line.split('\t');
    if (c[0] === 'T') words.set(c[1]!, [c[2]!, c[3]!]);
  }
  const problems: string[] = [];
  let checked = 0;
  for (const p of protocolCatalogue().values()) {
    for (const f of p.fields) {
      if (f.type !== 'bool') continue;
      checked++;
      const theirs = words.get(f.name) ?? ['True', 'False'];
      if (f.tfs.join('/') !== theirs.join('/'))
        problems.push(`${f.name}: ${f.tfs.join('/')}, tshark's ${theirs.join('/')}`);
    }
  }
  console.log(`# the words of ${checked} declared flags checked against tshark -G values`);
  assert.deepEqual(problems, []);
});

test("the names tshark reads as fields where gredump would read bytes are tshark -G's", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const protocols = (await run('tshark', ['-G', 'protocols'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const fields = (await run('tshark', ['-G', 'fields'], { maxBuffer: 512 * 1024 * 1024 })).stdout;
  const names = [
    ...lines(protocols).map((l) => l.split('\t')[2]!),
    ...lines(fields)
      .filter((l) => l.startsWith('F\t'))
      .map((l) => l.split('\t')[2]!),
  ];
  // What gredump's byte strings take: hex digits with '.', '-' or ':' between them.
  const likeBytes = [...new Set(names.filter((n) => /^[0-9a-f]+(?:[.:-][0-9a-f]+)*$/i.test(n)))].sort();
  assert.deepEqual([...TSHARK_NAMES_LIKE_BYTES].sort(), likeBytes);
});
