import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

/**
 * Display filters (-Y), field output (-T fields) and packet detail (-V),
 * against tshark where it is installed: filters built at random from the
 * values in the fixtures must select the same frames in both.
 */
const gredump = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
const tshark = (args: string[]) => spawnSync('tshark', args, { encoding: 'utf8' });
const fixture = (name: string) => join(FIXTURES, name);
const OSPF = fixture('gre-ospf-cleartext.pcap');
const frames = (args: string[]) => {
  const r = gredump([...args, '-T', 'fields', '-e', 'frame.number']);
  assert.equal(r.stderr, '', r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map(Number);
};

test('-Y keeps the packets a filter matches, with tshark 4.0 semantics', () => {
  const odd = [1, 3, 5, 7, 9];
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'gre.key == 42 && ip.src#2 == 10.0.0.1']), odd);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'any ip.src == 10.0.0.1']), odd);
  // != is "all differ": frames from 10.0.0.1 carry it once and fail; ~= is "any differs".
  assert.equal(frames(['-r', OSPF, '-Y', 'ip.src != 10.0.0.1']).length, 24 - odd.length);
  assert.equal(frames(['-r', OSPF, '-Y', 'ip.src ~= 10.0.0.1']).length, 24);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'all ip.src == 10.0.0.1']), []);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.number == 1 or frame.number == 2 and frame.number == 3']), [1]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'tcp.port in {23, 1000..2000}']), [10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'tcp.flags & 0x02']), [10, 11]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame matches "(?i)ADMIN"']), [13]);
  // matches is case-insensitive unless (?-i) says otherwise (checked with tshark 4.0).
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame matches "ADMIN"']), [13]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame matches "(?-i)ADMIN"']), []);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame matches "(?-i)admin"']), [13]);
  // A protocol is searched with its payload (the telnet login is in TCP's, GRE's and the outer IP's); its length is
  // still its header's.
  for (const p of ['tcp', 'gre', 'ip', 'eth'])
    assert.deepEqual(frames(['-r', OSPF, '-Y', `${p} contains "admin"`]), [13]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'tcp matches "ADMIN"']), [13]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'len(tcp) > 20']), [10, 11]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'ip.dst#-1 == 224.0.0.5 && frame.number < 5']), [1, 2, 3, 4]);
  assert.deepEqual(
    frames([
      '-r',
      OSPF,
      '-Y',
      'eth.src[0:3] == 02:00:00 and len(ip.src) == 4 and count(ip.src) == 2 and frame.number < 3',
    ]),
    [1, 2],
  );
  assert.deepEqual(
    frames(['-r', OSPF, '-Y', 'gre.key == 0b101010 && gre.key == 052 && gre.proto == IP && frame.number == 1']),
    [1],
  );
  assert.deepEqual(frames(['-r', OSPF, '-Y', '!gre.key']), []);
  // A boolean compared with any number but 0 is compared with true (tshark 4.0).
  const kinds = fixture('gre-kinds.pcap');
  assert.deepEqual(frames(['-r', kinds, '-Y', 'gre.flags.checksum == 2']), [6]);
  assert.deepEqual(frames(['-r', kinds, '-Y', 'gre.flags.checksum < 2']), [1, 2, 3, 4, 5, 7]);
  assert.deepEqual(frames(['-r', kinds, '-Y', 'gre.key == 4294967295 || udp.port == 65535']), []);
  // Byte strings as tshark reads them: one byte as 0x45 or one hex digit, hex pairs with or without separators.
  assert.deepEqual(
    frames(['-r', kinds, '-Y', 'ip[0] == 0x45 && eth.src[0] == 2 && eth.src[0:2] == 0200']),
    [1, 2, 3, 4, 5, 6, 7],
  );
  assert.deepEqual(frames(['-r', kinds, '-Y', 'ip[0] == 5 || ip[0] == 69']), []);
  // Digits are hex, taken two at a time (`450` is 45 00, `255` is 25 05), '.' and '-' after any group.
  assert.equal(
    frames(['-r', kinds, '-Y', 'ip[0:2] == 450 && frame[12:3] == 8-0.45 && frame[12:3] == 0800.45']).length,
    7,
  );
  assert.deepEqual(frames(['-r', kinds, '-Y', 'ip[0] == 255 || frame[12:3] == 80045']), []);
  // A colon makes a byte string of what follows (tshark 4.0's scanner): one or more hex digits, or pairs parted by
  // colons, dots or hyphens, for bytes and Ethernet addresses alike.
  assert.equal(
    frames(['-r', kinds, '-Y', 'frame[0] == :02 && eth.src[0:2] == :02-00 && ip contains :450 && frame contains :ff'])
      .length,
    1,
  );
  assert.deepEqual(
    frames(['-r', OSPF, '-Y', 'eth.src == :02.00.00.00.00.01 && frame contains :ff.ff.ff']),
    [1, 3, 5, 7, 9],
  );
  // An escape in a string is one byte, compared as is; typed characters are UTF-8.
  assert.deepEqual(frames(['-r', kinds, '-Y', 'frame contains "\\xff" && frame contains "\\377"']), [6]);
  assert.deepEqual(frames(['-r', kinds, '-Y', 'frame contains "\u00ff"']), []);
  // A filter may start with a minus, as tshark's -Y takes it.
  assert.equal(frames(['-r', kinds, '-Y', '-frame.len < 0']).length, 7);
  // Layers as tshark 4.0 numbers them: 10.0.0.1 is the inner source (layer 2); there is no layer 0; several ranges.
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'ip.src#0 == 10.0.0.1 || ip.src#[0-1] == 10.0.0.1']), []);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'ip.src#[0,2] == 10.0.0.1']), odd);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'ip.src#[-1:5] == 10.0.0.1']), odd);
  // A negative number against an unsigned field compares nothing: == and > are false, != and === hold.
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.len > -1 || frame.len == -1']), []);
  assert.equal(frames(['-r', OSPF, '-Y', 'frame.len != -1 && frame.len === -1']).length, 24);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'tcp.port in {-1..80, 23}']), [10, 11, 12, 13, 14, 15, 16]);
  // A slice that runs past the end has no value.
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame[-1:5] == 00 || frame[-1:5] != 00']), []);
  // Arithmetic as tshark 4.0 does it (each result checked with tshark): precedence, braces, a subtraction below 0 is
  // signed, a value that overflows 32 bits or divides by zero is dropped, & binds loosest.
  assert.equal(frames(['-r', OSPF, '-Y', 'ip.len#1 + 14 == frame.len']).length, 24);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.len - 100 < 0']), [9, 10, 11, 12, 13, 14, 15, 16, 23, 24]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'tcp.srcport - tcp.dstport < 0']), [11, 12, 14, 16]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.len - 1 > -1']), []);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.len * 40000000 > 0 && frame.number < 11']), [9, 10]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.len / 0 > 0 || frame.len % 0 == 0']), []);
  assert.deepEqual(frames(['-r', OSPF, '-Y', '{frame.len + 2} * 2 == 200 || frame.len + 2 * 2 == 100']), [9, 14]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.number == 1 && -frame.len < 0 && frame.len -1 == 109']), [1]);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'frame.time_relative - 1 < 0']), [1, 2]);
  assert.equal(frames(['-r', OSPF, '-Y', 'ip.ttl & 0x0f + 1 == 0']).length, 22);
  // Functions as tshark 4.0's (each result checked with tshark): string() of integers in decimal and of addresses,
  // upper() and lower() of strings, abs(), max() and min() over every value of their arguments.
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'string(ip.src#2) == "10.0.0.1"']), odd);
  assert.deepEqual(frames(['-r', OSPF, '-Y', 'string(tcp.flags) == "2"']), [10]);
  assert.deepEqual(
    frames(['-r', OSPF, '-Y', 'abs(tcp.srcport - tcp.dstport) == 49129 && frame.number < 12']),
    [10, 11],
  );
  assert.deepEqual(
    frames(['-r', OSPF, '-Y', 'max(tcp.srcport, tcp.dstport) == 49152 && min(tcp.port, 30) == 23']),
    [10, 11, 12, 13, 14, 15, 16],
  );
  // More of tshark 4.0's rules, each checked with it on gre-kinds.pcap: count() of an absent field has no value;
  // arithmetic alone is true where not 0; a negative number in unsigned arithmetic wraps (-3 is 2^32 - 3); where
  // every value was dropped, != holds; len() of a number is its type's width; shorter bytes order first.
  assert.deepEqual(frames(['-r', kinds, '-Y', 'count(vxlan) == 0 || count(vxlan) < 5']), []);
  assert.deepEqual(frames(['-r', kinds, '-Y', 'frame.len - frame.len || frame.len % 2']), []);
  assert.equal(frames(['-r', kinds, '-Y', 'frame.len % -3 == frame.len && frame.len / -3 == 0']).length, 7);
  assert.equal(frames(['-r', kinds, '-Y', 'frame.len % 0 != 5 && frame.len % 0 === 5']).length, 7);
  assert.deepEqual(frames(['-r', kinds, '-Y', 'vxlan.vni + 1 != 5']), []);
  assert.equal(frames(['-r', kinds, '-Y', 'len(frame.len) == 4 && len(ip.flags.df) == 0']).length, 7);
  assert.deepEqual(frames(['-r', kinds, '-Y', 'frame[0:2] < 08']), []);
  // Value names are tshark's own (GRE's 0x0800 is "IP"), quoted or not.
  assert.deepEqual(frames(['-r', kinds, '-Y', 'gre.proto == "Transparent Ethernet bridging"']), [1, 2]);
  // So are a flag's words, in any case (checked with tshark 4.0 on gre-kinds.pcap).
  assert.deepEqual(frames(['-r', kinds, '-Y', 'gre.flags.sequence_number == "Yes"']), [3]);
  assert.deepEqual(frames(['-r', kinds, '-Y', 'gre.flags.key == "no" && ip.flags.df == "Not set"']), [3, 4, 6, 7]);
  const wrongWord = gredump(['-r', kinds, '-Y', 'ip.flags.df == "True"']);
  assert.equal(wrongWord.status, 2);
  assert.match(wrongWord.stderr, /"True" cannot be found among the possible values for ip.flags.df/);
  const ikeMain = fixture('ike-v1-main.pcap');
  assert.equal(frames(['-r', ikeMain, '-Y', 'upper(isakmp.vid_string) contains "DPD"']).length, 2);
  assert.equal(frames(['-r', ikeMain, '-Y', 'lower(isakmp.vid_string) == "xauth"']).length, 2);
});

test("GRE's odd headers select as in tshark: routing entries, versions 2 to 7, PPTP's header by its type, data", () => {
  const HEADERS = fixture('gre-headers.pcap');
  const cases: [string, number[]][] = [
    ['gre.routing', [1, 2, 3]],
    ['gre.routing.address_family == 65534', [1]],
    ['gre.routing.src_length == 3 && gre.routing.sre_offset == 0', [2]],
    ['gre.routing.information == 0a:00:00:01', [3]],
    ['gre.checksum.status == 1', [3]],
    // A version other than 0 is read as version 0's header, but PPP's as PPTP's enhanced one; version 1 carrying IPv4
    // has a 32-bit key and no acknowledgement.
    ['gre.flags.version == 3 && gre.key == 0x11223344 && ip.dst#2 == 10.40.0.2', [4]],
    ['gre.key.call_id == 7 && gre.ack_number == 4 && gre.flags.ack == 1', [5]],
    ['gre.key == 0x00100007', [6]],
    ['gre.flags.ack', [5, 7]],
    ['gre.key.payload_length', [5]],
    ['gre.sequence_number == 6 && ppp', [7]],
    // What no protocol reads is data.
    ['gre && data && !icmp', [8, 9]],
  ];
  const tsharkToo = tsharkAvailable();
  for (const [filter, expected] of cases) {
    assert.deepEqual(frames(['-r', HEADERS, '-Y', filter]), expected, filter);
    if (!tsharkToo) continue;
    const r = tshark(['-n', '-r', HEADERS, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
    assert.deepEqual(r.stdout.trim().split('\n').filter(Boolean).map(Number), expected, `tshark: ${filter}`);
  }
  // Flagged all the same (RFC 2784's receiver drops an unknown version; RFC 2637's header carries PPP, with a key).
  const warnings = gredump(['-r', HEADERS, '--json'])
    .stdout.trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { warnings: string[] }).warnings.map((w) => w.split(':')[0]).join());
  assert.deepEqual(warnings, [
    '',
    '',
    'gre-bad-routing',
    'gre-unknown-version',
    'gre-unknown-version',
    'pptp-not-ppp',
    'pptp-no-key',
    '',
    '',
  ]);
});

test("a datagram put together from fragments selects as in tshark: by its fragments' frames, count, bytes", () => {
  const FRAGMENTS = fixture('gre-fragments.pcap');
  const cases: [string, number[]][] = [
    ['ip.fragment == 1', [2]],
    ['ip.fragment.count == 2 && ip.reassembled.length == 1440', [2]],
    ['ip.reassembled.data[0:2] == a0:00 && icmp', [2]],
    ['ip.fragments && !ip.fragment.error', [2]],
    // The first fragment is a fragment waiting, not one the datagram was put together in.
    ['ip.flags.mf == 1 && !ip.fragments', [1]],
  ];
  const tsharkToo = tsharkAvailable();
  for (const [filter, expected] of cases) {
    assert.deepEqual(frames(['-r', FRAGMENTS, '-Y', filter]), expected, filter);
    if (!tsharkToo) continue;
    const r = tshark(['-n', '-r', FRAGMENTS, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
    assert.deepEqual(r.stdout.trim().split('\n').filter(Boolean).map(Number), expected, `tshark: ${filter}`);
  }
});

test('a filter that does not compile is exit 2 with a caret under the mistake, before reading', () => {
  const r = gredump(['-r', OSPF, '-Y', 'ip.sr == 1']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    'gredump: -Y: "ip.sr" is not a field or protocol (did you mean ip.src?)\n    ip.sr == 1\n    ^~~~~\n',
  );
  const bad = gredump(['-r', OSPF, '-Y', 'ip.src == 300.1.1.1']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /"300\.1\.1\.1" is not a valid IPv4 address/);
  assert.match(bad.stderr, /\n {14}\^~{8}\n$/);
  // Numbers past the field's width, as tshark 4.0 refuses them.
  const wide = gredump(['-r', OSPF, '-Y', 'udp.port == 70000']);
  assert.equal(wide.status, 2);
  assert.match(wide.stderr, /^gredump: -Y: "70000" too big for this field, maximum 65535\n/);
  for (const f of [
    'ip.src ==',
    '(gre',
    'gre.key == "x"',
    'tcp.port in {1 2}',
    'gre.proto == Nope',
    'ip.ttl == 0x100',
    'tcp.port in {1..70000}',
    'gre.key > 4294967296',
    'gre.flags.checksum == -1',
    'ip[0:2] == 0x4500',
    'ip[1] == 0x0',
    // Byte ranges tshark 4.0 refuses: an empty n-m, signs that differ, a length that is not positive.
    'frame[1-1] == 00',
    'frame[-2-3] == 00',
    'frame[3:0] == 00',
    // Arithmetic tshark 4.0 refuses: constants alone on the left, addresses, times multiplied, sums in a set.
    '1 + 2 == frame.len',
    'ip.src + 1 == 10.0.0.2',
    'frame.time_relative * 2 > 0',
    'tcp.port in {1000 + 723}',
    'tcp.srcport * 100000 > 1',
    // Functions' arguments tshark 4.0 refuses.
    'upper(ip.src) == "x"',
    'string(ip.flags.df) == "1"',
    'abs(ip.src) == 1',
    'max(ip.ttl, tcp.srcport) > 0',
    'len(string(frame.len)) == 2',
    'len(eth.src[0:2]) == 2',
    'count(ip)',
    'gre.proto == IPv4',
    'eth.type == NHRP',
    '1 + frame.len > 0',
    'abs(1 - frame.len) > 0',
    'gre.flags.checksum & 1',
    'eth.src contains "a"',
    'ipv6.src contains "a"',
    // A string against an address, colons that do not part pairs (tshark's scanner refuses both).
    'eth.dst == "02:00:00:00:00:02"',
    'ipv6.src == "::1"',
    'eth.addr > "a"',
    'frame[12:2] == 8:00',
    'frame[12:3] == 08:0045',
    // A colon before what is not a byte string; tshark's names that look like bytes (FOUNDATION Fieldbus is `ff`).
    'frame contains :45:0',
    'frame contains :0xff',
    'isakmp.vid_string contains :R',
    'eth.src == :0000.5e00.5301',
    'frame contains ff',
    'frame[0] == fc',
    'ip.src == dc',
  ]) {
    const e = gredump(['-r', OSPF, '-Y', f]);
    assert.equal(e.status, 2, f);
    assert.equal(e.stdout, '', f);
  }
});

test('-r -Y -w writes exactly the matching packets', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-dfilter-'));
  const out = join(dir, 'key77.pcap');
  const r = gredump(['-r', fixture('gre-health.pcap'), '-Y', 'gre.key == 77', '-w', out, '--no-tui']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(frames(['-r', out]).length, frames(['-r', fixture('gre-health.pcap'), '-Y', 'gre.key == 77']).length);
  assert.deepEqual(frames(['-r', out, '-Y', 'gre.key != 77']), []);
  if (!tsharkAvailable())
    return t.diagnostic('tshark is not installed: the -w output is not compared with tshark -Y -w');
  const theirs = join(dir, 'theirs.pcap');
  tshark(['-r', fixture('gre-health.pcap'), '-Y', 'gre.key == 77', '-w', theirs, '-F', 'pcap']);
  // Same packets, byte for byte (the file headers may differ).
  assert.deepEqual(readFileSync(out).subarray(24), readFileSync(theirs).subarray(24));
});

test('-w with no packet to write still writes a capture, header only, over an older file', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'gredump-dfilter-')), 'none.pcap');
  assert.equal(gredump(['-r', OSPF, '-Y', 'gre', '-w', out]).status, 0);
  assert.equal(frames(['-r', out]).length, 24);
  const none = gredump(['-r', OSPF, '-Y', 'esp', '-w', out]);
  assert.equal(none.status, 0, none.stderr);
  const written = readFileSync(out);
  // A pcap header alone (24 bytes), the input's link type (Ethernet), as tcpdump and tshark write it.
  assert.equal(written.length, 24);
  assert.equal(written.readUInt32LE(20), 1);
  assert.deepEqual(frames(['-r', out]), []);
  // An input that cannot be read makes no file.
  const missing = `${out}.not`;
  assert.equal(gredump(['-r', join(FIXTURES, 'no-such.pcap'), '-w', missing]).status, 2);
  assert.throws(() => readFileSync(missing), /ENOENT/);
});

test('-T fields prints columns as tshark does, with -E options', () => {
  const r = gredump([
    '-r',
    OSPF,
    '-c',
    '2',
    '-T',
    'fields',
    '-e',
    'frame.number',
    '-e',
    'ip.src',
    '-e',
    'gre.key',
    '-e',
    'tcp.flags',
    '-E',
    'header=y',
    '-E',
    'separator=,',
    '-E',
    'aggregator=;',
    '-E',
    'quote=d',
  ]);
  assert.equal(
    r.stdout,
    // The header is not quoted (tshark 4.0 prints it so).
    'frame.number,ip.src,gre.key,tcp.flags\n' +
      '"1","192.0.2.1;10.0.0.1","0x0000002a",\n' +
      '"2","198.51.100.7;10.0.0.2","0x0000002a",\n',
  );
  // Payloads as tshark has them (its -T fields output on this capture): the telnet prompt, RIP's entry.
  const payloads = gredump([
    '-r',
    OSPF,
    '-Y',
    'frame.number in {9, 12}',
    '-T',
    'fields',
    '-e',
    'tcp.payload',
    '-e',
    'udp.payload',
  ]);
  assert.equal(payloads.stdout, '\t0202000000020000ac100100ffffff000000000000000001\n6c6f67696e3a20\t\n');
  const last = gredump(['-r', OSPF, '-c', '1', '-T', 'fields', '-e', 'ip.dst', '-E', 'occurrence=l']);
  assert.equal(last.stdout, '224.0.0.5\n');
  const unknown = gredump(['-r', OSPF, '-T', 'fields', '-e', 'gre.kye']);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, 'gredump: -e gre.kye: no such field (did you mean gre.key?)\n');
});

test('-V shows each layer as a tree of labelled, decoded fields; -O only the named ones', () => {
  const r = gredump(['-r', OSPF, '-c', '1', '-V']);
  assert.equal(r.status, 0);
  for (const line of [
    'Generic Routing Encapsulation, GRE key 0x2a seq 0 proto IPv4',
    '    Protocol Type: IP (0x0800)',
    '    Key: 0x0000002a',
    '        ..1. .... .... .... = Key Bit: Yes',
    '    Identification: 0x0000 (0)',
    '    Protocol: Generic Routing Encapsulation (47)',
  ]) {
    assert.ok(r.stdout.split('\n').includes(line), `missing "${line}" in\n${r.stdout}`);
  }
  const only = gredump(['-r', OSPF, '-c', '1', '-O', 'gre']).stdout.split('\n');
  assert.ok(only.includes('    Key: 0x0000002a'));
  assert.ok(!only.includes('    Source Address: 192.0.2.1'));
  const hex = gredump(['-r', OSPF, '-c', '1', '-x']).stdout.split('\n');
  assert.equal(hex[1], '0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00   ..............E.');
  // The fragment offset counts 8-byte units: tshark -V shows it in bytes, -T fields as it is.
  const frag = ['-r', fixture('gre-fragments.pcap'), '-Y', 'frame.number == 2'];
  assert.ok(gredump([...frag, '-V']).stdout.includes('\n    ...0 0000 0111 1101 = Fragment Offset: 1000\n'));
  assert.equal(gredump([...frag, '-T', 'fields', '-e', 'ip.frag_offset']).stdout, '125,0\n');
  // IKE nests as tshark -V does: each payload its subtree, a proposal's transforms in it, an attribute a subtree of
  // its own (not one run of every "Next payload", then every "Payload length"); IKEv1's names are IKEv1's.
  const ike = gredump(['-r', fixture('ike-v1-main.pcap'), '-c', '1', '-V', '-O', 'isakmp']).stdout.split('\n');
  const from = ike.indexOf('    Payload: Security Association (1)');
  assert.deepEqual(ike.slice(from, from + 26), [
    '    Payload: Security Association (1)',
    '        Next payload: Vendor ID (13)',
    '        Reserved: 00',
    '        Payload length: 52',
    '        Domain of interpretation: IPSEC (1)',
    '        Situation: 00000001',
    '            .... .... .... .... .... .... .... ...1 = Identity Only: True',
    '            .... .... .... .... .... .... .... ..0. = Secrecy: False',
    '            .... .... .... .... .... .... .... .0.. = Integrity: False',
    '        Payload: Proposal (2) # 1',
    '            Next payload: NONE / No Next Payload  (0)',
    '            Reserved: 00',
    '            Payload length: 40',
    '            Proposal number: 1',
    '            Protocol ID: ISAKMP (1)',
    '            SPI Size: 0',
    '            Proposal transforms: 1',
    '            Payload: Transform (3) # 1',
    '                Next payload: NONE / No Next Payload  (0)',
    '                Reserved: 00',
    '                Payload length: 32',
    '                Transform number: 1',
    '                Transform ID: KEY_IKE (1)',
    '                Reserved: 0000',
    '                IKE Attribute (t=1,l=2): Encryption-Algorithm: 3DES-CBC',
    '                    1... .... .... .... = Format: Type/Value (TV)',
  ]);
  assert.equal(ike[from + 27], '                    Value: 0005');
  assert.equal(
    ike.filter((l) => l.trim().startsWith('Next payload')).length,
    ike.filter((l) => l.trim().startsWith('Payload:')).length + 1,
  );
});

test("the frame's times and protocols select and print as in tshark: frame.time, frame.protocols, data", {
  skip: spawnSync('tshark', ['-v']).status === 0 ? false : 'tshark is not installed',
}, () => {
  const kinds = fixture('gre-kinds.pcap');
  const utc = { ...process.env, TZ: 'UTC' };
  const theirs = (args: string[]) => spawnSync('tshark', ['-r', kinds, ...args], { encoding: 'utf8', env: utc }).stdout;
  for (const filter of [
    'frame.time >= "2026-01-01 00:00:00.03"',
    'frame.time < "Jan  1, 2026 00:00:00.05 UTC"',
    'frame.time == "2026-01-01T00:00:00.04Z"',
    'frame.time > "2026-01-01T01:00:00.02+01:00"',
    'frame.protocols contains "erspan"',
    'frame.protocols matches ":vlan:.*:icmp:data$"',
    'data.len == 32 && !(frame.protocols contains "vlan")',
    'data.data[0:2] == 61:61',
    'frame.time_delta_displayed >= 0',
  ]) {
    const expected = theirs(['-Y', filter, '-T', 'fields', '-e', 'frame.number']).trim().split('\n').map(Number);
    assert.deepEqual(frames(['-r', kinds, '-Y', filter]), expected, filter);
  }
  // The time delta from the frame displayed before, which -Y decides.
  const shown = ['-Y', 'frame.number == 2 || frame.number == 5 || frame.number == 6', '-T', 'fields'];
  for (const e of ['frame.time', 'frame.time_delta', 'frame.time_delta_displayed', 'frame.protocols', 'data.data'])
    shown.push('-e', e);
  assert.equal(gredump(['-r', kinds, ...shown]).stdout, theirs(shown));
  assert.match(
    gredump(['-r', kinds, ...shown]).stdout,
    /^Jan {2}1, 2026 00:00:00\.020000000 UTC\t0\.010000000\t0\.0+\t/,
  );
  // A time tshark cannot read is refused with its words.
  const bad = gredump(['-r', kinds, '-Y', 'frame.time > "Jan 1, 2026"']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /"Jan 1, 2026" is not a valid absolute time\. Example: "Nov 12, 1999 08:55:44\.123"/);
});

/** A small seeded generator, so a failure names a filter that can be run again. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test("filters built from the fixtures' own values select the same frames as tshark -Y", {
  skip: tsharkAvailable() ? false : 'tshark is not installed (apt-get install tshark)',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-dfilter-'));
  const merged = join(dir, 'all.pcapng');
  // ike-v2-child.pcap: tshark's ESP-NULL heuristic reads encrypted frame 17 as GRE (see tshark.test.ts).
  const inputs = readdirSync(FIXTURES)
    .filter((n) => /\.pcap(ng)?$/.test(n) && n !== 'ike-v2-child.pcap')
    .map(fixture);
  const m = spawnSync('mergecap', ['-a', '-w', merged, ...inputs], { encoding: 'utf8' });
  if (m.status !== 0) return; // mergecap comes with tshark (wireshark-common); without it nothing to compare
  const fields = [
    'ip.src',
    'ip.dst',
    'ip.addr',
    'ip.proto',
    'ip.ttl',
    'gre.key',
    'gre.proto',
    'gre.sequence_number',
    'esp.spi',
    'udp.port',
    'tcp.port',
    'ipv6.addr',
    'eth.src',
    'frame.len',
    // NHRP (#16): dmvpn.pcap and dmvpn-nhrp.pcap are among the fixtures.
    'nhrp.hdr.op.type',
    'nhrp.reqid',
    'nhrp.src.nbma.addr',
    'nhrp.src.prot.addr',
    'nhrp.dst.prot.addr',
    'nhrp.code',
    'nhrp.client.nbma.addr',
    // OSPF's Database Descriptions and LSA headers: gre-ospf-mtu.pcap and the OSPFv2 capture of tcpdump's tests.
    'ospf.db.interface_mtu',
    'ospf.dbd',
    'ospf.advrouter',
    'ospf.lsa.seqnum',
    // TCP's and UDP's streams, numbered over the merged fixtures (tcp-udp-streams.pcap among them).
    'tcp.stream',
    'udp.stream',
    'tcp.ack',
    'tcp.window_size',
    // LLC and spanning tree: llc-stp.pcap (STP, RSTP, MSTP's MSTIs, PVST+; times with fractions) and the BPDUs of
    // tcpdump's various_gre.pcap.
    'llc.dsap',
    'stp.flags.tc',
    'stp.msg_age',
    'stp.root.hw',
    'mstp.msti.msti_id',
    // PPTP's control messages: pptp-control.pcap (every type) and tcpdump-pptp.pcap; not the fields of the SCCRP and
    // OCRP that tcpdump-pptp.pcap retransmits (tshark's stream analysis hands those to no protocol, we read them).
    'pptp.call_serial_number',
    'pptp.framing_type',
    'pptp.identifier',
    'pptp.send_accm',
    'pptp.disc_result',
    // L2TP's AVPs: l2tp-control.pcap (v2 and v3, Cisco's, hidden and unknown ones) and l2tpv3-cookies.pcap's set-ups.
    'l2tp.avp.message_type',
    'l2tp.avp.local_session_id',
    'l2tp.avp.host_name',
    'l2tp.result_code',
    'l2tp.avp.vendor_id',
    // EIGRP's TLVs and RIP's entries: eigrp-tlvs.pcap, eigrp-wide.pcap (wide metrics: a delay of 48 bits, infinite
    // too), gre-health.pcap and the RIP of the GRE fixtures.
    'eigrp.tlv_type',
    'eigrp.par.holdtime',
    'eigrp.ipv4.destination',
    'eigrp.afi',
    'eigrp.metric.delay',
    'rip.metric',
  ];
  const cols = gredump(['-r', merged, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])])
    .stdout.trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const seen = fields.map((_, i) => [...new Set(cols.flatMap((row) => (row[i] ? row[i]!.split(',') : [])))]);
  const random = rng(20261201);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const atom = (): string => {
    const i = Math.floor(random() * fields.length);
    const f = fields[i]!;
    const vals = seen[i]!;
    if (vals.length === 0 || random() < 0.15) return f;
    const v = pick(vals);
    const layered = f.startsWith('ip.') && random() < 0.3 ? `${f}#${pick([1, 2])}` : f;
    if (f.startsWith('ip.') && /\d+\.\d+\.\d+\.\d+/.test(v) && random() < 0.3)
      return `${layered} == ${v}/${pick([8, 16, 24])}`;
    if (/^(0x)?[0-9a-f]+$/i.test(v) && !f.startsWith('eth') && random() < 0.4) {
      return random() < 0.5
        ? `${layered} ${pick(['>', '<', '>=', '<=', '!=', '~='])} ${v}`
        : `${layered} in {${v}, ${pick(vals)}}`;
    }
    return `${pick(['any ', 'all ', ''])}${layered} ${pick(['==', '!=', '==='])} ${v}`;
  };
  const expr = (depth: number): string => {
    const r = random();
    if (depth > 1 || r < 0.4) return atom();
    if (r < 0.55) return `not ${expr(depth + 1)}`;
    return `(${expr(depth + 1)} ${pick(['and', 'or', '&&', '||'])} ${expr(depth + 1)})`;
  };
  const differ: string[] = [];
  for (let k = 0; k < 30; k++) {
    const filter = expr(0);
    const ours = gredump(['-r', merged, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
    // gredump always looks for NULL-encrypted ESP; tshark does when asked.
    const theirs = tshark([
      '-r',
      merged,
      '-o',
      'esp.enable_null_encryption_decode_heuristic:TRUE',
      '-Y',
      filter,
      '-T',
      'fields',
      '-e',
      'frame.number',
    ]);
    if (theirs.status !== 0) continue; // a filter tshark refuses is no comparison
    if (ours.stdout !== theirs.stdout)
      differ.push(
        `${filter}: ours ${ours.stdout.split('\n').length - 1} frames, tshark ${theirs.stdout.split('\n').length - 1}`,
      );
  }
  assert.deepEqual(differ, []);
});
