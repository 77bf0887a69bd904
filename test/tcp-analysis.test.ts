import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { Frame } from '../src/capture/frame.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS } from '../src/dissect/state.js';
import { TCP_ANALYSIS_FIELDS } from '../src/dissect/tcp-analysis.js';
import { eth, ipv4, tcp } from './support/builder.js';
import { frameOf } from './support/frames.js';
import { checkFields } from './support/fuzz.js';
import { BIN, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';
import { agreesButWhereListed, differingText, tsharkAvailable } from './support/tshark.js';

const run = promisify(execFile);
const haveTshark = tsharkAvailable();
const ANALYSIS = join(FIXTURES, 'tcp-analysis.pcap');

/** Every tcp.analysis field declared. */
const FIELDS = TCP_ANALYSIS_FIELDS.map((f) => f.name);
const FIELD_ARGS = ['-T', 'fields', '-e', 'frame.number', ...FIELDS.flatMap((f) => ['-e', f])];

const gredump = async (file: string, args: string[]) =>
  (await run(process.execPath, [BIN, '-r', file, ...args], { maxBuffer: 256 << 20 })).stdout;
const tshark = async (file: string, args: string[]) =>
  (await run('tshark', ['-n', '-r', file, ...args], { maxBuffer: 256 << 20 })).stdout;
const frames = (text: string) => text.split('\n').filter(Boolean).map(Number);

/**
 * The frames of tcp-analysis.pcap (a TCP stream inside GRE, built by scripts/make-protocol-fixtures.py) each filter
 * picks, as the stream was built to show them (and tshark 4.0 shows them).
 */
const PICKED: [string, number[]][] = [
  ['tcp.analysis.lost_segment', [8, 18]],
  ['tcp.analysis.duplicate_ack', [10, 11]],
  ['tcp.analysis.duplicate_ack_num == 2 && tcp.analysis.duplicate_ack_frame == 9', [11]],
  ['tcp.analysis.fast_retransmission', [12]],
  // A fast and a spurious retransmission are retransmissions too; so is a SYN sent again.
  ['tcp.analysis.retransmission', [12, 15, 17, 32]],
  ['tcp.analysis.rto_frame == 14 && tcp.analysis.rto == 0.3', [15]],
  ['tcp.analysis.spurious_retransmission', [17]],
  ['tcp.analysis.out_of_order', [19]],
  ['tcp.analysis.zero_window', [20, 22]],
  ['tcp.analysis.zero_window_probe', [21]],
  ['tcp.analysis.zero_window_probe_ack', [22]],
  ['tcp.analysis.window_update', [23]],
  ['tcp.analysis.keep_alive', [26]],
  ['tcp.analysis.keep_alive_ack', [27]],
  ['tcp.analysis.window_full', [29]],
  ['tcp.analysis.ack_lost_segment', [30]],
  ['tcp.analysis.reused_ports', [31]],
  // The handshake's RTT from the third frame on; an ACK's RTT; bytes in flight less the SACKed block; bytes sent
  // since a PSH counted afresh after it.
  ['tcp.analysis.initial_rtt == 0.02 && tcp.stream == 0 && frame.number < 5', [3, 4]],
  ['tcp.analysis.acks_frame == 5 && tcp.analysis.ack_rtt == 0.009', [6]],
  ['tcp.analysis.bytes_in_flight == 100 && tcp.analysis.fast_retransmission', [12]],
  ['tcp.analysis.bytes_in_flight == 200 && tcp.analysis.push_bytes_sent == 100', [5]],
  // A reset's data is its cause's text, no protocol's payload.
  ['tcp.reset_cause == "refused by policy 7" && !data && !tcp.payload', [35]],
];

test("TCP's SEQ/ACK analysis finds each flag where a stream built to show it has it, as tshark does", async () => {
  for (const [filter, expected] of PICKED) {
    const ours = frames(await gredump(ANALYSIS, ['-Y', filter, '-T', 'fields', '-e', 'frame.number']));
    assert.deepEqual(ours, expected, filter);
    if (haveTshark)
      assert.deepEqual(frames(await tshark(ANALYSIS, ['-Y', filter, '-T', 'fields', '-e', 'frame.number'])), ours);
  }
});

test("the [SEQ/ACK analysis] subtrees of -V are tshark's, each flag's expert item included", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const subtrees = (out: string) => {
    const trees: string[] = [];
    let indent = -1;
    let count = 0;
    for (const line of out.split('\n')) {
      const at = line.search(/\S/);
      if (indent >= 0 && at > indent) trees.push(line);
      else indent = -1;
      if (line.trim() === '[SEQ/ACK analysis]') {
        indent = at;
        trees.push(`subtree ${++count}`);
      }
    }
    return trees;
  };
  for (const file of [ANALYSIS, join(FIXTURES, 'tcp-udp-streams.pcap')]) {
    const theirs = subtrees(await tshark(file, ['-V']));
    assert.deepEqual(subtrees(await gredump(file, ['-V'])), theirs, file);
    assert.ok(theirs.length > 100, `${theirs.length} lines`);
  }
});

test("-T fields of every tcp.analysis field is tshark's on the fixtures", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const args = ['-Y', 'tcp', ...FIELD_ARGS];
  for (const file of [ANALYSIS, join(FIXTURES, 'tcp-udp-streams.pcap'), join(FIXTURES, 'tcpdump-pptp.pcap')])
    assert.equal(await gredump(file, args), await tshark(file, args), file);
});

test("-T fields of every tcp.analysis field is tshark's on every corpus capture", {
  skip: !haveTshark ? 'tshark is not installed' : HAVE_CORPUS ? false : NO_CORPUS,
}, async () => {
  const args = ['-Y', 'tcp', ...FIELD_ARGS];
  await agreesButWhereListed(
    CORPUS,
    {
      'zeek/tunnels__gre-aruba-amsdu.pcap':
        "an 802.11 A-MSDU's second TCP segment (gredump reads the first subframe only) is analysed by tshark alone",
    },
    (files) =>
      differingText(
        files,
        async () => args,
        (f, a) => tshark(f, ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE', ...a]),
        gredump,
      ),
    250,
  );
});

/** A TCP segment from one of two endpoints, with what a hostile stream may vary. */
interface Hostile {
  fromClient: boolean;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  length: number;
  sack: number[];
  stepNs: number;
}

function segmentFrame(s: Hostile, at: { sec: number; nsec: number }): Frame {
  const options = s.sack.length ? 2 + 4 * s.sack.length : 0;
  const padded = (options + 3) & ~3;
  const header = tcp(new Uint8Array(s.length), {
    srcPort: s.fromClient ? 40000 : 443,
    dstPort: s.fromClient ? 443 : 40000,
    seq: s.seq,
    ack: s.ack,
    flags: s.flags,
  });
  const seg = new Uint8Array(header.length + padded);
  seg.set(header.subarray(0, 20));
  seg[12] = ((20 + padded) / 4) << 4;
  new DataView(seg.buffer).setUint16(14, s.window);
  if (options) {
    seg[20] = 5;
    seg[21] = options;
    s.sack.forEach((edge, i) => new DataView(seg.buffer).setUint32(22 + 4 * i, edge));
  }
  const [src, dst] = s.fromClient ? ['192.0.2.1', '198.51.100.2'] : ['198.51.100.2', '192.0.2.1'];
  const frame = frameOf(eth(ipv4(seg, { src, dst, proto: 6 }), { type: 0x0800 }));
  at.nsec += s.stepNs;
  // Times may go backwards: a step below zero.
  const carry = Math.floor(at.nsec / 1e9);
  at.sec += carry;
  at.nsec -= carry * 1e9;
  frame.tsSec = at.sec;
  frame.tsNsec = at.nsec;
  return frame;
}

test('hostile TCP streams (any numbers, flags, windows, SACK blocks, times) never break the analysis', {
  timeout: 60_000,
}, () => {
  // Numbers near one another (so that the checks meet) and anywhere (so that they wrap).
  const near = fc.oneof(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0xffffff00, max: 0xffffffff }));
  const number = fc.oneof(near, fc.nat({ max: 0xffffffff }));
  const segment = fc.record({
    fromClient: fc.boolean(),
    seq: number,
    ack: number,
    flags: fc.integer({ min: 0, max: 0x3f }),
    window: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })),
    length: fc.integer({ min: 0, max: 3 }),
    sack: fc.array(number, { maxLength: 8 }),
    stepNs: fc.integer({ min: -5_000_000, max: 50_000_000 }),
  });
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 60 }), (stream: Hostile[]) => {
      const engine = new Engine({ ...DEFAULT_OPTIONS, conversations: true });
      const at = { sec: 1767225600, nsec: 0 };
      for (const s of stream) {
        const ctx = engine.dissect(segmentFrame(s, at));
        assert.equal(ctx.lastError, null);
        checkFields(ctx);
        const a = ctx.layers[ctx.count - 1]!.flow.analysis;
        assert.ok(a.bytesInFlight >= 0 && a.bytesInFlight < 2 ** 32 && a.dupAckNum < 2 ** 32);
      }
    }),
    { numRuns: 300 },
  );
});
