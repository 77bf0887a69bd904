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
  const inner = b.ipv4(b.udp(new Uint8Array(8), { srcPort: 1000, dstPort: 2000 }), {
    src: '10.9.0.1',
    dst: '10.9.0.2',
    proto: 17,
  });
  return b.eth(
    b.ipv4(b.gre(inner, { protocolType: 0x0800, key: 7 }), { src: ip(src), dst: ip(dst >>> 0), proto: 47 }),
    { type: 0x0800 },
  );
}

/** Packet i of `routers` OSPF routers in one tunnel, each with its own hello interval: every pair disagrees. */
export function ospfCrowdPacket(i: number, routers: number): Uint8Array {
  const r = i % routers;
  const hello = b.ospfHello({ routerId: ip(0x01000000 + r), hello: 1 + r });
  const inner = b.ipv4(hello, { src: ip(0x0a000000 + r), dst: '224.0.0.5', proto: 89 });
  return b.eth(
    b.ipv4(b.gre(inner, { protocolType: 0x0800, key: 1 }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }),
    { type: 0x0800 },
  );
}

/**
 * A one-byte IPv4 fragment (offset 8 * (i + 1), more to come) of datagram `id`: it adds a byte and its overhead. (An
 * empty one is not reassembled at all, as in Wireshark.)
 */
export function tinyFragmentPacket(i: number, id = 1): Uint8Array {
  return b.eth(
    b.ipv4(new Uint8Array(1), {
      src: '192.0.2.1',
      dst: '198.51.100.7',
      proto: 47,
      id,
      fragOffset: 8 * ((i % 8000) + 1),
      more: true,
    }),
    { type: 0x0800 },
  );
}

/** Packet i of `n` one-packet tunnels (distinct keys between two hosts). */
export function oneShotTunnelPacket(i: number): Uint8Array {
  const inner = b.ipv4(b.udp(new Uint8Array(4), { srcPort: 1, dstPort: 2 }), {
    src: '10.1.0.1',
    dst: '10.1.0.2',
    proto: 17,
  });
  return b.eth(
    b.ipv4(b.gre(inner, { protocolType: 0x0800, key: i }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }),
    { type: 0x0800 },
  );
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

/**
 * Text a terminal would act on: ESC sequences (CSI, OSC), BS, CR, a C1 CSI, bidirectional overrides, a lone byte of
 * invalid UTF-8.
 */
export const TERMINAL_ATTACK = '\x1b[2J\x1b]0;owned\x07\b\r\x9b31m\u202e\u2066evil\x00\x7f';

/** A telnet login and an FTP one inside a GRE tunnel, the password of each full of TERMINAL_ATTACK (Latin-1 bytes). */
export function terminalAttackPackets(): Uint8Array[] {
  const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));
  const inTunnel = (payload: Uint8Array, o: { src: string; dst: string; srcPort: number; dstPort: number }) =>
    b.eth(
      b.ipv4(
        b.gre(
          b.ipv4(b.tcp(payload, { srcPort: o.srcPort, dstPort: o.dstPort, flags: b.TCP.ACK | b.TCP.PSH }), {
            src: o.src,
            dst: o.dst,
            proto: 6,
          }),
          { protocolType: 0x0800, key: 9 },
        ),
        { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 },
      ),
      { type: 0x0800 },
    );
  return [
    inTunnel(latin1('Password: '), { src: '10.2.0.20', dst: '10.1.0.10', srcPort: 23, dstPort: 40000 }),
    inTunnel(latin1(`${TERMINAL_ATTACK}\r\n`), { src: '10.1.0.10', dst: '10.2.0.20', srcPort: 40000, dstPort: 23 }),
    inTunnel(latin1(`PASS \u009b${TERMINAL_ATTACK.replace('\r', '')}\r\n`), {
      src: '10.1.0.11',
      dst: '10.2.0.21',
      srcPort: 40001,
      dstPort: 21,
    }),
  ];
}

/** The raw control bytes (as UTF-8) in output: C0 but LF (and TAB), DEL, C1, U+061C, U+200E/F, U+202A-E, U+2066-9. */
export function rawControls(out: Buffer): string[] {
  const found: string[] = [];
  const text = out.toString('utf8');
  for (const c of text) {
    const n = c.codePointAt(0)!;
    if (
      (n < 0x20 && n !== 0x0a && n !== 0x09) ||
      (n >= 0x7f && n <= 0x9f) ||
      n === 0x61c ||
      n === 0x200e ||
      n === 0x200f ||
      (n >= 0x202a && n <= 0x202e) ||
      (n >= 0x2066 && n <= 0x2069) ||
      n === 0xfffd
    ) {
      found.push(`U+${n.toString(16).padStart(4, '0')}`);
    }
  }
  return found;
}
