import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { eth, icmpEcho, ipv4 } from './support/builder.js';
import { pcapFile } from './support/hostile.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { agreesButWhereListed, differingText, gredumpTables, tsharkAvailable, tsharkTables } from './support/tshark.js';

const exec = promisify(execFile);
const haveTshark = tsharkAvailable();

/**
 * Tables of every kind in one run (tshark prints them last given first): frames and bytes by interval, a filter per
 * column, FRAMES() and BYTES(), and each calculation on integers and on relative times. tshark 4.0 reads a
 * calculation's field only where the column's filter names it, so these do (see the test of that below).
 */
const INTERVAL_TABLES = [
  'io,stat,1',
  'io,stat,0.1,gre,esp,ip.proto == 47',
  'io,stat,1.0,FRAMES()gre,BYTES()ip,COUNT(ip.len)ip.len,SUM(frame.len)frame.len,MIN(frame.len)frame.len',
  'io,stat,0.25,MAX(ip.ttl)ip.ttl,AVG(frame.len)frame.len,AVG(frame.time_delta)frame.time_delta',
  'io,stat,10,MIN(frame.time_delta)frame.time_delta,MAX(frame.time_delta)frame.time_delta,udp',
].flatMap((t) => ['-z', t]);
/** For a capture that spans days (tshark would print a row for every tenth of a second): the whole capture. */
const WHOLE_CAPTURE_TABLES = [
  'io,stat,0',
  'io,stat,0,gre,FRAMES()esp,SUM(frame.len)frame.len,AVG(frame.time_delta)frame.time_delta',
].flatMap((t) => ['-z', t]);
/** Spans past this are read with WHOLE_CAPTURE_TABLES. */
const LONGEST_SPAN_S = 3600;

/** Fixtures whose tables differ from tshark's, and why. */
const FIXTURES_KNOWN: Record<string, string> = {
  'ike-v2-child.pcap': "tshark's ESP-NULL heuristic takes an encrypted ESP packet for GRE",
  'tcp-udp-streams.pcap':
    'a frame earlier than the one before it: tshark takes its negative frame.time_delta for a huge number ' +
    '(MAX 1266874885.209552 s, MIN passing it by); here it is -4.5 s',
};

/**
 * pcapng files with blocks before their first timed packet: tshark counts them as frames at 1970, so its intervals
 * would span 42 years (it runs out of memory printing a row for each); compared with the whole-capture tables.
 */
const COUNTED_FROM_1970 = [
  'be__advanced__test102',
  'be__difficult__test202',
  'le__advanced__test102',
  'le__difficult__test202',
].map((n) => `pcapng-testgen/${n}.pcapng`);

/** Where gredump's tables differ from tshark's on purpose: the capture, and why. */
const CORPUS_KNOWN: Record<string, string> = {
  ...Object.fromEntries(
    COUNTED_FROM_1970.map((f) => [f, "tshark's capture starts in 1970 (a block before the first timed packet)"]),
  ),
  ...Object.fromEntries(
    ['be__basic__test018', 'le__basic__test018'].map((n) => [
      `pcapng-testgen/${n}.pcapng`,
      'tshark counts pcapng blocks of no packet as frames (their bytes in SUM(frame.len))',
    ]),
  ),
  ...Object.fromEntries(
    [
      'tcpdump/gre-heapoverflow-1.pcap',
      'ndpi/fuzz-2020-02-16-11740.pcap',
      'ndpi/fuzz-2006-09-29-28586.pcap',
      'zeek/trunc__mpls-6in6-broken.pcap',
    ].map((f) => [
      f,
      "an IP header of the wrong version or cut short: tshark's filter `ip` passes it, here it is data",
    ]),
  ),
  ...Object.fromEntries(
    [
      'arkime/arkime_synthetic.pcap',
      'ndpi/ipsec_isakmp_esp.pcap',
      'tcpdump/isakmp-various-oobr.pcap',
      'tcpdump/l2tp-avp-overflow.pcap',
      'tcpdump/pim_header_asan-2.pcap',
      'tcpdump/icmp-icmp_print-oobr-2.pcap',
      'tcpdump/vrrp-vrrp_print-oobr.pcap',
    ].map((f) => [
      f,
      'frames earlier than the one before them: tshark takes a negative frame.time_delta for a huge number (its ' +
        'MIN passes it by, its MAX and AVG print wrapped values, its columns widen); here it is negative (and, in ' +
        'two, records shorter on the wire than captured count their captured bytes)',
    ]),
  ),
};

/** The span of a capture in seconds, from its frames' relative times. */
async function spanOf(file: string): Promise<number> {
  const times = await exec(process.execPath, [BIN, '-r', file, '-T', 'fields', '-e', 'frame.time_relative'], {
    maxBuffer: 64 << 20,
  });
  return Math.max(0, ...times.stdout.split('\n').filter(Boolean).map(Number));
}

/** The files whose tables differ from tshark's, each with the first line that differs. */
const differing = (files: string[], args: (file: string) => Promise<string[]>) =>
  differingText(files, args, tsharkTables, gredumpTables);

const tablesFor = async (file: string) =>
  COUNTED_FROM_1970.includes(relative(CORPUS, file)) || (await spanOf(file)) > LONGEST_SPAN_S
    ? WHOLE_CAPTURE_TABLES
    : INTERVAL_TABLES;

test(
  "-z io,stat is tshark's, line for line, on every fixture: intervals, filters, FRAMES, BYTES, COUNT, SUM...",
  { skip: haveTshark ? false : 'tshark is not installed' },
  () => agreesButWhereListed(FIXTURES, FIXTURES_KNOWN, (files) => differing(files, tablesFor), 50),
);

test(
  "-z io,stat is tshark's on the corpus (but the captures listed with why)",
  { skip: !haveTshark ? 'tshark is not installed' : HAVE_CORPUS ? false : NO_CORPUS },
  () => agreesButWhereListed(CORPUS, CORPUS_KNOWN, (files) => differing(files, tablesFor), 200),
);

test("-z io,stat names its intervals by tshark's -t: a, ad, adoy, u (its header as tshark's), ud, udoy, r", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // A zone with a date line inside the captures' day, and one on UTC.
  for (const TZ of ['America/New_York', 'Asia/Kolkata'])
    for (const t of ['a', 'ad', 'adoy', 'u', 'ud', 'udoy', 'r'])
      for (const name of ['gre-ospf-cleartext.pcap', 'dmvpn.pcap', 'ah-spi-zero.pcap']) {
        const file = join(FIXTURES, name);
        // No frame counted (ah-spi-zero has no GRE): tshark tells the times from 1970.
        const args = ['-t', t, '-z', 'io,stat,1,gre', '-z', 'io,stat,0.5,frame.number >= 3'];
        const env = { ...process.env, TZ };
        assert.equal(
          await gredumpTables(file, args, env),
          await tsharkTables(file, args, env),
          `${name} -t ${t} TZ=${TZ}`,
        );
      }
});

test('a calculation reads its field whether or not the filter names it (tshark 4.0 prints 0 there)', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  const body = (text: string) => text.slice(text.indexOf('|-'));
  const named = await tsharkTables(file, [
    '-z',
    'io,stat,1,COUNT(ip.ttl)ip.ttl,SUM(ip.len)ip.len,MAX(gre.proto)gre.proto',
  ]);
  const unnamed = ['-z', 'io,stat,1,COUNT(ip.ttl)ip,SUM(ip.len),MAX(gre.proto)gre'];
  assert.equal(body(await gredumpTables(file, unnamed)), body(named));
  // tshark's manual: the field "MUST be part of the filter string or the calculation will fail".
  assert.match(await tsharkTables(file, unnamed), /^\| {2}3 <> 4 {2}\| {5}0 \| {3}0 \| {3}0 \|$/m);
  assert.match(await gredumpTables(file, unnamed), /^\| {2}3 <> 4 {2}\| {4}32 \| 2266 \| 2048 \|$/m);
});

test('a comma inside a filter belongs to it (tshark 4.0 splits there); -Y chooses what is printed, not counted', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const file = join(FIXTURES, 'dmvpn.pcap');
  const rows = (text: string) => text.slice(text.indexOf('|-'));
  // tshark 4.0 reads no set here (it splits the column at its comma); gredump reads it, as newer tsharks.
  const withCommas = await gredumpTables(file, ['-z', 'io,stat,1,ip.proto in {47, 50},udp.port in {500, 4500}']);
  assert.match(withCommas, /^\| {5}2: udp\.port in \{500, 4500\} +\|$/m);
  assert.equal(
    rows(withCommas),
    rows(
      await tsharkTables(file, [
        '-z',
        'io,stat,1,ip.proto == 47 || ip.proto == 50,udp.port == 500 || udp.port == 4500',
      ]),
    ),
  );
  // As tshark's taps, -Y does not choose what the table counts; without -q the packets come first.
  const table = await gredumpTables(file, ['-z', 'io,stat,1,gre']);
  assert.equal(await gredumpTables(file, ['-Y', 'esp', '-z', 'io,stat,1,gre']), table);
  const printed = spawnSync(process.execPath, [BIN, '-r', file, '-z', 'io,stat,1,gre'], { encoding: 'utf8' });
  const lines = spawnSync(process.execPath, [BIN, '-r', file], { encoding: 'utf8' });
  assert.equal(printed.stdout, lines.stdout + table);
});

test('a capture spanning more intervals than a table keeps prints 1,000,000 of them and says what it left out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-iostat-'));
  try {
    const packet = eth(
      ipv4(icmpEcho({ request: true, id: 1, seq: 1 }), { src: '192.0.2.1', dst: '198.51.100.2', proto: 1 }),
      {
        type: 0x0800,
      },
    );
    // Two frames a day apart: 86,400,000,000 intervals of a microsecond (tshark would try to print them all).
    const file = pcapFile([packet, packet]);
    file.writeUInt32LE(1767225600 + 86_400, 24 + 16 + packet.length);
    const path = join(dir, 'day.pcap');
    writeFileSync(path, file);
    const r = spawnSync(process.execPath, [BIN, '-q', '-r', path, '-z', 'io,stat,0.000001'], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /^\| +\d+\.\d{6} <> /.test(l));
    assert.equal(rows.length, 1_000_000);
    assert.match(rows[0]!, /^\| +0\.000000 <> +0\.000001 \| +1 \| +\d+ \|$/);
    assert.match(
      r.stderr,
      /^gredump: -z io,stat,0\.000001: 1 frames past the table's 1000000 intervals were not counted/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-z io,stat refuses what it cannot make, in one line, exit 2, before reading', () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  for (const [args, said] of [
    [['-z', 'io,stat'], /INTERVAL is seconds .*not "io,stat"/],
    [['-z', 'io,stat,x'], /not "io,stat,x"/],
    [['-z', 'io,stat,1,'], /not "io,stat,1,"/],
    [['-z', 'io,stat,0.0000001'], /at least 0\.000001 seconds/],
    [['-z', 'io,stat,1,COUNT(ip.ttl'], /COUNT\(: the closing parenthesis is missing/],
    [['-z', 'io,stat,1,SUM()ip'], /SUM\(\) needs a field/],
    [['-z', 'io,stat,1,FRAMES(ip.len)ip'], /FRAMES\(\) counts frames: it takes no field/],
    [['-z', 'io,stat,1,AVG(ip.lenn)ip'], /there is no field "ip\.lenn"/],
    [['-z', 'io,stat,1,SUM(ip.src)ip'], /ip\.src has no numbers to add up; COUNT\(\) counts it/],
    [['-z', 'io,stat,1,LOAD(frame.time_delta)frame'], /LOAD reads a response time/],
    [['-z', 'io,stat,1,ip.src =='], /-z io,stat: /],
    [['-t', 'e', '-z', 'io,stat,1'], /names its intervals by -t r, a, ad, adoy, u, ud or udoy/],
  ] as const) {
    const r = spawnSync(process.execPath, [BIN, '-q', '-r', file, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(r.stderr.trimEnd().split('\n').length <= 3, true, r.stderr);
    assert.equal(r.stdout, '');
  }
});
