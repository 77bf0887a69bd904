import { ah } from './ah.js';
import { arista } from './arista.js';
import { arp } from './arp.js';
import { erspan } from './erspan.js';
import { esp } from './esp.js';
import { ciscoMetadataEthernet, ciscoMetadataGre } from './cisco-metadata.js';
import { ethernet } from './ethernet.js';
import { fabricpath } from './fabricpath.js';
import { frameRelay } from './frame-relay.js';
import { geneve } from './geneve.js';
import { gre } from './gre.js';
import { gtp } from './gtp.js';
import { icmp, icmpv6 } from './icmp.js';
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { isakmp, natt } from './isakmp.js';
import { isis } from './isis.js';
import { l2tpIp, l2tpUdp, L2TP_PORT } from './l2tpv3.js';
import { llc } from './llc.js';
import { mpls } from './mpls.js';
import { appletalk } from './appletalk.js';
import { ipx } from './ipx.js';
import { vjCompressed, vjUncompressed } from './vj.js';
import { bcp } from './bcp.js';
import { bgp, BGP_PORT } from './bgp.js';
import { cdp } from './cdp.js';
import { lldp } from './lldp.js';
import { nhrp } from './nhrp.js';
import { wccp } from './wccp.js';
import { nullLoopback, openbsdLoop } from './null.js';
import { ospf } from './ospf.js';
import { pbb } from './pbb.js';
import { Table } from './packet.js';
import { ppp } from './ppp.js';
import { pppoe } from './pppoe.js';
import { pptp, PPTP_PORT } from './pptp.js';
import { register } from './registry.js';
import { rip, ripng } from './rip.js';
import { pim } from './pim.js';
import { eigrp } from './eigrp.js';
import { igmp, vrrp } from './routing.js';
import { vxlan, vxlanGpe } from './vxlan.js';
import { nsh } from './nsh.js';
import { ARUBA_GRE_TYPES } from './numbers.js';
import { sll, sll2 } from './sll.js';
import { stp } from './stp.js';
import { tcp } from './tcp.js';
import { udp } from './udp.js';
import { ieee8021ad, vlan } from './vlan.js';
import { wlan } from './wlan.js';

/**
 * The whole dissection chain: which protocol each header field hands to.
 * Raw-IP link types are resolved in the engine (they have no header).
 */
let done = false;
export function registerAll(): void {
  if (done) return;
  done = true;

  register(Table.Link, 0, nullLoopback);
  register(Table.Link, 1, ethernet);
  register(Table.Link, 9, ppp);
  register(Table.Link, 107, frameRelay);
  register(Table.Link, 108, openbsdLoop);
  register(Table.Link, 113, sll);
  register(Table.Link, 276, sll2);

  register(Table.EtherType, 0x0800, ipv4);
  register(Table.EtherType, 0x86dd, ipv6);
  register(Table.EtherType, 0x0806, arp);
  register(Table.EtherType, 0x88cc, lldp);
  register(Table.EtherType, 0x8100, vlan);
  register(Table.EtherType, 0x88a8, ieee8021ad);
  register(Table.EtherType, 0x9100, vlan);
  register(Table.EtherType, 0x8847, mpls);
  register(Table.EtherType, 0x8848, mpls);
  register(Table.EtherType, 0x8863, pppoe);
  register(Table.EtherType, 0x8864, pppoe);
  register(Table.EtherType, 0x880b, ppp);
  register(Table.EtherType, 0x88e7, pbb);
  register(Table.EtherType, 0x8903, fabricpath);
  register(Table.EtherType, 0xd28b, arista);
  register(Table.EtherType, 0x894f, nsh);
  register(Table.EtherType, 0x8909, ciscoMetadataEthernet);
  register(Table.EtherType, 0x8137, ipx);
  register(Table.EtherType, 0x6558, ethernet); // transparent Ethernet bridging (gretap, NVGRE, VXLAN)

  // GRE protocol types, with the name GRE's summary gives each (as tcpdump's); a type not here is looked up as an
  // EtherType.
  register(Table.GreProto, 0x0800, ipv4, { name: 'IPv4' });
  register(Table.GreProto, 0x86dd, ipv6, { name: 'IPv6' });
  register(Table.GreProto, 0x6558, ethernet, { name: 'TEB', tunnel: 'gretap' });
  register(Table.GreProto, 0x88be, erspan, { name: 'ERSPAN', namesItself: true, tunnel: 'erspan' }); // types I and II
  register(Table.GreProto, 0x22eb, erspan, { name: 'ERSPAN-III', namesItself: true, tunnel: 'erspan' });
  register(Table.GreProto, 0x8847, mpls, { name: 'MPLS', namesItself: true });
  register(Table.GreProto, 0x8848, mpls, { name: 'MPLS-mcast', namesItself: true });
  register(Table.GreProto, 0x880b, ppp, { name: 'PPP', namesItself: true });
  register(Table.GreProto, 0x2001, nhrp, { name: 'NHRP', namesItself: true });
  register(Table.GreProto, 0x883e, wccp, { name: 'WCCP', namesItself: true });
  register(Table.GreProto, 0x8137, ipx, { name: 'IPX', namesItself: true });
  register(Table.GreProto, 0x809b, appletalk, { name: 'AppleTalk', namesItself: true });
  register(Table.GreProto, 0x0806, arp, { name: 'ARP', namesItself: true });
  register(Table.GreProto, 0x8909, ciscoMetadataGre, { name: 'CMD', namesItself: true });
  register(Table.GreProto, 0x00fe, isis, { name: 'OSI' }); // OSI network layer: IS-IS, as Wireshark names it
  register(Table.GreProto, 0x0000, null, { name: 'keepalive' });
  register(Table.GreProto, 0x2000, cdp, { name: 'CDP', namesItself: true }); // CDP run on a tunnel interface
  register(Table.GreProto, 0x9000, null, { name: 'Loopback' });
  // Aruba controllers tunnel 802.11 frames under these types (named as Wireshark names them, "ARUBA WLAN").
  const aruba = { name: 'Aruba', numbered: true };
  for (const t of ARUBA_GRE_TYPES) register(Table.GreProto, t, wlan, aruba);

  // 802.3 frames: LLC, then by SAP, or under SNAP by Cisco's protocol ID (RFC 1042's SNAP goes by EtherType).
  register(Table.Ieee8023, 0, llc);
  register(Table.LlcSap, 0x42, stp);
  register(Table.LlcSap, 0xe0, ipx);
  register(Table.LlcSap, 0xfe, isis); // OSI network layer: IS-IS, as over GRE
  register(Table.CiscoSnap, 0x010b, stp); // PVST+
  register(Table.CiscoSnap, 0x2000, cdp);

  register(Table.IpProto, 1, icmp);
  register(Table.IpProto, 2, igmp);
  register(Table.IpProto, 4, ipv4); // IP in IP
  register(Table.IpProto, 6, tcp);
  register(Table.IpProto, 17, udp);
  register(Table.IpProto, 41, ipv6); // 6in4
  register(Table.IpProto, 47, gre);
  register(Table.IpProto, 50, esp);
  register(Table.IpProto, 51, ah);
  register(Table.IpProto, 54, nhrp); // NARP: NHRP straight over IP (RFC 2332 over IP, as Wireshark)
  register(Table.IpProto, 58, icmpv6);
  register(Table.IpProto, 88, eigrp);
  register(Table.IpProto, 89, ospf);
  register(Table.IpProto, 103, pim);
  register(Table.IpProto, 112, vrrp);
  register(Table.IpProto, 115, l2tpIp); // L2TPv3 (RFC 3931)
  register(Table.IpProto, 137, mpls); // MPLS in IP (RFC 4023)

  register(Table.TcpPort, BGP_PORT, bgp);
  register(Table.TcpPort, PPTP_PORT, pptp);

  register(Table.UdpPort, 500, isakmp);
  register(Table.UdpPort, 520, rip);
  register(Table.UdpPort, 521, ripng);
  register(Table.UdpPort, L2TP_PORT, l2tpUdp);
  register(Table.UdpPort, 4500, natt);
  register(Table.UdpPort, 4754, gre); // GRE in UDP (RFC 8086)
  register(Table.UdpPort, 4789, vxlan);
  register(Table.UdpPort, 4790, vxlanGpe);
  register(Table.UdpPort, 2152, gtp);
  register(Table.UdpPort, 6081, geneve);
  register(Table.UdpPort, 6635, mpls); // MPLS in UDP (RFC 7510)

  register(Table.PppProto, 0x0021, ipv4);
  register(Table.PppProto, 0x0057, ipv6);
  // A payload whose summary starts with its own name is not named again by PPP's (`PPP IPX 34 bytes`).
  register(Table.PppProto, 0x002b, ipx, { name: 'IPX', namesItself: true });
  register(Table.PppProto, 0x002d, vjCompressed, { name: 'VJ', namesItself: true });
  register(Table.PppProto, 0x002f, vjUncompressed, { name: 'VJ', namesItself: true });
  register(Table.PppProto, 0x0031, bcp, { name: 'BCP', namesItself: true });
  register(Table.PppProto, 0x0281, mpls, { name: 'MPLS', namesItself: true });
  register(Table.PppProto, 0x0207, cdp, { name: 'CDP', namesItself: true });
}
