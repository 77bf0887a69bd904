import type { Layer } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import { ipv4Dst } from '../dissect/ipv4.js';
import { ipv6MulticastDst } from '../dissect/ipv6.js';

export { addressText } from '../dissect/addr.js';

/** Multicast (224.0.0.0/4, ff00::/8) or the IPv4 limited broadcast. */
export function isMulticastDestination(net: Layer): boolean {
  if (net.proto === P.ipv4) {
    const dst = ipv4Dst(net);
    return dst >>> 28 === 0xe || dst === 0xffffffff;
  }
  return ipv6MulticastDst(net);
}
