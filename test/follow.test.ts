import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { eth, ipv4, tcp } from './support/builder.js';
import { pcapFile } from './support/hostile.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { agreesButWhereListed, differingText, gredumpTables, tsharkAvailable, tsharkTables } from './support/tshark.js';

const exec = promisify(execFile);
const haveTshark = tsharkAvailable();

/** Corpus captures whose streams differ from tshark's, and why. */
const CORPUS_KNOWN: Record<string, string> = Object.fromEntries(
  ['advanced__test102', 'basic__test018', 'difficult__test202']
    .flatMap((n) => [`be__${n}`, `le__${n}`])
    .map((n) => [
      `pcapng-testgen/${n}.pcapng`,
      "tshark counts pcapng blocks of no packet as frames: its yaml's frame numbers are past gredump's",
    ]),
);

/** tshark's text, a carriage return no line feed follows written as gredump writes it (a dot). */
const theirs = (file: string, args: string[]) =>
  tsharkTables(file, args).then((text) => text.replace(/\r(?!\n)/g, '.'));

/** Up to four streams of a protocol in a capture: the first, the last and two between. */
async function someStreams(file: string): Promise<{ tcp: number[]; udp: number[] }> {
  const fields = await exec(
    process.execPath,
    [BIN, '-r', file, '-T', 'fields', '-e', 'tcp.stream', '-e', 'udp.stream'],
    {
      maxBuffer: 256 << 20,
    },
  );
  const count = { tcp: -1, udp: -1 };
  for (const line of fields.stdout.split('\n')) {
    const [t, u] = line.split('\t');
    for (const n of (t ?? '').split(',').filter(Boolean)) count.tcp = Math.max(count.tcp, Number(n));
    for (const n of (u ?? '').split(',').filter(Boolean)) count.udp = Math.max(count.udp, Number(n));
  }
  const pick = (last: number) => [...new Set([0, last >> 2, last >> 1, last])].filter((n) => n >= 0 && last >= 0);
  return { tcp: pick(count.tcp), udp: pick(count.udp) };
}

/** Every stream picked in every mode, in one run (tshark prints its follows last given first); null: no stream. */
async function followArgs(file: string): Promise<string[] | null> {
  const { tcp: t, udp: u } = await someStreams(file);
  if (t.length + u.length === 0) return null;
  return [
    ...t.flatMap((n) => ['ascii', 'hex', 'yaml'].map((mode) => `follow,tcp,${mode},${n}`)),
    ...u.flatMap((n) => ['ascii', 'raw', 'yaml'].map((mode) => `follow,udp,${mode},${n}`)),
  ].flatMap((z) => ['-z', z]);
}

/** The files whose follows differ from tshark's, with the first line that differs. */
const differing = (files: string[]) => differingText(files, followArgs, theirs, gredumpTables);

test(
  "-z follow is tshark's, line for line, on every fixture: TCP and UDP streams in ascii, hex, raw and yaml",
  { skip: haveTshark ? false : 'tshark is not installed' },
  () => agreesButWhereListed(FIXTURES, {}, differing, 50),
);

test(
  "-z follow is tshark's on the corpus (but the captures listed with why)",
  { skip: !haveTshark ? 'tshark is not installed' : HAVE_CORPUS ? false : NO_CORPUS },
  () => agreesButWhereListed(CORPUS, CORPUS_KNOWN, differing, 200),
);

test('the telnet login inside a cleartext GRE tunnel, as tshark shows it: by stream, by its ends, a range of chunks', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  const login = await gredumpTables(file, ['-z', 'follow,tcp,ascii,0']);
  assert.match(login, /^Node 0: 10\.1\.0\.10:49152\nNode 1: 10\.2\.0\.20:23\n\t7\nlogin: \n7\nadmin\r\n\n/m);
  assert.match(login, /^hunter2\r$/m);
  for (const z of [
    'follow,tcp,ascii,10.1.0.10:49152,10.2.0.20:23',
    'follow,tcp,hex,10.2.0.20:23,10.1.0.10:49152,2-4',
    'follow,tcp,raw,0,3',
    'follow,udp,yaml,0',
    'follow,tcp,ascii,9',
  ])
    assert.equal(await gredumpTables(file, ['-z', z]), await theirs(file, ['-z', z]), z);
  // Over IPv6, the ends in brackets.
  const streams = join(FIXTURES, 'tcp-udp-streams.pcap');
  const v6 = 'follow,udp,hex,[2001:db8::1]:1,[2001:0db8:0::2]:2';
  assert.equal(await gredumpTables(streams, ['-z', v6]), await theirs(streams, ['-z', v6]));
});

test('TCP is put in order as tshark puts it: a gap waits for its segment, a retransmission adds what is new', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-follow-'));
  try {
    const a = { src: '192.0.2.1', dst: '198.51.100.2' };
    const b = { src: '198.51.100.2', dst: '192.0.2.1' };
    const seg = (ends: typeof a, seq: number, ack: number, flags: number, data: string) =>
      eth(
        ipv4(
          tcp(new TextEncoder().encode(data), {
            srcPort: ends === a ? 40000 : 23,
            dstPort: ends === a ? 23 : 40000,
            seq,
            ack,
            flags,
          }),
          { ...ends, proto: 6 },
        ),
        { type: 0x0800 },
      );
    const packets = [
      seg(a, 1000, 0, 0x02, ''),
      seg(b, 5000, 1001, 0x12, ''),
      seg(a, 1001, 5001, 0x10, ''),
      seg(b, 5001, 1001, 0x18, 'hello '),
      // Out of order: "world" comes before "there ", then "there " fills the gap.
      seg(b, 5013, 1001, 0x18, 'world\r\n'),
      seg(b, 5007, 1001, 0x18, 'there '),
      // A retransmission that carries more than was seen: only "login:" is new.
      seg(b, 5007, 1001, 0x18, 'there world\r\nlogin:'),
      seg(a, 1001, 5026, 0x18, 'root\r\n'),
      // A segment the capture lost (1007..1012), acknowledged by the other side: tshark's missing-bytes chunk.
      seg(a, 1013, 5026, 0x18, 'late'),
      seg(b, 5026, 1017, 0x10, ''),
      // A carriage return alone: a dot here (tshark writes it raw).
      seg(a, 1017, 5026, 0x18, 'x\ry'),
    ];
    const file = join(dir, 'ordered.pcap');
    writeFileSync(file, pcapFile(packets));
    for (const mode of ['ascii', 'hex', 'raw', 'yaml'])
      assert.equal(
        await gredumpTables(file, ['-z', `follow,tcp,${mode},0`]),
        await theirs(file, ['-z', `follow,tcp,${mode},0`]),
        mode,
      );
    const text = await gredumpTables(file, ['-z', 'follow,tcp,ascii,0']);
    assert.match(text, /\t6\nhello \n\t6\nthere \n\t7\nworld\r\n\n\t6\nlogin:\n/);
    assert.match(text, /\n34\n\[6 bytes missing in capture file\]\.\n4\nlate\n3\nx\.y\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('segments that wait for a gap never filled are bounded: past 1,024 a side, left out and said on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-follow-'));
  try {
    // The first byte (sequence 1001) never comes; 3,000 one-byte segments after it each wait for it.
    const segment = (seq: number) =>
      eth(
        ipv4(tcp(Uint8Array.of(0x61), { srcPort: 40000, dstPort: 23, seq, flags: 0x18 }), {
          src: '192.0.2.1',
          dst: '198.51.100.2',
          proto: 6,
        }),
        { type: 0x0800 },
      );
    const packets = [segment(1000), ...Array.from({ length: 3000 }, (_, i) => segment(1002 + i))];
    const file = join(dir, 'gap.pcap');
    writeFileSync(file, pcapFile(packets));
    const r = spawnSync(process.execPath, [BIN, '-q', '-r', file, '-z', 'follow,tcp,ascii,0'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Node 0: 192\.0\.2\.1:40000\n.*\n1\na\n=+\n$/m);
    assert.match(r.stderr, /-z follow,tcp: 1976 bytes were left out, past .* the 1024 segments a side keeps waiting/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-z follow refuses what it cannot follow, in one line, exit 2, before reading', () => {
  const file = join(FIXTURES, 'gre-ospf-cleartext.pcap');
  for (const [spec, said] of [
    ['follow,tls,ascii,0', /gredump follows tcp and udp/],
    ['follow,tcp', /STREAM is tcp\.stream's number/],
    ['follow,tcp,ebcdic,0', /ebcdic is not written here/],
    ['follow,tcp,text,0', /MODE is ascii, hex, raw, yaml/],
    ['follow,tcp,ascii', /not "follow,tcp,ascii"/],
    ['follow,tcp,ascii,0,0', /RANGE is N or N-M/],
    ['follow,tcp,ascii,0,3-2', /RANGE is N or N-M/],
    ['follow,tcp,ascii,host:23,10.0.0.1:1', /"host" is no IPv4 address/],
    ['follow,tcp,ascii,10.0.0.1:0,10.0.0.2:1', /a port is 1 to 65535/],
    ['follow,tcp,ascii,10.0.0.1:1,[2001:db8::1]:2', /both IPv4 or both IPv6/],
  ] as const) {
    const r = spawnSync(process.execPath, [BIN, '-q', '-r', file, '-z', spec], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${spec}: ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
});
