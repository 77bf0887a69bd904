import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCapture } from '../src/capture/open.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import type { FrameSource } from '../src/capture/frame.js';
import { BIN } from './support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'gredump-capture-'));
let n = 0;
const tmp = (bytes: Uint8Array) => {
  const p = join(dir, `c${n++}`);
  writeFileSync(p, bytes);
  return p;
};

function readAll(src: FrameSource) {
  const out: {
    sec: number;
    nsec: number;
    caplen: number;
    len: number;
    linktype: number;
    first: number;
    digits: number;
  }[] = [];
  while (src.next()) {
    const f = src.frame;
    out.push({
      sec: f.tsSec,
      nsec: f.tsNsec,
      caplen: f.caplen,
      len: f.len,
      linktype: f.linktype,
      first: f.data[f.off]!,
      digits: f.tsDigits,
    });
  }
  src.close();
  return out;
}

/** A classic pcap file written by hand, so byte order and magic are ours to choose. */
function pcapFile(opts: {
  le: boolean;
  nano: boolean;
  records: { sec: number; frac: number; data: number[]; len?: number }[];
  linktype?: number;
}) {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  const u32 = (b: Buffer, v: number, o: number) => (opts.le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const u16 = (b: Buffer, v: number, o: number) => (opts.le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  u32(h, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(h, 2, 4);
  u16(h, 4, 6);
  u32(h, 65535, 16);
  u32(h, opts.linktype ?? 1, 20);
  parts.push(h);
  for (const r of opts.records) {
    const rh = Buffer.alloc(16);
    u32(rh, r.sec, 0);
    u32(rh, r.frac, 4);
    u32(rh, r.data.length, 8);
    u32(rh, r.len ?? r.data.length, 12);
    parts.push(rh, Buffer.from(r.data));
  }
  return Buffer.concat(parts);
}

for (const le of [true, false]) {
  for (const nano of [false, true]) {
    test(`pcap ${le ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'}`, () => {
      const file = pcapFile({
        le,
        nano,
        records: [
          { sec: 100, frac: nano ? 123456789 : 123456, data: [1, 2, 3] },
          { sec: 101, frac: 5, data: [9, 8], len: 1500 },
        ],
      });
      const frames = readAll(openCapture(tmp(file)));
      assert.equal(frames.length, 2);
      assert.deepEqual(frames[0], {
        sec: 100,
        nsec: 123456789 - (nano ? 0 : 789),
        caplen: 3,
        len: 3,
        linktype: 1,
        first: 1,
        digits: nano ? 9 : 6,
      });
      assert.equal(frames[1]!.len, 1500, 'snaplen-truncated record keeps its wire length');
      assert.equal(frames[1]!.caplen, 2);
    });
  }
}

test('pcap cut mid-record: the whole records are read and the problem is named', () => {
  const whole = pcapFile({
    le: true,
    nano: false,
    records: [
      { sec: 1, frac: 0, data: [1, 2, 3, 4] },
      { sec: 2, frac: 0, data: [5, 6, 7, 8] },
    ],
  });
  for (const cut of [whole.length - 1, whole.length - 4, whole.length - 10]) {
    const src = openCapture(tmp(whole.subarray(0, cut)));
    assert.equal(readAll(src).length, 1, `cut at ${cut}`);
    assert.match(src.problem!.message, /cut short/);
  }
});

test('pcap record claiming 0xFFFFFFFF bytes stops with the offset, without allocating it', () => {
  const file = pcapFile({
    le: true,
    nano: false,
    records: [
      { sec: 1, frac: 0, data: [1] },
      { sec: 2, frac: 0, data: [2] },
    ],
  });
  file.writeUInt32LE(0xffffffff, 24 + 17 + 8);
  const src = openCapture(tmp(file));
  assert.equal(readAll(src).length, 1);
  assert.match(src.problem!.message, /offset 41 claims 4294967295/);
});

test('pcap: a record spanning the reader chunk boundary, in a file larger than one chunk', () => {
  const p = join(dir, 'big.pcap');
  const w = new PcapWriter(p);
  const data = new Uint8Array(1500).fill(7);
  for (let i = 0; i < 4000; i++) w.write(i, 0, data);
  w.close();
  const frames = readAll(openCapture(p));
  assert.equal(frames.length, 4000);
  assert.ok(frames.every((f) => f.caplen === 1500 && f.first === 7));
});

test('unreadable inputs give one clear line', () => {
  assert.throws(() => openCapture(join(dir, 'missing.pcap')), /missing.pcap: no such file$/);
  assert.throws(() => openCapture(tmp(Buffer.from('hello, this is not a capture'))), /not a pcap or pcapng capture$/);
  assert.throws(() => openCapture(tmp(Buffer.alloc(0))), /empty file$/);
  assert.throws(() => openCapture(dir), /is a directory$/);
});

/** pcapng blocks, in either byte order. */
class Ng {
  private parts: Buffer[] = [];
  constructor(private le: boolean) {}
  private u32(v: number) {
    const b = Buffer.alloc(4);
    this.le ? b.writeUInt32LE(v) : b.writeUInt32BE(v);
    return b;
  }
  private u16(v: number) {
    const b = Buffer.alloc(2);
    this.le ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
    return b;
  }
  block(type: number, body: Buffer): this {
    const pad = Buffer.alloc((4 - (body.length % 4)) % 4);
    const len = 12 + body.length + pad.length;
    this.parts.push(this.u32(type), this.u32(len), body, pad, this.u32(len));
    return this;
  }
  shb(): this {
    return this.block(
      0x0a0d0d0a,
      Buffer.concat([this.u32(0x1a2b3c4d), this.u16(1), this.u16(0), Buffer.alloc(8, 0xff)]),
    );
  }
  idb(linktype: number, tsresol?: number): this {
    const opts =
      tsresol === undefined
        ? Buffer.alloc(0)
        : Buffer.concat([this.u16(9), this.u16(1), Buffer.from([tsresol, 0, 0, 0]), this.u16(0), this.u16(0)]);
    return this.block(1, Buffer.concat([this.u16(linktype), this.u16(0), this.u32(0), opts]));
  }
  epb(iface: number, ts: bigint, data: number[], len = data.length): this {
    return this.block(
      6,
      Buffer.concat([
        this.u32(iface),
        this.u32(Number(ts >> 32n)),
        this.u32(Number(ts & 0xffffffffn)),
        this.u32(data.length),
        this.u32(len),
        Buffer.from(data),
      ]),
    );
  }
  spb(data: number[]): this {
    return this.block(3, Buffer.concat([this.u32(data.length), Buffer.from(data)]));
  }
  opb(iface: number, ts: bigint, data: number[]): this {
    return this.block(
      2,
      Buffer.concat([
        this.u16(iface),
        this.u16(0),
        this.u32(Number(ts >> 32n)),
        this.u32(Number(ts & 0xffffffffn)),
        this.u32(data.length),
        this.u32(data.length),
        Buffer.from(data),
      ]),
    );
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

test(
  'pcapng: two sections of opposite byte order, several interfaces, ' + 'each with its own link type and resolution',
  () => {
    const a = new Ng(true)
      .shb()
      .idb(1)
      .idb(101, 9)
      .epb(0, 1_700_000_000_123_456n, [0xaa])
      .epb(1, 1_700_000_000_123_456_789n, [0x45])
      .block(0x40000bad, Buffer.alloc(8))
      .block(5, Buffer.alloc(8))
      .spb([0xbb, 0xcc]);
    const b = new Ng(false)
      .shb()
      .idb(113, 0x80 | 20)
      .opb(0, 3n << 20n, [0xdd]);
    const frames = readAll(openCapture(tmp(Buffer.concat([a.bytes(), b.bytes()]))));
    assert.deepEqual(
      frames.map((f) => [f.linktype, f.sec, f.nsec, f.first, f.digits]),
      [
        [1, 1_700_000_000, 123_456_000, 0xaa, 6],
        [101, 1_700_000_000, 123_456_789, 0x45, 9],
        [1, 0, 0, 0xbb, 6],
        [113, 3, 0, 0xdd, 9],
      ],
    );
  },
);

test('a simple packet block carries no time: frame.time_* are absent for it, as tshark has them', () => {
  const eth = Array.from({ length: 14 }, (_, i) => i);
  const file = tmp(
    new Ng(true).shb().idb(1).epb(0, 1_700_000_000_000_001n, eth).spb(eth).epb(0, 1_700_000_001_000_001n, eth).bytes(),
  );
  const r = spawnSync(
    process.execPath,
    [BIN, '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.stdout, '1\t1700000000.000001000\n2\t\n3\t1700000001.000001000\n');
});

test('pcapng that lies: bad block length, unknown interface; packets before the lie are kept', () => {
  const good = new Ng(true).shb().idb(1).epb(0, 0n, [1, 2, 3, 4]);
  const badLen = Buffer.concat([good.bytes(), Buffer.from([6, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0])]);
  let src = openCapture(tmp(badLen));
  assert.equal(readAll(src).length, 1);
  assert.match(src.problem!.message, /impossible length 13/);
  src = openCapture(tmp(new Ng(true).shb().idb(1).epb(0, 0n, [1]).epb(3, 0n, [2]).bytes()));
  assert.equal(readAll(src).length, 1);
  assert.match(src.problem!.message, /names interface 3/);
  const runsPast = good.bytes();
  src = openCapture(tmp(runsPast.subarray(0, runsPast.length - 2)));
  assert.equal(readAll(src).length, 0);
  assert.match(src.problem!.message, /cut short/);
});

test('-w refuses a packet of another link type than those before it: a pcap file holds one', () => {
  const two = tmp(
    new Ng(true)
      .shb()
      .idb(1)
      .idb(0)
      .epb(
        0,
        1n,
        Array.from({ length: 60 }, () => 0),
      )
      .epb(1, 2n, [2, 0, 0, 0, 0x45])
      .bytes(),
  );
  const out = join(dir, 'two-linktypes.pcap');
  const r = spawnSync(process.execPath, [BIN, '-r', two, '-w', out], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(
    r.stderr,
    `gredump: cannot write ${out}: a packet of link type 0 follows packets of link type 1, and a pcap file holds one ` +
      'link type (the packets before it were written)\n',
  );
  // The Ethernet packet before it, and nothing under a link type not its own.
  const written = readFileSync(out);
  assert.equal(written.readUInt32LE(20), 1);
  assert.equal(written.length, 24 + 16 + 60);
});
