import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { strftime } from '../src/capture/rotating-writer.js';
import * as b from './support/builder.js';
import { BIN } from './support/paths.js';

/**
 * -w rotation on files (-r IN -w OUT -C/-G/-W): the files tcpdump writes for
 * the same options, byte for byte, and -G cut by capture time. The live
 * rotation (veth pair, capinfos, no packet lost) is in live.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'gredump-rotate-'));
const gredump = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
const haveTcpdump = spawnSync('tcpdump', ['--version']).status === 0;

/** GRE packets of about 1.1 KB, ten a second, numbered by GRE sequence. */
function numbered(path: string, n: number): string {
  const w = new PcapWriter(path);
  const payload = new Uint8Array(1100).fill(0x5a);
  for (let seq = 0; seq < n; seq++) {
    const inner = b.ipv4(b.udp(payload, { srcPort: 40000, dstPort: 9 }), {
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 17,
    });
    w.write(
      1767225600 + Math.floor(seq / 10),
      (seq % 10) * 100_000_000,
      b.eth(
        b.ipv4(b.gre(inner, { protocolType: 0x0800, key: 7, seq }), {
          src: '192.0.2.1',
          dst: '198.51.100.7',
          proto: 47,
        }),
        { type: 0x0800 },
      ),
    );
  }
  w.close();
  return path;
}

const input = numbered(join(dir, 'in.pcap'), 2500);
const seqsOf = (path: string) =>
  gredump('-r', path, '--json')
    .stdout.trim()
    .split('\n')
    .map(
      (l) =>
        (JSON.parse(l) as { layers: { protocol: string; seq?: number }[] }).layers.find((x) => x.protocol === 'gre')!
          .seq!,
    );

test('-C and -C -W write the files tcpdump writes, byte for byte', {
  skip: haveTcpdump ? false : 'tcpdump, the oracle here, is not installed',
}, () => {
  for (const options of [
    ['-C', '1'],
    ['-C', '1', '-W', '2'],
    ['-C', '2', '-W', '12'],
  ]) {
    const ours = join(dir, `ours${options.join('')}`);
    const theirs = join(dir, `theirs${options.join('')}`);
    mkdirSync(ours);
    mkdirSync(theirs);
    const r = gredump('-r', input, '-w', join(ours, 'cap.pcap'), ...options);
    assert.equal(r.status, 0, r.stderr);
    // As root tcpdump writes as its own user unless -Z says otherwise.
    const t = spawnSync(
      'tcpdump',
      [...(process.getuid?.() === 0 ? ['-Z', 'root'] : []), '-r', input, '-w', join(theirs, 'cap.pcap'), ...options],
      { encoding: 'latin1' },
    );
    assert.equal(t.status, 0, t.stderr);
    const names = readdirSync(theirs).sort();
    assert.ok(names.length >= 2, names.join(' '));
    assert.deepEqual(readdirSync(ours).sort(), names, options.join(' '));
    for (const n of names)
      assert.ok(
        readFileSync(join(ours, n)).equals(readFileSync(join(theirs, n))),
        `${options.join(' ')}: ${n} differs`,
      );
  }
});

test("-G cuts by capture time, names by strftime of each file's first packet; -W stops after that many files", () => {
  const out = join(dir, 'g');
  mkdirSync(out);
  const r = gredump('-r', input, '-w', join(out, 'day-%Y%m%d-%H%M%S.pcap'), '-G', '60');
  assert.equal(r.status, 0, r.stderr);
  // 2500 packets at ten a second: 250 s, so files at 0, 60, 120, 180 and 240 s.
  const names = readdirSync(out).sort();
  assert.deepEqual(names, [
    'day-20260101-000000.pcap',
    'day-20260101-000100.pcap',
    'day-20260101-000200.pcap',
    'day-20260101-000300.pcap',
    'day-20260101-000400.pcap',
  ]);
  const parts = names.map((n) => seqsOf(join(out, n)));
  assert.deepEqual(
    parts.map((p) => p.length),
    [600, 600, 600, 600, 100],
  );
  assert.deepEqual(
    parts.flat(),
    Array.from({ length: 2500 }, (_, i) => i),
  );
  const limited = join(dir, 'g2');
  mkdirSync(limited);
  const l = gredump('-r', input, '-w', join(limited, '%s.pcap'), '-G', '60', '-W', '2');
  assert.equal(l.status, 0, l.stderr);
  assert.deepEqual(readdirSync(limited).sort(), ['1767225600.pcap', '1767225660.pcap']);
  assert.equal(l.stdout.trim().split('\n').length, 1200, 'the read ends with the last file');
});

test('strftime: the fields tcpdump users put in -w names', () => {
  process.env.TZ = 'UTC';
  assert.equal(
    strftime('%Y-%m-%d_%H:%M:%S %j %y %e %I%p %a %b %s %F %T %% %Q', 1767312000 + 13 * 3600 + 5),
    '2026-01-02_13:00:05 002 26  2 01PM Fri Jan 1767358805 2026-01-02 13:00:05 % %Q',
  );
});
