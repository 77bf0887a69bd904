import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { test } from 'node:test';
import { protocolCatalogue } from '../src/dissect/field-index.js';
import { eth, gre, icmpEcho, ipv4 } from './support/builder.js';
import { pcapFile } from './support/hostile.js';
import { BIN, capturesUnder, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { gredumpTables, tsharkAvailable, tsharkTables } from './support/tshark.js';

const haveTshark = tsharkAvailable();

const EXCEPTIONS_DIFFER =
  "tshark's exception falls where its dissector reads past the bytes, `_ws.malformed` here where a length check " +
  'fails (VJ: tshark draws expert lines where it cannot decompress)';

/**
 * Fixtures whose tree differs from tshark's in its `data` and exception items (`_ws.malformed`, `_ws.short`), and
 * why; their protocols, frames and bytes are compared as the corpus's are.
 */
const FIXTURES_KNOWN: Record<string, string> = {
  ...Object.fromEntries(
    ['eigrp-tlvs', 'isis-cut', 'l2tp-control', 'ospf-odd', 'pim-hellos', 'ppp-options', 'ppp-vj-bcp'].map((f) => [
      `${f}.pcap`,
      EXCEPTIONS_DIFFER,
    ]),
  ),
  'l2tpv3.pcap': "L2TPv3's payload with no pseudowire type: tshark's is `data`, here none",
  'tcp-analysis.pcap':
    'tshark hands the payload of a segment its SEQ/ACK analysis takes for a retransmission or one out of order to ' +
    'no protocol: `data` here',
  'ppp-readable.pcap':
    "the IPX message and PPP's compressed datagram tshark reads (ipxmsg, comp_data) end in data here",
  'wlan-aruba.pcap': "an 802.11 management frame's body (tshark's wlan.mgt) is no `data` here",
};

/** Fixtures whose protocols differ from tshark's even without `data` and exception items, and why. */
const FIXTURES_DIFFER: Record<string, string> = {
  'ppp-control.pcap': `${EXCEPTIONS_DIFFER}; tshark's LCP throws before its item`,
  'llc-stp.pcap': "a BPDU sent to GVRP's address: tshark's STP hands it to GVRP, whose exception leaves no stp item",
  'pptp-control.pcap': "tshark's stream analysis takes a PPTP message for a retransmission: it hands it to none",
  'tcpdump-pptp.pcap': "tshark's stream analysis takes two PPTP messages for retransmissions: it hands them to none",
  'ike-v2-child.pcap': "tshark's ESP-NULL heuristic takes an encrypted ESP packet for GRE, malformed",
  'ipx-gre.pcap': "tshark's tree of a malformed IPX packet starts with its frame item (frame, eth, ip, gre)",
  'bgp.pcap':
    'a BGP message split over two segments: tshark reassembles it (no bgp item in the first segment, the message ' +
    'and tcp.segments in the second); without TCP reassembly gredump reads what each segment holds',
};

/** Corpus captures whose protocols differ from tshark's even without `data` and exception items, and why. */
const CORPUS_KNOWN: Record<string, string> = {
  ...Object.fromEntries(
    ['arkime/wireshark-esp.pcap', 'zeek/ip6_esp.pcap', 'ndpi/ipsec_isakmp_esp.pcap'].map((f) => [
      f,
      "tshark's ESP-NULL heuristic takes encrypted ESP packets for NULL-encrypted ones (ICMP, OSI, AH)",
    ]),
  ),
  ...Object.fromEntries(
    ['ndpi/pptp.pcap', 'tcpdump/pptp.pcap', 'ndpi/fuzz-2006-09-29-28586.pcap'].map((f) => [
      f,
      "tshark's TCP stream analysis takes segments for retransmissions (or gives up on fuzzed ones) and hands their " +
        'payload to no protocol',
    ]),
  ),
  ...Object.fromEntries(
    ['be__basic__test009', 'le__basic__test009'].map((n) => [
      `pcapng-testgen/${n}.pcapng`,
      'tshark counts a pcapng block of no packet as a frame of `data` (and packet comments as pkt_comment)',
    ]),
  ),
  ...Object.fromEntries(
    [
      'suricata-verify/igmp__igmp-v1-v2-rgmp-01__wireshark-wiki-IGMP-dataset.pcap',
      'tcpdump/PIM-SM_join_prune.pcap',
      'tcpdump/mrinfo_query.pcap',
      'tcpdump/relts-0x80000000.pcap',
      'tcpdump/hoobr_pimv1.pcap',
    ].map((f) => [f, "IGMP's DVMRP, PIMv1 and RGMP messages: tshark's IGMP hands them on with no item of its own"]),
  ),
  ...Object.fromEntries(
    [
      'zeek/trunc__ipv4-truncated-broken-header.pcap',
      'zeek/trunc__mpls-6in6-6in6-4in6-trunc.pcap',
      'zeek/trunc__mpls-6in6-broken.pcap',
      'zeek/tunnels__mpls-6in6-6in6-4in6-invalid-version-4.pcap',
      'zeek/tunnels__mpls-6in6-6in6-invalid-version-6.pcap',
      'tcpdump/vrrp-vrrp_print-oobr-2.pcap',
      'tcpdump/vrrp-vrrp_print-oobr.pcap',
      'tcpdump/gre-heapoverflow-1.pcap',
      'ndpi/fuzz-2020-02-16-11740.pcap',
    ].map((f) => [
      f,
      'an IP header of the wrong version or cut short: tshark draws an item of the protocol it was handed to, here ' +
        'it is data (and fuzzed VRRP, IPv4 protocol 0 read apart)',
    ]),
  ),
  ...Object.fromEntries(
    [
      'tcpdump/isakmp-3948-oobr-2.pcap',
      'tcpdump/isakmp-rfc3948-oobr.pcap',
      'tcpdump/isakmp-pointer-loop.pcap',
      'suricata-verify/ikev2-weak-dh__IKEv2_SA_INIT_2-8-weak.pcap',
    ].map((f) => [
      f,
      'port 4500/500 payloads tshark leaves as data (a cut NAT-T marker, an ISAKMP header it refuses) or a raw IP ' +
        'link it names (raw)',
    ]),
  ),
  'suricata-verify/decode-dce__input.pcap':
    "tshark's FabricPath takes the outer Ethernet header as its own (no eth item before cfp)",
  'suricata-verify/decode-too-many-layers__input.pcap':
    'Ethernet nested past --max-depth is not read here (tshark reads each of 32 headers)',
  'tcpdump/erspan-type-iii-pb-1.pcap': "a raw IP link type: tshark's item for it is `raw`, then data",
  'tcpdump/icmp-icmp_print-oobr-2.pcap':
    'records whose wire length is under their captured bytes count those bytes (frame.len), tshark the wire length',
  'zeek/linux_dlt_sll2.pcap': 'RARP (EtherType 0x8035) is not dissected; Wireshark dissects it as ARP',
};

interface PhsNode {
  name: string;
  frames: number;
  bytes: number;
  children: PhsNode[];
}

/** The tree of `-z io,phs` text: two spaces a level, `...` past 16 levels. */
function parse(text: string): PhsNode {
  const root: PhsNode = { name: '', frames: 0, bytes: 0, children: [] };
  const path = [root];
  for (const line of text.split('\n')) {
    const m = /^( *)(\.\.\.)?(\S+) +frames:(\d+) bytes:(\d+)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 2 + (m[2] ? 1 : 0);
    const node = { name: m[3]!, frames: Number(m[4]), bytes: Number(m[5]), children: [] };
    path[depth]!.children.push(node);
    path[depth + 1] = node;
  }
  return root;
}

/**
 * tshark's tree as gredump can draw it: a protocol gredump does not read (`readHere` false) is `data`, with what
 * tshark read in it; so is an exception tshark met in a TCP or UDP payload (its protocol's, `dns`: `_ws.malformed`).
 * `loose`: without `data` and exception items at all, where the two differ on purpose (a payload tshark's TCP
 * analysis hands to none, an exception where tshark's dissector reads past the bytes).
 */
function comparable(n: PhsNode, loose: boolean, readHere: (name: string) => boolean): PhsNode {
  const children: PhsNode[] = [];
  for (const c of n.children) {
    const payloadException = (n.name === 'tcp' || n.name === 'udp') && c.name.startsWith('_ws.');
    const asData = !readHere(c.name) || payloadException;
    const name = asData ? 'data' : c.name;
    if (loose && (name === 'data' || name.startsWith('_ws.'))) continue;
    const same = children.find((o) => o.name === name);
    if (asData && same && same.children.length === 0) {
      same.frames += c.frames;
      same.bytes += c.bytes;
    } else children.push(asData ? { ...c, name, children: [] } : comparable(c, loose, readHere));
  }
  return { ...n, children };
}

const lines = (n: PhsNode, depth = 0, out: string[] = []): string[] => {
  for (const c of n.children) {
    out.push(`${'  '.repeat(depth)}${c.name} frames:${c.frames} bytes:${c.bytes}`);
    lines(c, depth + 1, out);
  }
  return out;
};

/**
 * What gredump reads: the protocols with declared fields and every item its trees showed in this run (PPP's `lcp`,
 * IS-IS's `isis.hello`), the listed captures' after all the others.
 */
const shown = new Set(['data', ...protocolCatalogue().keys()]);
const learn = (n: PhsNode): void => {
  for (const c of n.children) {
    shown.add(c.name);
    learn(c);
  }
};

/** The files whose trees differ from tshark's, with the first line that differs. */
async function differing(files: string[], loose: boolean, args = ['-z', 'io,phs']): Promise<string[]> {
  const runs: [string, string, string][] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      runs.push([f, ...(await Promise.all([tsharkTables(f, args), gredumpTables(f, args)]))]);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const [, , o] of runs) learn(parse(o));
  const readHere = (name: string) => shown.has(name);
  const out: string[] = [];
  for (const [f, t, o] of runs.sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (t === o) continue;
    const a = lines(comparable(parse(t), loose, readHere));
    const b = lines(comparable(parse(o), loose, readHere));
    if (!loose && !o.startsWith(t.slice(0, t.indexOf('\n\n', 2) + 2))) out.push(`${f}: the heading differs`);
    const i = a.findIndex((line, k) => line !== b[k]);
    const at = i >= 0 ? i : Math.min(a.length, b.length);
    if (i >= 0 || a.length !== b.length)
      out.push(`${f}: tshark ${JSON.stringify(a[at] ?? null)}, gredump ${JSON.stringify(b[at] ?? null)}`);
  }
  return out;
}

const fixtures = capturesUnder(FIXTURES);

test("-z io,phs is tshark's protocol hierarchy, line for line, on every fixture but those listed with why", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const listed = (f: string) => basename(f) in FIXTURES_KNOWN || basename(f) in FIXTURES_DIFFER;
  const strict = fixtures.filter((f) => !listed(f));
  assert.ok(strict.length > 50, `${strict.length} fixtures`);
  // Where tshark names a protocol not read here (DNS, SSH), gredump says data, and the two are compared so.
  assert.deepEqual(await differing(strict, false), []);
  // Where it names none, byte for byte.
  for (const name of [
    'gre-kinds.pcap',
    'gretap-mirror.pcap',
    'dmvpn.pcap',
    'gre-over-ipsec.pcap',
    'ipsec-tunnel-mode.pcap',
    'ospfv3-esp-null.pcap',
    'isis-tlvs.pcap',
    'wlan-qos.pcap',
  ]) {
    const file = join(FIXTURES, name);
    assert.equal(await gredumpTables(file, ['-z', 'io,phs']), await tsharkTables(file, ['-z', 'io,phs']), name);
  }
  const known = Object.keys(FIXTURES_KNOWN).map((f) => join(FIXTURES, f));
  assert.deepEqual(await differing(known, true), []);
  // The listed ones do differ: each reason still holds.
  for (const name of Object.keys(FIXTURES_KNOWN))
    assert.equal((await differing([join(FIXTURES, name)], false)).length, 1, `${name}: ${FIXTURES_KNOWN[name]}`);
  for (const name of Object.keys(FIXTURES_DIFFER))
    assert.equal((await differing([join(FIXTURES, name)], true)).length, 1, `${name}: ${FIXTURES_DIFFER[name]}`);
});

test("-z io,phs has tshark's protocols, frames and bytes on the corpus (but the captures listed with why)", {
  skip: !haveTshark ? 'tshark is not installed' : HAVE_CORPUS ? false : NO_CORPUS,
}, async () => {
  const files = capturesUnder(CORPUS).filter((f) => !(relative(CORPUS, f) in CORPUS_KNOWN));
  assert.ok(files.length > 200, `${files.length} captures`);
  assert.deepEqual(await differing(files, true), []);
  for (const name of Object.keys(CORPUS_KNOWN))
    if (existsSync(join(CORPUS, name)))
      assert.equal((await differing([join(CORPUS, name)], true)).length, 1, `${name}: ${CORPUS_KNOWN[name]}`);
});

test("-z io,phs,FILTER counts the frames its filter passes; past 16 levels tshark's `...`; -Y counts nothing", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-phs-'));
  try {
    // Eight GRE tunnels one in another: the ICMP inside is 18 levels down.
    let packet = ipv4(icmpEcho({ request: true, id: 1, seq: 1 }), { src: '10.0.0.1', dst: '10.0.0.2', proto: 1 });
    for (let i = 0; i < 8; i++)
      packet = ipv4(gre(packet, { protocolType: 0x0800 }), { src: '192.0.2.1', dst: '192.0.2.2', proto: 47 });
    const nested = join(dir, 'nested.pcap');
    writeFileSync(nested, pcapFile([eth(packet, { type: 0x0800 })]));
    const deep = await gredumpTables(nested, ['-z', 'io,phs']);
    assert.match(deep, /^ {32}\.\.\.icmp +frames:1 bytes:\d+$/m);
    assert.deepEqual(await differing([nested], false), []);
    const streams = join(FIXTURES, 'tcp-udp-streams.pcap');
    const gre0 = join(FIXTURES, 'gre-ospf-cleartext.pcap');
    for (const filter of ['io,phs,gre', 'io,phs,udp.port == 53 || tcp', 'io,phs,'])
      assert.deepEqual(await differing([streams, gre0], false, ['-z', filter]), [], filter);
    assert.match(await gredumpTables(streams, ['-z', 'io,phs,udp']), /^Filter: udp$/m);
    // As tshark's: -Y chooses the packets printed, not those counted.
    const all = await gredumpTables(streams, ['-z', 'io,phs']);
    assert.equal(await gredumpTables(streams, ['-Y', 'udp', '-z', 'io,phs']), all);
    assert.deepEqual(await differing([streams], false, ['-Y', 'udp', '-z', 'io,phs']), []);
    // With conversation tables too, the tables print last given first, as tshark's.
    const kinds = join(FIXTURES, 'gre-kinds.pcap');
    const both = ['-z', 'io,phs', '-z', 'conv,ip'];
    assert.equal(await gredumpTables(kinds, both), await tsharkTables(kinds, both));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-z io,phs refuses a bad filter or a look-alike name, in one line, exit 2', () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  for (const [spec, said] of [
    ['io,phs,ip.src ==', /-z io,phs: /],
    ['io,phsx', /-z takes conv,TYPE.*io,phs\[,FILTER\], plen\|ip_hosts.*not "io,phsx"/],
  ] as const) {
    const r = spawnSync(process.execPath, [BIN, '-q', '-r', file, '-z', spec], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${spec}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(r.stdout, '');
  }
});
