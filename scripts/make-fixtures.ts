/**
 * Writes the synthetic captures in fixtures/ with the project's packet
 * builder. Each one stages a situation the audit must recognise; README in
 * fixtures/ says what is in each. Run: npm run fixtures
 */
import { resolve } from 'node:path';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import * as b from '../test/support/builder.js';
import { FIXTURES } from '../test/support/paths.js';

const R1 = '192.0.2.1';
const R2 = '198.51.100.7';
const R3 = '203.0.113.9';
const MAC1 = '02:00:00:00:00:01';
const MAC2 = '02:00:00:00:00:02';
const T0 = 1767225600; // 2026-01-01T00:00:00Z

class Capture {
  private readonly w: PcapWriter;
  private t = 0;
  constructor(name: string) {
    this.w = new PcapWriter(resolve(FIXTURES, name));
  }
  /** One frame, 10 ms after the previous one. */
  add(frame: b.Bytes, gapMs = 10): void {
    this.t += gapMs * 1000;
    this.w.write(T0 + Math.floor(this.t / 1e6), (this.t % 1e6) * 1000, frame);
  }
  close(): void {
    this.w.close();
  }
}

/** An Ethernet frame carrying IPv4 between two routers' WAN addresses, direction-aware MACs. */
function wan(src: string, dst: string, proto: number, payload: b.Bytes, extra: Partial<b.Ip4Options> = {}): b.Bytes {
  const forward = src < dst;
  return b.eth(b.ipv4(payload, { src, dst, proto, ttl: 62, ...extra }), {
    src: forward ? MAC1 : MAC2,
    dst: forward ? MAC2 : MAC1,
    type: 0x0800,
  });
}

const inner = (src: string, dst: string, proto: number, payload: b.Bytes, ttl = 64) =>
  b.ipv4(payload, { src, dst, proto, ttl });

/** A GRE-keyed, sequenced site-to-site tunnel in clear: OSPF, RIP, a telnet login, pings, keepalives. */
function greCleartext(): void {
  const c = new Capture('gre-ospf-cleartext.pcap');
  const seq: Record<string, number> = { [R1]: 0, [R2]: 0 };
  const send = (from: string, to: string, payload: b.Bytes, gap = 10) => {
    const s = seq[from]!++;
    c.add(wan(from, to, 47, b.gre(payload, { protocolType: 0x0800, key: 42, seq: s })), gap);
  };
  for (let i = 0; i < 4; i++) {
    send(
      R1,
      R2,
      inner('10.0.0.1', '224.0.0.5', 89, b.ospfHello({ routerId: '1.1.1.1', neighbors: i ? ['2.2.2.2'] : [] }), 1),
      1000,
    );
    send(R2, R1, inner('10.0.0.2', '224.0.0.5', 89, b.ospfHello({ routerId: '2.2.2.2', neighbors: ['1.1.1.1'] }), 1));
  }
  send(
    R1,
    R2,
    inner(
      '10.0.0.1',
      '224.0.0.9',
      17,
      b.udp(b.ripResponse([{ prefix: '172.16.1.0', mask: '255.255.255.0', metric: 1 }]), {
        srcPort: 520,
        dstPort: 520,
      }),
      1,
    ),
  );
  // A telnet login typed across the tunnel: the password crosses the Internet readable.
  const cli = { srcPort: 49152, dstPort: 23 };
  const srv = { srcPort: 23, dstPort: 49152 };
  let cs = 1000;
  let ss = 5000;
  send(
    R1,
    R2,
    inner('10.1.0.10', '10.2.0.20', 6, b.tcp(new Uint8Array(), { ...cli, seq: cs++, flags: b.TCP.SYN, mss: 1460 })),
  );
  send(
    R2,
    R1,
    inner(
      '10.2.0.20',
      '10.1.0.10',
      6,
      b.tcp(new Uint8Array(), { ...srv, seq: ss++, ack: cs, flags: b.TCP.SYN | b.TCP.ACK, mss: 1460 }),
    ),
  );
  for (const [from, text] of [
    ['srv', 'login: '],
    ['cli', 'admin\r\n'],
    ['srv', 'Password: '],
    ['cli', 'hunter2\r\n'],
    ['srv', 'router# '],
  ] as const) {
    const data = b.bytesOf(text);
    if (from === 'cli') {
      send(
        R1,
        R2,
        inner('10.1.0.10', '10.2.0.20', 6, b.tcp(data, { ...cli, seq: cs, ack: ss, flags: b.TCP.PSH | b.TCP.ACK })),
      );
      cs += data.length;
    } else {
      send(
        R2,
        R1,
        inner('10.2.0.20', '10.1.0.10', 6, b.tcp(data, { ...srv, seq: ss, ack: cs, flags: b.TCP.PSH | b.TCP.ACK })),
      );
      ss += data.length;
    }
  }
  for (let i = 0; i < 3; i++) {
    send(R1, R2, inner('10.1.0.10', '10.2.0.20', 1, b.icmpEcho({ request: true, id: 7, seq: i })));
    send(R2, R1, inner('10.2.0.20', '10.1.0.10', 1, b.icmpEcho({ request: false, id: 7, seq: i })));
  }
  // A Cisco keepalive: R1 sends R2 a GRE packet whose inner packet is GRE addressed back to R1.
  const reply = b.ipv4(b.gre(new Uint8Array(), { protocolType: 0, key: 42 }), {
    src: R2,
    dst: R1,
    proto: 47,
    ttl: 255,
  });
  c.add(wan(R1, R2, 47, b.gre(reply, { protocolType: 0x0800, key: 42 })), 1000);
  c.add(wan(R2, R1, 47, b.gre(new Uint8Array(), { protocolType: 0, key: 42 })));
  c.close();
}

/**
 * One tunnel of each kind: gretap with a VLAN, NVGRE, ERSPAN II, GRE in UDP, GRE in GRE, IPv6 over GRE, MPLS over GRE.
 */
function greKinds(): void {
  const c = new Capture('gre-kinds.pcap');
  const ping = (s: string, d: string) => inner(s, d, 1, b.icmpEcho({ request: true, id: 1, seq: 1 }));
  const innerEth = (vlan?: number) =>
    b.eth(ping('172.16.0.1', '172.16.0.2'), { src: '02:aa:00:00:00:01', dst: '02:aa:00:00:00:02', type: 0x0800, vlan });
  c.add(wan(R1, R2, 47, b.gre(innerEth(100), { protocolType: 0x6558, key: 100 })));
  c.add(wan(R1, R3, 47, b.gre(innerEth(), { protocolType: 0x6558, key: (5001 << 8) | 7 })));
  c.add(wan(R2, R3, 47, b.gre(b.erspanII(innerEth(), { sessionId: 12, vlan: 10 }), { protocolType: 0x88be, seq: 1 })));
  c.add(
    wan(
      R1,
      R2,
      17,
      b.udp(b.gre(ping('10.9.0.1', '10.9.0.2'), { protocolType: 0x0800 }), { srcPort: 51000, dstPort: 4754 }),
    ),
  );
  const nested = b.ipv4(b.gre(ping('10.20.0.1', '10.20.0.2'), { protocolType: 0x0800, key: 2 }), {
    src: '100.64.0.1',
    dst: '100.64.0.2',
    proto: 47,
  });
  c.add(wan(R1, R2, 47, b.gre(nested, { protocolType: 0x0800, key: 1 })));
  const v6 = b.ipv6(new Uint8Array([0x80, 0, 0, 0, 0, 1, 0, 1]), {
    src: '2001:db8::1',
    dst: 'ff02::1',
    nextHeader: 58,
    hopLimit: 1,
  });
  c.add(wan(R2, R1, 47, b.gre(v6, { protocolType: 0x86dd, checksum: true })));
  const label = new Uint8Array([0x00, 0x01, 0x01, 0x40]); // label 16, bottom of stack, TTL 64
  c.add(wan(R3, R1, 47, b.gre(b.concat(label, ping('10.30.0.1', '10.30.0.2')), { protocolType: 0x8847 })));
  c.close();
}

/** A GRE packet too big for the path: sent in two outer fragments, and the ICMP "fragmentation needed" it provoked. */
function greFragments(): void {
  const c = new Capture('gre-fragments.pcap');
  const big = inner(
    '10.1.0.10',
    '10.2.0.20',
    1,
    b.icmpEcho({ request: true, id: 9, seq: 1, data: new Uint8Array(1400).fill(0x42) }),
  );
  const grePacket = b.gre(big, { protocolType: 0x0800, key: 7, checksum: true });
  const first = grePacket.subarray(0, 1000);
  const rest = grePacket.subarray(1000);
  c.add(wan(R1, R2, 47, first, { id: 77, more: true }));
  c.add(wan(R1, R2, 47, rest, { id: 77, fragOffset: 1000 }));
  const dfPacket = b.ipv4(b.gre(big, { protocolType: 0x0800, key: 7 }), {
    src: R1,
    dst: R2,
    proto: 47,
    df: true,
    ttl: 62,
  });
  c.add(wan(R1, R2, 47, b.gre(big, { protocolType: 0x0800, key: 7 }), { df: true }));
  c.add(wan('192.0.2.254', R1, 1, b.icmpFragNeeded(dfPacket, 1400)));
  c.close();
}

/** Bytes that look like ciphertext, the same on every run. */
function opaque(n: number, seed: number): b.Bytes {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const ospfGre = (routerId: string, key: number) =>
  b.gre(inner(routerId === '1.1.1.1' ? '10.0.0.1' : '10.0.0.2', '224.0.0.5', 89, b.ospfHello({ routerId }), 1), {
    protocolType: 0x0800,
    key,
  });

/** GRE over IPsec done right: IKEv2 then ESP (AES) between the routers; nothing of the GRE is visible. */
function greOverIpsec(): void {
  const c = new Capture('gre-over-ipsec.pcap');
  const spi = 0x1122334455667788n;
  for (const [from, to, ex] of [
    [R1, R2, 34],
    [R2, R1, 34],
    [R1, R2, 35],
    [R2, R1, 35],
  ] as const) {
    c.add(
      wan(
        from,
        to,
        17,
        b.udp(b.isakmpHeader({ initiatorSpi: spi, exchange: ex, length: 28 }), { srcPort: 500, dstPort: 500 }),
      ),
    );
  }
  for (let i = 1; i <= 6; i++) {
    c.add(wan(R1, R2, 50, b.esp(opaque(96, i), { spi: 0xc0010001, seq: i })));
    c.add(wan(R2, R1, 50, b.esp(opaque(96, 100 + i), { spi: 0xc0020002, seq: i })));
  }
  c.close();
}

/** ESP with NULL encryption around GRE (transport mode): readable by anyone, so integrity-only. */
function espNullGre(): void {
  const c = new Capture('esp-null-gre.pcap');
  for (let i = 1; i <= 3; i++) {
    c.add(wan(R1, R2, 50, b.esp(b.espNullBody(ospfGre('1.1.1.1', 5), 47), { spi: 0x5001, seq: i })), 1000);
    c.add(wan(R2, R1, 50, b.esp(b.espNullBody(ospfGre('2.2.2.2', 5), 47), { spi: 0x5002, seq: i })));
  }
  c.close();
}

/** AH around GRE: signed, not encrypted. */
function ahGre(): void {
  const c = new Capture('ah-gre.pcap');
  for (let i = 1; i <= 3; i++) {
    c.add(wan(R1, R3, 51, b.ah(ospfGre('1.1.1.1', 9), { spi: 0x7001, seq: i, nextHeader: 47 })), 1000);
    c.add(wan(R3, R1, 51, b.ah(ospfGre('2.2.2.2', 9), { spi: 0x7002, seq: i, nextHeader: 47 })));
  }
  c.close();
}

/** IPsec tunnel mode (ESP-NULL around whole IPv4 packets), no GRE anywhere. */
function ipsecTunnelMode(): void {
  const c = new Capture('ipsec-tunnel-mode.pcap');
  for (let i = 1; i <= 3; i++) {
    const ping = inner('10.1.0.10', '10.2.0.20', 1, b.icmpEcho({ request: true, id: 3, seq: i }));
    c.add(wan(R2, R3, 50, b.esp(b.espNullBody(ping, 4), { spi: 0x9001, seq: i })));
  }
  c.close();
}

/** PPTP: one call whose data is MPPE-encrypted, one whose PPP carries IP in clear. */
function pptp(): void {
  const c = new Capture('pptp.pcap');
  const server = R2;
  const client = '203.0.113.50';
  const ppp = (protocol: number, payload: b.Bytes) => b.pppFrame(protocol, payload);
  let seq = 0;
  const send = (from: string, to: string, callId: number, frame: b.Bytes) =>
    c.add(wan(from, to, 47, b.gre(frame, { protocolType: 0x880b, callId, seq: seq++ })));
  send(client, server, 0x4001, ppp(0xc021, Uint8Array.from([1, 1, 0, 4])));
  send(client, server, 0x4001, ppp(0x80fd, Uint8Array.from([1, 2, 0, 10, 18, 6, 1, 0, 0, 0x40])));
  for (let i = 0; i < 3; i++)
    send(client, server, 0x4001, ppp(0x00fd, b.concat(Uint8Array.from([0x90, i]), opaque(60, i + 7))));
  const clearClient = '203.0.113.51';
  for (let i = 0; i < 2; i++)
    send(
      clearClient,
      server,
      0x4002,
      ppp(0x0021, inner('192.168.100.2', '10.2.0.20', 1, b.icmpEcho({ request: true, id: 5, seq: i }))),
    );
  c.close();
}

/**
 * A tunnel in trouble: lost, reordered and duplicated GRE sequence numbers,
 * a bad checksum, a malformed packet, OSPF routers that disagree, and
 * credentials of several cleartext protocols.
 */
function greHealth(): void {
  const c = new Capture('gre-health.pcap');
  const send = (from: string, to: string, payload: b.Bytes, seq: number, checksum = false) =>
    c.add(wan(from, to, 47, b.gre(payload, { protocolType: 0x0800, key: 77, seq, checksum })));
  for (const seq of [0, 1, 2, 5, 6, 4, 6, 7])
    send(R1, R3, inner('10.1.0.1', '10.3.0.1', 1, b.icmpEcho({ request: true, id: 1, seq })), seq);
  const corrupt = wan(
    R3,
    R1,
    47,
    b.gre(inner('10.3.0.1', '10.1.0.1', 1, b.icmpEcho({ request: false, id: 1, seq: 0 })), {
      protocolType: 0x0800,
      key: 77,
      seq: 0,
      checksum: true,
    }),
  );
  corrupt[corrupt.length - 3]! ^= 0x10;
  c.add(corrupt);
  c.add(wan(R3, R1, 47, Uint8Array.from([0x30, 0x00, 0x08, 0x00, 0, 0, 0, 77])));
  send(
    R1,
    R3,
    inner('10.0.0.1', '224.0.0.5', 89, b.ospfHello({ routerId: '1.1.1.1', hello: 10, dead: 40, area: '0.0.0.0' }), 1),
    8,
  );
  send(
    R3,
    R1,
    inner(
      '10.0.0.3',
      '224.0.0.5',
      89,
      b.ospfHello({ routerId: '3.3.3.3', hello: 30, dead: 120, area: '0.0.0.1', authType: 1, password: 'cisco' }),
      1,
    ),
    1,
  );
  send(R3, R1, inner('10.0.0.3', '224.0.0.10', 88, b.eigrpHello(100), 1), 2);
  const ftp = { srcPort: 40000, dstPort: 21 };
  send(
    R1,
    R3,
    inner(
      '10.1.0.5',
      '10.3.0.9',
      6,
      b.tcp(b.bytesOf('USER backup\r\n'), { ...ftp, seq: 1, flags: b.TCP.PSH | b.TCP.ACK }),
    ),
    9,
  );
  send(
    R1,
    R3,
    inner(
      '10.1.0.5',
      '10.3.0.9',
      6,
      b.tcp(b.bytesOf('PASS s3cr3tpass\r\n'), { ...ftp, seq: 14, flags: b.TCP.PSH | b.TCP.ACK }),
    ),
    10,
  );
  const http = b.bytesOf('GET /admin HTTP/1.1\r\nHost: 10.3.0.9\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n');
  send(
    R1,
    R3,
    inner(
      '10.1.0.5',
      '10.3.0.9',
      6,
      b.tcp(http, { srcPort: 40001, dstPort: 80, seq: 1, flags: b.TCP.PSH | b.TCP.ACK }),
    ),
    11,
  );
  const snmp = Uint8Array.from([
    0x30,
    0x1a,
    0x02,
    0x01,
    0x01,
    0x04,
    0x07,
    ...b.bytesOf('private'),
    0xa0,
    0x0c,
    0x02,
    0x01,
    0x01,
    0x02,
    0x01,
    0x00,
    0x02,
    0x01,
    0x00,
    0x30,
    0x01,
    0x00,
  ]);
  send(R1, R3, inner('10.1.0.5', '10.3.0.9', 17, b.udp(snmp, { srcPort: 40002, dstPort: 161 })), 12);
  c.close();
}

/**
 * GRE headers off the common path, as Wireshark reads them: RFC 1701's routing entries (SREs), one list running past
 * the packet under a checksum; versions other than 0 (3, read as version 0's header) and PPTP's enhanced header with
 * a version 2 and its acknowledgement; a version 1 header carrying IPv4 and one without its key; protocol types no
 * protocol reads (their payload is data); a keepalive with a payload.
 */
function greHeaders(): void {
  const c = new Capture('gre-headers.pcap');
  const ping = (seq: number) => inner('10.40.0.1', '10.40.0.2', 1, b.icmpEcho({ request: true, id: 40, seq }));
  const header = (flags: number, protocolType: number, ...rest: number[]) => {
    const h = new Uint8Array(4 + 2 * rest.length);
    const v = new DataView(h.buffer);
    v.setUint16(0, flags);
    v.setUint16(2, protocolType);
    rest.forEach((x, i) => v.setUint16(4 + 2 * i, x));
    return h;
  };
  const sre = (family: number, info: number[]) =>
    Uint8Array.from([family >> 8, family & 0xff, 0, info.length, ...info]);
  const nullSre = sre(0, []);
  // Two SREs (an IPv4 route of two hops, an AS path of one AS) and the NULL SRE.
  const routes = b.concat(sre(0x0800, [192, 0, 2, 1, 198, 51, 100, 7]), sre(0xfffe, [0xfd, 0xe8]), nullSre);
  c.add(wan(R1, R2, 47, b.concat(header(0x4000, 0x0800, 0, 0), routes, ping(1))));
  // An SRE of odd length, then the NULL SRE; the offset points at the second.
  c.add(wan(R2, R1, 47, b.concat(header(0x4000, 0x0800, 0, 7), sre(0x0800, [1, 2, 3]), nullSre, ping(2))));
  // A checksum over a routing list that runs past the packet (its checksum is checked all the same).
  const cut = b.concat(header(0xc000, 0x0800, 0, 0), sre(0x0800, [10, 0, 0, 1]), Uint8Array.from([0x08, 0x00, 0, 40]));
  new DataView(cut.buffer, cut.byteOffset).setUint16(4, b.checksum(cut));
  c.add(wan(R1, R2, 47, cut));
  c.add(wan(R1, R3, 47, b.concat(header(0x2003, 0x0800, 0x1122, 0x3344), ping(3))));
  const pppIp = b.pppFrame(0x0021, ping(4));
  c.add(wan(R3, R1, 47, b.concat(header(0x3082, 0x880b, pppIp.length, 7, 0, 5, 0, 4), pppIp)));
  c.add(wan(R3, R1, 47, b.concat(header(0x2001, 0x0800, 0x0010, 0x0007), ping(5))));
  c.add(wan(R3, R1, 47, b.concat(header(0x1001, 0x880b, 0, 6), pppIp)));
  c.add(wan(R1, R2, 47, b.concat(header(0x2000, 0x1234, 0, 0x99), b.bytesOf('not a protocol'))));
  c.add(wan(R1, R2, 47, b.concat(header(0x0000, 0x0000), b.bytesOf('keepalive?'))));
  c.close();
}

/**
 * IPv6 headers off the common path, around GRE. Extension headers, as Wireshark reads them: Linux ip6gre's
 * destination options (a Tunnel
 * Encapsulation Limit of 4 and PadN), a hop-by-hop Router Alert, Segment Routing, a Type 0 source route before options
 * of every layout read (Path MTU, Jumbo, Home Address, an experimental and an unknown option, a Tunnel Encapsulation
 * Limit longer than its value, Pad1), a Type 2 route, an unknown route type before a first fragment with its reserved
 * bits set, a lone last fragment, a PadN running past its header into GRE's, and an option running past the packet.
 * Then addresses that tell more: 6to4 to Teredo, ISATAP to NAT64, SLAAC to NAT64, NAT64 to NAT64.
 */
function ipv6Headers(): void {
  const c = new Capture('ipv6-headers.pcap');
  const [A, B] = ['2001:db8:1::1', '2001:db8:2::2'];
  const ping = (seq: number) =>
    b.gre(inner('10.60.0.1', '10.60.0.2', 1, b.icmpEcho({ request: true, id: 60, seq })), {
      protocolType: 0x0800,
    });
  const v6 = (nextHeader: number, ...parts: b.Bytes[]) =>
    b.eth(b.ipv6(b.concat(...parts), { src: A, dst: B, nextHeader }), { src: MAC1, dst: MAC2, type: 0x86dd });
  const bytes = (...n: number[]) => Uint8Array.from(n);
  const GRE = 47;
  const tel = bytes(0x04, 1, 4);
  c.add(v6(60, bytes(GRE, 0), tel, bytes(0x01, 1, 0), ping(1)));
  c.add(v6(0, bytes(GRE, 0, 0x05, 2, 0, 0, 0x01, 0), ping(2)));
  c.add(v6(43, bytes(GRE, 4, 4, 1, 1, 0, 0x12, 0x34), b.ip6('2001:db8:3::3'), b.ip6(B), ping(3)));
  const options = b.concat(
    bytes(0x30, 4, 0x05, 0xdc, 0x05, 0xdd),
    bytes(0xc2, 4, 0, 1, 0, 0),
    bytes(0xc9, 16),
    b.ip6('2001:db8:9::9'),
    bytes(0x1e, 2, 0xaa, 0xbb),
    bytes(0x96, 3, 1, 2, 3),
    bytes(0x04, 3, 5, 0xee, 0xff),
    bytes(0, 0),
  );
  const sourceRoute = b.concat(bytes(60, 4, 0, 2, 0, 0, 0, 0), b.ip6('2001:db8:4::4'), b.ip6(B));
  c.add(v6(43, sourceRoute, bytes(GRE, 5), options, ping(4)));
  c.add(v6(43, bytes(GRE, 2, 2, 1, 0, 0, 0, 0), b.ip6('2001:db8:5::5'), ping(5)));
  const fragment = (offset: number, more: boolean, reserved: number, id: number) =>
    bytes(
      GRE,
      0,
      offset >> 8,
      (offset & 0xf8) | (reserved << 1) | (more ? 1 : 0),
      id >>> 24,
      (id >> 16) & 0xff,
      (id >> 8) & 0xff,
      id & 0xff,
    );
  c.add(v6(43, bytes(44, 1, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), fragment(0, true, 3, 0xdeadbeef), ping(6)));
  c.add(v6(44, fragment(1480, false, 0, 0x1234), b.bytesOf('the end of a datagram')));
  c.add(v6(0, bytes(GRE, 0, 0x01, 8, 0, 0, 0, 0), ping(8)));
  c.add(v6(60, bytes(GRE, 0, 0x01, 32, 0, 0, 0, 0), bytes(0, 0)));
  const between = (src: string, dst: string, seq: number) =>
    b.eth(b.ipv6(ping(seq), { src, dst, nextHeader: GRE }), { src: MAC1, dst: MAC2, type: 0x86dd });
  // Teredo: server 203.0.113.9, port 4500 and client 198.51.100.7, both inverted.
  c.add(between('2002:c000:201:5::1', '2001:0:cb00:7109:0:ee6b:39cc:9bf8', 10));
  c.add(between('fe80::5efe:c000:201', '64:ff9b::c633:6407', 11));
  c.add(between('fe80::200:86ff:fe05:80da', '64:ff9b::cb00:7109', 12));
  c.add(between('64:ff9b::c000:201', '64:ff9b::c633:6407', 13));
  c.close();
}

greCleartext();
greKinds();
greFragments();
greOverIpsec();
espNullGre();
ahGre();
ipsecTunnelMode();
pptp();
greHealth();
greHeaders();
ipv6Headers();
console.log(`fixtures written to ${FIXTURES}`);
