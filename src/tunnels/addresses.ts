import { ipv4, ipv6 } from '../dissect/addr.js';
import type { Layer } from '../dissect/packet.js';

/** The source or destination of an IPv4 or IPv6 layer, as text. */
export function addressText(net: Layer, which: 'src' | 'dst'): string {
  if (net.proto.name === 'ipv4') return ipv4(net.buf, net.off + (which === 'src' ? 12 : 16));
  return ipv6(net.buf, net.off + (which === 'src' ? 8 : 24));
}

/** Multicast (224.0.0.0/4, ff00::/8) or the IPv4 limited broadcast. */
export function isMulticastDestination(net: Layer): boolean {
  if (net.proto.name === 'ipv4') {
    const first = net.buf[net.off + 16]!;
    return (first & 0xf0) === 0xe0 || (first === 255 && net.dv.getUint32(net.off + 16) === 0xffffffff);
  }
  return net.buf[net.off + 24] === 0xff;
}
