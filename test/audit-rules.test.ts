import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../src/audit/rules.js';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import {
  bytesOf,
  esp,
  espNullBody,
  eth,
  gre,
  ipv4,
  ipv6,
  ospfHello,
  ospfv3Hello,
  tcp,
  udp,
  type Bytes,
} from './support/builder.js';
import { frameOf } from './support/frames.js';

/**
 * Audit rules one by one, on small tables of packets made here: each
 * finding raised where it holds, and not in the look-alike beside it.
 */

const IPV4 = 0x0800;
const A = '192.0.2.1';
const B = '192.0.2.2';
const inner = (l4: Bytes = udp(new Uint8Array(8), { srcPort: 40000, dstPort: 5000 }), proto = 17) =>
  ipv4(l4, { src: '10.1.1.1', dst: '10.2.2.2', proto });
const greOf = (o: Parameters<typeof gre>[1], payload = inner(), src = A, dst = B) =>
  ipv4(gre(payload, o), { src, dst, proto: 47 });
const espOf = (spi: number, seq: number) =>
  ipv4(esp(new Uint8Array(32).fill(0xab), { spi, seq }), { src: A, dst: B, proto: 50 });

/** The findings the audit raises over these packets. */
function findings(packets: Bytes[]) {
  const engine = new Engine();
  const table = new TunnelTable();
  for (const p of packets) table.observe(engine.dissect(frameOf(eth(p, { type: IPV4 }))));
  return evaluate(table);
}
/** Their ids, sorted. */
const ids = (packets: Bytes[]): string[] => [...new Set(findings(packets).map((f) => f.id))].sort();
const greSeqs = (seqs: number[]) => ids(seqs.map((seq) => greOf({ protocolType: IPV4, seq })));
const espSeqs = (seqs: number[]) => ids(seqs.map((seq) => espOf(0x1001, seq)));

test('cleartext-tunnel: GRE carrying IP in clear; not ESP alone between the same hosts', () => {
  assert.deepEqual(ids([greOf({ protocolType: IPV4 })]), ['cleartext-tunnel']);
  assert.ok(!espSeqs([1, 2]).includes('cleartext-tunnel'));
});

test('gre-sequence-gaps and gre-sequence-disorder: a number skipped, a number again; neither in order', () => {
  assert.deepEqual(greSeqs([1, 2, 3]), ['cleartext-tunnel']);
  assert.deepEqual(greSeqs([1, 2, 5]), ['cleartext-tunnel', 'gre-sequence-gaps']);
  assert.deepEqual(greSeqs([1, 2, 2, 3]), ['cleartext-tunnel', 'gre-sequence-disorder']);
  assert.deepEqual(greSeqs([0xfffffffe, 0xffffffff, 0, 1]), ['cleartext-tunnel'], 'across the wrap, in order');
});

test('gre-sequence-constant: a sender whose number never advances; not a packet sent twice', () => {
  assert.deepEqual(greSeqs([0, 0, 0, 0]), ['cleartext-tunnel', 'gre-sequence-constant']);
  assert.deepEqual(greSeqs([7, 7]), ['cleartext-tunnel', 'gre-sequence-disorder'], 'two alike: a duplicate');
  assert.deepEqual(greSeqs([7, 7, 8, 8]), ['cleartext-tunnel', 'gre-sequence-disorder']);
});

test('gre-checksum-errors: a GRE checksum that does not match; not one that does', () => {
  const good = greOf({ protocolType: IPV4, checksum: true });
  const bad = Uint8Array.from(good);
  bad[20 + 4]! ^= 0xff;
  assert.deepEqual(ids([good]), ['cleartext-tunnel']);
  assert.deepEqual(ids([bad]), ['cleartext-tunnel', 'gre-checksum-errors']);
});

test('pptp: enhanced GRE (version 1, a call ID); not GRE version 0 with a key', () => {
  const ppp = new Uint8Array([0xff, 0x03, 0x00, 0x21, ...inner()]);
  assert.ok(ids([greOf({ protocolType: 0x880b, callId: 7 }, ppp)]).includes('pptp'));
  assert.ok(!ids([greOf({ protocolType: IPV4, key: 7 })]).includes('pptp'));
});

test('esp-sequence-gaps and esp-replay: an ESP number skipped, a number again; neither in order', () => {
  assert.deepEqual(espSeqs([1, 2, 3]), []);
  assert.deepEqual(espSeqs([1, 2, 5]), ['esp-sequence-gaps']);
  assert.deepEqual(espSeqs([1, 2, 2, 3]), ['esp-replay']);
});

test('mss-too-large: an inner MSS with no room for the GRE overhead; not one clamped to fit', () => {
  const syn = (mss: number) =>
    greOf({ protocolType: IPV4 }, inner(tcp(new Uint8Array(0), { srcPort: 40000, dstPort: 443, flags: 0x02, mss }), 6));
  assert.deepEqual(ids([syn(1437)]), ['cleartext-tunnel', 'mss-too-large'], '1437 + 40 + 24 (IPv4 and GRE) > 1500');
  assert.deepEqual(ids([syn(1436)]), ['cleartext-tunnel']);
  // An MPLS label between GRE and the inner IP is overhead too: 20 + 4 + 4 bytes.
  const label = [0x00, 0x01, 0x01, 0x40]; // label 16, bottom of the stack
  const mplsSyn = (mss: number) =>
    greOf(
      { protocolType: 0x8847 },
      new Uint8Array([
        ...label,
        ...inner(tcp(new Uint8Array(0), { srcPort: 40000, dstPort: 443, flags: 0x02, mss }), 6),
      ]),
    );
  assert.ok(ids([mplsSyn(1433)]).includes('mss-too-large'), '1433 + 40 + 28 > 1500');
  assert.ok(!ids([mplsSyn(1432)]).includes('mss-too-large'));
});

// The watch keeps the last flow's sighting (cleartext.ts): flows that take turns in one tunnel, both ways, must each
// keep their own prompt and password.
test('cleartext-credentials: two telnet sessions taking turns in one tunnel, each password in its own flow', () => {
  const telnet = (client: string, fromServer: boolean, line: string) =>
    greOf(
      { protocolType: IPV4, key: 7 },
      fromServer
        ? ipv4(tcp(bytesOf(line), { srcPort: 23, dstPort: 40000 }), { src: '10.2.2.2', dst: client, proto: 6 })
        : ipv4(tcp(bytesOf(line), { srcPort: 40000, dstPort: 23 }), { src: client, dst: '10.2.2.2', proto: 6 }),
    );
  const [one, two] = ['10.1.1.1', '10.1.1.2'];
  const engine = new Engine();
  const table = new TunnelTable();
  for (const p of [
    telnet(one, true, 'Password: '),
    telnet(two, true, 'login: '),
    telnet(one, false, 'alpha123\r\n'),
    telnet(two, false, 'root\r\n'),
    telnet(two, true, 'Password: '),
    telnet(one, true, '$ '),
    telnet(two, false, 'zulu98765\r\n'),
    telnet(one, false, 'ls\r\n'),
  ])
    table.observe(engine.dissect(frameOf(eth(p, { type: IPV4 }))));
  const said = evaluate(table)
    .filter((f) => f.id === 'cleartext-credentials')
    .map((f) => /telnet password (.+?) from (\S+)/.exec(f.message)?.slice(1))
    .sort();
  assert.deepEqual(said, [
    ['a******* (8 chars)', '10.1.1.1:40000'],
    ['z******** (9 chars)', '10.1.1.2:40000'],
  ]);
});

test('cleartext-credentials: an SNMP community in the tunnel, masked; not a port-161 payload that is not SNMP', () => {
  const community = [...'public'].map((c) => c.charCodeAt(0));
  // SNMPv2c GetRequest: SEQUENCE { version 1, community, PDU { request-id, error-status, error-index, no bindings } }.
  const get = new Uint8Array(
    [0x30, 0x18, 0x02, 0x01, 0x01, 0x04, 0x06, ...community, 0xa0, 0x0b].concat([
      0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00,
    ]),
  );
  const snmp = (payload: Uint8Array) =>
    greOf({ protocolType: IPV4 }, inner(udp(payload, { srcPort: 40000, dstPort: 161 })));
  const findings = (payload: Uint8Array) => {
    const engine = new Engine();
    const table = new TunnelTable();
    table.observe(engine.dissect(frameOf(eth(snmp(payload), { type: IPV4 }))));
    return evaluate(table).filter((f) => f.id === 'cleartext-credentials');
  };
  const seen = findings(get);
  assert.equal(seen.length, 1);
  assert.match(seen[0]!.message, /snmp community p\*{5} \(6 chars\)/);
  assert.doesNotMatch(JSON.stringify(seen), /public/, 'the community itself is never kept');
  assert.deepEqual(
    findings(new Uint8Array(24).fill(0x41)).map((f) => f.message),
    [],
  );
});

test('SNMP in a readable tunnel: v1/v2c is cleartext (its community); not SNMPv3 (its PDU encrypted)', () => {
  const v2c = [0x30, 0x0e, 0x02, 0x01, 0x01, 0x04, 0x06, ...bytesOf('public'), 0xa0, 0x01, 0x00];
  // SNMPv3 (RFC 3412): version 3, msgGlobalData { id, max size, flags 07 (authPriv), model 3 }, then the rest.
  const v3 = [0x30, 0x15, 0x02, 0x01, 0x03, 0x30, 0x10, 0x02, 0x02, 0x12, 0x34, 0x02, 0x02, 0x05, 0xdc];
  const v3tail = [0x04, 0x01, 0x07, 0x02, 0x01, 0x03];
  const snmp = (payload: number[]) =>
    greOf({ protocolType: IPV4 }, inner(udp(Uint8Array.from(payload), { srcPort: 40000, dstPort: 161 })));
  assert.ok(ids([snmp(v2c)]).includes('cleartext-credentials'));
  assert.deepEqual(ids([snmp([...v3, ...v3tail])]), ['cleartext-tunnel']);
});

test('cleartext-credentials: HTTP Basic masked as the user:password it encodes; not a bearer token', () => {
  const request = (auth: string) =>
    greOf(
      { protocolType: IPV4 },
      inner(
        tcp(bytesOf(`GET / HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n\r\n`), { srcPort: 40000, dstPort: 80 }),
        6,
      ),
    );
  const said = (auth: string) => {
    const engine = new Engine();
    const table = new TunnelTable();
    table.observe(engine.dissect(frameOf(eth(request(auth), { type: IPV4 }))));
    return evaluate(table)
      .filter((f) => f.id === 'cleartext-credentials')
      .map((f) => f.message);
  };
  // "alice:wonderland" is 16 characters; its base64 token is 24.
  const basic = said(`Basic ${Buffer.from('alice:wonderland').toString('base64')}`);
  assert.equal(basic.length, 1);
  assert.match(basic[0]!, /basic-auth a\*{8} \(16 chars\)/);
  assert.doesNotMatch(basic[0]!, /wonderland|YWxp/);
  assert.deepEqual(said('Bearer eyJhbGciOiJIUzI1NiJ9'), []);
});

// OSPF inside a tunnel, both ways of it (tshark reads these packets' AT option, neighbours and authentication types).
const OSPF_ALL_ROUTERS = '224.0.0.5';
const ospfOf = (hello: Bytes, from = '10.0.0.1') =>
  greOf({ protocolType: IPV4 }, ipv4(hello, { src: from, dst: OSPF_ALL_ROUTERS, proto: 89 }));
const ospfv3Of = (hello: Bytes) =>
  greOf({ protocolType: 0x86dd }, ipv6(hello, { src: 'fe80::1', dst: 'ff02::5', nextHeader: 89 }));

test('cleartext-routing for OSPFv3: a router without the authentication trailer; not one with it (RFC 7166)', () => {
  const signed = [ospfv3Of(ospfv3Hello({ routerId: '7.7.7.1', trailer: true }))];
  assert.deepEqual(ids(signed), ['cleartext-tunnel']);
  assert.deepEqual(ids([ospfv3Of(ospfv3Hello({ routerId: '7.7.7.1' }))]), ['cleartext-routing', 'cleartext-tunnel']);
});

test('ospf-mismatch: parameters that keep routers apart; not a mask between routers that list each other', () => {
  const hello = (routerId: string, mask: string, neighbors: string[] = [], hello = 10) =>
    ospfOf(ospfHello({ routerId, mask, neighbors, authType: 2, hello, dead: hello * 4 }));
  // Each lists the other (two-way): a point-to-point link, where OSPF does not compare masks (RFC 2328 10.5).
  const p2p = [hello('7.3.0.1', '255.255.255.252', ['7.3.0.2']), hello('7.3.0.2', '255.255.255.0', ['7.3.0.1'])];
  assert.deepEqual(ids(p2p), ['cleartext-tunnel']);
  assert.ok(ids([hello('7.3.0.1', '255.255.255.252'), hello('7.3.0.2', '255.255.255.0')]).includes('ospf-mismatch'));
  assert.ok(
    ids([hello('7.3.0.1', '255.255.255.252'), hello('7.3.0.2', '255.255.255.252', [], 5)]).includes('ospf-mismatch'),
  );
});

test('a dual-stack router (one router ID for OSPFv2 and v3) is two routers, each judged by its own protocol', () => {
  const v2 = (authType: number) => [1, 2].map((n) => ospfOf(ospfHello({ routerId: `9.4.0.${n}`, authType })));
  const v3 = [1, 2].map((n) => ospfv3Of(ospfv3Hello({ routerId: `9.4.0.${n}` })));
  const said = (packets: Bytes[]) =>
    findings(packets).flatMap((f) => (f.id === 'cleartext-tunnel' ? [] : [f.id, f.message]));
  // OSPFv2 signs (MD5), OSPFv3 does not: only the v3 routers are unauthenticated, whichever came first.
  for (const packets of [
    [...v2(2), ...v3],
    [...v3, ...v2(2)],
  ]) {
    const messages = said(packets).join('\n');
    assert.match(messages, /OSPFv3 router 9\.4\.0\.1 across/);
    assert.doesNotMatch(messages, /OSPFv2/);
    assert.doesNotMatch(messages, /ospf-mismatch/);
  }
  // A simple password on OSPFv2 is weak wherever the v3 packets came first.
  assert.ok(said([...v3, ...v2(1)]).includes('routing-weak-auth'));
});

test('redirect-cleartext: a tunnel of WCCP redirects (GRE 0x883E); not ordinary GRE packets beside one', () => {
  const wccp = greOf({ protocolType: 0x883e }, new Uint8Array([0, 0, 0, 0, ...inner()]));
  assert.deepEqual(ids([wccp, wccp]), ['redirect-cleartext']);
  assert.deepEqual(ids([wccp, greOf({ protocolType: IPV4 }), greOf({ protocolType: IPV4 })]), ['cleartext-tunnel']);
});

test('cleartext-tunnel counts packets in clear only: keepalives beside a tunnel inside ESP are not its payload', () => {
  const signed = [1, 2, 3, 4, 5].map((seq) =>
    ipv4(esp(espNullBody(gre(inner(), { protocolType: IPV4 }), 47), { spi: 0x7001, seq }), {
      src: A,
      dst: B,
      proto: 50,
    }),
  );
  const probe = greOf(
    { protocolType: IPV4 },
    ipv4(gre(new Uint8Array(0), { protocolType: 0 }), { src: B, dst: A, proto: 47 }),
  );
  const reply = greOf({ protocolType: 0 }, new Uint8Array(0), B, A);
  assert.ok(!ids([...signed, probe, reply]).includes('cleartext-tunnel'));
  const leak = findings([...signed, probe, reply, greOf({ protocolType: IPV4 })]).find(
    (f) => f.id === 'cleartext-tunnel',
  );
  assert.match(leak?.message ?? '', /: 3 packets in clear/);
});

test('a group SA (one SPI, several senders): a number one sender repeats is esp-replay; its gaps are not gaps', () => {
  const from = (src: string, seqs: number[]) =>
    seqs.map((seq) => ipv4(esp(new Uint8Array(32).fill(0xab), { spi: 0x2222, seq }), { src, dst: B, proto: 50 }));
  const C = '192.0.2.3';
  assert.deepEqual(ids([...from(A, [1, 2, 3]), ...from(C, [1, 2, 3])]), ['ipsec-group-sa']);
  assert.deepEqual(ids([...from(A, [1, 2, 2, 3]), ...from(C, [1, 2, 3])]), ['esp-replay', 'ipsec-group-sa']);
  // One counter for all its receivers: each receiver sees only some of the sender's numbers.
  assert.deepEqual(ids([...from(A, [1, 3, 5]), ...from(C, [2, 4, 6])]), ['ipsec-group-sa']);
  const to = (dst: string, seqs: number[]) =>
    seqs.map((seq) => ipv4(esp(new Uint8Array(32).fill(0xab), { spi: 0x2222, seq }), { src: A, dst, proto: 50 }));
  const one = findings([...to(B, [1, 3, 5]), ...to(C, [2, 4, 6])]);
  assert.deepEqual(
    one.map((f) => f.message),
    [
      'ESP SPI 0x00002222 is sent by 192.0.2.1 to 2 receivers (192.0.2.2, 192.0.2.3; 6 packets): a group SA, ' +
        'sequence numbers counted per sender',
    ],
  );
  // The look-alikes: a unicast SA to one receiver, its gaps real; two SAs that share the SPI, each counting on its own
  // (from 1, or in spans apart), as in Wireshark's and Zeek's sample captures.
  assert.deepEqual(ids(to(B, [1, 3, 5])), ['esp-sequence-gaps']);
  assert.deepEqual(ids([...to(B, [1, 2, 3]), ...to(C, [1, 2, 3])]), []);
  assert.deepEqual(ids([...to(B, [1, 2, 3]), ...to(C, [10, 11, 13])]), ['esp-sequence-gaps']);
});
