import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { openCapture } from '../src/capture/open.js';
import { FileStore, PacketLists } from '../src/cli/packet-index.js';
import { openList, Scheduler, type ListContext } from '../src/cli/tui-lists.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS } from '../src/dissect/state.js';
import { nearest } from '../src/filter/compile.js';
import { DEFAULT_COLUMN_OPTIONS, FieldColumns } from '../src/output/field-columns.js';
import { TextOut } from '../src/util/text-out.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { BIN, FIXTURES } from './support/paths.js';

const run = promisify(execFile);
const haveTshark = (await run('tshark', ['-v'])
  .then(() => true)
  .catch(() => false)) as boolean;
const STREAMS = join(FIXTURES, 'tcp-udp-streams.pcap');
/** The fields a TCP or UDP conversation gives, each compared with tshark's by fields-tshark.test.ts too. */
const FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.completeness',
  'tcp.seq',
  'tcp.nxtseq',
  'tcp.ack',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.time_relative',
  'tcp.time_delta',
  'tcp.analysis',
  'tcp.analysis.flags',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.retransmission',
  'tcp.analysis.rto',
  'tcp.analysis.rto_frame',
  'tcp.analysis.reused_ports',
  'udp.stream',
  'udp.time_relative',
  'udp.time_delta',
];

const tsharkFields = async (file: string, filter?: string) =>
  (
    await run('tshark', [
      '-n',
      '-r',
      file,
      ...(filter ? ['-Y', filter] : []),
      '-T',
      'fields',
      ...FIELDS.flatMap((f) => ['-e', f]),
    ])
  ).stdout;

test('-T fields and -Y read the streams as tshark: stream numbers, relative sequence numbers, scaling, times', {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  const args = ['-r', STREAMS, '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])];
  assert.equal((await run(BIN, args)).stdout, await tsharkFields(STREAMS));
  // Stream state is kept whatever -Y shows: the packets a filter drops still number the streams.
  for (const filter of ['tcp.stream == 2', 'udp.stream == 0 && udp.time_delta > 0', 'tcp.completeness == 31']) {
    assert.equal((await run(BIN, [...args, '-Y', filter])).stdout, await tsharkFields(STREAMS, filter), filter);
  }
});

test("the UI's lists give a packet dissected again what its TCP and UDP layers saw in the first read", {
  skip: haveTshark ? false : 'tshark is not installed',
}, async () => {
  // The UI's first read: an engine that keeps the conversations, filing each packet in the lists.
  const engine = new Engine({ ...DEFAULT_OPTIONS, conversations: true });
  const files = new FileStore([STREAMS]);
  const lists = new PacketLists(files);
  const table = new TunnelTable();
  const reader = openCapture(STREAMS);
  while (reader.next()) {
    const c = engine.dissect(reader.frame);
    table.observe(c);
    const seq = files.total;
    files.add(0, reader.recordAt!);
    lists.file(seq, c, table);
  }
  reader.close();
  // Dissected again one by one, out of order, by engines that keep none: the detail's way.
  const columns = new FieldColumns(FIELDS, DEFAULT_COLUMN_OPTIONS, nearest);
  const lines: string[] = [];
  for (let seq = files.total - 1; seq >= 0; seq--) {
    const ctx = lists.dissect(seq, DEFAULT_OPTIONS)!;
    const out = new TextOut();
    columns.write(ctx, out);
    lines[seq] = new TextDecoder().decode(out.buf.subarray(0, out.pos));
  }
  assert.equal(`${lines.join('\n')}\n`, await tsharkFields(STREAMS));
  // A list filtered on a stream: the scan's engine keeps none either.
  const scheduler = new Scheduler();
  const c: ListContext = { lists, options: DEFAULT_OPTIONS, scheduler, complete: () => true, stem: 'streams' };
  try {
    const filtered = openList(c, { kind: 'all' }).filtered('tcp.stream == 4');
    for (let i = 0; i < 100 && !filtered.scan()?.done; i++) await new Promise((r) => setTimeout(r, 20));
    const frames = Array.from({ length: filtered.length() }, (_, i) => filtered.frameNo(i));
    const theirs = (
      await run('tshark', ['-n', '-r', STREAMS, '-Y', 'tcp.stream == 4', '-T', 'fields', '-e', 'frame.number'])
    ).stdout
      .trim()
      .split('\n')
      .map(Number);
    assert.deepEqual(frames, theirs);
    assert.ok(frames.length >= 3);
  } finally {
    scheduler.stop();
    files.close();
  }
});
