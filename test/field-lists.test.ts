import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bytesOf, concat, eth, igmpV3TwoRecords, ip4, ipv4, mplsEntry, udp } from './support/builder.js';
import { pcapFile } from './support/hostile.js';
import { BIN, FIXTURES } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

/**
 * Declared lists (src/dissect/field-list.ts): a repeated record declared
 * once drives -T fields (one occurrence per record), -Y (any/all, count(),
 * the layer operator), the -V tree (a subtree per record) and the JSON
 * (a list of objects). Each structure is checked both ways, and against
 * tshark where it is installed.
 */
const dir = mkdtempSync(join(tmpdir(), 'gredump-lists-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const gredump = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const tshark = (args: string[]) => spawnSync('tshark', args, { encoding: 'utf8' });
const haveTshark = tsharkAvailable();

function capture(name: string, frames: Uint8Array[]): string {
  const file = join(dir, name);
  writeFileSync(file, pcapFile(frames));
  return file;
}
const frames = (file: string, filter: string) =>
  gredump(['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number']).stdout.trim().split('\n').filter(Boolean);
// gredump always looks for NULL-encrypted ESP (dmvpn.pcap's last frames); tshark does when asked.
const ESP_NULL = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE'];
const tsharkFrames = (file: string, filter: string) =>
  tshark(['-r', file, ...ESP_NULL, '-Y', filter, '-T', 'fields', '-e', 'frame.number'])
    .stdout.trim()
    .split('\n')
    .filter(Boolean);
const columns = (file: string, names: string[]) =>
  gredump(['-r', file, '-T', 'fields', '-E', 'occurrence=a', ...names.flatMap((n) => ['-e', n])]).stdout;
const tsharkColumns = (file: string, names: string[]) =>
  tshark(['-r', file, '-T', 'fields', '-E', 'occurrence=a', ...names.flatMap((n) => ['-e', n])]).stdout;

const inner = () =>
  ipv4(udp(bytesOf('hello'), { srcPort: 1000, dstPort: 2000 }), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 });
const entry = mplsEntry;

/** Stacks of three and two labels, one explicit null, and one cut before its bottom. */
const MPLS_STACKS = [
  eth(concat(entry(100, 1, false, 64), entry(200, 2, false, 63), entry(300, 5, true, 62), inner()), { type: 0x8847 }),
  eth(concat(entry(16, 0, false, 255), entry(17, 0, true, 254), inner()), { type: 0x8847 }),
  eth(concat(entry(0, 0, true, 9), inner()), { type: 0x8847 }),
  eth(concat(entry(1, 0, false, 9), entry(2, 0, false, 8)), { type: 0x8847 }),
];
const MPLS_FIELDS = ['mpls.label', 'mpls.exp', 'mpls.bottom', 'mpls.ttl'];

test('MPLS: a label stack is a declared list of entries, all in one layer as in tshark', () => {
  const file = capture('mpls.pcap', MPLS_STACKS);
  assert.equal(
    columns(file, MPLS_FIELDS),
    '100,200,300\t1,2,5\t0,0,1\t64,63,62\n16,17\t0,0\t0,1\t255,254\n0\t0\t1\t9\n1,2\t0,0\t0,0\t9,8\n',
  );
  // count() counts entries (each is a protocol item of its own); #2 would be a second stack, which none has.
  assert.deepEqual(frames(file, 'count(mpls) == 3'), ['1']);
  assert.deepEqual(frames(file, 'count(mpls) == 2'), ['2', '4']);
  assert.deepEqual(frames(file, 'count(mpls.label) == 1'), ['3']);
  assert.deepEqual(frames(file, 'mpls.label#1 == 300'), ['1']);
  assert.deepEqual(frames(file, 'mpls.label#2 == 200'), []);
  assert.deepEqual(frames(file, 'all mpls.ttl > 62'), ['2']);
  assert.deepEqual(frames(file, 'mpls.label != 100'), ['2', '3', '4']);
  assert.deepEqual(frames(file, 'mpls.bottom == 1 && mpls.label == 17'), ['2']);
  // -V: each entry as its own item, with its fields under it.
  const tree = gredump(['-r', file, '-c', '1', '-V', '-O', 'mpls']).stdout.split('\n');
  const at = tree.indexOf('MultiProtocol Label Switching Header, Label: 200, Exp: 2, S: 0, TTL: 63');
  assert.ok(at > 0, tree.join('\n'));
  // The label's hex is as wide as its 20 bits, as tshark -V writes it.
  assert.equal(tree[at + 1], '    0000 0000 0000 1100 1000 .... .... .... = MPLS Label: 200 (0x000c8)');
  assert.equal(tree[at + 2], '    .... .... .... .... .... 010. .... .... = MPLS Experimental Bits: 2');
  assert.equal(tree[at + 4], '    .... .... .... .... .... .... 0011 1111 = MPLS TTL: 63');
  // The JSON's labels come from the same declaration.
  const json = JSON.parse(gredump(['-r', file, '-c', '1', '--json']).stdout.split('\n')[0]!);
  const mpls = json.layers.find((l: { protocol: string }) => l.protocol === 'mpls');
  assert.deepEqual(mpls.labels, [
    { label: 100, exp: 1, bos: false, ttl: 64 },
    { label: 200, exp: 2, bos: false, ttl: 63 },
    { label: 300, exp: 5, bos: true, ttl: 62 },
  ]);
});

test('MPLS label stacks: fields and filters as tshark has them', {
  skip: haveTshark ? false : 'tshark is not installed (apt-get install tshark)',
}, () => {
  const file = capture('mpls-tshark.pcap', MPLS_STACKS);
  assert.equal(columns(file, MPLS_FIELDS), tsharkColumns(file, MPLS_FIELDS));
  for (const f of [
    'count(mpls) == 3',
    'count(mpls) == 2',
    'mpls.label#1 == 300',
    'mpls.label#2 == 200',
    'all mpls.ttl > 62',
  ])
    assert.deepEqual(frames(file, f), tsharkFrames(file, f), f);
});

/** An IGMPv3 report of two records (sources, aux data), and a v2 report of a group none of them has. */
const IGMP = [
  igmpV3TwoRecords(),
  eth(
    ipv4(concat(Uint8Array.of(0x16, 0, 0xfa, 0xf8), ip4('239.2.2.3')), { src: '10.0.0.9', dst: '239.2.2.3', proto: 2 }),
    {
      type: 0x0800,
    },
  ),
];
const IGMP_FIELDS = [
  'igmp.num_grp_recs',
  'igmp.record_type',
  'igmp.aux_data_len',
  'igmp.num_src',
  'igmp.maddr',
  'igmp.saddr',
];

test('IGMPv3: group records are a declared list; a v2 group is the same field outside them', () => {
  const file = capture('igmp.pcap', IGMP);
  assert.equal(
    columns(file, IGMP_FIELDS),
    '2\t1,2\t0,1\t2,1\t239.1.1.1,239.2.2.2\t10.1.1.1,10.1.1.2,10.2.2.2\n\t\t\t\t239.2.2.3\t\n',
  );
  assert.deepEqual(frames(file, 'igmp.saddr == 10.2.2.2'), ['1']);
  assert.deepEqual(frames(file, 'count(igmp.record_type) == 2'), ['1']);
  assert.deepEqual(frames(file, 'igmp.maddr == 239.2.2.3'), ['2']);
  assert.deepEqual(frames(file, 'igmp.maddr == 239.2.2.2'), ['1']);
  assert.deepEqual(frames(file, 'all igmp.maddr == 239.1.1.1'), []);
  assert.deepEqual(frames(file, 'igmp.aux_data_len#1 == 1'), ['1']);
  const tree = gredump(['-r', file, '-c', '1', '-V', '-O', 'igmp']).stdout.split('\n');
  const at = tree.indexOf('    Group Record : 239.2.2.2  Mode Is Exclude');
  assert.ok(at > 0, tree.join('\n'));
  assert.deepEqual(tree.slice(at + 1, at + 6), [
    '        Record Type: Mode Is Exclude (2)',
    '        Aux Data Len: 1',
    '        Num Src: 1',
    '        Multicast Address: 239.2.2.2',
    '        Source Address: 10.2.2.2',
  ]);
});

test('IGMPv3 group records: fields and filters as tshark has them', {
  skip: haveTshark ? false : 'tshark is not installed (apt-get install tshark)',
}, () => {
  const file = capture('igmp-tshark.pcap', IGMP);
  assert.equal(columns(file, IGMP_FIELDS), tsharkColumns(file, IGMP_FIELDS));
  for (const f of [
    'igmp.saddr == 10.2.2.2',
    'count(igmp.record_type) == 2',
    'igmp.maddr == 239.2.2.3',
    'all igmp.maddr == 239.1.1.1',
  ])
    assert.deepEqual(frames(file, f), tsharkFrames(file, f), f);
});

/**
 * dmvpn.pcap: registrations and resolutions with CIEs in the mandatory part
 * (two in frames 13, 21 and 35), frames 5 and 6 with one more in a Cisco
 * NAT extension.
 */
const DMVPN = join(FIXTURES, 'dmvpn.pcap');

test('NHRP: CIEs (in the mandatory part and in extensions) and extensions are declared lists', () => {
  assert.deepEqual(frames(DMVPN, 'count(nhrp.code) == 2'), ['5', '6', '13', '21', '35']);
  assert.deepEqual(frames(DMVPN, 'nhrp.client.nbma.addr == 192.0.2.1 && frame.number < 10'), ['5']);
  assert.deepEqual(frames(DMVPN, 'nhrp.ext.type == 0x0009'), ['5', '6', '22', '35']);
  assert.deepEqual(frames(DMVPN, 'nhrp.ext.c == 0 && frame.number < 5'), []);
  assert.deepEqual(frames(DMVPN, 'count(nhrp.ext.type) == 4 && frame.number < 5'), ['1', '2', '3', '4']);
  // -V: a CIE of an extension is a subtree of that extension's.
  const tree = gredump(['-r', DMVPN, '-c', '5', '-V', '-O', 'nhrp']).stdout.split('\n');
  const nat = tree.lastIndexOf('    Cisco NAT Address Extension');
  assert.ok(nat > 0, tree.join('\n'));
  assert.equal(tree[nat + 4], '        Client Information Entry');
  assert.equal(tree[nat + 18], '            Client NBMA Address: 192.0.2.1');
  assert.equal(tree[nat + 20], '    End of Extension');
  // The JSON's CIEs and extensions come from the same declarations.
  const json = JSON.parse(gredump(['-r', DMVPN, '-c', '5', '--json']).stdout.trim().split('\n')[4]!);
  const nhrp = json.layers.find((l: { protocol: string }) => l.protocol === 'nhrp');
  assert.deepEqual(nhrp.cies, [{ code: 0, prefixLength: 32, mtu: 1514, holdingTime: 7200 }]);
  assert.deepEqual(nhrp.extensions[3], {
    type: 9,
    compulsory: false,
    length: 20,
    cies: [{ code: 0, prefixLength: 32, mtu: 1514, holdingTime: 0, nbma: '192.0.2.1', proto: '172.16.1.1' }],
  });
});

test('NHRP lists: filters as tshark has them', {
  skip: haveTshark ? false : 'tshark is not installed (apt-get install tshark)',
}, () => {
  for (const f of [
    'count(nhrp.code) == 2',
    'nhrp.client.nbma.addr == 192.0.2.1',
    'nhrp.ext.type == 0x0009',
    'all nhrp.code == 0',
    'count(nhrp.ext.type) == 4',
  ])
    assert.deepEqual(frames(DMVPN, f), tsharkFrames(DMVPN, f), f);
});

/** gre-routing.pcap: IS-IS hellos in GRE, every third without an authentication TLV (HMAC-MD5, then a password). */
const ROUTING = join(FIXTURES, 'gre-routing.pcap');

test('IS-IS: TLVs are a declared list, their fields named by the PDU kind as in Wireshark', () => {
  assert.deepEqual(frames(ROUTING, 'isis.hello.clv.type == 10'), ['2', '3', '5', '6', '8', '9']);
  assert.deepEqual(frames(ROUTING, 'count(isis.hello.clv.type) == 3'), ['1', '4', '7']);
  assert.deepEqual(frames(ROUTING, 'isis.hello.clv_authentication == "secret"'), ['3', '6', '9']);
  assert.deepEqual(frames(ROUTING, 'isis.lsp.clv.type'), []);
  const tree = gredump(['-r', ROUTING, '-c', '2', '-V', '-O', 'isis']).stdout.trimEnd().split('\n');
  // The HMAC-MD5 digest as tshark 4.0 writes it.
  assert.deepEqual(tree.slice(-4), [
    '    Authentication (t=10, l=17)',
    '        Type: 10',
    '        Length: 17',
    '        hmac-md5 (54), message digest (length 16) = 00000000000000000000000000000000',
  ]);
});

test('IS-IS TLVs: filters as tshark has them', {
  skip: haveTshark ? false : 'tshark is not installed (apt-get install tshark)',
}, () => {
  for (const f of [
    'isis.hello.clv.type == 10',
    'count(isis.hello.clv.type) == 3',
    'isis.hello.clv_authentication == "secret"',
    'all isis.hello.clv.length < 5',
  ])
    assert.deepEqual(frames(ROUTING, f), tsharkFrames(ROUTING, f), f);
});
