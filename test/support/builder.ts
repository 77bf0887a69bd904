/**
 * The project's packet builder: headers written byte by byte from the RFCs,
 * for fixtures, unit tests and the benchmark. Each function wraps a payload
 * and returns a new Uint8Array.
 */

export type Bytes = Uint8Array;

function concat(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function view(b: Bytes): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function checksum(b: Bytes, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (b.length % 2) sum += b[b.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function ip4(text: string): Bytes {
  return Uint8Array.from(text.split('.').map(Number));
}

export function ip6(text: string): Bytes {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

export function macBytes(text: string): Bytes {
  return Uint8Array.from(text.split(':').map((x) => parseInt(x, 16)));
}

export function eth(payload: Bytes, o: { src?: string; dst?: string; type: number; vlan?: number }): Bytes {
  const tag = o.vlan !== undefined ? 4 : 0;
  const h = new Uint8Array(14 + tag);
  h.set(macBytes(o.dst ?? '02:00:00:00:00:02'), 0);
  h.set(macBytes(o.src ?? '02:00:00:00:00:01'), 6);
  const v = view(h);
  if (o.vlan !== undefined) {
    v.setUint16(12, 0x8100);
    v.setUint16(14, o.vlan);
  }
  v.setUint16(12 + tag, o.type);
  return concat(h, payload);
}

export interface Ip4Options {
  src: string;
  dst: string;
  proto: number;
  ttl?: number;
  id?: number;
  df?: boolean;
  /** Fragment offset in bytes (a multiple of 8) and more-fragments flag. */
  fragOffset?: number;
  more?: boolean;
  /** Overrides the total length field (for lying headers). */
  totalLength?: number;
  /** The DS field (DSCP and ECN). */
  tos?: number;
}

export function ipv4(payload: Bytes, o: Ip4Options): Bytes {
  const h = new Uint8Array(20);
  const v = view(h);
  h[0] = 0x45;
  h[1] = o.tos ?? 0;
  v.setUint16(2, o.totalLength ?? 20 + payload.length);
  v.setUint16(4, o.id ?? 0);
  v.setUint16(6, (o.df ? 0x4000 : 0) | (o.more ? 0x2000 : 0) | ((o.fragOffset ?? 0) >> 3));
  h[8] = o.ttl ?? 64;
  h[9] = o.proto;
  h.set(ip4(o.src), 12);
  h.set(ip4(o.dst), 16);
  v.setUint16(10, checksum(h));
  return concat(h, payload);
}

export function ipv6(
  payload: Bytes,
  o: { src: string; dst: string; nextHeader: number; hopLimit?: number; trafficClass?: number },
): Bytes {
  const h = new Uint8Array(40);
  const v = view(h);
  v.setUint16(0, 0x6000 | ((o.trafficClass ?? 0) << 4));
  v.setUint16(4, payload.length);
  h[6] = o.nextHeader;
  h[7] = o.hopLimit ?? 64;
  h.set(ip6(o.src), 8);
  h.set(ip6(o.dst), 24);
  return concat(h, payload);
}

export interface GreOptions {
  protocolType: number;
  key?: number;
  seq?: number;
  checksum?: boolean;
  /** Enhanced GRE (PPTP): version 1 with call ID, and optionally an acknowledgement. */
  callId?: number;
  ack?: number;
}

export function gre(payload: Bytes, o: GreOptions): Bytes {
  const v1 = o.callId !== undefined;
  let flags = v1 ? 1 : 0;
  if (o.checksum) flags |= 0x8000;
  if (o.key !== undefined || v1) flags |= 0x2000;
  if (o.seq !== undefined) flags |= 0x1000;
  if (o.ack !== undefined) flags |= 0x0080;
  const words: number[] = [];
  if (o.checksum) words.push(0);
  if (v1) words.push(((payload.length & 0xffff) << 16) | o.callId!);
  else if (o.key !== undefined) words.push(o.key);
  if (o.seq !== undefined) words.push(o.seq);
  if (o.ack !== undefined) words.push(o.ack);
  const h = new Uint8Array(4 + 4 * words.length);
  const v = view(h);
  v.setUint16(0, flags);
  v.setUint16(2, o.protocolType);
  words.forEach((w, i) => v.setUint32(4 + 4 * i, w >>> 0));
  const out = concat(h, payload);
  if (o.checksum) view(out).setUint16(4, checksum(out));
  return out;
}

export function udp(payload: Bytes, o: { srcPort: number; dstPort: number }): Bytes {
  const h = new Uint8Array(8);
  const v = view(h);
  v.setUint16(0, o.srcPort);
  v.setUint16(2, o.dstPort);
  v.setUint16(4, 8 + payload.length);
  return concat(h, payload);
}

export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

export function tcp(
  payload: Bytes,
  o: { srcPort: number; dstPort: number; seq?: number; ack?: number; flags?: number; mss?: number },
): Bytes {
  const opts = o.mss !== undefined ? 4 : 0;
  const h = new Uint8Array(20 + opts);
  const v = view(h);
  v.setUint16(0, o.srcPort);
  v.setUint16(2, o.dstPort);
  v.setUint32(4, (o.seq ?? 0) >>> 0);
  v.setUint32(8, (o.ack ?? 0) >>> 0);
  h[12] = ((20 + opts) / 4) << 4;
  h[13] = o.flags ?? TCP.ACK;
  v.setUint16(14, 65535);
  if (o.mss !== undefined) {
    h[20] = 2;
    h[21] = 4;
    v.setUint16(22, o.mss);
  }
  return concat(h, payload);
}

export function icmpEcho(o: { request: boolean; id: number; seq: number; data?: Bytes }): Bytes {
  const h = new Uint8Array(8);
  const v = view(h);
  h[0] = o.request ? 8 : 0;
  v.setUint16(4, o.id);
  v.setUint16(6, o.seq);
  const out = concat(h, o.data ?? new Uint8Array(32).fill(0x61));
  view(out).setUint16(2, checksum(out));
  return out;
}

/** ICMP destination unreachable, fragmentation needed (RFC 1191), quoting the start of a packet. */
export function icmpFragNeeded(quoted: Bytes, mtu: number): Bytes {
  const h = new Uint8Array(8);
  const v = view(h);
  h[0] = 3;
  h[1] = 4;
  v.setUint16(6, mtu);
  const out = concat(h, quoted.subarray(0, Math.min(quoted.length, 28)));
  view(out).setUint16(2, checksum(out));
  return out;
}

/**
 * An OSPF Hello of this version with its header filled (RFC 2328 A.3.1, RFC 5340 A.3.1: 24 or 16 bytes) and its
 * neighbours after the body's 20 fixed bytes; the rest is the caller's.
 */
function ospfHelloHeader(version: 2 | 3, routerId: string, area = '0.0.0.0', neighbors: string[]): Bytes {
  const header = version === 2 ? 24 : 16;
  const b = new Uint8Array(header + 20 + 4 * neighbors.length);
  b[0] = version;
  b[1] = 1;
  view(b).setUint16(2, b.length);
  b.set(ip4(routerId), 4);
  b.set(ip4(area), 8);
  neighbors.forEach((n, i) => b.set(ip4(n), header + 20 + 4 * i));
  return b;
}

export function ospfHello(o: {
  routerId: string;
  area?: string;
  hello?: number;
  dead?: number;
  mask?: string;
  authType?: number;
  password?: string;
  neighbors?: string[];
}): Bytes {
  const neighbors = o.neighbors ?? [];
  const b = ospfHelloHeader(2, o.routerId, o.area, neighbors);
  const v = view(b);
  v.setUint16(14, o.authType ?? 0);
  if (o.password) b.set(new TextEncoder().encode(o.password.slice(0, 8)), 16);
  b.set(ip4(o.mask ?? '255.255.255.252'), 24);
  v.setUint16(28, o.hello ?? 10);
  b[30] = 0x02;
  b[31] = 1;
  v.setUint32(32, o.dead ?? 40);
  // The checksum covers the packet without the 8-byte authentication field.
  const forSum = concat(b.subarray(0, 16), b.subarray(24));
  v.setUint16(12, o.authType === 2 ? 0 : checksum(forSum));
  return b;
}

/**
 * An OSPFv3 Hello (RFC 5340 A.3.2); with `trailer`, the AT option set and an authentication trailer after the packet
 * (RFC 7166: HMAC-SHA-256, 32 bytes of hash), as the IPv6 payload carries it.
 */
export function ospfv3Hello(o: { routerId: string; trailer?: boolean; neighbors?: string[] }): Bytes {
  const b = ospfHelloHeader(3, o.routerId, '0.0.0.0', o.neighbors ?? []);
  const v = view(b);
  v.setUint32(16, 5); // interface ID
  b[20] = 1; // priority
  v.setUint16(22, o.trailer ? 0x0413 : 0x0013); // options: AT, R, E, V6
  v.setUint16(24, 10);
  v.setUint16(26, 40);
  if (!o.trailer) return b;
  const trailer = new Uint8Array(16 + 32);
  view(trailer).setUint16(0, 1); // HMAC cryptographic authentication
  view(trailer).setUint16(2, trailer.length);
  view(trailer).setUint16(6, 1); // security association ID
  view(trailer).setUint32(12, 42); // sequence number (low half)
  return concat(b, trailer);
}

export function ripResponse(routes: { prefix: string; mask: string; metric: number }[], version = 2): Bytes {
  const b = new Uint8Array(4 + 20 * routes.length);
  const v = view(b);
  b[0] = 2;
  b[1] = version;
  routes.forEach((r, i) => {
    const p = 4 + 20 * i;
    v.setUint16(p, 2);
    b.set(ip4(r.prefix), p + 4);
    if (version === 2) b.set(ip4(r.mask), p + 8);
    v.setUint32(p + 16, r.metric);
  });
  return b;
}

export function eigrpHello(as: number): Bytes {
  const b = new Uint8Array(20 + 12);
  const v = view(b);
  b[0] = 2;
  b[1] = 5;
  v.setUint16(18, as);
  v.setUint16(20, 1); // parameter TLV
  v.setUint16(22, 12);
  b.set([1, 0, 1, 0, 0, 0], 24);
  v.setUint16(30, 15);
  v.setUint16(2, checksum(b));
  return b;
}

export function pimHello(): Bytes {
  const b = new Uint8Array(4 + 6);
  const v = view(b);
  b[0] = 0x20;
  v.setUint16(4, 1); // holdtime option
  v.setUint16(6, 2);
  v.setUint16(8, 105);
  v.setUint16(2, checksum(b));
  return b;
}

/** ESP with a payload we treat as opaque ciphertext (or, for ESP-NULL, the clear payload plus trailer and ICV). */
export function esp(body: Bytes, o: { spi: number; seq: number }): Bytes {
  const h = new Uint8Array(8);
  const v = view(h);
  v.setUint32(0, o.spi >>> 0);
  v.setUint32(4, o.seq >>> 0);
  return concat(h, body);
}

/** The body of a NULL-encrypted ESP packet: payload, 1,2,3... padding to 4 bytes, pad length, next header, ICV. */
export function espNullBody(payload: Bytes, nextHeader: number, icvLength = 12): Bytes {
  const padLen = (4 - ((payload.length + 2) % 4)) % 4;
  const trailer = new Uint8Array(padLen + 2);
  for (let i = 0; i < padLen; i++) trailer[i] = i + 1;
  trailer[padLen] = padLen;
  trailer[padLen + 1] = nextHeader;
  const icv = new Uint8Array(icvLength).fill(0x5a);
  return concat(payload, trailer, icv);
}

export function ah(payload: Bytes, o: { spi: number; seq: number; nextHeader: number; icvLength?: number }): Bytes {
  const icv = o.icvLength ?? 12;
  const h = new Uint8Array(12 + icv);
  const v = view(h);
  h[0] = o.nextHeader;
  h[1] = (12 + icv) / 4 - 2;
  v.setUint32(4, o.spi >>> 0);
  v.setUint32(8, o.seq >>> 0);
  h.fill(0xa5, 12);
  return concat(h, payload);
}

export function isakmpHeader(o: { initiatorSpi: bigint; version?: number; exchange: number; length?: number }): Bytes {
  const b = new Uint8Array(28);
  const v = view(b);
  v.setBigUint64(0, o.initiatorSpi);
  b[16] = 0;
  b[17] = (o.version ?? 2) << 4;
  b[18] = o.exchange;
  v.setUint32(24, o.length ?? 28);
  return b;
}

export function pppFrame(protocol: number, payload: Bytes): Bytes {
  const h = Uint8Array.from([0xff, 0x03, protocol >> 8, protocol & 0xff]);
  return concat(h, payload);
}

export function erspanII(payload: Bytes, o: { sessionId: number; vlan?: number; index?: number }): Bytes {
  const h = new Uint8Array(8);
  const v = view(h);
  v.setUint16(0, (1 << 12) | (o.vlan ?? 0));
  v.setUint16(2, o.sessionId & 0x3ff);
  v.setUint32(4, o.index ?? 0);
  return concat(h, payload);
}

/** An IGMPv3 report (RFC 3376 4.2) of group records, with its checksum. */
export function igmpV3Report(records: { type: number; group: string; sources: string[]; aux?: Bytes }[]): Bytes {
  const parts: Bytes[] = [Uint8Array.of(0x22, 0, 0, 0, 0, 0, records.length >> 8, records.length & 0xff)];
  for (const r of records) {
    const aux = r.aux ?? new Uint8Array(0);
    parts.push(Uint8Array.of(r.type, aux.length / 4, r.sources.length >> 8, r.sources.length & 0xff), ip4(r.group));
    parts.push(...r.sources.map(ip4), aux);
  }
  const m = concat(...parts);
  view(m).setUint16(2, checksum(m));
  return m;
}

/** An Ethernet frame of an IGMPv3 report of two group records, with sources and aux data. */
export function igmpV3TwoRecords(): Bytes {
  return eth(
    ipv4(
      igmpV3Report([
        { type: 1, group: '239.1.1.1', sources: ['10.1.1.1', '10.1.1.2'] },
        { type: 2, group: '239.2.2.2', sources: ['10.2.2.2'], aux: Uint8Array.of(1, 2, 3, 4) },
      ]),
      { src: '10.0.0.9', dst: '224.0.0.22', proto: 2, ttl: 1 },
    ),
    { type: 0x0800 },
  );
}

/** An MPLS label stack entry (RFC 3032): label, traffic class, bottom of stack, TTL. */
export function mplsEntry(label: number, exp: number, bottom: boolean, ttl: number): Bytes {
  const h = new Uint8Array(4);
  view(h).setUint32(0, ((label << 12) | (exp << 9) | (bottom ? 0x100 : 0) | ttl) >>> 0);
  return h;
}

export function bytesOf(text: string): Bytes {
  return new TextEncoder().encode(text);
}

export { concat };
