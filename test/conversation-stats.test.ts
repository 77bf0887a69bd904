import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { sizeText } from '../src/output/conversation-stats.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { agreesButWhereListed, differingText, gredumpTables, tsharkAvailable, tsharkTables } from './support/tshark.js';

const haveTshark = tsharkAvailable();
const ALL_TABLES = ['conv', 'endpoints'].flatMap((kind) =>
  ['eth', 'ip', 'ipv6', 'tcp', 'udp'].flatMap((t) => ['-z', `${kind},${t}`]),
);

/** Where the tables differ from tshark's on purpose: the capture, and why. */
const KNOWN: Record<string, string> = {
  'ndpi/fuzz-2006-09-29-28586.pcap':
    'tshark stops on two fuzzed segments before its TCP and UDP taps; they count here in their streams',
  'suricata-verify/decode-too-many-layers__input.pcap':
    'Ethernet nested past --max-depth is not read here (tshark counts each of 32 headers)',
  'tcpdump/icmp-icmp_print-oobr-2.pcap':
    'records whose wire length is under their captured bytes count those bytes (frame.len), tshark the wire length',
  'zeek/tunnels__gre-aruba-amsdu.pcap': "A-MSDU subframes are not split, so the packet inside isn't counted",
  ...Object.fromEntries(
    ['be__advanced__test102', 'be__difficult__test202', 'le__advanced__test102', 'le__difficult__test202'].map((n) => [
      `pcapng-testgen/${n}.pcapng`,
      'tshark counts blocks before the first timed packet as frames at time 0; its relative times start there',
    ]),
  ),
};

const gredump = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** The files whose tables differ from tshark's, each with the first line that differs. */
const differing = (files: string[], tables: string[]) =>
  differingText(files, async () => tables, tsharkTables, gredumpTables);

test(
  "-z conv and endpoints tables are tshark's, line for line: Ethernet, IPv4, IPv6, TCP, UDP on every fixture",
  { skip: haveTshark ? false : 'tshark is not installed' },
  () =>
    // Every header of a GRE packet counts (outer and inner IP), an ICMP error's quoted packet does not, nor an IPv6
    // fragment before its datagram is whole; a reused TCP port pair after a closed stream is a conversation of its own.
    agreesButWhereListed(FIXTURES, {}, (files) => differing(files, ALL_TABLES), 50),
);

test(
  "-z conv and endpoints tables are tshark's on the corpus (but the captures listed with why)",
  { skip: !haveTshark ? 'tshark is not installed' : HAVE_CORPUS ? false : NO_CORPUS },
  () => agreesButWhereListed(CORPUS, KNOWN, (files) => differing(files, ALL_TABLES), 200),
);

test("-z conv,TYPE,FILTER counts the frames its filter passes, as tshark's; -Y chooses what is printed, not counted", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const streams = join(FIXTURES, 'tcp-udp-streams.pcap');
  const gre = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  assert.deepEqual(
    await differing(
      [streams, gre],
      [
        ...['-z', 'conv,ip,udp', '-z', 'conv,tcp,tcp.stream == 1 || tcp.port == 179', '-z', 'conv,eth,ospf'],
        ...['-z', 'endpoints,udp,udp.port == 53', '-z', 'endpoints,ip,gre'],
      ],
    ),
    [],
  );
  const plain = gredump(['-q', '-r', streams, '-z', 'conv,ip']);
  const filtered = gredump(['-q', '-r', streams, '-Y', 'udp', '-z', 'conv,ip']);
  assert.equal(filtered.stdout, plain.stdout);
  assert.match(gredump(['-q', '-r', streams, '-z', 'conv,ip,udp']).stdout, /^Filter:udp$/m);
});

test('-z without -q prints the packets first, then the tables', () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  const lines = gredump(['-r', file]).stdout;
  const withTable = gredump(['-r', file, '-z', 'conv,ip']);
  assert.equal(withTable.status, 0, withTable.stderr);
  assert.ok(withTable.stdout.startsWith(lines), 'the packet lines come first');
  assert.match(withTable.stdout.slice(lines.length), /^=+\nIPv4 Conversations\nFilter:<No Filter>\n/);
});

test('-z and -q on a terminal print the tables, not the UI', () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" -q -r "${file}" -z conv,ip`, '/dev/null'], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, CI: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /IPv4 Conversations/);
});

test('-z refuses what it cannot make, in one line, exit 2, before reading', () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  for (const [args, said] of [
    [
      ['-z', 'conv,sctp'],
      /\(TYPE one of eth, ip, ipv6, tcp, udp\), io,phs\[,FILTER\], plen\|ip_hosts.*not "conv,sctp"/,
    ],
    [['-z', 'expert'], /-z takes conv,TYPE/],
    [['-z', 'conv,ip,ip.src =='], /-z conv,ip: /],
  ] as const) {
    const r = gredump(['-q', '-r', file, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(r.stderr.trimEnd().split('\n').length <= 3, true, r.stderr);
    assert.equal(r.stdout, '');
  }
  const live = gredump(['-q', '-i', 'lo', '-z', 'conv,ip']);
  assert.equal(live.status, 2);
  assert.match(live.stderr, /from capture files/);
  const audit = spawnSync(process.execPath, [BIN, 'audit', '-z', 'conv,ip', file], { encoding: 'utf8' });
  assert.equal(audit.status, 2);
});

test("byte counts read as tshark 4.0's format_size writes them", () => {
  assert.equal(sizeText(0), '0 bytes');
  assert.equal(sizeText(9999), '9999 bytes');
  assert.equal(sizeText(10_000), '10 kB');
  assert.equal(sizeText(99_999), '99 kB');
  assert.equal(sizeText(9_999_999), '9999 kB');
  assert.equal(sizeText(10_000_000), '10 MB');
  assert.equal(sizeText(12_345_678_901), '12 GB');
  assert.equal(sizeText(20e12), '20 TB');
});
