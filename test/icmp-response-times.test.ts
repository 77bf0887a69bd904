import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eth, gre, icmpEcho, icmpFragNeeded, ipv4 } from './support/builder.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { writeFrames } from './support/sensor-day.js';
import { agreesButWhereListed, differingText, gredumpTables, tsharkAvailable, tsharkTables } from './support/tshark.js';

const haveTshark = tsharkAvailable();
/** Both tables, and each with a filter (one that passes replies only: tshark's unsigned loss wraps around). */
const TABLES = ['icmp,srt', 'icmpv6,srt', 'icmp,srt,frame.len > 100', 'icmpv6,srt,icmpv6.type == 129'].flatMap((t) => [
  '-z',
  t,
]);

const differing = (files: string[]) => differingText(files, async () => TABLES, tsharkTables, gredumpTables);

test(
  "-z icmp,srt and icmpv6,srt are tshark's, line for line, on every fixture",
  { skip: haveTshark ? false : 'tshark is not installed' },
  () => agreesButWhereListed(FIXTURES, {}, differing, 50),
);

test(
  "-z icmp,srt and icmpv6,srt are tshark's on every corpus capture",
  { skip: !haveTshark ? 'tshark is not installed' : HAVE_CORPUS ? false : NO_CORPUS },
  () => agreesButWhereListed(CORPUS, {}, differing, 200),
);

/**
 * Pings across a GRE tunnel: the first answered in 10 ms, the second lost, the third answered in 30 ms and its reply
 * seen twice, then a request sent again with other data under the same identifier and sequence number (another
 * request: its checksum differs), answered in 20 ms; an ICMP error quoting a request, which is no request.
 */
function pingsAcrossATunnel(path: string): void {
  const inner = (request: boolean, seq: number, fill = 0x61) => {
    const [src, dst] = request ? ['10.1.0.1', '10.2.0.1'] : ['10.2.0.1', '10.1.0.1'];
    return ipv4(icmpEcho({ request, id: 0x77, seq, data: new Uint8Array(32).fill(fill) }), { src, dst, proto: 1 });
  };
  const tunnel = (packet: Uint8Array, request: boolean) =>
    eth(
      ipv4(gre(packet, { protocolType: 0x0800 }), {
        src: request ? '192.0.2.1' : '198.51.100.7',
        dst: request ? '198.51.100.7' : '192.0.2.1',
        proto: 47,
      }),
      { type: 0x0800 },
    );
  const quoting = eth(ipv4(icmpFragNeeded(inner(true, 9), 1400), { src: '192.0.2.254', dst: '10.1.0.1', proto: 1 }), {
    type: 0x0800,
  });
  writeFrames(path, [
    { ts: 100, frame: tunnel(inner(true, 1), true) },
    { ts: 100.01, frame: tunnel(inner(false, 1), false) },
    { ts: 101, frame: tunnel(inner(true, 2), true) },
    { ts: 102, frame: tunnel(inner(true, 3), true) },
    { ts: 102.03, frame: tunnel(inner(false, 3), false) },
    { ts: 102.031, frame: tunnel(inner(false, 3), false) },
    { ts: 103, frame: tunnel(inner(true, 3, 0x62), true) },
    { ts: 103.02, frame: tunnel(inner(false, 3, 0x62), false) },
    { ts: 104, frame: quoting },
  ]);
}

test('-z icmp,srt: requests, replies, the lost, and the response times of pings across a tunnel', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-srt-'));
  try {
    const file = join(dir, 'pings.pcap');
    pingsAcrossATunnel(file);
    const text = await gredumpTables(file, ['-z', 'icmp,srt', '-z', 'icmp,srt,icmp.type == 0']);
    const [repliesOnly, all] = text.split('Filter: ').slice(1) as [string, string];
    assert.match(repliesOnly, /^icmp\.type == 0\n/);
    assert.match(all, /^<none>\n/);
    // Four requests (the quoted one is none), three replies (the second copy of one is none): one lost.
    assert.match(all, /\n4 {9}3 {9}1 {10}25\.0%\n/);
    // 10, 20 and 30 ms: their mean and median 20, their sample deviation 10; the fastest reply is frame 2, the
    // slowest frame 5.
    assert.match(all, /\n10\.000 {4}30\.000 {4}20\.000 {4}20\.000 {4}10\.000 {9}2 {9}5 {9}\n/);
    // The filter passes the replies alone: no request counted, so tshark's counts say none at all.
    assert.match(repliesOnly, /\n0 {9}0 {9}0 {11}0\.0%\n/);
    if (haveTshark) assert.equal(text, await tsharkTables(file, ['-z', 'icmp,srt', '-z', 'icmp,srt,icmp.type == 0']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("-z icmp,srt: a reply's checksum 0 or 0xffff (one's complement's two zeros) matches its request", async () => {
  // Data that gives the request the checksum 0xf7ff: its reply's is then zero, written 0x0000 or 0xffff.
  const data = new Uint8Array(8).fill(0x61);
  const request = () => icmpEcho({ request: true, id: 5, seq: 5, data });
  for (let w = 0; w < 0x10000 && new DataView(request().buffer).getUint16(2) !== 0xf7ff; w++) {
    data[0] = w >> 8;
    data[1] = w & 0xff;
  }
  const frame = (icmp: Uint8Array, src: string, dst: string) =>
    eth(ipv4(icmp, { src, dst, proto: 1 }), { type: 0x0800 });
  const frames = [0x0000, 0xffff].flatMap((checksum, i) => {
    const reply = icmpEcho({ request: false, id: 5, seq: 5, data });
    new DataView(reply.buffer).setUint16(2, checksum);
    return [
      { ts: 10 * i, frame: frame(request(), '10.0.0.1', '10.0.0.2') },
      { ts: 10 * i + 0.01, frame: frame(reply, '10.0.0.2', '10.0.0.1') },
    ];
  });
  const dir = mkdtempSync(join(tmpdir(), 'gredump-srt-'));
  try {
    const file = join(dir, 'zeros.pcap');
    writeFrames(file, frames);
    const text = await gredumpTables(file, ['-z', 'icmp,srt']);
    assert.match(text, /\n2 {9}2 {9}0 {11}0\.0%\n/);
    if (haveTshark) assert.equal(text, await tsharkTables(file, ['-z', 'icmp,srt']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-z icmp,srt refuses a bad filter in one line, exit 2', () => {
  for (const [spec, said] of [
    ['icmp,srt,ip.src ==', /-z icmp,srt: /],
    ['icmpv6,srt,ipv6.src ==', /-z icmpv6,srt: /],
    ['icmp6,srt', /icmp\|icmpv6,srt\[,FILTER\].*not "icmp6,srt"/],
  ] as const) {
    const r = spawnSync(process.execPath, [BIN, '-q', '-r', join(FIXTURES, 'gre-kinds.pcap'), '-z', spec], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2, `${spec}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(r.stdout, '');
  }
});
