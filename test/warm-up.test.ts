import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCli } from '../src/cli/args.js';
import { syntheticFrames, warmUp } from '../src/cli/warm-up.js';
import { Engine } from '../src/dissect/engine.js';
import { TextOut } from '../src/util/text-out.js';
import { writePacketText } from '../src/output/packet-text.js';
import { setTimeFormat } from '../src/output/timestamp.js';

/** The live warm-up must go through the protocols' real paths (no warnings) and leave nothing behind. */

test('the warm-up frames dissect whole, without a warning, as the protocols they stand for', () => {
  const { f, records } = syntheticFrames();
  const engine = new Engine();
  const out = new TextOut(4096);
  setTimeFormat('none');
  const lines = records.map(([off, len]) => {
    f.off = off;
    f.caplen = f.len = len;
    const ctx = engine.dissect(f);
    assert.equal(
      ctx.warnCount,
      0,
      `frame at ${off}: ${ctx.layers
        .slice(0, ctx.count)
        .map((l) => l.proto.name)
        .join('/')}`,
    );
    writePacketText(ctx, out);
    return out.take();
  });
  for (const [i, word] of [
    'TCP',
    'TCP',
    'ICMP echo request',
    'OSPFv2 Hello',
    'RIPv2',
    'UDP',
    'UDP',
    'ESP',
    'TCP',
    'TCP',
    'ARP',
  ].entries()) {
    assert.ok(lines[i]!.includes(word), `line ${i} (${lines[i]}) says ${word}`);
  }
  assert.ok(lines[0]!.startsWith('192.0.2.1 > 198.51.100.1: GRE key 0x3e8'), lines[0]);
});

test('after the warm-up the first line of a capture is its first: -ttttt starts at zero', () => {
  const opts = parseCli(['-i', 'lo', '--no-tui', '-ttttt']);
  setTimeFormat(opts.timeFormat);
  warmUp(opts);
  const { f, records } = syntheticFrames();
  f.off = records[0]![0];
  f.caplen = f.len = records[0]![1];
  f.tsSec = 1_000_000;
  const out = new TextOut(4096);
  writePacketText(new Engine().dissect(f), out);
  assert.match(out.take(), /^ 00:00:00\.000000 /);
});
