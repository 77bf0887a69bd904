/**
 * Builders of adversarial inputs: packets chosen to defeat a hash, to make
 * a report quadratic or to flood the reassembly. Used by the tests (small
 * sizes) and by scripts/make-hostile.ts (large files, fixtures/hostile/).
 */
import * as b from './builder.js';

const ip = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/**
 * Packet i of a hash flood: tunnel i between 10.x and a partner chosen so
 * that src XOR dst is the same for every tunnel, all with the same key (what
 * put every tunnel in one bucket of the old table).
 */
export function hashFloodPacket(i: number): Uint8Array {
  const src = 0x0a000000 + i;
  const dst = src ^ 0x5a5a5a5a;
  const inner = b.ipv4(b.udp(new Uint8Array(8), { srcPort: 1000, dstPort: 2000 }), { src: '10.9.0.1', dst: '10.9.0.2', proto: 17 });
  return b.eth(b.ipv4(b.gre(inner, { protocolType: 0x0800, key: 7 }), { src: ip(src), dst: ip(dst >>> 0), proto: 47 }), { type: 0x0800 });
}

/** Packet i of `routers` OSPF routers in one tunnel, each with its own hello interval: every pair disagrees. */
export function ospfCrowdPacket(i: number, routers: number): Uint8Array {
  const r = i % routers;
  const hello = b.ospfHello({ routerId: ip(0x01000000 + r), hello: 1 + r });
  const inner = b.ipv4(hello, { src: ip(0x0a000000 + r), dst: '224.0.0.5', proto: 89 });
  return b.eth(b.ipv4(b.gre(inner, { protocolType: 0x0800, key: 1 }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }), { type: 0x0800 });
}

/** An empty IPv4 fragment (offset 8 * (i + 1), more to come) of datagram `id`: it adds no payload, only overhead. */
export function emptyFragmentPacket(i: number, id = 1): Uint8Array {
  return b.eth(b.ipv4(new Uint8Array(0), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47, id, fragOffset: 8 * ((i % 8000) + 1), more: true }), { type: 0x0800 });
}

/** Packet i of `n` one-packet tunnels (distinct keys between two hosts). */
export function oneShotTunnelPacket(i: number): Uint8Array {
  const inner = b.ipv4(b.udp(new Uint8Array(4), { srcPort: 1, dstPort: 2 }), { src: '10.1.0.1', dst: '10.1.0.2', proto: 17 });
  return b.eth(b.ipv4(b.gre(inner, { protocolType: 0x0800, key: i }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }), { type: 0x0800 });
}
