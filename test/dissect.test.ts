import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { internetChecksum } from '../src/util/checksum.js';
import { Engine } from '../src/dissect/engine.js';
import { lookupField, readField } from '../src/dissect/field-index.js';
import { formatText, Values } from '../src/dissect/field.js';
import type { PacketCtx } from '../src/dissect/packet.js';
import { registerAll } from '../src/dissect/handoff.js';
import { registeredProtocols } from '../src/dissect/registry.js';
import { cdpDevice } from '../src/dissect/cdp.js';
import { lldpDevice } from '../src/dissect/lldp.js';
import * as P from '../src/dissect/protocols.js';
import * as b from './support/builder.js';
import { asEveryView, dissectBytes, frameOf } from './support/frames.js';

const R1 = '192.0.2.1';
const R2 = '198.51.100.7';
const wan = (proto: number, payload: Uint8Array) =>
  b.eth(b.ipv4(payload, { src: R1, dst: R2, proto }), { type: 0x0800 });
const ospf = b.ipv4(b.ospfHello({ routerId: '1.1.1.1', area: '0.0.0.1', hello: 10, dead: 40 }), {
  src: '10.0.0.1',
  dst: '224.0.0.5',
  proto: 89,
  ttl: 1,
});

test('GRE with key and sequence carrying OSPF: the contract example, from every kind of buffer', () => {
  const bytes = wan(47, b.gre(ospf, { protocolType: 0x0800, key: 42, seq: 7 }));
  for (const [kind, view] of asEveryView(bytes)) {
    const { layers, warnings } = dissectBytes(view);
    assert.deepEqual(warnings, [], kind);
    assert.deepEqual(
      layers.map((l) => l.protocol),
      ['eth', 'ipv4', 'gre', 'ipv4', 'ospf'],
      kind,
    );
    assert.deepEqual(
      layers[2],
      { protocol: 'gre', version: 0, protocolType: 0x0800, flags: 0x3000, key: 42, seq: 7 },
      kind,
    );
    assert.equal(layers[3]!.dst, '224.0.0.5');
    assert.equal(layers[4]!.routerId, '1.1.1.1');
    assert.equal(layers[4]!.area, '0.0.0.1');
    assert.equal(layers[4]!.type, 1);
    assert.equal(layers[4]!.helloInterval, 10);
    assert.equal(layers[4]!.deadInterval, 40);
  }
});

test('GRE checksum: verified when whole, flagged when wrong, unverified when cut', () => {
  const good = wan(47, b.gre(ospf, { protocolType: 0x0800, checksum: true }));
  assert.equal(dissectBytes(good).layers[2]!.checksumValid, true);
  const bad = Uint8Array.from(good);
  bad[bad.length - 1]! ^= 0xff;
  const r = dissectBytes(bad);
  assert.equal(r.layers[2]!.checksumValid, false);
  assert.match(r.warnings.join(), /gre-bad-checksum/);
  const cut = dissectBytes(good.subarray(0, good.length - 10), 1, good.length);
  assert.equal(cut.layers[2]!.checksumValid, undefined);
  assert.equal(cut.layers[2]!.checksum !== undefined, true);
});

test('GRE version 1 (PPTP): call ID, payload length, sequence and acknowledgement; MPPE data named', () => {
  const lcp = b.pppFrame(0xc021, Uint8Array.from([1, 1, 0, 4]));
  let r = dissectBytes(wan(47, b.gre(lcp, { protocolType: 0x880b, callId: 0x1234, seq: 5, ack: 4 })));
  assert.deepEqual(r.layers[2], {
    protocol: 'gre',
    version: 1,
    protocolType: 0x880b,
    flags: 0x3081,
    payloadLength: lcp.length,
    callId: 0x1234,
    seq: 5,
    ack: 4,
  });
  assert.equal(r.layers[3]!.protocol, 'ppp');
  assert.deepEqual(r.layers[3]!.control, { protocol: 'LCP', code: 1, id: 1, length: 4 });
  r = dissectBytes(
    wan(
      47,
      b.gre(b.pppFrame(0x00fd, Uint8Array.from([0x90, 0x01, 0xde, 0xad])), { protocolType: 0x880b, callId: 1, seq: 6 }),
    ),
  );
  assert.equal(r.layers[3]!.compressed, true);
  assert.equal(r.layers.length, 4);
});

test('GRE: RFC 1701 routing entries are skipped; unknown versions and reserved bits are flagged', () => {
  // flags R (0x4000), protocol IPv4, checksum+offset word, one SRE (AF 0x0800, length 4), then the NULL SRE.
  const hdr = Uint8Array.from([0x40, 0x00, 0x08, 0x00, 0, 0, 0, 0, 0x08, 0x00, 0, 4, 10, 0, 0, 1, 0, 0, 0, 0]);
  let r = dissectBytes(wan(47, b.concat(hdr, ospf)));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'gre', 'ipv4', 'ospf']);
  r = dissectBytes(wan(47, Uint8Array.from([0x00, 0x03, 0x08, 0x00, 1, 2, 3, 4])));
  assert.match(r.warnings.join(), /gre-unknown-version: GRE version 3/);
  r = dissectBytes(wan(47, b.concat(Uint8Array.from([0x00, 0x40, 0x08, 0x00]), ospf)));
  assert.match(r.warnings.join(), /gre-reserved-bits/);
  assert.deepEqual(r.names.at(-1), 'ospf');
});

test("UDP 1701 is L2TP for versions 2 and 3 only, as Wireshark takes it: another is the datagram's data", () => {
  // A control message's flags (T, L, S) with the version in the low nibble, its length, tunnel and session IDs.
  const l2tp = (version: number) => Uint8Array.from([0xc8, version, 0, 12, 0, 9, 0, 0, 0, 1, 0, 0]);
  const over = (version: number) => dissectBytes(wan(17, b.udp(l2tp(version), { srcPort: 1701, dstPort: 1701 })));
  assert.deepEqual(over(2).names, ['eth', 'ipv4', 'udp', 'l2tp']);
  for (const version of [0, 1, 4, 13]) assert.deepEqual(over(version).names, ['eth', 'ipv4', 'udp'], `${version}`);
});

test('ERSPAN types I, II and III', () => {
  const inner = b.eth(ospf, { type: 0x0800 });
  let r = dissectBytes(wan(47, b.gre(inner, { protocolType: 0x88be })));
  assert.deepEqual(r.layers[3], { protocol: 'erspan', type: 1 });
  assert.deepEqual(r.names.slice(4), ['eth', 'ipv4', 'ospf']);
  r = dissectBytes(
    wan(47, b.gre(b.erspanII(inner, { sessionId: 300, vlan: 5, index: 9 }), { protocolType: 0x88be, seq: 1 })),
  );
  assert.deepEqual(r.layers[3], { protocol: 'erspan', type: 2, version: 1, vlan: 5, cos: 0, sessionId: 300, index: 9 });
  const type3 = Uint8Array.from([0x20, 0x0a, 0x00, 0x07, 0, 0, 0, 1, 0, 0, 0x00, 0x00]);
  r = dissectBytes(wan(47, b.gre(b.concat(type3, inner), { protocolType: 0x22eb })));
  assert.equal(r.layers[3]!.type, 3);
  assert.equal(r.layers[3]!.sessionId, 7);
  assert.deepEqual(r.names.slice(4), ['eth', 'ipv4', 'ospf']);
  // Captured on a Linux ipgre device (-i any): the cooked header gives the GRE protocol type and no GRE flags.
  const sllIpgre = (payload: Uint8Array) =>
    b.concat(Uint8Array.from([0, 0, 0x03, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0xbe]), payload);
  r = dissectBytes(sllIpgre(inner), 113);
  assert.deepEqual(r.names, ['sll', 'erspan', 'eth', 'ipv4', 'ospf']);
  assert.deepEqual(r.layers[1], { protocol: 'erspan', type: 1 });
  assert.deepEqual(r.warnings, []);
  r = dissectBytes(sllIpgre(b.erspanII(inner, { sessionId: 300, vlan: 5, index: 9 })), 113);
  assert.equal(r.layers[1]!.type, 2);
  assert.equal(r.layers[1]!.sessionId, 300);
});

test('NVGRE key is read as VSID and flow ID; MPLS, NHRP, IPX and AppleTalk over GRE', () => {
  let r = dissectBytes(wan(47, b.gre(b.eth(ospf, { type: 0x0800 }), { protocolType: 0x6558, key: (5001 << 8) | 7 })));
  assert.equal(r.layers[2]!.vsid, 5001);
  assert.equal(r.layers[2]!.flowId, 7);
  r = dissectBytes(wan(47, b.gre(b.concat(Uint8Array.from([0, 0x01, 0x01, 0x40]), ospf), { protocolType: 0x8847 })));
  assert.deepEqual(r.layers[3], { protocol: 'mpls', labels: [{ label: 16, exp: 0, bos: true, ttl: 64 }] });
  assert.equal(r.names.at(-1), 'ospf');
  const nhrp = Uint8Array.from([0, 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 1, 3, 0, 0]);
  r = dissectBytes(wan(47, b.gre(nhrp, { protocolType: 0x2001, key: 1000 })));
  assert.equal(r.layers[3]!.protocol, 'nhrp');
  assert.equal(r.layers[3]!.type, 3);
  assert.equal(
    dissectBytes(wan(47, b.gre(Uint8Array.from([1, 2, 3]), { protocolType: 0x8137 }))).layers[3]!.protocol,
    'ipx',
  );
  assert.equal(
    dissectBytes(wan(47, b.gre(Uint8Array.from([1, 2, 3]), { protocolType: 0x809b }))).layers[3]!.protocol,
    'appletalk',
  );
});

test('GRE in UDP 4754 and GRE inside GRE', () => {
  let r = dissectBytes(wan(17, b.udp(b.gre(ospf, { protocolType: 0x0800 }), { srcPort: 40000, dstPort: 4754 })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp', 'gre', 'ipv4', 'ospf']);
  const nested = b.ipv4(b.gre(ospf, { protocolType: 0x0800, key: 2 }), {
    src: '100.64.0.1',
    dst: '100.64.0.2',
    proto: 47,
  });
  r = dissectBytes(wan(47, b.gre(nested, { protocolType: 0x0800, key: 1 })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'gre', 'ipv4', 'gre', 'ipv4', 'ospf']);
});

test('tunnel depth is capped', () => {
  let pkt: Uint8Array = ospf;
  for (let i = 0; i < 12; i++) pkt = b.ipv4(b.gre(pkt, { protocolType: 0x0800 }), { src: R1, dst: R2, proto: 47 });
  const r = dissectBytes(b.eth(pkt, { type: 0x0800 }));
  assert.match(r.warnings.join(), /tunnel-too-deep/);
});

test('ESP, AH (dissection goes on inside), NAT-T keepalive, non-ESP marker and ESP in UDP, IKE', () => {
  let r = dissectBytes(wan(50, b.esp(new Uint8Array(48).fill(0x33), { spi: 0x1000, seq: 3 })));
  assert.deepEqual(r.layers[2], { protocol: 'esp', spi: 0x1000, seq: 3 });
  r = dissectBytes(
    wan(51, b.ah(b.gre(ospf, { protocolType: 0x0800, key: 5 }), { spi: 0x2000, seq: 9, nextHeader: 47 })),
  );
  assert.deepEqual(r.names, ['eth', 'ipv4', 'ah', 'gre', 'ipv4', 'ospf']);
  assert.equal(r.layers[2]!.spi, 0x2000);
  // A length of 0 says 8 bytes: the payload starts over the sequence number, as tshark reads it (zeek's
  // ipv6_zero_len_ah.pcap): here a sequence number 0x0800abcd is an ICMP echo request's first word.
  const zeroLength = b.ah(new Uint8Array(8), { spi: 0x2000, seq: 0x0800abcd, nextHeader: 1, icvLength: 0 });
  zeroLength[1] = 0;
  r = dissectBytes(wan(51, zeroLength));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'ah', 'icmp']);
  assert.equal(r.layers[2]!.seq, 0x0800abcd);
  assert.equal(r.layers[3]!.type, 8);
  r = dissectBytes(wan(17, b.udp(Uint8Array.from([0xff]), { srcPort: 4500, dstPort: 4500 })));
  assert.deepEqual(r.layers[3], { protocol: 'natt', kind: 'keepalive' });
  const ike = b.isakmpHeader({ initiatorSpi: 0x0102030405060708n, exchange: 34 });
  r = dissectBytes(wan(17, b.udp(b.concat(new Uint8Array(4), ike), { srcPort: 4500, dstPort: 4500 })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp', 'natt', 'isakmp']);
  assert.equal(r.layers[4]!.version, '2.0');
  assert.equal(r.layers[4]!.exchangeType, 34);
  r = dissectBytes(wan(17, b.udp(b.esp(new Uint8Array(20), { spi: 77, seq: 1 }), { srcPort: 4500, dstPort: 4500 })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp', 'natt', 'esp']);
  r = dissectBytes(wan(17, b.udp(ike, { srcPort: 500, dstPort: 500 })));
  assert.equal(r.names.at(-1), 'isakmp');
});

test('ICMP errors: the quoted packet is dissected and marked quoted', () => {
  const offending = b.ipv4(b.gre(ospf, { protocolType: 0x0800, key: 7 }), { src: R1, dst: R2, proto: 47, df: true });
  const r = dissectBytes(
    b.eth(b.ipv4(b.icmpFragNeeded(offending, 1400), { src: '192.0.2.254', dst: R1, proto: 1 }), { type: 0x0800 }),
  );
  assert.deepEqual(r.names, ['eth', 'ipv4', 'icmp', 'ipv4', 'gre']);
  assert.equal(r.layers[2]!.mtu, 1400);
  assert.equal(r.layers[3]!.quoted, true);
  assert.equal(r.layers[4]!.quoted, true);
  assert.equal(r.layers[4]!.key, 7);
  assert.deepEqual(r.warnings, [], 'a quoted packet is short by design, not truncated');
});

test('IPv4 fragments are reassembled on the frame that completes them, in either order', () => {
  const payload = b.gre(
    b.ipv4(b.icmpEcho({ request: true, id: 1, seq: 1, data: new Uint8Array(600) }), {
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 1,
    }),
    { protocolType: 0x0800, key: 9 },
  );
  const f1 = wanFrag(payload.subarray(0, 400), 0, true);
  const f2 = wanFrag(payload.subarray(400), 400, false);
  for (const order of [
    [f1, f2],
    [f2, f1],
  ]) {
    const engine = new Engine();
    const first = dissectBytes(order[0]!, 1, order[0]!.length, engine);
    assert.deepEqual(first.names, ['eth', 'ipv4']);
    assert.match(first.warnings.join(), /fragment/);
    const second = dissectBytes(order[1]!, 1, order[1]!.length, engine);
    assert.deepEqual(second.names, ['eth', 'ipv4', 'gre', 'ipv4', 'icmp']);
    assert.equal(second.layers[2]!.key, 9);
    assert.deepEqual(second.warnings, []);
  }
  function wanFrag(part: Uint8Array, fragOffset: number, more: boolean) {
    return b.eth(b.ipv4(part, { src: R1, dst: R2, proto: 47, id: 99, fragOffset, more }), { type: 0x0800 });
  }
});

test('IPv6 extension headers and fragments', () => {
  const ping6 = Uint8Array.from([0x80, 0, 0, 0, 0, 1, 0, 1]);
  // hop-by-hop (8 bytes, next 60) + destination options (8 bytes, next 58) + ICMPv6
  const ext = b.concat(Uint8Array.from([60, 0, 1, 4, 0, 0, 0, 0]), Uint8Array.from([58, 0, 1, 4, 0, 0, 0, 0]), ping6);
  let r = dissectBytes(
    b.eth(b.ipv6(ext, { src: '2001:db8::1', dst: '2001:db8:0:0:1::2', nextHeader: 0 }), { type: 0x86dd }),
  );
  assert.deepEqual(r.names, ['eth', 'ipv6', 'icmpv6']);
  // RFC 5952: of two equal runs of zeros, the first is the one shortened.
  assert.equal(r.layers[1]!.dst, '2001:db8::1:0:0:2');
  const engine = new Engine();
  const data = b.gre(
    b.ipv4(b.icmpEcho({ request: true, id: 2, seq: 2, data: new Uint8Array(100) }), {
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 1,
    }),
    { protocolType: 0x0800 },
  );
  const frag = (part: Uint8Array, off: number, more: boolean) => {
    const fh = Uint8Array.from([47, 0, (off >> 8) & 0xff, (off & 0xf8) | (more ? 1 : 0), 0, 0, 0, 5]);
    return b.eth(b.ipv6(b.concat(fh, part), { src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 44 }), {
      type: 0x86dd,
    });
  };
  r = dissectBytes(frag(data.subarray(0, 64), 0, true), 1, undefined, engine);
  assert.deepEqual(r.names, ['eth', 'ipv6']);
  r = dissectBytes(frag(data.subarray(64), 64, false), 1, undefined, engine);
  assert.deepEqual(r.names, ['eth', 'ipv6', 'gre', 'ipv4', 'icmp']);
});

test('IPv4 header checksum and options; padding trimmed by the total length', () => {
  const pkt = b.ipv4(b.udp(new Uint8Array(4), { srcPort: 1, dstPort: 2 }), { src: R1, dst: R2, proto: 17 });
  const withPad = b.concat(b.eth(pkt, { type: 0x0800 }), new Uint8Array(20));
  let r = dissectBytes(withPad);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.layers[2]!.length, 12);
  const bad = Uint8Array.from(withPad);
  bad[14 + 10]! ^= 1;
  r = dissectBytes(bad);
  assert.equal(r.layers[1]!.checksumValid, false);
  assert.match(r.warnings.join(), /bad-checksum/);
  // IHL 6: one 4-byte option (NOP NOP NOP EOL).
  const opt = Uint8Array.from(pkt.subarray(0, 20));
  opt[0] = 0x46;
  const withOpt = b.concat(opt, Uint8Array.from([1, 1, 1, 0]), pkt.subarray(20));
  new DataView(withOpt.buffer).setUint16(2, withOpt.length);
  new DataView(withOpt.buffer).setUint16(10, 0);
  new DataView(withOpt.buffer).setUint16(10, b.checksum(withOpt.subarray(0, 24)));
  r = dissectBytes(b.eth(withOpt, { type: 0x0800 }));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp']);
  assert.deepEqual(r.warnings, []);
});

test('link layers: 802.1Q and QinQ, Linux cooked v1 and v2, BSD loopback, raw IP', () => {
  const qinq = b.concat(
    Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xa8, 0, 100, 0x81, 0x00, 0, 200, 0x08, 0x00]),
    ospf,
  );
  let r = dissectBytes(qinq);
  assert.deepEqual(r.names, ['eth', 'vlan', 'vlan', 'ipv4', 'ospf']);
  assert.deepEqual([r.layers[1]!.id, r.layers[2]!.id], [100, 200]);
  const sll1 = b.concat(Uint8Array.from([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00]), ospf);
  r = dissectBytes(sll1, 113);
  assert.deepEqual(r.names, ['sll', 'ipv4', 'ospf']);
  const sll2 = b.concat(Uint8Array.from([0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]), ospf);
  r = dissectBytes(sll2, 276);
  assert.deepEqual(r.names, ['sll', 'ipv4', 'ospf']);
  assert.equal(r.layers[0]!.ifindex, 3);
  r = dissectBytes(b.concat(Uint8Array.from([2, 0, 0, 0]), ospf), 0);
  assert.deepEqual(r.names, ['null', 'ipv4', 'ospf']);
  for (const lt of [101, 12, 14, 228])
    assert.deepEqual(dissectBytes(ospf, lt).names, ['ipv4', 'ospf'], `link type ${lt}`);
  const v6 = b.ipv6(Uint8Array.from([0x80, 0, 0, 0, 0, 1, 0, 1]), { src: '::1', dst: '::1', nextHeader: 58 });
  assert.deepEqual(dissectBytes(v6, 229).names, ['ipv6', 'icmpv6']);
});

test('routing protocols: OSPF auth type, RIPv2 routes, EIGRP AS, PIM, IGMP', () => {
  const md5 = b.ipv4(b.ospfHello({ routerId: '3.3.3.3', authType: 2 }), {
    src: '10.0.0.3',
    dst: '224.0.0.5',
    proto: 89,
  });
  let r = dissectBytes(b.eth(md5, { type: 0x0800 }));
  assert.equal(r.layers[2]!.authType, 2);
  const simple = b.ipv4(b.ospfHello({ routerId: '3.3.3.3', authType: 1, password: 'secret' }), {
    src: '10.0.0.3',
    dst: '224.0.0.5',
    proto: 89,
  });
  r = dissectBytes(b.eth(simple, { type: 0x0800 }));
  assert.equal(r.layers[2]!.authType, 1);
  assert.ok(!JSON.stringify(r).includes('secret'), 'an OSPF password never appears in output');
  const rip = b.ipv4(
    b.udp(b.ripResponse([{ prefix: '172.16.1.0', mask: '255.255.255.0', metric: 2 }]), { srcPort: 520, dstPort: 520 }),
    { src: '10.0.0.1', dst: '224.0.0.9', proto: 17 },
  );
  r = dissectBytes(b.eth(rip, { type: 0x0800 }));
  assert.deepEqual(r.layers[3], {
    protocol: 'rip',
    command: 2,
    version: 2,
    routes: [{ prefix: '172.16.1.0/24', metric: 2 }],
  });
  r = dissectBytes(
    b.eth(b.ipv4(b.eigrpHello(100), { src: '10.0.0.1', dst: '224.0.0.10', proto: 88 }), { type: 0x0800 }),
  );
  assert.equal(r.layers[2]!.as, 100);
  assert.equal(r.layers[2]!.opcode, 5);
  r = dissectBytes(b.eth(b.ipv4(b.pimHello(), { src: '10.0.0.1', dst: '224.0.0.13', proto: 103 }), { type: 0x0800 }));
  assert.deepEqual(r.layers[2], { protocol: 'pim', version: 2, type: 0, holdtime: 105 });
  const igmp = Uint8Array.from([0x16, 0, 0, 0, 239, 1, 2, 3]);
  r = dissectBytes(b.eth(b.ipv4(igmp, { src: '10.0.0.1', dst: '239.1.2.3', proto: 2 }), { type: 0x0800 }));
  assert.equal(r.layers[2]!.group, '239.1.2.3');
  // PIMv1 and DVMRP ride in IGMP with other fields where a report has its group: no group is read there.
  for (const type of [0x13, 0x14]) {
    const other = Uint8Array.from([type, 5, 0, 0, 0x10, 0, 0, 0]);
    r = dissectBytes(b.eth(b.ipv4(other, { src: '10.0.0.1', dst: '224.0.0.2', proto: 2 }), { type: 0x0800 }));
    assert.equal(r.layers[2]!.group, undefined);
  }
});

test('reassembly survives fragments that overlap or run past the end another fragment set', () => {
  const engine = new Engine();
  const frag = (data: Uint8Array, fragOffset: number, more: boolean) =>
    b.eth(b.ipv4(data, { src: R1, dst: R2, proto: 17, id: 5, fragOffset, more }), { type: 0x0800 });
  dissectBytes(frag(new Uint8Array(16), 64, true), 1, undefined, engine);
  dissectBytes(frag(new Uint8Array(8), 8, false), 1, undefined, engine);
  const r = dissectBytes(frag(new Uint8Array(8), 0, true), 1, undefined, engine);
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp']);
  assert.ok(!r.warnings.some((w) => w.startsWith('internal-error')), r.warnings.join());
});

test('ARP, VRRP, PPPoE session, RIPng on known bytes', () => {
  const arpBytes = Uint8Array.from([
    0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2,
  ]);
  let r = dissectBytes(b.eth(arpBytes, { type: 0x0806 }));
  assert.deepEqual(r.layers[1], {
    protocol: 'arp',
    opcode: 1,
    senderMac: '02:00:00:00:00:01',
    senderIp: '192.0.2.1',
    targetMac: '00:00:00:00:00:00',
    targetIp: '192.0.2.2',
  });
  r = dissectBytes(
    b.eth(
      b.ipv4(Uint8Array.from([0x31, 7, 100, 1, 0, 1, 0, 0, 192, 0, 2, 254]), {
        src: '192.0.2.1',
        dst: '224.0.0.18',
        proto: 112,
      }),
      { type: 0x0800 },
    ),
  );
  assert.deepEqual(r.layers[2], { protocol: 'vrrp', version: 3, type: 1, vrid: 7, priority: 100 });
  const ppp = b.concat(
    Uint8Array.from([0x00, 0x21]),
    b.ipv4(b.esp(new Uint8Array(16), { spi: 5, seq: 1 }), { src: '192.0.2.1', dst: '198.51.100.1', proto: 50 }),
  );
  r = dissectBytes(b.eth(b.concat(Uint8Array.from([0x11, 0x00, 0x12, 0x34, 0, ppp.length]), ppp), { type: 0x8864 }));
  assert.deepEqual(r.names, ['eth', 'pppoe', 'ppp', 'ipv4', 'esp']);
  assert.equal(r.layers[1]!.session, 0x1234);
  const ripng = b.concat(Uint8Array.from([2, 1, 0, 0]), b.ip6('2001:db8:1::'), Uint8Array.from([0, 0, 48, 1]));
  r = dissectBytes(
    b.eth(b.ipv6(b.udp(ripng, { srcPort: 521, dstPort: 521 }), { src: 'fe80::1', dst: 'ff02::9', nextHeader: 17 }), {
      type: 0x86dd,
    }),
  );
  assert.deepEqual(r.layers[3], {
    protocol: 'ripng',
    command: 2,
    version: 1,
    routes: [{ prefix: '2001:db8:1::/48', metric: 1 }],
  });
});

test('VXLAN, VXLAN-GPE, NSH, Geneve and GTP-U carry their inner packets', () => {
  const inner = b.eth(ospf, { type: 0x0800 });
  let r = dissectBytes(
    wan(17, b.udp(b.concat(Uint8Array.from([8, 0, 0, 0, 0, 0, 42, 0]), inner), { srcPort: 40000, dstPort: 4789 })),
  );
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp', 'vxlan', 'eth', 'ipv4', 'ospf']);
  assert.equal(r.layers[3]!.vni, 42);
  // VXLAN-GPE next protocol 4 = NSH; NSH (length 2 words, MD type 2) next protocol 1 = IPv4.
  const nsh = b.concat(Uint8Array.from([0x0f, 0xc2, 0x02, 0x01, 0, 0, 7, 255]), ospf);
  r = dissectBytes(
    wan(17, b.udp(b.concat(Uint8Array.from([0x0c, 0, 0, 4, 0, 0, 9, 0]), nsh), { srcPort: 40000, dstPort: 4790 })),
  );
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp', 'vxlan-gpe', 'nsh', 'ipv4', 'ospf']);
  assert.deepEqual([r.layers[4]!.spi, r.layers[4]!.si], [7, 255]);
  // Geneve with one 4-byte option, protocol type 0x6558.
  r = dissectBytes(
    wan(
      17,
      b.udp(b.concat(Uint8Array.from([0x01, 0, 0x65, 0x58, 0, 0, 3, 0, 1, 2, 3, 4]), inner), {
        srcPort: 40000,
        dstPort: 6081,
      }),
    ),
  );
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp', 'geneve', 'eth', 'ipv4', 'ospf']);
  assert.equal(r.layers[3]!.vni, 3);
  // GTP-U with the sequence flag: 12 bytes, then an IPv4 T-PDU.
  r = dissectBytes(
    wan(
      17,
      b.udp(b.concat(Uint8Array.from([0x32, 255, 0, 0, 0, 0, 0, 9, 0, 1, 0, 0]), ospf), {
        srcPort: 2152,
        dstPort: 2152,
      }),
    ),
  );
  assert.deepEqual(r.names, ['eth', 'ipv4', 'udp', 'gtp', 'ipv4', 'ospf']);
  assert.equal(r.layers[3]!.teid, 9);
});

test('Aruba 802.11 in GRE, Frame Relay, PBB, Cisco MetaData, WCCP', () => {
  // QoS data frame, from DS, not protected; LLC/SNAP IPv4.
  const wlanFrame = b.concat(
    Uint8Array.from([0x88, 0x02, 0, 0]),
    new Uint8Array(18),
    Uint8Array.from([0, 0, 0, 0]),
    Uint8Array.from([0xaa, 0xaa, 3, 0, 0, 0, 8, 0]),
    ospf,
  );
  let r = dissectBytes(wan(47, b.gre(wlanFrame, { protocolType: 0x8200 })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'gre', 'wlan', 'llc', 'ipv4', 'ospf']);
  const protectedFrame = Uint8Array.from(wlanFrame);
  protectedFrame[1]! |= 0x40;
  r = dissectBytes(wan(47, b.gre(protectedFrame, { protocolType: 0x8200 })));
  assert.equal(r.layers[3]!.protected, true);
  assert.equal(r.layers.length, 4);
  // Frame Relay, Cisco encapsulation (address, then an EtherType) and RFC 2427 (control 0x03, NLPID 0xCC).
  assert.deepEqual(dissectBytes(b.concat(Uint8Array.from([0x18, 0x41, 0x08, 0x00]), ospf), 107).names, [
    'fr',
    'ipv4',
    'ospf',
  ]);
  assert.deepEqual(dissectBytes(b.concat(Uint8Array.from([0x18, 0x41, 0x03, 0xcc]), ospf), 107).names, [
    'fr',
    'ipv4',
    'ospf',
  ]);
  r = dissectBytes(
    b.eth(b.concat(Uint8Array.from([0, 0x01, 0x23, 0x45]), b.eth(ospf, { type: 0x0800 })), { type: 0x88e7 }),
  );
  // The customer's addresses and type are 802.1ah's own, as in tshark: no Ethernet layer after it.
  assert.deepEqual(r.names, ['eth', 'pbb', 'ipv4', 'ospf']);
  assert.equal(r.layers[1]!.isid, 0x012345);
  assert.equal(r.layers[1]!.type, 0x0800);
  r = dissectBytes(b.eth(b.concat(Uint8Array.from([1, 1, 0, 1, 0, 5, 8, 0]), ospf), { type: 0x8909 }));
  assert.deepEqual([r.names, r.layers[1]!.sgt], [['eth', 'cmd', 'ipv4', 'ospf'], 5]);
  r = dissectBytes(
    wan(47, b.gre(b.concat(Uint8Array.from([0x08, 0x00, 1, 1, 0, 1, 0, 6]), ospf), { protocolType: 0x8909, key: 40 })),
  );
  assert.deepEqual([r.names, r.layers[3]!.sgt], [['eth', 'ipv4', 'gre', 'cmd', 'ipv4', 'ospf'], 6]);
  r = dissectBytes(wan(47, b.gre(b.concat(Uint8Array.from([0, 0, 0, 0]), ospf), { protocolType: 0x883e })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'gre', 'wccp', 'ipv4', 'ospf']);
  r = dissectBytes(wan(47, b.gre(ospf, { protocolType: 0x883e })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'gre', 'wccp', 'ipv4', 'ospf'], 'WCCPv1: no redirect header');
});

test('MPLS reserved labels, Cisco FabricPath and the Arista timestamp header', () => {
  const label = (value: number, bottom: boolean) =>
    Uint8Array.from([value >> 12, (value >> 4) & 0xff, ((value & 0xf) << 4) | (bottom ? 1 : 0), 64]);
  // Label 0 (IPv4 explicit null) means IPv4 whatever the first nibble; 14 (OAM alert) carries no IP.
  let r = dissectBytes(b.eth(b.concat(label(0, true), ospf), { type: 0x8847 }));
  assert.deepEqual(r.names, ['eth', 'mpls', 'ipv4', 'ospf']);
  r = dissectBytes(b.eth(b.concat(label(100, false), label(14, true), ospf), { type: 0x8847 }));
  assert.deepEqual(r.names, ['eth', 'mpls']);
  assert.deepEqual(
    (r.layers[1]!.labels as { label: number }[]).map((x) => x.label),
    [100, 14],
  );
  r = dissectBytes(b.eth(b.concat(Uint8Array.from([0x00, 0x41]), b.eth(ospf, { type: 0x0800 })), { type: 0x8903 }));
  assert.deepEqual(r.names, ['eth', 'fabricpath', 'eth', 'ipv4', 'ospf']);
  // FabricPath ends in a checksum of its own (tshark reads the last 4 bytes so): the frame it carries ends before it.
  // The look-alikes: the same frame bridged in GRE (0x6558) keeps every byte, and a FabricPath frame cut by the
  // snapshot length has no checksum captured.
  const arpRequest = b.concat(
    Uint8Array.from([0, 1, 8, 0, 6, 4, 0, 1]),
    b.macBytes('02:00:00:00:00:0a'),
    b.ip4('10.0.0.1'),
    new Uint8Array(6),
    b.ip4('10.0.0.2'),
  );
  const carried = b.eth(arpRequest, { type: 0x0806 });
  const fcs = Uint8Array.from([0xc5, 0x0b, 0x88, 0x11]);
  const fabric = b.eth(b.concat(Uint8Array.from([0x00, 0x41]), carried, fcs), { type: 0x8903 });
  const cfpFcs = lookupField('cfp.fcs')!;
  const values = new Values();
  const innerLength = (ctx: PacketCtx) => ctx.layers[2]!.end - ctx.layers[2]!.off;
  let ctx = new Engine().dissect(frameOf(fabric));
  assert.deepEqual(
    ctx.layers.slice(0, ctx.count).map((l) => l.proto.name),
    ['eth', 'fabricpath', 'eth', 'arp'],
  );
  assert.equal(innerLength(ctx), carried.length);
  readField(cfpFcs, ctx, values);
  assert.deepEqual([values.n, values.nums[0]], [1, 0xc50b8811]);
  ctx = new Engine().dissect(frameOf(wan(47, b.gre(b.concat(carried, fcs), { protocolType: 0x6558 }))));
  assert.equal(ctx.layers[3]!.proto.name, 'eth');
  assert.equal(ctx.layers[3]!.end - ctx.layers[3]!.off, carried.length + 4);
  ctx = new Engine().dissect(frameOf(fabric.subarray(0, fabric.length - 10), 1, fabric.length));
  assert.equal(innerLength(ctx), carried.length - 6);
  readField(cfpFcs, ctx, values);
  assert.equal(values.n, 0);
  const arista64 = Uint8Array.from([0, 1, 0, 0x10, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8, 0x08, 0x00]);
  assert.deepEqual(dissectBytes(b.eth(b.concat(arista64, ospf), { type: 0xd28b })).names, [
    'eth',
    'arista',
    'ipv4',
    'ospf',
  ]);
  const arista48 = Uint8Array.from([0, 1, 0, 0x20, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8, 0x08, 0x00]);
  assert.deepEqual(dissectBytes(b.eth(b.concat(arista48, ospf), { type: 0xd28b })).names, [
    'eth',
    'arista',
    'ipv4',
    'ospf',
  ]);
  // A version whose low byte is neither 0x10 nor 0x20 (0x0011, 0x0121 in tcpdump's arista_ether) has no known
  // layout: dissection stops there, as tshark's does; beside it 0x0110, a 64-bit time whatever the high byte.
  const unknown = Uint8Array.from([0, 1, 0, 0x11, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8, 0x08, 0x00]);
  r = dissectBytes(b.eth(b.concat(unknown, ospf), { type: 0xd28b }));
  assert.deepEqual([r.names, r.warnings], [['eth', 'arista'], []]);
  const high = Uint8Array.from([0, 1, 1, 0x10, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8, 0x08, 0x00]);
  assert.deepEqual(dissectBytes(b.eth(b.concat(high, ospf), { type: 0xd28b })).names, [
    'eth',
    'arista',
    'ipv4',
    'ospf',
  ]);
});

test('NHRP Traffic Indication: the packet that caused it is dissected, marked quoted', () => {
  const ping = b
    .ipv4(b.icmpEcho({ request: true, id: 1, seq: 0 }), { src: '10.255.255.3', dst: '10.255.255.2', proto: 1 })
    .subarray(0, 28);
  const mandatory = b.concat(
    Uint8Array.from([4, 4, 0, 0, 0, 0, 0, 0]),
    b.ip4('192.0.2.1'),
    b.ip4('10.255.255.1'),
    b.ip4('10.255.255.3'),
  );
  const fixed = Uint8Array.from([0, 1, 8, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 1, 8, 4, 0]);
  const nhrpBytes = b.concat(fixed, mandatory, ping);
  const nhrpView = new DataView(nhrpBytes.buffer);
  nhrpView.setUint16(10, nhrpBytes.length); // RFC 2332: packet size at 10, checksum at 12
  nhrpView.setUint16(12, internetChecksum(nhrpView, 0, nhrpBytes.length));
  const r = dissectBytes(wan(47, b.gre(nhrpBytes, { protocolType: 0x2001, key: 1000 })));
  assert.deepEqual(r.names, ['eth', 'ipv4', 'gre', 'nhrp', 'ipv4', 'icmp']);
  assert.equal(r.layers[3]!.type, 8);
  assert.deepEqual([r.layers[4]!.src, r.layers[4]!.quoted, r.layers[5]!.quoted], ['10.255.255.3', true, true]);
  assert.deepEqual(r.warnings, []);
});

test('the Internet checksum is RFC 1071 summed 16 bits at a time, for any length, offset and start value', () => {
  const rfc1071 = (dv: DataView, off: number, end: number, initial: number) => {
    let sum = initial;
    for (let i = off; i < end; i += 2) sum += i + 1 < end ? dv.getUint16(i) : dv.getUint8(i) << 8;
    while (sum > 0xffff) sum = (sum % 65536) + Math.floor(sum / 65536);
    return ~sum & 0xffff;
  };
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(2), fc.nat(0xffff), (bytes, off, initial) => {
      const dv = new DataView(bytes.buffer);
      const start = Math.min(off, bytes.length);
      return internetChecksum(dv, start, bytes.length, initial) === rfc1071(dv, start, bytes.length, initial);
    }),
  );
  // The largest datagram, all ones: the sum is at its largest.
  const ones = new DataView(new Uint8Array(65535).fill(0xff).buffer);
  assert.equal(internetChecksum(ones, 0, 65535), rfc1071(ones, 0, 65535, 0));
});

// The engine and the text lines read proto.dissect, proto.network and proto.summary for every layer: one shape (the
// same members in the same order, as packet.ts's protocol() makes) keeps those reads monomorphic.
test('every protocol has the same members in the same order', () => {
  registerAll();
  const [first, ...rest] = registeredProtocols();
  for (const p of rest) assert.deepEqual(Object.keys(p), Object.keys(first!), p.name);
});

test('LLDP and CDP devices: an ID that is empty or starts with a NUL is none, and the next name stands in', () => {
  const engine = new Engine();
  const tlv = (type: number, value: number[]) => [(type << 1) | (value.length >> 8), value.length & 0xff, ...value];
  const chassis = tlv(1, [4, 2, 0, 0, 0, 4, 0xaa]);
  const ttl = tlv(3, [0, 120]);
  const deviceOf = (lldp: number[]) => {
    const ctx = engine.dissect(frameOf(b.eth(Uint8Array.from(lldp), { type: 0x88cc })));
    return lldpDevice(ctx.layers[ctx.find(P.lldp)]!);
  };
  // A system name starting with a NUL: the chassis ID names the device; a port ID of a NUL is left out.
  assert.equal(deviceOf([...chassis, ...tlv(2, [5, 0]), ...ttl, ...tlv(5, [0, 0x41]), 0, 0]), 'MA/02:00:00:00:04:aa');
  assert.equal(deviceOf([...chassis, ...tlv(2, [5, 0x47, 0x69]), ...ttl, ...tlv(5, [0x53, 0x57]), 0, 0]), 'SW (Gi)');
  // CDP (in GRE, protocol type 0x2000): a device ID starting with a NUL is no device.
  const cdpOf = (deviceId: number[]) => {
    const body = [2, 180, 0, 0, 0, 1, 0, 4 + deviceId.length, ...deviceId];
    const gre = b.gre(Uint8Array.from(body), { protocolType: 0x2000 });
    const ctx = engine.dissect(
      frameOf(b.eth(b.ipv4(gre, { src: '192.0.2.1', dst: '198.51.100.1', proto: 47 }), { type: 0x0800 })),
    );
    return cdpDevice(ctx.layers[ctx.find(P.cdp)]!);
  };
  assert.equal(cdpOf([0x52, 0x31]), 'R1');
  assert.equal(cdpOf([0, 0x52]), null);
  // Names in UTF-8 read as Wireshark's titles read them: a bidirectional override escaped, a byte not UTF-8 as U+FFFD.
  const utf8 = [...new TextEncoder().encode('Zürich\u202e'), 0xff];
  assert.equal(cdpOf(utf8), 'Zürich\\u202E\ufffd');
  assert.equal(
    deviceOf([...chassis, ...tlv(2, [5, 0x47, 0x69]), ...ttl, ...tlv(5, utf8), 0, 0]),
    'Zürich\\u202E\ufffd (Gi)',
  );
});

test("formatText reads bytes as Wireshark's format_text: UTF-8, C escapes, universal names, U+FFFD", () => {
  const text = (bytes: number[], nulEnds = false) => formatText(Uint8Array.from(bytes), 0, bytes.length, nulEnds);
  const utf8 = (s: string) => [...new TextEncoder().encode(s)];
  assert.equal(text(utf8('Genève €😀')), 'Genève €😀');
  // ASCII controls as C escapes or in octal; C1 controls, format marks and unassigned code points as universal names.
  assert.equal(text([0x09, 0x0a, 0x1b, 0x7f, 0x00]), '\\t\\n\\033\\177\\000');
  assert.equal(text(utf8('\u0085\u202e\u0378\u{e0001}')), '\\u0085\\u202E\\u0378\\U000E0001');
  // Not UTF-8: a lone continuation byte, 0xfe and 0xff, a surrogate, a sequence cut short (the byte that cut it read
  // again), one cut by the end; an overlong NUL decodes as GLib's does.
  assert.equal(text([0x80, 0xfe, 0xff, 0xed, 0xa0, 0x80]), '\ufffd\ufffd\ufffd\ufffd');
  assert.equal(text([0xe2, 0x82, 0x41, 0xc3]), '\ufffdA\ufffd');
  assert.equal(text([0xc0, 0x80]), '\\u0000');
  // tvb_format_stringzpad: to the first NUL.
  assert.equal(text([0x41, 0x00, 0x42], true), 'A');
  assert.equal(text([0x41, 0x00, 0x42]), 'A\\000B');
});
