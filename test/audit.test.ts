import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';

interface Sa {
  spi: number;
  protocol: string;
  src: string;
  dst: string;
  packets: number;
  protection: string;
  mode: string;
  senders: number;
  group?: boolean;
  seqMissing: number;
  seqReplayed: number;
  ospfv3?: { routerId: string }[];
}

interface Report {
  schema: number;
  packets: number;
  malformed: number;
  tunnels: {
    kind: string;
    role: string;
    endpoints: string[];
    key: number | null;
    packets: number;
    protection: string;
    multicast: string[];
    inner: Record<string, number>;
    insideEsp?: boolean;
    readThrough?: string;
    nestedIn?: number[];
    nvgre?: unknown;
    l2tp?: { tunnelId: number; sessionId: number };
    multicastDistribution?: { source: string; group: string };
    keepalives?: {
      count: number;
      intervalSec: number | null;
      senders: { from: string; probes: number; intervalSec: number | null; answered: number; rttMs: number | null }[];
    };
    directions: { from: string; to: string; packets: number }[];
  }[];
  esp: {
    endpoints: string[];
    spis: number[];
    packets: number;
    protection: string;
    mode?: string;
    ike?: unknown;
    ah?: { sas: Sa[] };
    sas: Sa[];
    gdoi?: unknown;
  }[];
  ike: { endpoints: string[]; gdoi?: number }[];
  findings: { id: string; severity: string; message: string; advice: string }[];
}

function audit(files: string[], extra: string[] = []) {
  const r = spawnSync(process.execPath, [BIN, 'audit', ...files.map((f) => join(FIXTURES, f)), ...extra], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function report(...files: string[]): Report {
  const r = audit(files, ['--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

const brief = (r: Report) =>
  r.tunnels.map((t) => [t.kind, t.endpoints.join(' '), t.key, t.packets, t.protection, t.multicast.join(' ')]);
const ids = (r: Report) => [...new Set(r.findings.map((f) => f.id))].sort();

test('cleartext GRE with OSPF and RIP: one tunnel, its multicast groups, and what is wrong', () => {
  const r = report('gre-ospf-cleartext.pcap');
  assert.equal(r.schema, 1);
  assert.equal(r.packets, 24);
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 198.51.100.7', 42, 24, 'cleartext', '224.0.0.5 224.0.0.9']]);
  assert.equal(r.tunnels[0]!.inner.ospf, 8);
  assert.equal(r.tunnels[0]!.inner.rip, 1);
  assert.deepEqual(r.esp, []);
  assert.deepEqual(ids(r), ['cleartext-credentials', 'cleartext-routing', 'cleartext-tunnel', 'mss-too-large']);
  assert.equal(r.findings[0]!.severity, 'high');
  const creds = r.findings.find((f) => f.id === 'cleartext-credentials')!;
  assert.match(creds.message, /telnet password h\*+ \(7 chars\)/);
  assert.ok(!JSON.stringify(r).includes('hunter2'), 'the password itself is never printed');
});

test('every kind of tunnel is told apart; GRE in GRE belongs to both', () => {
  const r = report('gre-kinds.pcap');
  const kinds = r.tunnels.map((t) => `${t.kind} ${t.endpoints.join('-')} ${t.key}`).sort();
  assert.deepEqual(kinds, [
    'erspan 198.51.100.7-203.0.113.9 null',
    'gre 100.64.0.1-100.64.0.2 2',
    'gre 192.0.2.1-198.51.100.7 1',
    'gre 192.0.2.1-198.51.100.7 null',
    'gre 192.0.2.1-203.0.113.9 null',
    'gre-udp 192.0.2.1-198.51.100.7 null',
    'gretap 192.0.2.1-198.51.100.7 100',
    'gretap 192.0.2.1-203.0.113.9 1280263',
  ]);
  const nested = r.tunnels.find((t) => t.key === 2)!;
  assert.equal(nested.nestedIn!.length, 1);
  assert.deepEqual(r.tunnels.find((t) => t.key === 1280263)!.nvgre, { vsid: 5001, flowId: 7 });
  assert.deepEqual(r.tunnels.find((t) => t.inner.ipv6)!.multicast, ['ff02::1']);
});

test('GRE over IPsec without keys: encrypted ESP between the routers, no tunnel visible', () => {
  const r = report('gre-over-ipsec.pcap');
  assert.deepEqual(r.tunnels, []);
  assert.equal(r.esp.length, 1);
  assert.deepEqual(r.esp[0]!.endpoints, ['192.0.2.1', '198.51.100.7']);
  assert.deepEqual(r.esp[0]!.spis, [0xc0010001, 0xc0020002]);
  assert.equal(r.esp[0]!.protection, 'encrypted');
  assert.equal(r.esp[0]!.packets, 12);
  assert.ok(r.esp[0]!.ike);
  assert.deepEqual(r.findings, []);
});

test('ESP-NULL and AH around GRE: the inner tunnel shows, integrity-only', () => {
  let r = report('esp-null-gre.pcap');
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 198.51.100.7', 5, 6, 'integrity-only', '224.0.0.5']]);
  assert.equal(r.tunnels[0]!.insideEsp, true);
  assert.deepEqual(
    r.esp.map((e) => [e.spis, e.protection, e.mode]),
    [[[0x5001, 0x5002], 'integrity-only', 'transport']],
  );
  // The OSPF inside is signed by the SA: readable (low), not the forgeable cleartext-routing (high) of plain GRE.
  assert.deepEqual(ids(r), ['esp-null', 'routing-readable']);
  assert.equal(r.findings.find((f) => f.id === 'routing-readable')!.severity, 'low');
  r = report('ah-gre.pcap');
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 203.0.113.9', 9, 6, 'integrity-only', '224.0.0.5']]);
  assert.deepEqual(ids(r), ['ah-only', 'routing-readable']);
  assert.ok(ids(report('gre-ospf-cleartext.pcap')).includes('cleartext-routing'));
});

test('IPsec tunnel mode shows no GRE', () => {
  const r = report('ipsec-tunnel-mode.pcap');
  assert.deepEqual(r.tunnels, []);
  assert.deepEqual(
    r.esp.map((e) => [e.spis, e.protection, e.mode]),
    [[[0x9001], 'integrity-only', 'tunnel']],
  );
  assert.deepEqual(ids(r), ['esp-null']);
});

test('PPTP: MPPE data is encrypted, PPP carrying IP is not; both are flagged', () => {
  const r = report('pptp.pcap');
  assert.deepEqual(brief(r), [
    ['pptp', '198.51.100.7 203.0.113.50', 0x4001, 5, 'encrypted', ''],
    ['pptp', '198.51.100.7 203.0.113.51', 0x4002, 2, 'cleartext', ''],
  ]);
  assert.deepEqual(ids(r), ['cleartext-tunnel', 'pptp']);
});

test("PPTP is version 1 carrying PPP: GRE's version 1 carrying IPv4, or PPP of version 2, is GRE, malformed", () => {
  const r = report('gre-headers.pcap');
  assert.deepEqual(
    r.tunnels.map((t) => [t.kind, t.key, t.inner]),
    [
      ['gre', null, { ipv4: 2, icmp: 2 }], // routing entries
      ['gre', 0x11223344, { ipv4: 1, icmp: 1 }], // version 3, read as version 0's header
      ['gre', null, { ppp: 1, ipv4: 1, icmp: 1 }], // PPP in an enhanced header of version 2
      ['gre', 0x00100007, { ipv4: 1, icmp: 1 }], // version 1 carrying IPv4: a 32-bit key
      ['pptp', null, { ppp: 1, ipv4: 1, icmp: 1 }], // version 1 carrying PPP, without its key
      ['gre', 0x99, {}], // a protocol type no protocol reads
    ],
  );
  // One packet of PPTP (the one without a key, which is flagged too); five malformed ones.
  const pptp = r.findings.filter((f) => f.id === 'pptp') as unknown as { subject: string }[];
  assert.deepEqual(
    pptp.map((f) => f.subject),
    ['pptp 192.0.2.1 <-> 203.0.113.9'],
  );
  assert.equal(r.malformed, 5);
});

test('tunnel health: sequence gaps and disorder, checksum errors, malformed GRE, OSPF mismatch, credentials', () => {
  const r = report('gre-health.pcap');
  assert.equal(r.malformed, 1);
  assert.deepEqual(ids(r), [
    'cleartext-credentials',
    'cleartext-routing',
    'cleartext-tunnel',
    'gre-checksum-errors',
    'gre-sequence-disorder',
    'gre-sequence-gaps',
    'malformed-gre',
    'ospf-mismatch',
    'routing-weak-auth',
  ]);
  const text = JSON.stringify(r);
  assert.match(text, /2 packets missing from 192\.0\.2\.1 to 203\.0\.113\.9/);
  assert.match(text, /area 0\.0\.0\.0 vs 0\.0\.0\.1; hello interval 10s vs 30s; dead interval 40s vs 120s/);
  for (const secret of ['s3cr3tpass', 'YWRtaW46YWRtaW4=', 'private', 'cisco'])
    assert.ok(!text.includes(secret), `${secret} leaked`);
  assert.equal(r.findings.filter((f) => f.id === 'cleartext-credentials').length, 3);
});

test('ospf-mtu-mismatch: the router with the smaller MTU stuck in ExStart; not with mtu-ignore, not equal MTUs', () => {
  // Three GRE tunnels whose OSPF routers hear each other (tshark reads each Database Description's MTU and flags):
  // 0x48 1476 against 1400, the 1400 router retransmitting its initial one; 0x49 the same MTUs, the exchange going
  // on past ExStart (mtu-ignore); 0x4a equal MTUs, one router retransmitting (lost packets, not an MTU).
  const r = report('gre-ospf-mtu.pcap');
  // One finding: none for 0x49 and 0x4a.
  const stuck = r.findings.filter((f) => f.id === 'ospf-mtu-mismatch');
  assert.deepEqual(
    stuck.map((f) => [f.severity, f.message]),
    [
      [
        'high',
        'OSPF router 72.72.72.2 across gre 192.0.2.72 <-> 198.51.100.72 key 0x48 (interface MTU 1400) stays in ' +
          'ExStart with 72.72.72.1 (MTU 1476): 4 initial Database Descriptions, none past ExStart',
      ],
    ],
  );
  const routers = (key: number) =>
    (r.tunnels.find((t) => t.key === key) as unknown as { routing: { ospf: Record<string, unknown>[] } }).routing.ospf;
  assert.deepEqual(
    routers(0x49).map((o) => [o.routerId, o.interfaceMtu, o.dbdInit, o.dbdExchange]),
    [
      ['73.73.73.1', 1476, 1, 3],
      ['73.73.73.2', 1400, 2, 1],
    ],
  );
  assert.deepEqual(
    routers(0x4a).map((o) => [o.routerId, o.interfaceMtu, o.dbdInit, o.dbdExchange]),
    [
      ['74.74.74.1', 1476, 1, 4],
      ['74.74.74.2', 1476, 4, undefined],
    ],
  );
  const text = audit(['gre-ospf-mtu.pcap']).stdout;
  assert.match(text, /OSPFv2 router 72\.72\.72\.2 area 0\.0\.0\.0 hello 10s dead 40s auth none mtu 1400\n/);
});

test("recursive-routing: an endpoint's prefix announced across the tunnel; not the next /24, 0/0, a withdrawal", () => {
  // tshark reads the Router-LSAs' stub links, the AS-External-LSA's default route and the RIPv2 routes as built, and
  // key 0x4f's withdrawals: a Router-LSA of age 3600 (MaxAge), a RIPv2 route of metric 16.
  const r = report('gre-recursive-routes.pcap');
  assert.deepEqual(
    r.findings.filter((f) => f.id === 'recursive-routing').map((f) => [f.severity, f.message]),
    [
      [
        'medium',
        'gre 192.0.2.75 <-> 198.51.100.75 key 0x4b: 198.51.100.0/24, which holds its endpoint 198.51.100.75, is ' +
          'announced across it (OSPF advertising router 75.75.75.1)',
      ],
      [
        'medium',
        'gre 192.0.2.77 <-> 198.51.100.77 key 0x4d: 192.0.2.0/24, which holds its endpoint 192.0.2.77, is ' +
          'announced across it (RIP speaker 10.77.0.2)',
      ],
    ],
  );
});

test("recursive-routing by EIGRP: an Update's route holding an endpoint, legacy or wide; not 0/0, withdrawals", () => {
  // tshark reads every destination as built (one a TLV) and key 0x53's: a default route, 198.51.101.0/24, 10.83.0.0/16,
  // the endpoints' /24s with infinite delays (legacy 0xffffffff, wide 2^48 - 1), a Query's and a Reply's /24, a Hello.
  const r = report('gre-recursive-eigrp.pcap');
  assert.deepEqual(
    r.findings.filter((f) => f.id === 'recursive-routing').map((f) => [f.severity, f.message]),
    [
      [
        'medium',
        'gre 192.0.2.81 <-> 198.51.100.81 key 0x51: 198.51.100.0/24, which holds its endpoint 198.51.100.81, is ' +
          'announced across it (EIGRP speaker 10.81.0.1)',
      ],
      [
        'medium',
        'gre 192.0.2.82 <-> 198.51.100.82 key 0x52: 192.0.2.0/25, which holds its endpoint 192.0.2.82, is ' +
          'announced across it (EIGRP speaker 10.82.0.2)',
      ],
      [
        'medium',
        'gre 192.0.2.82 <-> 198.51.100.82 key 0x52: 198.51.100.80/28, which holds its endpoint 198.51.100.82, is ' +
          'announced across it (EIGRP speaker 10.82.0.2)',
      ],
    ],
  );
});

test("PIM neighbours: a Hello's sender, not PIMv3's type 0 nor a Hello inside the packet a Register carries", () => {
  // tshark names frames 8 and 9's PIM as PIMv3 (Unknown) and as a Register carrying an IPv4 packet of PIM.
  const r = report('pim-hellos.pcap');
  const pim = (r.tunnels[0] as unknown as { routing: { pim: { packets: number; neighbors: string[] } } }).routing.pim;
  assert.deepEqual([...pim.neighbors].sort(), ['10.0.0.1', '10.0.0.2', 'fe80::1']);
});

test("CDP devices: a tunnel's CDP names the routers at its ends and their ports; none where no CDP was seen", () => {
  type WithCdp = { routing?: { cdp?: { packets: number; devices: string[] } } };
  const r = report('cdp.pcap');
  const cdpOf = (endpoints: string, key: number | null) =>
    (r.tunnels.find((t) => t.endpoints.join(' ') === endpoints && t.key === key) as WithCdp | undefined)?.routing?.cdp;
  // GRE key 40: CDP as protocol type 0x2000 and in PPP; a frame that gives no device ID (a Port ID alone, a header
  // alone, one cut short) counts as a packet and names no device; control bytes are escaped.
  assert.deepEqual(cdpOf('192.0.2.21 198.51.100.21', 40), {
    packets: 12,
    devices: ['R1.example (Tunnel40)', 'R2.example (Tunnel40)', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9\\033[31m\\a'],
  });
  // gretap: a switch on the LAN bridged across.
  assert.deepEqual(cdpOf('192.0.2.21 198.51.100.21', null)?.devices, ['SW1 (GigabitEthernet0/1)']);
  const text = audit(['cdp.pcap']).stdout;
  assert.ok(text.includes('      CDP devices R1.example (Tunnel40), R2.example (Tunnel40), R3, R4'), text);
  assert.ok(!text.includes('\x1b'), 'no raw ESC');
  // The look-alike: a tunnel carrying routing protocols but no CDP says nothing of it.
  const other = report('gre-ospf-cleartext.pcap');
  assert.equal((other.tunnels[0] as WithCdp).routing?.cdp, undefined);
  assert.ok(!audit(['gre-ospf-cleartext.pcap']).stdout.includes('CDP'));
});

test("LLDP devices: a gretap tunnel's LLDP names the switch bridged across and its port; none on the LAN's", () => {
  type WithLldp = { routing?: { lldp?: { packets: number; devices: string[] } } };
  const r = report('lldp.pcap');
  // The one tunnel (gretap): its switch's system name (control bytes escaped) and port ID (an IPv6 address). The
  // LAN's frames are on no tunnel: no other tunnel is made of them.
  assert.equal(r.tunnels.length, 1);
  assert.deepEqual((r.tunnels[0] as WithLldp).routing?.lldp, {
    packets: 1,
    devices: ['R31\\033[2J\\a (2001:db8::31)'],
  });
  const text = audit(['lldp.pcap']).stdout;
  assert.ok(text.includes('      LLDP devices R31\\033[2J\\a (2001:db8::31)\n'), text);
  assert.ok(!text.includes('\x1b'), 'no raw ESC');
  // The look-alike: a gretap tunnel carrying CDP but no LLDP says nothing of LLDP.
  const cdp = report('cdp.pcap');
  assert.ok(cdp.tunnels.every((t) => (t as WithLldp).routing?.lldp === undefined));
  assert.ok(!audit(['cdp.pcap']).stdout.includes('LLDP'));
});

test('EIGRP: a Hello with a whole MD5 authentication TLV is authenticated; one whose TLV is of type 0 is not', () => {
  // Frame 1 carries MD5 (a 16-byte digest); frame 7 an authentication TLV of type 0; the other five none.
  const r = report('eigrp-tlvs.pcap');
  const eigrp = (r.tunnels[0] as unknown as { routing: { eigrp: { packets: number; authenticated: number } } }).routing
    .eigrp;
  assert.deepEqual([eigrp.packets, eigrp.authenticated], [7, 1]);
  const finding = r.findings.find((f) => f.id === 'cleartext-routing' && f.message.startsWith('EIGRP'));
  assert.match(finding?.message ?? '', /AS 100: 6 packets/);
});

test('fragmentation and path MTU: reassembled tunnel packets count once; the advice names the MTU and MSS', () => {
  const r = report('gre-fragments.pcap');
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 198.51.100.7', 7, 2, 'cleartext', '']]);
  const frag = r.findings.find((f) => f.id === 'outer-fragmentation')!;
  assert.match(
    frag.message,
    new RegExp(
      String.raw`1 packet arrived in outer IP fragments \(tunnel overhead 28 bytes: ` +
        String.raw`set the tunnel MTU to 1372 and the MSS to 1332\)`,
    ),
  );
  assert.ok(r.findings.some((f) => f.id === 'path-mtu-exceeded'));
});

test('several files are one audit', () => {
  const r = report('esp-null-gre.pcap', 'ah-gre.pcap');
  assert.equal(r.tunnels.length, 2);
  assert.equal(r.packets, 12);
});

test('--fail-on sets the exit status; the text report reads without colour when piped', () => {
  assert.equal(audit(['gre-over-ipsec.pcap'], ['--fail-on', 'low']).status, 0);
  assert.equal(audit(['gre-ospf-cleartext.pcap'], ['--fail-on', 'high']).status, 1);
  assert.equal(audit(['gre-fragments.pcap'], ['--fail-on', 'high']).status, 1);
  assert.equal(audit(['gre-health.pcap'], ['--fail-on', 'medium']).status, 1);
  assert.equal(audit(['esp-null-gre.pcap'], ['--fail-on', 'info']).status, 1);
  const bad = audit(['gre-ospf-cleartext.pcap'], ['--fail-on', 'severe']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--fail-on wants one of info, low, medium, high/);
  const text = audit(['gre-ospf-cleartext.pcap']);
  assert.equal(text.status, 0, 'findings without --fail-on do not fail');
  assert.ok(!text.stdout.includes('\u001b['), 'no escape codes when not a terminal');
  assert.match(text.stdout, /CLEARTEXT +gre 192\.0\.2\.1 <-> 198\.51\.100\.7 key 0x2a \(point-to-point\)/);
  assert.match(text.stdout, /multicast 224\.0\.0\.5: OSPFv2 Hello 8/);
  assert.match(text.stdout, /multicast 224\.0\.0\.9: RIPv2 Response 1/);
  const missing = audit(['nope.pcap']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.pcap: no such file/);
});

/** One role's findings: ids, and the advice each gives. */
const advice = (r: Report, id: string) => r.findings.find((f) => f.id === id)?.advice ?? '';

test(
  'ERSPAN is a mirror: mirror-cleartext, and no routing, management, ' + 'MSS or WireGuard verdict on mirrored copies',
  () => {
    const r = report('erspan-mirror.pcap');
    assert.deepEqual(
      r.tunnels.map((t) => [t.kind, t.role, t.protection]),
      [['erspan', 'mirror', 'cleartext']],
    );
    assert.deepEqual(ids(r), ['mirror-cleartext']);
    assert.equal(r.findings[0]!.severity, 'medium');
    assert.match(r.findings[0]!.message, /^erspan 192\.0\.2\.20 <-> 198\.51\.100\.20: 4 mirrored packets in clear/);
    assert.doesNotMatch(advice(r, 'mirror-cleartext'), /WireGuard/);
    // The look-alike: the same OSPF, telnet, web and SYN inside a point-to-point GRE tunnel.
    const p2p = report('gre-p2p-lookalike.pcap');
    assert.deepEqual(
      p2p.tunnels.map((t) => [t.role, t.protection]),
      [['point-to-point', 'cleartext']],
    );
    assert.deepEqual(ids(p2p), ['cleartext-management', 'cleartext-routing', 'cleartext-tunnel', 'mss-too-large']);
    assert.match(advice(p2p, 'cleartext-tunnel'), /WireGuard/);
    // Plain HTTP to a web server is web traffic, not management: only the telnet session is said.
    assert.deepEqual(
      p2p.findings.filter((f) => f.id === 'cleartext-management').map((f) => f.message),
      ['telnet from 10.60.0.9:42001 to 10.61.0.1:23 across gre 192.0.2.60 <-> 198.51.100.60 key 0x3c (1 packet)'],
    );
  },
);

test(
  'a one-way gretap carrying both directions of its inner conversations ' +
    'is a mirror; a gretap L2 tunnel, or one direction of it, is not',
  () => {
    const r = report('gretap-mirror.pcap');
    const roles = (x: Report) =>
      x.tunnels
        .map((t) => [t.endpoints.join(' '), t.key, t.role])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
    assert.deepEqual(roles(r), [
      ['192.0.2.110 198.51.100.110', 1, 'mirror'],
      ['192.0.2.111 198.51.100.111', 0, 'mirror'],
      ['192.0.2.111 198.51.100.111', 0x2000000, 'mirror'],
      ['192.0.2.112 198.51.100.112', 2, 'point-to-point'],
      ['192.0.2.113 198.51.100.113', 3, 'point-to-point'],
    ]);
    const about = (id: string) =>
      r.findings
        .filter((f) => f.id === id)
        .map((f) => f.message)
        .sort();
    assert.deepEqual(about('mirror-cleartext'), [
      'gretap 192.0.2.110 <-> 198.51.100.110 key 0x1: 9 mirrored packets in ' +
        'clear carrying ipv4, icmp, udp (a mirror over plain GRE: one way only ' +
        '(192.0.2.110 -> 198.51.100.110), and 3 of its 3 inner unicast MACs ' +
        'are both sources and destinations in that direction: both sides of ' +
        'each conversation, copied)',
      'gretap 192.0.2.111 <-> 198.51.100.111 key 0x0: 4 mirrored packets in ' +
        'clear carrying ipv4, icmp (a mirror over plain GRE: one way only ' +
        '(192.0.2.111 -> 198.51.100.111), and 3 of its 3 inner unicast MACs ' +
        'are both sources and destinations in that direction: both sides of ' +
        'each conversation, copied)',
      'gretap 192.0.2.111 <-> 198.51.100.111 key 0x2000000: 4 mirrored ' +
        'packets in clear carrying ipv4, icmp (a mirror over plain GRE: one ' +
        'way only (192.0.2.111 -> 198.51.100.111), and 3 of its 3 inner ' +
        'unicast MACs are both sources and destinations in that direction: ' +
        'both sides of each conversation, copied)',
    ]);
    // The look-alikes keep the cleartext tunnel's HIGH finding: each inner MAC is a source one way and a destination
    // the
    // other.
    assert.deepEqual(about('cleartext-tunnel'), [
      'gretap 192.0.2.112 <-> 198.51.100.112 key 0x2: 8 packets in clear carrying ipv4, icmp',
      'gretap 192.0.2.113 <-> 198.51.100.113 key 0x3: 5 packets in clear carrying ipv4, icmp, udp',
    ]);
  },
);

test("Zeek's erspan.pcap (VMware-style mirror over plain gretap, one key " +
  "per direction of the port) and Suricata's bug-2576 gretap trace are mirrors", {
  skip: HAVE_CORPUS ? false : NO_CORPUS,
}, () => {
  const r = spawnSync(process.execPath, [BIN, 'audit', '--json', join(CORPUS, 'zeek/erspan.pcap')], {
    encoding: 'utf8',
  });
  const j = JSON.parse(r.stdout) as Report;
  assert.deepEqual(
    j.tunnels.map((t) => [t.kind, t.key, t.role]),
    [
      ['gretap', 0, 'mirror'],
      ['gretap', 0x2000000, 'mirror'],
    ],
  );
  assert.deepEqual(
    j.findings.map((f) => [f.id, f.severity]),
    [
      ['mirror-cleartext', 'medium'],
      ['mirror-cleartext', 'medium'],
      ['outer-fragmentation', 'medium'],
    ],
  );
  // Suricata's bug-2576 trace: one TCP session's both directions copied one way over gretap, to an IDS.
  const s = JSON.parse(
    spawnSync(process.execPath, [BIN, 'audit', '--json', join(CORPUS, 'suricata-verify/bug-2576-01-ips__temp6.pcap')], {
      encoding: 'utf8',
    }).stdout,
  ) as Report;
  assert.deepEqual(
    s.tunnels.map((t) => [t.kind, t.role]),
    [['gretap', 'mirror']],
  );
});

test(
  'WCCP is a redirect: web traffic sent to the cache by design, an info ' +
    'note, not a cleartext tunnel or management',
  () => {
    const r = report('wccp-redirect.pcap');
    assert.deepEqual(
      r.tunnels.map((t) => [t.kind, t.role, t.protection, t.packets]),
      [['gre', 'redirect', 'cleartext', 3]],
    );
    assert.deepEqual(
      r.findings.map((f) => [f.id, f.severity]),
      [['redirect-cleartext', 'info']],
    );
  },
);

test('GRE to a multicast group is a distribution tree: one sender, GETVPN advice, no empty way back', () => {
  const r = report('gre-multicast.pcap');
  assert.deepEqual(
    r.tunnels.map((t) => [t.role, t.multicastDistribution, t.directions.filter((d) => d.packets > 0).length]),
    [
      ['multicast-distribution', { source: '192.0.2.40', group: '232.1.1.1' }, 1],
      ['multicast-distribution', { source: '192.0.2.41', group: '232.1.1.1' }, 1],
      ['multicast-distribution', { source: '192.0.2.42', group: '239.1.1.1' }, 1],
    ],
  );
  assert.deepEqual(
    r.findings.map((f) => f.message),
    [
      'gre 192.0.2.40 -> group 232.1.1.1: 3 packets in clear carrying ipv4, pim',
      'gre 192.0.2.41 -> group 232.1.1.1: 3 packets in clear carrying ipv4, pim',
      'gre 192.0.2.42 -> group 239.1.1.1: 3 packets in clear carrying ipv4, icmp',
    ],
  );
  assert.match(advice(r, 'cleartext-tunnel'), /GETVPN/);
  assert.doesNotMatch(advice(r, 'cleartext-tunnel'), /transport mode, between the tunnel endpoints/);
  const text = audit(['gre-multicast.pcap']).stdout;
  assert.match(
    text,
    /gre 192\.0\.2\.40 -> group 232\.1\.1\.1 \(multicast-distribution\)\n.*\n      192\.0\.2\.40 -> 232\.1\.1\.1: 3\n/,
  );
  assert.doesNotMatch(text, /232\.1\.1\.1 -> 192\.0\.2\.40/);
});

test(
  'mGRE with NHRP is multipoint: the DMVPN cloud is said once, its ' + 'advice names tunnel protection ipsec profile',
  () => {
    const r = report('dmvpn-nhrp.pcap');
    assert.deepEqual(
      r.tunnels.map((t) => [t.role, t.key]),
      [
        ['multipoint', 0x1000],
        ['multipoint', 0x1000],
      ],
    );
    // The pairs of a cleartext cloud are not each a cleartext-tunnel (#16's dmvpn-cleartext says it for all).
    assert.deepEqual(ids(r), ['dmvpn-cleartext', 'nhrp-no-authentication']);
    assert.match(advice(r, 'dmvpn-cleartext'), /tunnel protection ipsec profile/);
  },
);

/** fixtures/dmvpn.pcap's times: seconds after its first second (scripts/make-dmvpn-fixtures.py's T0). */
const dmvpnAt = (s: number) => Math.round((1767225600 + s) * 1e6) / 1e6;
const accepted = (hub: string) => ({
  state: 'accepted',
  requests: 1,
  replies: 1,
  unanswered: 0,
  code: 0,
  codeText: 'success',
  hub,
  holdingTime: 7200,
});
const spoke = (tunnel: string, nbma: string, outside: string, registration: object, more: object = {}) => ({
  tunnel,
  nbma,
  outside,
  natT: false,
  registration,
  ...more,
});
const none = { trafficIndications: [], shortcuts: [], viaHub: [], errors: [], resolutions: [] };

test(
  'the DMVPN view of dmvpn.pcap, exactly: clouds, hubs, spokes, ' +
    'registrations, resolutions, redirects, shortcuts, traffic through the ' +
    'hub, errors',
  () => {
    const r = report('dmvpn.pcap') as Report & { dmvpn: Record<string, unknown>[] };
    const resolved = (prefix: string, nbma: string, tunnel: string, by: string) => ({
      code: 0,
      codeText: 'success',
      prefix,
      nbma,
      tunnel,
      by,
    });
    assert.deepEqual(r.dmvpn, [
      {
        cloud: 'key 0x64',
        key: 100,
        hubs: [{ nbma: '192.0.2.1', tunnel: '172.16.1.1' }],
        protection: 'cleartext',
        nhrpPackets: 21,
        nhrpAuthenticated: 0,
        spokes: [
          spoke('172.16.1.10', '198.51.100.10', '198.51.100.10', accepted('192.0.2.1')),
          spoke('172.16.1.20', '198.51.100.20', '198.51.100.20', accepted('192.0.2.1')),
          // Behind NAT: the outer source and the hub's NAT extension say 203.0.113.7.
          spoke('172.16.1.30', '198.51.100.30', '203.0.113.7', accepted('192.0.2.1'), { natAddress: '203.0.113.7' }),
          spoke('172.16.1.40', '203.0.113.40', '203.0.113.40', {
            state: 'refused',
            requests: 1,
            replies: 1,
            unanswered: 0,
            code: 14,
            codeText: 'already registered',
            hub: '192.0.2.1',
          }),
          spoke('172.16.1.50', '203.0.113.50', '203.0.113.50', {
            state: 'requested',
            requests: 3,
            replies: 0,
            unanswered: 3,
          }),
        ],
        resolutions: [
          {
            id: 2,
            from: '172.16.1.10',
            fromNbma: '198.51.100.10',
            for: '172.16.1.20',
            at: dmvpnAt(4.308),
            forwardedBy: ['192.0.2.1'],
            answer: resolved('172.16.1.20/32', '198.51.100.20', '172.16.1.20', '198.51.100.20'),
            rttMs: 7,
            error: null,
            unanswered: false,
          },
          {
            id: 3,
            from: '172.16.1.10',
            fromNbma: '198.51.100.10',
            for: '10.30.0.5',
            at: dmvpnAt(4.833),
            forwardedBy: ['192.0.2.1'],
            answer: resolved('10.30.0.5/24', '198.51.100.30', '172.16.1.30', '203.0.113.7'),
            rttMs: 9,
            error: null,
            unanswered: false,
          },
          {
            id: 4,
            from: '172.16.1.20',
            fromNbma: '198.51.100.20',
            for: '172.16.1.99',
            at: dmvpnAt(5.655),
            forwardedBy: [],
            answer: null,
            rttMs: null,
            error: null,
            unanswered: true,
          },
          {
            id: 8,
            from: '172.16.1.40',
            fromNbma: '203.0.113.40',
            for: '172.16.1.20',
            at: dmvpnAt(5.855),
            forwardedBy: [],
            answer: null,
            rttMs: null,
            error: { code: 6, text: 'protocol address unreachable', from: '192.0.2.1' },
            unanswered: false,
          },
        ],
        trafficIndications: [
          {
            at: dmvpnAt(4.828),
            hub: '192.0.2.1',
            to: '10.10.0.5',
            toNbma: '198.51.100.10',
            packet: '10.10.0.5 > 10.30.0.5',
            resolved: 3,
            shortcut: true,
          },
        ],
        shortcuts: [
          {
            between: ['198.51.100.10', '198.51.100.20'],
            tunnels: ['172.16.1.10', '172.16.1.20'],
            packets: 3,
            tunnelId: 6,
          },
          {
            between: ['198.51.100.10', '203.0.113.7'],
            tunnels: ['172.16.1.10', '172.16.1.30'],
            packets: 3,
            tunnelId: 7,
          },
        ],
        viaHub: [
          {
            from: '172.16.1.10',
            to: '172.16.1.30',
            hub: '192.0.2.1',
            flows: ['10.10.0.5 > 10.30.0.5'],
            packets: 1,
            shortcutFollowed: true,
          },
          {
            from: '172.16.1.20',
            to: '172.16.1.30',
            hub: '192.0.2.1',
            flows: ['10.20.0.5 > 10.30.0.5'],
            packets: 2,
            shortcutFollowed: false,
          },
        ],
        errors: [
          {
            at: dmvpnAt(5.857),
            code: 6,
            text: 'protocol address unreachable',
            from: '192.0.2.1',
            to: '172.16.1.40',
            toNbma: '203.0.113.40',
            about: 'Resolution Request id 8',
          },
        ],
        // One multipoint tunnel: the hub's five GRE pairs and the two shortcuts.
        tunnels: [1, 2, 3, 4, 5, 6, 7],
      },
      {
        cloud: 'key 0xc8',
        key: 200,
        hubs: [{ nbma: '192.0.2.2', tunnel: '172.16.2.1' }],
        protection: 'cleartext',
        nhrpPackets: 2,
        nhrpAuthenticated: 2,
        spokes: [spoke('172.16.2.60', '198.51.100.60', '198.51.100.60', accepted('192.0.2.2'))],
        ...none,
        tunnels: [8],
      },
      {
        cloud: 'hub 192.0.2.3',
        key: null,
        hubs: [{ nbma: '192.0.2.3', tunnel: '172.16.3.1' }],
        protection: 'integrity-only',
        nhrpPackets: 2,
        nhrpAuthenticated: 0,
        spokes: [
          spoke('172.16.3.70', '198.51.100.70', '203.0.113.70', accepted('192.0.2.3'), {
            natT: true,
            natAddress: '203.0.113.70',
          }),
        ],
        ...none,
        tunnels: [9],
      },
    ]);
    // The clouds' tunnels are every tunnel of the capture, each pair multipoint.
    assert.equal(r.tunnels.length, 9);
    assert.deepEqual(new Set(r.tunnels.map((t) => t.role)), new Set(['multipoint']));
  },
);

test(
  'the DMVPN view of dmvpn-phase1.pcap, exactly: a Phase 1 cloud, every ' + 'packet between spokes through the hub',
  () => {
    const r = report('dmvpn-phase1.pcap') as Report & { dmvpn: Record<string, unknown>[] };
    const through = (from: string, to: string, flow: string) => ({
      from,
      to,
      hub: '192.0.2.4',
      flows: [flow],
      packets: 3,
      shortcutFollowed: false,
    });
    assert.deepEqual(r.dmvpn, [
      {
        cloud: 'key 0x12c',
        key: 300,
        hubs: [{ nbma: '192.0.2.4', tunnel: '172.16.4.1' }],
        protection: 'cleartext',
        nhrpPackets: 4,
        nhrpAuthenticated: 0,
        spokes: [
          spoke('172.16.4.80', '198.51.100.80', '198.51.100.80', accepted('192.0.2.4')),
          spoke('172.16.4.90', '198.51.100.90', '198.51.100.90', accepted('192.0.2.4')),
        ],
        ...none,
        viaHub: [
          through('172.16.4.80', '172.16.4.90', '10.80.0.5 > 10.90.0.5'),
          through('172.16.4.90', '172.16.4.80', '10.90.0.5 > 10.80.0.5'),
        ],
        tunnels: [1, 2],
      },
    ]);
    // Phase 1 is said as traffic through the hub (advice: Phase 3); nothing failed, nothing was refused.
    assert.deepEqual(ids(r), ['dmvpn-cleartext', 'dmvpn-via-hub', 'nhrp-no-authentication']);
    assert.match(advice(r, 'dmvpn-via-hub'), /ip nhrp redirect/);
  },
);

test(
  'keepalives: the sender told from the reflector, the period between ' + "one sender's own probes, answers and RTT",
  () => {
    const r = report('gre-keepalives.pcap');
    const one = r.tunnels.find((t) => t.key === 1)!;
    assert.deepEqual(one.keepalives!.senders, [
      { from: '192.0.2.2', probes: 0, intervalSec: null, answered: 0, rttMs: null, repliesWithoutProbe: 0 },
      { from: '203.0.113.1', probes: 3, intervalSec: 10, answered: 3, rttMs: 0.8, repliesWithoutProbe: 0 },
    ]);
    const text = audit(['gre-keepalives.pcap']).stdout;
    assert.match(
      text,
      new RegExp(
        String.raw`keepalives: 203\.0\.113\.1 sends keepalives every 10 s, 3 of 3 ` +
          String.raw`answered \(RTT 0\.8 ms\); 192\.0\.2\.2 sends none\n`,
      ),
    );
    // Both ends probing every 5 s (not every 2.5 s, as all keepalive-shaped packets together would say); one probe
    // unanswered.
    assert.match(
      text,
      new RegExp(
        String.raw`keepalives: 198\.51\.100\.1 sends keepalives every 5 s, 3 of 3 ` +
          String.raw`answered \(RTT 2 ms\); 198\.51\.100\.2 sends keepalives every 5 s, 2 ` +
          String.raw`of 3 answered \(RTT 4 ms\)\n`,
      ),
    );
    // A tunnel that carries only keepalives carries nothing in clear.
    assert.deepEqual(
      r.findings.map((f) => f.message),
      ['gre 192.0.2.2 <-> 203.0.113.1 key 0x1: 9 packets in clear carrying ipv4, gre, icmp'],
    );
  },
);

test(
  'group SAs: GDOI and a SPI several senders share are counted per ' +
    'sender, not called replays; a unicast repeat still is',
  () => {
    const r = report('getvpn-group-sa.pcap');
    const group = r.esp.flatMap((p) => p.sas).filter((sa) => sa.spi === 0x0badcafe);
    assert.deepEqual(
      group.map((sa) => [sa.src, sa.senders, sa.group, sa.seqMissing, sa.seqReplayed]),
      [
        ['198.51.100.1', 2, true, 0, 0],
        ['198.51.100.3', 1, true, 2, 0],
      ],
    );
    assert.deepEqual(
      r.ike.map((p) => [p.endpoints.join(' '), p.gdoi]),
      [
        ['192.0.2.100 198.51.100.1', 1],
        ['192.0.2.100 198.51.100.2', 1],
        ['192.0.2.100 198.51.100.3', 1],
      ],
    );
    assert.deepEqual(
      r.findings.map((f) => [f.id, f.severity, f.message]),
      [
        [
          'esp-replay',
          'medium',
          'SPI 0x00001111 (192.0.2.150 -> 192.0.2.151): 0 sequence numbers repeated at once, ' +
            '1 number below one already seen (late or replayed)',
        ],
        [
          'ipsec-group-sa',
          'info',
          'ESP SPI 0x0badcafe is shared by 3 senders (198.51.100.1, ' +
            '198.51.100.2, 198.51.100.3; 13 packets): a group SA, sequence numbers ' +
            'counted per sender',
        ],
      ],
    );
    assert.match(audit(['getvpn-group-sa.pcap']).stdout, /group SA: per-sender counters/);
  },
);

test(
  'per-SA protection and mode: NULL and AH-only SAs keep their findings ' +
    'beside encrypted ones; AH around encrypted ESP is mode unknown',
  () => {
    const r = report('ipsec-per-sa.pcap');
    const sas = new Map(
      r.esp
        .flatMap((p) => [...p.sas, ...(p.ah?.sas ?? [])])
        .map((sa) => [sa.spi, [sa.protocol, sa.protection, sa.mode]]),
    );
    assert.deepEqual(Object.fromEntries(sas), {
      256: ['esp', 'integrity-only', 'transport'],
      512: ['esp', 'encrypted', 'unknown'],
      1024: ['esp', 'encrypted', 'unknown'],
      768: ['ah', 'integrity-only', 'transport'],
      1536: ['esp', 'encrypted', 'unknown'],
      1280: ['ah', 'encrypted', 'unknown'],
    });
    // The pair shows the worst of its SAs; no mode where one could not be read.
    assert.deepEqual(
      r.esp.map((p) => [p.endpoints.join(' '), p.protection, p.mode]),
      [
        ['192.0.2.1 198.51.100.7', 'integrity-only', undefined],
        ['192.0.2.3 198.51.100.9', 'integrity-only', undefined],
        ['192.0.2.5 198.51.100.11', 'encrypted', undefined],
      ],
    );
    assert.deepEqual(
      r.findings.map((f) => f.message),
      [
        'ESP between 192.0.2.1 and 198.51.100.7 uses NULL encryption on SPI ' +
          '0x00000100 (2 packets): anyone on the path reads the payload ' +
          '(transport mode)',
        '192.0.2.3 and 198.51.100.9 protect traffic with AH only on SPI 0x00000300 (3 packets): signed, not encrypted',
      ],
    );
    assert.deepEqual(
      r.tunnels.map((t) => [t.key, t.protection, t.readThrough, t.insideEsp]),
      [
        [9, 'integrity-only', 'AH', undefined],
        [5, 'integrity-only', 'ESP', true],
      ],
    );
    assert.match(audit(['ipsec-per-sa.pcap']).stdout, /key 0x9 \(point-to-point\)\n.*read through AH/);
  },
);

test('OSPFv3 authenticated by ESP-NULL or AH (RFC 4552): routers listed, an info note, no esp-null or ah-only', () => {
  const r = report('ospfv3-esp-null.pcap');
  assert.deepEqual(
    r.findings.map((f) => [f.id, f.severity]),
    [
      ['ospfv3-ipsec-auth', 'info'],
      ['ipsec-group-sa', 'info'],
    ],
  );
  assert.equal(
    r.findings[0]!.message,
    'OSPFv3 routers 1.1.1.1, 2.2.2.2 authenticate with IPsec: ESP with NULL encryption, SPI 0x00002000 (6 packets)',
  );
  assert.deepEqual(
    r.esp.flatMap((p) => p.sas.map((sa) => sa.ospfv3!.map((o) => o.routerId))),
    [['1.1.1.1'], ['2.2.2.2']],
  );
  // The look-alike: ESP-NULL carrying GRE is readable traffic, a HIGH finding.
  assert.ok(report('esp-null-gre.pcap').findings.some((f) => f.id === 'esp-null' && f.severity === 'high'));
});

test('an unreadable capture prints no report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-audit-'));
  const junk = join(dir, 'junk.pcap');
  writeFileSync(junk, 'this is not a capture file at all');
  const r = spawnSync(process.execPath, [BIN, 'audit', junk, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /junk\.pcap/);
  assert.equal(audit(['nope.pcap']).stdout, '');
});

test(
  'IS-IS, BGP, LDP and BFD inside a tunnel: adjacencies and sessions ' +
    'listed; unauthenticated ones are cleartext-routing, signed ones are not',
  () => {
    const r = report('gre-routing.pcap');
    const routing = (
      r.tunnels[0] as unknown as {
        routing: {
          isis: {
            systemId: string;
            levels: number[];
            helloIntervalSec: number;
            authenticated: boolean;
            authTypes: number[];
          }[];
          bgp: { peers: string[]; as: Record<string, number>; authentication: string }[];
          ldp: { authentication: string }[];
          bfd: { packets: number; authenticated: number };
        };
      }
    ).routing;
    assert.deepEqual(
      routing.isis.map((s) => [s.systemId, s.levels, s.helloIntervalSec, s.authenticated, s.authTypes]),
      [
        ['1921.6800.1001', [2], 10, false, []],
        ['1921.6800.1002', [2], 10, true, [54]],
        ['1921.6800.1003', [2], 10, true, [1]],
      ],
    );
    assert.deepEqual(
      routing.bgp.map((s) => [s.peers, s.as, s.authentication]),
      [
        [['10.70.0.1', '10.70.0.2'], { '10.70.0.1': 65001, '10.70.0.2': 65002 }, 'none'],
        [['10.71.0.1', '10.71.0.2'], { '10.71.0.1': 65001, '10.71.0.2': 65003 }, 'tcp-md5'],
      ],
    );
    assert.deepEqual(
      routing.ldp.map((s) => s.authentication),
      ['none'],
    );
    assert.deepEqual(routing.bfd, { packets: 1, authenticated: 0, states: ['Up'] });
    assert.deepEqual(
      r.findings.filter((f) => f.id !== 'cleartext-tunnel').map((f) => [f.id, f.message]),
      [
        [
          'cleartext-routing',
          'IS-IS L2 system 1921.6800.1001 sends 3 PDUs without authentication ' +
            'across gre 192.0.2.70 <-> 198.51.100.70 key 0x46',
        ],
        [
          'cleartext-routing',
          'BGP session between 10.70.0.1 (AS 65001) and 10.70.0.2 (AS 65002) ' +
            'without TCP-MD5 or TCP-AO across gre 192.0.2.70 <-> 198.51.100.70 key ' +
            '0x46 (2 segments)',
        ],
        [
          'cleartext-routing',
          'LDP session between 10.72.0.1 and 10.72.0.2 without TCP-MD5 or ' +
            'TCP-AO across gre 192.0.2.70 <-> 198.51.100.70 key 0x46 (1 segment)',
        ],
        [
          'routing-weak-auth',
          'IS-IS system 1921.6800.1003 authenticates with a cleartext password, ' +
            'readable in every PDU across gre 192.0.2.70 <-> 198.51.100.70 key 0x46',
        ],
      ],
    );
    assert.ok(!JSON.stringify(r).includes('secret'), 'the IS-IS password is never printed');
  },
);

test(
  'an IS-IS PDU cut short (its PDU length past the bytes there) tells ' +
    'nothing of authentication; a whole one without the TLV is cleartext-routing',
  () => {
    const r = report('isis-cut.pcap');
    assert.deepEqual(
      r.findings.filter((f) => f.id === 'cleartext-routing').map((f) => f.message),
      ['IS-IS L2 system 1921.6800.1005 sends 1 PDU without authentication across gre 192.0.2.71 <-> 198.51.100.71'],
    );
  },
);

test("tcpdump's isis-infinite-loop.pcap (fuzzed LSPs claiming 65535 bytes) raises no IS-IS cleartext-routing", {
  skip: HAVE_CORPUS ? false : NO_CORPUS,
}, () => {
  const r = spawnSync(process.execPath, [BIN, 'audit', '--json', join(CORPUS, 'tcpdump/isis-infinite-loop.pcap')], {
    encoding: 'utf8',
  });
  assert.deepEqual(
    (JSON.parse(r.stdout) as Report).findings.filter((f) => f.id === 'cleartext-routing'),
    [],
  );
});

test('AH with SPI 0 (reserved, never an SA) raises no ah-only; an AH SA with a real SPI does', () => {
  const r = report('ah-spi-zero.pcap');
  assert.deepEqual(
    r.findings.filter((f) => f.id === 'ah-only').map((f) => f.message),
    [
      '192.0.2.131 and 198.51.100.131 protect traffic with AH only on SPI ' +
        '0x00001000 (2 packets): signed, not encrypted',
    ],
  );
});

test('VXLAN, Geneve and IP in IP are tunnels too: identity (VNI, versions), role, protection and findings', () => {
  const r = report('overlays.pcap');
  assert.deepEqual(
    r.tunnels.map((t) => [t.kind, t.role, t.endpoints.join(' '), t.key, (t as { ipip?: string[] }).ipip, t.protection]),
    [
      ['vxlan', 'overlay', '192.0.2.80 198.51.100.80', 5001, undefined, 'cleartext'],
      ['vxlan', 'multicast-distribution', '192.0.2.80 239.1.1.80', 5001, undefined, 'cleartext'],
      ['geneve', 'overlay', '192.0.2.81 198.51.100.81', 77, undefined, 'cleartext'],
      ['ipip', 'point-to-point', '192.0.2.82 198.51.100.82', null, ['4in4'], 'cleartext'],
      ['ipip', 'point-to-point', '192.0.2.83 198.51.100.83', null, ['6in4'], 'cleartext'],
      ['ipip', 'point-to-point', '2001:db8:84::1 2001:db8:84::2', null, ['4in6'], 'cleartext'],
    ],
  );
  // A cleartext overlay carrying a tenant's traffic is a cleartext tunnel; what crosses it is judged as in GRE.
  assert.deepEqual(ids(r), ['cleartext-management', 'cleartext-tunnel', 'mss-too-large']);
  assert.match(r.findings.find((f) => f.message.startsWith('vxlan 192.0.2.80 <-> 198.51.100.80'))!.advice, /VTEPs/);
  assert.match(
    audit(['overlays.pcap']).stdout,
    /CLEARTEXT +ipip 192\.0\.2\.83 <-> 198\.51\.100\.83 6in4 \(point-to-point\)/,
  );
});

test(
  'GRE keys used for entropy are one tunnel with the keys noted; small ' + 'keys of separate tunnels stay separate',
  () => {
    const r = report('gre-entropy.pcap');
    assert.deepEqual(
      r.tunnels.map((t) => [
        t.kind,
        t.endpoints.join(' '),
        t.key,
        t.packets,
        (t as { entropy?: { keys: number[] } }).entropy?.keys.length,
      ]),
      [
        ['gre', '192.0.2.90 198.51.100.90', 0xabcd00, 10, 5],
        ['gretap', '192.0.2.92 198.51.100.92', 5001 << 8, 3, 3],
        ['gre', '192.0.2.91 198.51.100.91', 1, 2, undefined],
        ['gre', '192.0.2.91 198.51.100.91', 2, 2, undefined],
        ['gre', '192.0.2.91 198.51.100.91', 3, 2, undefined],
        ['gre', '192.0.2.91 198.51.100.91', 4, 2, undefined],
        ['gre', '192.0.2.91 198.51.100.91', 5, 2, undefined],
      ],
    );
    assert.equal(
      r.findings[0]!.message,
      'gre 192.0.2.90 <-> 198.51.100.90 key 0xabcd00 (entropy in the low 8 ' +
        'bits: 5 keys): 10 packets in clear carrying ipv4, udp',
    );
  },
);

test(
  'L2TPv3 cookies of 0, 4 and 8 bytes and the L2-specific sublayer are ' +
    'learnt from the session set-up, as tshark does; without a set-up the ' +
    'payload stays undissected',
  () => {
    const r = report('l2tpv3-cookies.pcap');
    // Each side's session carries the Ethernet pseudowire's frames: the cookie and sublayer were skipped right.
    assert.deepEqual(
      r.tunnels.map((t) => [t.key, t.inner]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [0x1001, 0x1002, 0x1003, 0x1004, 0x2001, 0x2002, 0x2003, 0x2004].map((k) => [k, { eth: 2, ipv4: 2, icmp: 2 }]),
    );
    const read = spawnSync(process.execPath, [BIN, '-r', join(FIXTURES, 'l2tpv3-cookies.pcap'), '--json'], {
      encoding: 'utf8',
    });
    const l2tp = read.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { layers: { protocol: string; sessionId?: number; cookie?: string }[] })
      .map((p) => p.layers.find((l) => l.protocol === 'l2tp' && l.sessionId !== undefined))
      .filter((l) => l !== undefined);
    // As tshark's l2tp.cookie reads them: none, 4 bytes each way, 8 bytes each way, 8 bytes one way and 4 the other
    // (over
    // UDP, with a sublayer).
    assert.deepEqual(
      [...new Map(l2tp.map((l) => [l!.sessionId, l!.cookie ?? null])).entries()],
      [
        [0x2001, null],
        [0x1001, null],
        [0x2002, 'b1b2b3b4'],
        [0x1002, 'a1a2a3a4'],
        [0x2003, 'd1d2d3d4d5d6d7d8'],
        [0x1003, 'c1c2c3c4c5c6c7c8'],
        [0x2004, 'f1f2f3f4f5f6f7f8'],
        [0x1004, 'e1e2e3e4'],
      ],
    );
    // The look-alike: sessions whose set-up was not captured (l2tpv3.pcap) keep their payload undissected, cookie or
    // not.
    assert.deepEqual(
      report('l2tpv3.pcap').tunnels.map((t) => t.inner),
      [{}, {}, {}],
    );
  },
);

test('L2TPv2 sessions are tunnels by tunnel and session ID, judged by their PPP; control messages are not', () => {
  const plain = report('l2tpv2-tunnels.pcap');
  const r = audit(['l2tpv2-tunnels.pcap'], ['--json', '--esp-sa', join(FIXTURES, 'l2tpv2-tunnels.esp_sa')]);
  assert.equal(r.status, 0, r.stderr);
  const keyed = JSON.parse(r.stdout) as Report;
  const rows = (x: Report) =>
    x.tunnels.map((t) => [t.kind, t.role, t.endpoints.join(' '), t.l2tp, t.packets, t.protection]);
  const expected = [
    // PPP carrying IPv4 in clear: each direction names the receiver's IDs (one message with length and Ns/Nr words).
    ['l2tpv2', 'remote-access', '192.0.2.130 198.51.100.130', { tunnelId: 11, sessionId: 21 }, 3, 'cleartext'],
    // MPPE (PPP 0x00FD after CCP): encrypted, as PPTP's.
    ['l2tpv2', 'remote-access', '192.0.2.131 198.51.100.131', { tunnelId: 31, sessionId: 41 }, 2, 'encrypted'],
    // Inside ESP with NULL encryption: signed, readable.
    ['l2tpv2', 'remote-access', '192.0.2.133 198.51.100.133', { tunnelId: 71, sessionId: 81 }, 2, 'integrity-only'],
    ['l2tpv2', 'remote-access', '192.0.2.130 198.51.100.130', { tunnelId: 10, sessionId: 20 }, 1, 'cleartext'],
    ['l2tpv2', 'remote-access', '192.0.2.131 198.51.100.131', { tunnelId: 30, sessionId: 40 }, 1, 'encrypted'],
    // LCP alone says nothing of the payload; the control messages of 192.0.2.132 make no tunnel.
    ['l2tpv2', 'remote-access', '192.0.2.132 198.51.100.132', { tunnelId: 51, sessionId: 61 }, 1, 'unknown'],
    ['l2tpv2', 'remote-access', '192.0.2.132 198.51.100.132', { tunnelId: 50, sessionId: 60 }, 1, 'unknown'],
  ];
  assert.deepEqual(rows(plain), expected);
  // L2TP/IPsec with its keys: the session read through ESP with AES-CBC is encrypted; without them it is no tunnel.
  assert.deepEqual(rows(keyed), [
    ...expected.slice(0, 3),
    ['l2tpv2', 'remote-access', '192.0.2.134 198.51.100.134', { tunnelId: 91, sessionId: 101 }, 2, 'encrypted'],
    ...expected.slice(3),
  ]);
  for (const x of [plain, keyed]) {
    const clear = x.findings.filter((f) => f.id === 'cleartext-tunnel');
    assert.deepEqual(
      clear.map((f) => f.message),
      [
        'l2tpv2 192.0.2.130 <-> 198.51.100.130 tunnel 11 session 21: 3 packets in clear carrying ppp, ipv4, icmp',
        'l2tpv2 192.0.2.130 <-> 198.51.100.130 tunnel 10 session 20: 1 packet in clear carrying ppp, ipv4, icmp',
      ],
    );
    assert.match(clear[0]!.advice, /L2TP\/IPsec, RFC 3193/);
    assert.deepEqual(ids(x), ['cleartext-tunnel', 'esp-null']);
  }
});

test('PPTP and L2TPv2 are cleartext where their PPP carries any readable packet: VJ TCP/IP, IPX, bridged', () => {
  const r = report('ppp-readable.pcap');
  assert.deepEqual(
    r.tunnels.map((t) => [t.kind, t.endpoints[0], t.l2tp ?? t.key, t.protection]),
    [
      // Van Jacobson's TCP/IP (RFC 1144): 0x002F uncompressed, then 0x002D compressed; the payload as sent.
      ['pptp', '192.0.2.135', 0x135, 'cleartext'],
      // Look-alikes: CCP then MPPE (0x00FD) is encrypted; LCP then Stac LZS (0x4021) says nothing of the payload.
      ['pptp', '192.0.2.138', 0x138, 'encrypted'],
      ['pptp', '192.0.2.139', 0x139, 'unknown'],
      ['pptp', '192.0.2.136', 0x136, 'cleartext'], // IPX (0x002B)
      ['pptp', '192.0.2.136', 0x137, 'cleartext'], // bridged Ethernet (0x0031, RFC 3518)
      ['l2tpv2', '192.0.2.137', { tunnelId: 13, sessionId: 27 }, 'cleartext'], // VJ compressed
    ],
  );
  assert.deepEqual(
    r.findings.filter((f) => f.id === 'cleartext-tunnel').map((f) => f.message.split(':')[0]),
    [
      'pptp 192.0.2.135 <-> 198.51.100.135 call 309',
      'pptp 192.0.2.136 <-> 198.51.100.136 call 310',
      'pptp 192.0.2.136 <-> 198.51.100.136 call 311',
      'l2tpv2 192.0.2.137 <-> 198.51.100.137 tunnel 13 session 27',
    ],
  );
  // The telnet segment the VJ-uncompressed packet carries is read as any in a readable tunnel.
  assert.deepEqual(ids(r), ['cleartext-management', 'cleartext-tunnel', 'pptp']);
});

test('L2TPv3 sessions over IP and UDP are tunnels by session ID; L2TPv2 control is not', () => {
  const r = report('l2tpv3.pcap');
  assert.deepEqual(
    r.tunnels.map((t) => [t.kind, t.role, t.endpoints.join(' '), t.key, t.packets, t.protection]),
    [
      ['l2tpv3', 'point-to-point', '192.0.2.95 198.51.100.95', 0x1234, 2, 'cleartext'],
      ['l2tpv3', 'point-to-point', '192.0.2.96 198.51.100.96', 0x5678, 1, 'cleartext'],
      ['l2tpv3', 'point-to-point', '192.0.2.97 198.51.100.97', 0x9abc, 1, 'cleartext'],
    ],
  );
  assert.equal(r.findings[0]!.message, 'l2tpv3 192.0.2.95 <-> 198.51.100.95 session 0x1234: 2 packets in clear');
});
