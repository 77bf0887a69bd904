import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES } from './support/paths.js';

const run = (args: string[], input?: Uint8Array) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const fixture = (name: string) => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), 'gredump-cli-'));

test('-r prints one text line a packet with the whole chain', () => {
  const r = run(['-r', fixture('gre-ospf-cleartext.pcap')]);
  assert.equal(r.status, 0);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 24);
  assert.equal(lines[0], '00:00:01.000000 192.0.2.1 > 198.51.100.7: GRE key 0x2a seq 0 proto IPv4 | 10.0.0.1 > 224.0.0.5: OSPFv2 Hello router 1.1.1.1 area 0.0.0.0');
  assert.equal(r.stderr, '');
});

test('--json prints the contract objects, one a line', () => {
  const r = run(['-r', fixture('gre-ospf-cleartext.pcap'), '--json', '-c', '1']);
  assert.equal(r.status, 0);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1);
  const p = JSON.parse(lines[0]!);
  assert.equal(p.frame, 1);
  assert.equal(p.ts, 1767225601);
  assert.equal(p.caplen, 110);
  assert.equal(p.len, 110);
  assert.deepEqual(p.layers.map((l: { protocol: string }) => l.protocol), ['eth', 'ipv4', 'gre', 'ipv4', 'ospf']);
  assert.deepEqual(p.layers[0], { protocol: 'eth', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 2048 });
  assert.equal(p.layers[2].key, 42);
  assert.equal(p.layers[2].seq, 0);
  assert.equal(p.layers[3].dst, '224.0.0.5');
  assert.equal(p.layers[4].routerId, '1.1.1.1');
  assert.equal(p.layers[4].authType, 0);
  assert.deepEqual(p.warnings, []);
  assert.match(lines[0]!, /"ts":1767225601\.000000,/, 'the timestamp keeps the capture\'s precision');
});

test('- reads standard input; several files continue the frame numbers', () => {
  const bytes = readFileSync(fixture('gre-kinds.pcap'));
  const r = run(['-r', '-', '--json'], bytes);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trimEnd().split('\n').length, 7);
  const two = run(['-r', fixture('gre-kinds.pcap'), fixture('gre-fragments.pcap'), '--json']);
  const frames = two.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).frame);
  assert.deepEqual(frames, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('unreadable input: exit 2, one line, no stack trace', () => {
  for (const [args, message] of [
    [['-r', join(dir, 'nope.pcap')], /^gredump: .*nope\.pcap: no such file\n$/],
    [['-r', BIN], /^gredump: .*gredump\.js: not a pcap or pcapng capture\n$/],
    [['-r', dir], /^gredump: .*: is a directory\n$/],
  ] as const) {
    const r = run([...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('a capture cut mid-record: what was read is printed, a warning, exit 0', () => {
  const whole = readFileSync(fixture('gre-kinds.pcap'));
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, whole.subarray(0, whole.length - 5));
  const r = run(['-r', cut]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trimEnd().split('\n').length, 6);
  assert.match(r.stderr, /^gredump: warning: .*cut\.pcap: capture cut short: record at offset \d+ needs \d+ bytes, \d+ left; 6 packets read before it\n$/);
});

test('-r IN -w OUT copies what is read, and -c N the first N packets', () => {
  const out = join(dir, 'copy.pcap');
  const r = run(['-r', fixture('gre-ospf-cleartext.pcap'), '-w', out, '-c', '5', '--json']);
  assert.equal(r.status, 0);
  const again = run(['-r', out, '--json']);
  assert.deepEqual(again.stdout.trim().split('\n').map((l) => JSON.parse(l).layers), r.stdout.trim().split('\n').map((l) => JSON.parse(l).layers));
  assert.equal(again.stdout.trim().split('\n').length, 5);
});

test('usage errors exit 2 with a hint', () => {
  let r = run([]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /nothing to read/);
  r = run(['-r', fixture('gre-kinds.pcap'), '-c', 'x']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /-c wants a positive whole number/);
  r = run(['--bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown option '--bogus'/);
  assert.equal(run(['--help']).status, 0);
});

test('a closed pipe ends the run quietly', () => {
  const r = spawnSync('sh', ['-c', `node ${BIN} -r ${fixture('tcpdump-various_gre.pcap')} | head -1`], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout.split('\n').length, 2);
  assert.equal(r.stderr, '');
});
