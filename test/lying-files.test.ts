import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES } from './support/paths.js';

/**
 * Capture files that lie, through the real command: the first bad offset is
 * named, every packet before it is kept; exit 0 with a warning when packets
 * were read, 2 with one line when none were; never a stack trace.
 */
const dir = mkdtempSync(join(tmpdir(), 'gredump-lying-'));
const pcap = readFileSync(join(FIXTURES, 'gre-kinds.pcap'));

/** Offsets of the record headers of a little-endian pcap. */
function recordOffsets(file: Buffer): number[] {
  const out: number[] = [];
  for (let o = 24; o + 16 <= file.length; o += 16 + file.readUInt32LE(o + 8)) out.push(o);
  return out;
}

function run(name: string, bytes: Buffer, mode: 'read' | 'audit' = 'read') {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const args = mode === 'read' ? ['-r', path, '--json'] : ['audit', path, '--json'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  const packets =
    mode === 'read' ? r.stdout.split('\n').filter(Boolean).length : JSON.parse(r.stdout || '{"packets":0}').packets;
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return { status: r.status, stderr: r.stderr, packets };
}

function withCaplen(record: number, caplen: number): Buffer {
  const b = Buffer.from(pcap);
  b.writeUInt32LE(caplen, recordOffsets(b)[record]! + 8);
  return b;
}

test('pcap record lengths of 0xFFFFFFFF and 300000: stop there, keep what came before', () => {
  for (const caplen of [0xffffffff, 300000]) {
    const at = recordOffsets(pcap)[3]!;
    for (const mode of ['read', 'audit'] as const) {
      const r = run(`caplen-${caplen}.pcap`, withCaplen(3, caplen), mode);
      assert.equal(r.status, 0);
      assert.equal(r.packets, 3);
      assert.match(
        r.stderr,
        new RegExp(
          `^gredump: warning: .*record at offset ${at} claims ${caplen} captured bytes.*; 3 packets read before it\\n$`,
        ),
      );
    }
  }
});

test('pcap record length 0: an empty packet, read on', () => {
  const b = withCaplen(2, 0);
  // The bytes that were the record's now start the next record header: what follows is garbage, found and named.
  const r = run('caplen-0.pcap', b);
  assert.ok(r.packets >= 3);
  assert.equal(r.status, 0);
});

test('a bad first record: nothing readable, exit 2, one line', () => {
  const r = run('first-bad.pcap', withCaplen(0, 0xffffffff));
  assert.equal(r.status, 2);
  assert.equal(r.packets, 0);
  assert.match(r.stderr, /^gredump: .*first-bad\.pcap: record at offset 24 claims 4294967295 captured bytes[^\n]*\n$/);
});

/** A little-endian pcapng: SHB, one Ethernet IDB, and one EPB per packet of gre-kinds.pcap. */
function pcapng(): { bytes: Buffer; blocks: number[] } {
  const parts: Buffer[] = [];
  const blocks: number[] = [];
  let at = 0;
  const block = (type: number, body: Buffer) => {
    const pad = Buffer.alloc((4 - (body.length % 4)) % 4);
    const len = 12 + body.length + pad.length;
    const h = Buffer.alloc(8);
    h.writeUInt32LE(type, 0);
    h.writeUInt32LE(len, 4);
    const t = Buffer.alloc(4);
    t.writeUInt32LE(len);
    blocks.push(at);
    at += len;
    parts.push(h, body, pad, t);
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  block(0x0a0d0d0a, shb);
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(1, 0);
  block(1, idb);
  for (const o of recordOffsets(pcap)) {
    const caplen = pcap.readUInt32LE(o + 8);
    const epb = Buffer.alloc(20);
    epb.writeUInt32LE(caplen, 12);
    epb.writeUInt32LE(caplen, 16);
    block(6, Buffer.concat([epb, pcap.subarray(o + 16, o + 16 + caplen)]));
  }
  return { bytes: Buffer.concat(parts), blocks };
}

test('pcapng block length not a multiple of 4, or running past the file', () => {
  const { bytes, blocks } = pcapng();
  const odd = Buffer.from(bytes);
  odd.writeUInt32LE(odd.readUInt32LE(blocks[4]! + 4) + 1, blocks[4]! + 4);
  let r = run('odd.pcapng', odd);
  assert.equal(r.status, 0);
  assert.equal(r.packets, 2);
  assert.match(r.stderr, new RegExp(`block at offset ${blocks[4]} has an impossible length`));
  const past = Buffer.from(bytes);
  past.writeUInt32LE(0x00100000, blocks[5]! + 4);
  r = run('past.pcapng', past);
  assert.equal(r.status, 0);
  assert.equal(r.packets, 3);
  assert.match(r.stderr, new RegExp(`block at offset ${blocks[5]} needs 1048576 bytes`));
});

test('pcapng packet naming an interface that does not exist', () => {
  const { bytes, blocks } = pcapng();
  const b = Buffer.from(bytes);
  b.writeUInt32LE(7, blocks[3]! + 8);
  const r = run('iface.pcapng', b);
  assert.equal(r.status, 0);
  assert.equal(r.packets, 1);
  assert.match(r.stderr, new RegExp(`packet block at offset ${blocks[3]} names interface 7`));
});

test('pcapng with a section header in the middle: a new section, read on', () => {
  const { bytes, blocks } = pcapng();
  const twice = Buffer.concat([bytes, bytes.subarray(0, blocks[3])]);
  const r = run('two-sections.pcapng', twice);
  assert.equal(r.status, 0);
  assert.equal(r.packets, 8);
  assert.equal(r.stderr, '');
});
