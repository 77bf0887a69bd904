/**
 * The protocol objects, for consumers outside dissect/ that ask what a layer
 * is: `l.proto === P.ipv4`, never its JSON name (names are output, and two
 * objects may share one: 802.1Q and 802.1ad are both `vlan`).
 */
export { ah } from './ah.js';
export { arp } from './arp.js';
export { eigrp } from './eigrp.js';
export { pim } from './pim.js';
export { erspan } from './erspan.js';
export { esp } from './esp.js';
export { ethernet } from './ethernet.js';
export { geneve } from './geneve.js';
export { gre } from './gre.js';
export { gtp } from './gtp.js';
export { icmp, icmpv6 } from './icmp.js';
export { ipv4 } from './ipv4.js';
export { ipv6 } from './ipv6.js';
export { isakmp, natt } from './isakmp.js';
export { isis } from './isis.js';
export { l2tpIp, l2tpUdp } from './l2tpv3.js';
export { llc } from './llc.js';
export { mpls } from './mpls.js';
export { nhrp } from './nhrp.js';
export { ospf } from './ospf.js';
export { pbb } from './pbb.js';
export { ppp } from './ppp.js';
export { bgp } from './bgp.js';
export { cdp } from './cdp.js';
export { lldp } from './lldp.js';
export { pptp } from './pptp.js';
export { rip } from './rip.js';
export { tcp } from './tcp.js';
export { udp } from './udp.js';
export { ieee8021ad, vlan } from './vlan.js';
export { vxlan, vxlanGpe } from './vxlan.js';
