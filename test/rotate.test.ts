import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { strftime } from '../src/capture/rotating-writer.js';
import { numberedGre } from './support/numbered-gre.js';
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

// Ten a second, so that -G cuts by capture time.
const input = numberedGre(join(dir, 'in.pcap'), 2500, 10);
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
  const l = gredump('-r', input, '-w', join(limited, '%s.pcap'), '-G', '60', '-W', '2', '-P');
  assert.equal(l.status, 0, l.stderr);
  assert.deepEqual(readdirSync(limited).sort(), ['1767225600.pcap', '1767225660.pcap']);
  assert.deepEqual(
    ['1767225600.pcap', '1767225660.pcap'].flatMap((n) => seqsOf(join(limited, n))),
    Array.from({ length: 1200 }, (_, i) => i),
  );
  // -P prints what is read: the read ends with the last file.
  assert.equal(l.stdout.trim().split('\n').length, 1200, 'the read ends with the last file');
});

test('strftime: the fields tcpdump users put in -w names', () => {
  process.env.TZ = 'UTC';
  assert.equal(
    strftime('%Y-%m-%d_%H:%M:%S %j %y %e %I%p %a %b %s %F %T %% %Q', 1767312000 + 13 * 3600 + 5),
    '2026-01-02_13:00:05 002 26  2 01PM Fri Jan 1767358805 2026-01-02 13:00:05 % %Q',
  );
});
