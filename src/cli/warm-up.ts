import { closeSync, openSync } from 'node:fs';
import type { Frame } from '../capture/frame.js';
import { internetChecksum } from '../util/checksum.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { LineSink } from '../output/sink.js';
import { setTimeFormat, timeFormat } from '../output/timestamp.js';
import { TunnelTable } from '../tunnels/table.js';
import type { CliOptions } from './args.js';
import { packetOutput } from './packet-output.js';

/**
 * Live capture only: V8 compiles each function on its first calls, so the
 * first packets of a capture took 10-115 ms each, and a 2 MiB kernel
 * buffer (-B 2048) overflowed at 50,000 packets a second before the
 * dissectors were compiled. Before the capture opens, synthetic frames of
 * the common protocols take a captured packet's path (dissection, -Y, the
 * audit's table or the printed line) through throwaway objects: an engine
 * without keys, a table, a sink on /dev/null. Nothing of them reaches the
 * capture's counts or output; the one shared state, the time of the first
 * and previous lines (-ttt, -ttttt), is reset after.
 */
export function warmUp(opts: CliOptions): void {
  const fd = openSync('/dev/null', 'w');
  try {
    const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb));
    const table =
      opts.mode === 'audit' ? new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels }) : null;
    const sink = new LineSink(fd);
    const output = packetOutput(opts, sink);
    const { f, records } = syntheticFrames();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [off, len] of records) {
        f.off = off;
        f.caplen = f.len = len;
        f.tsSec++;
        // Tunnel keys vary a little from round to round, as on a real link.
        if (f.data[off + 23] === 47) f.data[off + KEY_BYTE] = round & 7;
        const ctx = engine.dissect(f);
        if (!output.wants(ctx)) continue;
        if (table) table.observe(ctx);
        else output.print(ctx, sink);
      }
    }
    sink.flush();
  } finally {
    closeSync(fd);
    setTimeFormat(timeFormat());
  }
}

/** Rounds of every frame: enough for V8 to optimise the dissection loop, a few tens of ms. */
const ROUNDS = 300;
/** The GRE key's low byte in the GRE frames: Ethernet 14, IPv4 20, GRE flags and protocol 4, key 4. */
const KEY_BYTE = 14 + 20 + 4 + 3;

const MAC = [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = 0x8100;
const ETH_ARP = 0x0806;

/**
 * One layer of a synthetic frame: writes its header at o, returns where its
 * payload starts; `fix` fills in what depends on the frame's end (lengths, checksums).
 */
type Put = ((b: Uint8Array, dv: DataView, o: number) => number) & {
  fix?: (dv: DataView, hdr: number, end: number) => void;
};

const eth =
  (type: number): Put =>
  (b, dv, o) => {
    b.set(MAC, o);
    dv.setUint16(o + 12, type);
    return o + 14;
  };
const vlan =
  (id: number, type: number): Put =>
  (_b, dv, o) => {
    dv.setUint16(o, id);
    dv.setUint16(o + 2, type);
    return o + 4;
  };
const ipv4 = (proto: number, src: number, dst: number): Put =>
  Object.assign(
    (_b: Uint8Array, dv: DataView, o: number) => {
      dv.setUint8(o, 0x45);
      dv.setUint16(o + 4, 1);
      dv.setUint8(o + 8, 64);
      dv.setUint8(o + 9, proto);
      dv.setUint32(o + 12, src);
      dv.setUint32(o + 16, dst);
      return o + 20;
    },
    {
      fix(dv: DataView, hdr: number, end: number) {
        dv.setUint16(hdr + 2, end - hdr);
        dv.setUint16(hdr + 10, internetChecksum(dv, hdr, hdr + 20));
      },
    },
  );
const ipv6 = (next: number): Put =>
  Object.assign(
    (b: Uint8Array, dv: DataView, o: number) => {
      dv.setUint32(o, 0x60000000);
      dv.setUint8(o + 6, next);
      dv.setUint8(o + 7, 64);
      b.set([0x20, 0x01, 0x0d, 0xb8], o + 8);
      b[o + 23] = 1;
      b.set([0x20, 0x01, 0x0d, 0xb8], o + 24);
      b[o + 39] = 2;
      return o + 40;
    },
    { fix: (dv: DataView, hdr: number, end: number) => dv.setUint16(hdr + 4, end - hdr - 40) },
  );
/** GRE with a key and a sequence number. */
const gre =
  (proto: number): Put =>
  (_b, dv, o) => {
    dv.setUint16(o, 0x3000);
    dv.setUint16(o + 2, proto);
    dv.setUint32(o + 4, 1000);
    dv.setUint32(o + 8, 1);
    return o + 12;
  };
const tcp =
  (sport: number, dport: number, payload: number): Put =>
  (_b, dv, o) => {
    dv.setUint16(o, sport);
    dv.setUint16(o + 2, dport);
    dv.setUint32(o + 4, 1);
    dv.setUint8(o + 12, 0x50);
    dv.setUint8(o + 13, 0x18);
    dv.setUint16(o + 14, 65535);
    return o + 20 + payload;
  };
/** UDP with `payload` bytes of zeros, or (0) the layers after it as payload. */
const udp = (sport: number, dport: number, payload: number): Put =>
  Object.assign(
    (_b: Uint8Array, dv: DataView, o: number) => {
      dv.setUint16(o, sport);
      dv.setUint16(o + 2, dport);
      return o + 8 + payload;
    },
    { fix: (dv: DataView, hdr: number, end: number) => dv.setUint16(hdr + 4, end - hdr) },
  );
const icmpEcho: Put = (_b, dv, o) => {
  dv.setUint8(o, 8);
  dv.setUint32(o + 4, 0x00010001);
  return o + 8 + 32;
};
/** An OSPFv2 hello (RFC 2328 A.3.2) with one neighbour. */
const ospfHello: Put = (_b, dv, o) => {
  dv.setUint16(o, 0x0201);
  dv.setUint16(o + 2, 48);
  dv.setUint32(o + 4, 0x0a000001);
  dv.setUint32(o + 24, 0xffffff00);
  dv.setUint16(o + 28, 10);
  dv.setUint8(o + 31, 1);
  dv.setUint32(o + 32, 40);
  dv.setUint32(o + 44, 0x0a000002);
  return o + 48;
};
/** A RIPv2 response with one route. */
const ripResponse: Put = (_b, dv, o) => {
  dv.setUint16(o, 0x0202);
  dv.setUint16(o + 4, 2);
  dv.setUint32(o + 8, 0x0a010000);
  dv.setUint32(o + 12, 0xffff0000);
  dv.setUint32(o + 20, 1);
  return o + 24;
};
const esp: Put = (_b, dv, o) => {
  dv.setUint32(o, 0x1000);
  dv.setUint32(o + 4, 1);
  return o + 8 + 64;
};
const arpRequest: Put = (b, dv, o) => {
  dv.setUint32(o, 0x00010800);
  dv.setUint32(o + 4, 0x06040001);
  b.set(MAC.slice(0, 6), o + 8);
  dv.setUint32(o + 14, 0xc0000201);
  dv.setUint32(o + 24, 0xc0000202);
  return o + 28;
};

const OUTER_A = 0xc0000201;
const OUTER_B = 0xc6336401;
const INNER_A = 0x0a000001;
const INNER_B = 0x0a000101;

/** The frames: GRE tunnels carrying TCP, ICMP, OSPF, RIP and IPv6, and plain UDP, ESP, IPv6, VLAN and ARP. */
const FRAMES: Put[][] = [
  [eth(ETH_IPV4), ipv4(47, OUTER_A, OUTER_B), gre(ETH_IPV4), ipv4(6, INNER_A, INNER_B), tcp(50000, 443, 512)],
  [eth(ETH_IPV4), ipv4(47, OUTER_B, OUTER_A), gre(ETH_IPV4), ipv4(6, INNER_B, INNER_A), tcp(443, 50000, 0)],
  [eth(ETH_IPV4), ipv4(47, OUTER_A, OUTER_B), gre(ETH_IPV4), ipv4(1, INNER_A, INNER_B), icmpEcho],
  [eth(ETH_IPV4), ipv4(47, OUTER_A, OUTER_B), gre(ETH_IPV4), ipv4(89, INNER_A, 0xe0000005), ospfHello],
  [
    eth(ETH_IPV4),
    ipv4(47, OUTER_A, OUTER_B),
    gre(ETH_IPV4),
    ipv4(17, INNER_A, 0xe0000009),
    udp(520, 520, 0),
    ripResponse,
  ],
  [eth(ETH_IPV4), ipv4(47, OUTER_A, OUTER_B), gre(ETH_IPV6), ipv6(17), udp(5000, 53, 32)],
  [eth(ETH_IPV4), ipv4(17, OUTER_A, OUTER_B), udp(40000, 53, 40)],
  [eth(ETH_IPV4), ipv4(50, OUTER_A, OUTER_B), esp],
  [eth(ETH_IPV6), ipv6(6), tcp(50000, 22, 64)],
  [
    eth(ETH_VLAN),
    vlan(10, ETH_IPV4),
    ipv4(47, OUTER_A, OUTER_B),
    gre(ETH_IPV4),
    ipv4(6, INNER_A, INNER_B),
    tcp(50001, 80, 100),
  ],
  [eth(ETH_ARP), arpRequest],
];

/** Every synthetic frame, one after another in one buffer, and a frame object shaped as a live capture's. */
export function syntheticFrames(): { f: Frame; records: [number, number][] } {
  const data = new Uint8Array(FRAMES.length * 1600);
  const dv = new DataView(data.buffer);
  const records: [number, number][] = [];
  let at = 0;
  for (const layers of FRAMES) {
    const starts: number[] = [];
    let o = at;
    for (const put of layers) {
      starts.push(o);
      o = put(data, dv, o);
    }
    layers.forEach((put, i) => put.fix?.(dv, starts[i]!, o));
    records.push([at, o - at]);
    at = o;
  }
  const f: Frame = {
    data,
    dv,
    off: 0,
    caplen: 0,
    len: 0,
    tsSec: Math.floor(Date.now() / 1000),
    tsNsec: 0,
    tsDigits: 6,
    hasTs: true,
    linktype: 1,
    iface: null,
    flags: -1,
  };
  return { f, records };
}
