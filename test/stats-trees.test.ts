import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { agreesButWhereListed, differingText, gredumpTables, tsharkAvailable, tsharkTables } from './support/tshark.js';

const haveTshark = tsharkAvailable();
/** Every tree, and some with filters: all frames, a tunnel's, UDP's (printed last given first). */
const TREES = [
  'plen,tree',
  'plen,tree,gre',
  'plen,tree,udp',
  'ip_hosts,tree',
  'ip_srcdst,tree',
  'ptype,tree',
  'dests,tree',
  'ptype,tree,gre',
  'ipv6_hosts,tree',
  'ipv6_srcdst,tree',
  'ipv6_ptype,tree',
  'ipv6_dests,tree',
  'ipv6_dests,tree,udp',
].flatMap((t) => ['-z', t]);

/** Fixtures whose trees differ from tshark's, and why. */
const FIXTURES_KNOWN: Record<string, string> = {
  'ike-v2-child.pcap': "tshark's ESP-NULL heuristic takes an encrypted ESP packet for GRE (plen,tree,gre)",
};

/** Corpus captures whose trees differ from tshark's, and why. */
const CORPUS_KNOWN: Record<string, string> = {
  ...Object.fromEntries(
    ['advanced__test102', 'basic__test017', 'basic__test018', 'difficult__test202']
      .flatMap((n) => [`be__${n}`, `le__${n}`])
      .map((n) => [
        `pcapng-testgen/${n}.pcapng`,
        'tshark counts pcapng blocks of no packet as frames (of length 0 or the block, at 1970)',
      ]),
  ),
  'arkime/arkime_synthetic.pcap': "SCTP is not dissected here: tshark's ptype and dests name it, here NONE",
  'zeek/tunnels__gre-aruba-amsdu.pcap': "A-MSDU subframes are not split, so the packets inside aren't counted",
  ...Object.fromEntries(
    ['tcpdump/icmp-icmp_print-oobr-2.pcap', 'tcpdump/pim_header_asan-2.pcap'].map((f) => [
      f,
      'records whose wire length is under their captured bytes count those bytes (frame.len), tshark the wire length',
    ]),
  ),
};

const differing = (files: string[]) => differingText(files, async () => TREES, tsharkTables, gredumpTables);

test(
  "-z plen, the IPv4 and the IPv6 trees are tshark's, line for line, on every fixture",
  { skip: haveTshark ? false : 'tshark is not installed' },
  () => agreesButWhereListed(FIXTURES, FIXTURES_KNOWN, differing, 50),
);

test(
  "-z NAME,tree is tshark's on the corpus (but the captures listed with why)",
  { skip: !haveTshark ? 'tshark is not installed' : HAVE_CORPUS ? false : NO_CORPUS },
  () => agreesButWhereListed(CORPUS, CORPUS_KNOWN, differing, 200),
);

test('-z ipv6_hosts,tree counts the IPv6 header a GRE tunnel carries; ip_hosts counts its IPv4 header by it', () => {
  // gre-kinds.pcap: one GRE packet over IPv4 carries an ICMPv6 echo request from 2001:db8::1 to ff02::1.
  const r = spawnSync(
    process.execPath,
    [BIN, '-q', '-r', join(FIXTURES, 'gre-kinds.pcap'), '-z', 'ipv6_hosts,tree', '-z', 'ip_hosts,tree'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const [ipv4Tree, ipv6Tree] = r.stdout.split('IPv6 Statistics/All Addresses:') as [string, string];
  const count = (tree: string, item: string) => new RegExp(`^ ?${item} +(\\d+) `, 'm').exec(tree)?.[1];
  assert.equal(count(ipv6Tree, 'All Addresses'), '1');
  assert.equal(count(ipv6Tree, '2001:db8::1'), '1');
  assert.equal(count(ipv6Tree, 'ff02::1'), '1');
  // As tshark's ip tap sees the frame after dissection: its outer IPv4 header with the innermost addresses.
  assert.equal(count(ipv4Tree, 'ff02::1'), '1');
  assert.equal(count(ipv4Tree, '198\\.51\\.100\\.7'), undefined);
});

test('-z NAME,tree refuses a bad filter or a tree it does not make, in one line, exit 2', () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  for (const [spec, said] of [
    ['plen,tree,ip.src ==', /-z plen,tree: /],
    ['dests,tree,ip.src ==', /-z dests,tree: /],
    ['ipv6_ptype,tree,ipv6.src ==', /-z ipv6_ptype,tree: /],
    ['ip6_hosts,tree', /plen\|ip_hosts\|.*\|ipv6_dests,tree\[,FILTER\].*not "ip6_hosts,tree"/],
  ] as const) {
    const r = spawnSync(process.execPath, [BIN, '-q', '-r', file, '-z', spec], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${spec}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(r.stdout, '');
  }
});
