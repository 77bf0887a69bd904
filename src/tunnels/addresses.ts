import type { Layer } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';

export { addressText } from '../dissect/addr.js';

/** Multicast (224.0.0.0/4, ff00::/8) or the IPv4 limited broadcast. */
export function isMulticastDestination(net: Layer): boolean {
  if (net.proto === P.ipv4) {
    const first = net.buf[net.off + 16]!;
    return (first & 0xf0) === 0xe0 || (first === 255 && net.dv.getUint32(net.off + 16) === 0xffffffff);
  }
  return net.buf[net.off + 24] === 0xff;
}
