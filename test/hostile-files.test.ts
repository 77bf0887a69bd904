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
import { BIN, ROOT } from './support/paths.js';
import * as h from './support/hostile.js';
import { auditInParallel, auditUnits, COUNTERS, type UnitResult } from '../src/cli/audit-parallel.js';
import { parseCli } from '../src/cli/args.js';

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
    for (const args of [
      ['-r', path],
      ['-r', path, '--json'],
      ['audit', path],
      ['audit', path, '--json'],
    ]) {
      const r = gredump(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /NaN|Invalid/);
      assert.equal(
        r.stderr,
        `gredump: warning: ${path}: packet block at offset ${at} has a ` +
          `timestamp out of range; 1 packets read before it\n`,
      );
    }
  }
});

test(
  'pcap with a snaplen of 2^31 and a record claiming 2^31 - 1 bytes: ' +
    'stopped at it, from a file or a pipe, without buffering it',
  () => {
    const file = h.pcapFile([packet, packet], 0x80000000);
    file.writeUInt32LE(0x7fffffff, 24 + 16 + packet.length + 8);
    const path = write('snaplen.pcap', file);
    for (const [args, input] of [[['-r', path]], [['-r', '-'], file], [['audit', path]]] as [string[], Buffer?][]) {
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { input, encoding: 'utf8' });
      const lines = r.stderr.trim().split('\n');
      const rssKb = Number(lines.pop());
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        lines.join('\n'),
        new RegExp(
          `^gredump: warning: .*record at offset ${24 + 16 + packet.length} ` +
            `claims 2147483647 captured bytes \\(more than the 16777216 ` +
            `allowed\\); 1 packets read before it$`,
        ),
      );
      assert.ok(rssKb < 400_000, `${rssKb} KB`);
    }
  },
);

test('pcapng with more interface descriptions than a section may have: stopped at the first too many', () => {
  const idb = h.pcapngInterface();
  const shb = h.pcapngSectionHeader();
  const path = write(
    'idbs.pcapng',
    Buffer.concat([shb, h.pcapngPacket(packet).subarray(0, 0), ...Array.from({ length: 65537 }, () => idb)]),
  );
  const r = gredump(['-r', path]);
  assert.equal(r.status, 2);
  assert.equal(
    r.stderr,
    `gredump: ${path}: interface description at ` +
      `offset ${shb.length + 65536 * idb.length}: the section already ` +
      `describes 65536 interfaces, the most read\n`,
  );
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

test(
  'ESP key files with fields missing, shifted or swapped, and -E ' +
    'written secret:algo: file, line and field named, no key',
  () => {
    const key = '0x00112233445566778899aabbccddeeff';
    const auth = '0xa1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4';
    const lines: [string, RegExp][] = [
      // The SPI missing: every field moves one to the left, a key lands in field 7.
      [
        `"IPv4","1.2.3.4","5.6.7.8","AES-CBC [RFC3602]","${key}","HMAC-SHA-1-96 [RFC2404]","${auth}",""`,
        new RegExp(
          String.raw`^gredump: .*esp_sa:2: field 5 \(encryption algorithm\) is not one ` +
            String.raw`gredump knows \(Wireshark's names\); it looks like a key`,
        ),
      ],
      [
        `"IPv4","1.2.3.4","5.6.7.8","0x100","${key}","AES-CBC [RFC3602]","${auth}","HMAC-SHA-1-96 [RFC2404]"`,
        new RegExp(
          String.raw`^gredump: .*esp_sa:2: field 5 \(encryption algorithm\) is not one ` +
            String.raw`gredump knows \(Wireshark's names\); it looks like a key: is a field ` +
            String.raw`missing or out of place\?$`,
        ),
      ],
      [
        `"IPv4","1.2.3.4","5.6.7.8","0x100","AES-CBC [RFC3602]","${key}","${auth}","HMAC-SHA-1-96 [RFC2404]"`,
        new RegExp(
          String.raw`^gredump: .*esp_sa:2: field 7 \(authentication algorithm\) is not one ` +
            String.raw`gredump knows \(Wireshark's names\); it looks like a key: is a field ` +
            String.raw`missing or out of place\?$`,
        ),
      ],
      [
        `"${key}","1.2.3.4","5.6.7.8","0x100","AES-CBC [RFC3602]","${key}","NULL",""`,
        /^gredump: .*esp_sa:2: field 1 \(protocol\) is not IPv4, IPv6 or \*; it looks like a key/,
      ],
      [
        `"IPv4","${key}","5.6.7.8","0x100","AES-CBC [RFC3602]","${key}","NULL",""`,
        /^gredump: .*esp_sa:2: field 2 \(source address\) is not an address, a network or \* for any; it looks like/,
      ],
      [
        `"IPv4","1.2.3.4","5.6.7.8","${key}","AES-CBC [RFC3602]","${key}","NULL",""`,
        /^gredump: .*esp_sa:2: field 4 \(SPI\) is not a 32-bit number; it looks like a key/,
      ],
    ];
    for (const [line, expected] of lines) {
      const path = write('esp_sa', Buffer.from(`# keys\n${line}\n`));
      const r = gredump(['-r', path, '--esp-sa', path]);
      assert.equal(r.status, 2);
      assert.match(r.stderr.trimEnd(), expected);
      for (const secret of [key, auth])
        assert.ok(!r.stderr.toLowerCase().includes(secret.slice(2, 12)), `no part of a key in: ${r.stderr}`);
    }
    const secret = 'correcthorsebatterystaple';
    for (const spec of [`${secret}:aes128-cbc`, `0x1@1.2.3.4 ${secret}:3des-cbc`, `0x1@1.2.3.4 zz${secret}`]) {
      const r = gredump(['-r', write('x.pcap', h.pcapFile([packet])), '-E', spec]);
      assert.equal(r.status, 2);
      assert.ok(!r.stderr.includes(secret.slice(0, 8)), `no part of the secret in: ${r.stderr}`);
      assert.match(r.stderr, /^gredump: -E #1: /);
    }
  },
);

test('-r - prints each packet as it comes from a pipe, not at 64 KiB or the end', async () => {
  const child = spawn(process.execPath, [BIN, '-r', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const file = h.pcapFile([packet, packet]);
  // The header and the first record, then nothing: its line must come before the rest does.
  child.stdin.write(file.subarray(0, 24 + 16 + packet.length));
  for (let i = 0; i < 50 && out === ''; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(out.split('\n').filter(Boolean).length, 1, 'the first line came while the pipe stayed open');
  child.stdin.end(file.subarray(24 + 16 + packet.length));
  const status = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(status, 0);
  assert.equal(out.split('\n').filter(Boolean).length, 2);
});

test(
  'threaded audit of more tunnels than --max-tunnels: a part stops at ' +
    'its first eviction and the file is audited in one thread instead ' +
    '(full tables cost more to merge than threads gain), the same report',
  async () => {
    const driver = join(dir, 'audit-driver.mjs');
    writeFileSync(
      driver,
      `
    const { runAudit } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/audit.js'))});
    const { parseCli } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/args.js'))});
    const [plan, ...args] = process.argv.slice(2);
    const say = (m) => process.stderr.write(m + '\\n');
    process.exitCode = await runAudit(parseCli(['audit', ...args]), say, JSON.parse(plan));
  `,
    );
    const path = write('many-keys.pcap', h.pcapFile(Array.from({ length: 4000 }, (_, i) => h.oneShotTunnelPacket(i))));
    const run = (plan: object, bound = ['--max-tunnels', '500']) =>
      spawnSync(process.execPath, [driver, JSON.stringify(plan), path, '--json', ...bound], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
    // 11 parts: more than the threads may read ahead of the merge (2 a thread), so some wait for it.
    const parts = { workers: 2, minBytes: 0, partBytes: 32 * 1024 };
    for (const bound of [['--max-tunnels', '500'], []]) {
      const one = run({ workers: 1, minBytes: 1e15, partBytes: 1 }, bound);
      const many = run(parts, bound);
      assert.equal(many.status, one.status, many.stderr);
      assert.equal(many.stderr, '');
      assert.equal(many.stdout, one.stdout);
      if (bound.length) assert.match(one.stdout, /"tunnels evicted"/);
      else assert.equal(JSON.parse(one.stdout).tunnels.length, 4000);
    }
    // A part stops at its first eviction and sends no table: 501 packets read of the 4000.
    const opts = parseCli(['audit', path, '--json', '--max-tunnels', '500']);
    const results: UnitResult[] = [];
    auditUnits([{ index: 0, file: 0, path, range: null }], new Int32Array(COUNTERS), opts, undefined, null, (r) =>
      results.push(r),
    );
    assert.deepEqual(
      results.map((r) => [r.overflowed, r.read, r.table]),
      [[true, 501, null]],
    );
    // The threads gave up as soon as a part had to evict, having said nothing; under the bound they go on.
    const said: string[] = [];
    assert.equal(await auditInParallel(opts, parts, undefined, null, (m) => said.push(m)), null);
    assert.equal(said.length, 0);
    const within = await auditInParallel(parseCli(['audit', path, '--json']), parts, undefined, null, (m) =>
      said.push(m),
    );
    assert.equal(within?.table.tunnels.size, 4000);
  },
);
