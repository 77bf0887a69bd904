/**
 * Capture files that attack the readers (#22): sizes and times read from a
 * file are checked before use; a bad record ends the read with its offset
 * named; no NaN, no "internal error", no stack trace, memory that holds.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN } from './support/paths.js';
import * as h from './support/hostile.js';

const dir = mkdtempSync(join(tmpdir(), 'gredump-hostile-files-'));
const packet = h.oneShotTunnelPacket(1);

function gredump(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, 'no stack trace, no internal error');
  return r;
}

function write(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('pcapng timestamps out of range: the read stops at the block, named; no NaN, no Invalid time value', () => {
  const cases: [string, Buffer, Buffer][] = [
    // 2^64 - 1 seconds (if_tsresol 10^0).
    ['huge', h.pcapngInterface({ tsresol: 0 }), h.pcapngPacket(packet, 0xffffffff, 0xffffffff)],
    // A negative offset of 2^62 seconds.
    ['offset', h.pcapngInterface({ tsoffset: -(1n << 62n) }), h.pcapngPacket(packet, 0, 1000)],
  ];
  for (const [name, idb, bad] of cases) {
    const shb = h.pcapngSectionHeader();
    const good = h.pcapngPacket(packet, 0x00063b49, 0);
    const path = write(`ts-${name}.pcapng`, Buffer.concat([shb, h.pcapngInterface(), good, shb, idb, bad]));
    const at = shb.length * 2 + h.pcapngInterface().length + good.length + idb.length;
    for (const args of [['-r', path], ['-r', path, '--json'], ['audit', path], ['audit', path, '--json']]) {
      const r = gredump(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /NaN|Invalid/);
      assert.equal(r.stderr, `gredump: warning: ${path}: packet block at offset ${at} has a timestamp out of range; 1 packets read before it\n`);
    }
  }
});

test('pcap with a snaplen of 2^31 and a record claiming 2^31 - 1 bytes: stopped at it, from a file or a pipe, without buffering it', () => {
  const file = h.pcapFile([packet, packet], 0x80000000);
  file.writeUInt32LE(0x7fffffff, 24 + 16 + packet.length + 8);
  const path = write('snaplen.pcap', file);
  for (const [args, input] of [[['-r', path]], [['-r', '-'], file], [['audit', path]]] as [string[], Buffer?][]) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { input, encoding: 'utf8' });
    const lines = r.stderr.trim().split('\n');
    const rssKb = Number(lines.pop());
    assert.equal(r.status, 0, r.stderr);
    assert.match(lines.join('\n'), new RegExp(`^gredump: warning: .*record at offset ${24 + 16 + packet.length} claims 2147483647 captured bytes \\(more than the 16777216 allowed\\); 1 packets read before it$`));
    assert.ok(rssKb < 400_000, `${rssKb} KB`);
  }
});

test('pcapng with more interface descriptions than a section may have: stopped at the first too many', () => {
  const idb = h.pcapngInterface();
  const shb = h.pcapngSectionHeader();
  const path = write('idbs.pcapng', Buffer.concat([shb, h.pcapngPacket(packet).subarray(0, 0), ...Array.from({ length: 65537 }, () => idb)]));
  const r = gredump(['-r', path]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `gredump: ${path}: interface description at offset ${shb.length + 65536 * idb.length}: the section already describes 65536 interfaces, the most read\n`);
});

test('a FIFO given as input is read in order (no ESPIPE)', async () => {
  const fifo = join(dir, 'in.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const child = spawn(process.execPath, [BIN, '-r', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const w = createWriteStream(fifo);
  w.end(h.pcapFile([packet, packet, packet]));
  const status = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(err, '');
  assert.equal(status, 0);
  assert.equal(out.trim().split('\n').length, 3);
});
