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

/** One little-endian pcapng block of `type` around `body` (padded to 4 bytes). */
export function pcapngBlock(type: number, body: Uint8Array): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  b.set(body, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

export function pcapngSectionHeader(): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  return pcapngBlock(0x0a0d0d0a, shb);
}

/** An Ethernet interface description, with if_tsresol and if_tsoffset options when given. */
export function pcapngInterface(o: { tsresol?: number; tsoffset?: bigint } = {}): Buffer {
  const opts: Buffer[] = [];
  if (o.tsresol !== undefined) opts.push(Buffer.from([9, 0, 1, 0, o.tsresol, 0, 0, 0]));
  if (o.tsoffset !== undefined) {
    const x = Buffer.alloc(12);
    x.writeUInt16LE(14, 0);
    x.writeUInt16LE(8, 2);
    x.writeBigInt64LE(o.tsoffset, 4);
    opts.push(x);
  }
  const head = Buffer.alloc(8);
  head.writeUInt16LE(1, 0);
  return pcapngBlock(1, Buffer.concat([head, ...opts, Buffer.alloc(4)]));
}

/** An enhanced packet block on interface 0 with the timestamp words given. */
export function pcapngPacket(data: Uint8Array, tsHi = 0, tsLo = 0): Buffer {
  const epb = Buffer.alloc(20);
  epb.writeUInt32LE(tsHi, 4);
  epb.writeUInt32LE(tsLo, 8);
  epb.writeUInt32LE(data.length, 12);
  epb.writeUInt32LE(data.length, 16);
  return pcapngBlock(6, Buffer.concat([epb, data]));
}

/** A little-endian microsecond pcap of `packets`, with the snaplen given. */
export function pcapFile(packets: Uint8Array[], snaplen = 262144): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(snaplen, 16);
  h.writeUInt32LE(1, 20);
  const records = packets.map((p, i) => {
    const r = Buffer.alloc(16 + p.length);
    r.writeUInt32LE(1767225600 + i, 0);
    r.writeUInt32LE(p.length, 8);
    r.writeUInt32LE(p.length, 12);
    r.set(p, 16);
    return r;
  });
  return Buffer.concat([h, ...records]);
}
