import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { isTerminal } from '../src/util/terminal.js';
import * as b from './support/builder.js';
import { BIN, FIXTURES } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

const run = (args: string[], input?: Uint8Array) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const fixture = (name: string) => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), 'gredump-cli-'));

test('-r prints one text line a packet with the whole chain', () => {
  const r = run(['-r', fixture('gre-ospf-cleartext.pcap')]);
  assert.equal(r.status, 0);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 24);
  assert.equal(
    lines[0],
    '00:00:01.000000 192.0.2.1 > 198.51.100.7: GRE key 0x2a seq 0 proto ' +
      'IPv4 length 76 | 10.0.0.1 > 224.0.0.5: OSPFv2 Hello router 1.1.1.1 ' +
      'area 0.0.0.0 length 44',
  );
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
  assert.deepEqual(
    p.layers.map((l: { protocol: string }) => l.protocol),
    ['eth', 'ipv4', 'gre', 'ipv4', 'ospf'],
  );
  assert.deepEqual(p.layers[0], { protocol: 'eth', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 2048 });
  assert.equal(p.layers[2].key, 42);
  assert.equal(p.layers[2].seq, 0);
  assert.equal(p.layers[3].dst, '224.0.0.5');
  assert.equal(p.layers[4].routerId, '1.1.1.1');
  assert.equal(p.layers[4].authType, 0);
  assert.deepEqual(p.warnings, []);
  assert.match(lines[0]!, /"ts":1767225601\.000000,/, "the timestamp keeps the capture's precision");
});

test('- reads standard input; several files continue the frame numbers', () => {
  const bytes = readFileSync(fixture('gre-kinds.pcap'));
  const r = run(['-r', '-', '--json'], bytes);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trimEnd().split('\n').length, 7);
  const two = run(['-r', fixture('gre-kinds.pcap'), fixture('gre-fragments.pcap'), '--json']);
  const frames = two.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l).frame);
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
  assert.match(
    r.stderr,
    new RegExp(
      String.raw`^gredump: warning: .*cut\.pcap: capture cut short: record at offset ` +
        String.raw`\d+ needs \d+ bytes, \d+ left; 6 packets read before it\n$`,
    ),
  );
});

test('-r IN -w OUT copies what is read, and -c N the first N packets', () => {
  const out = join(dir, 'copy.pcap');
  const r = run(['-r', fixture('gre-ospf-cleartext.pcap'), '-w', out, '-c', '5', '--json']);
  assert.equal(r.status, 0);
  const again = run(['-r', out, '--json']);
  assert.deepEqual(
    again.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).layers),
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).layers),
  );
  assert.equal(again.stdout.trim().split('\n').length, 5);
});

test(
  '-w writes quietly, as tcpdump and tshark do; -P prints the lines ' + 'too; a form asked for by name still prints',
  () => {
    const input = fixture('gre-kinds.pcap');
    const lines = run(['-r', input]).stdout;
    assert.ok(lines.length > 0);
    const quiet = run(['-r', input, '-w', join(dir, 'quiet.pcap')]);
    assert.deepEqual([quiet.status, quiet.stdout, quiet.stderr], [0, '', '']);
    const printed = run(['-r', input, '-w', join(dir, 'printed.pcap'), '--print']);
    assert.equal(printed.stdout, lines);
    const fields = run(['-r', input, '-w', join(dir, 'fields.pcap'), '-T', 'fields', '-e', 'gre.key']);
    assert.equal(fields.stdout, run(['-r', input, '-T', 'fields', '-e', 'gre.key']).stdout);
    // What is written is the same whether lines are printed or not (only -P differs).
    for (const f of ['printed.pcap', 'fields.pcap'])
      assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(dir, 'quiet.pcap'))), f);
    assert.ok(readFileSync(join(dir, 'quiet.pcap')).equals(readFileSync(input)));
    // -Y still chooses what is written: the packets of key 0x64 only.
    const one = run(['-r', input, '-Y', 'gre.key == 0x64', '-w', join(dir, 'one.pcap'), '-P']);
    assert.equal(one.stdout.trim().split('\n').length, 1);
    assert.equal(run(['-r', join(dir, 'one.pcap')]).stdout, one.stdout);
    // -w -: the same capture on standard output (tcpdump -w - | ...), read back from a pipe.
    const piped = spawnSync(process.execPath, [BIN, '-r', input, '-Y', 'gre.key == 0x64', '-w', '-']);
    assert.equal(piped.status, 0, String(piped.stderr));
    assert.ok(piped.stdout.equals(readFileSync(join(dir, 'one.pcap'))));
    assert.equal(run(['-r', '-'], piped.stdout).stdout, one.stdout);
    // A reader that goes away (| head -c) ends the run quietly, as for lines.
    const cut = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" -r "${input}" -w - | head -c 10 >/dev/null`], {
      encoding: 'utf8',
    });
    assert.deepEqual([cut.status, cut.stderr], [0, '']);
    for (const [args, line] of [
      [['-P'], '-w - writes the capture to standard output: print lines with -w FILE'],
      [['--json'], '-w - writes the capture to standard output: print lines with -w FILE'],
      [['-C', '1'], '-w - writes to standard output: -C, -G and -W rotate files'],
    ] as const) {
      const r = run(['-r', input, '-w', '-', ...args]);
      assert.deepEqual([r.status, r.stdout, r.stderr], [2, '', `gredump: ${line}\n`]);
    }
  },
);

test(
  'usage errors: exit 2, one line of ours (no usage dump, no parseArgs ' +
    'wording), the nearest option for a misspelling',
  () => {
    const kinds = fixture('gre-kinds.pcap');
    for (const [args, line] of [
      [[], 'nothing to read: give -r FILE or -i IFACE (gredump --help)'],
      [['-r', kinds, '-c', 'x'], '-c wants a positive whole number, not "x"'],
      [['--bogus'], 'unknown option --bogus (gredump --help lists the options)'],
      [['-Z'], 'unknown option -Z (gredump --help lists the options)'],
      [['-r', kinds, '--jsno'], 'unknown option --jsno; did you mean --json?'],
      [['-r', kinds, '--threds', '2'], 'unknown option --threds; did you mean --threads?'],
      [['audit', kinds, '--fail', 'high'], 'unknown option --fail; did you mean --fail-on?'],
      [['-r'], '-r wants FILE'],
      [['-r', '-x'], '-r wants FILE, not the option "-x"'],
      [['-r', kinds, '-Y', '-w', 'out.pcap'], '-Y wants FILTER, not the option "-w"'],
      [['-r', kinds, '-Y', '--json'], '-Y wants FILTER, not the option "--json"'],
      [['-r', kinds, '--json=yes'], '--json takes no value'],
      [['-r', kinds, '-i', 'lo'], '-r FILE and -i IFACE do not go together: read a capture or capture live'],
      [['audit', kinds, '-i', 'lo', '-c', '1'], 'audit reads capture files or captures live (-i IFACE), not both'],
      [['-V'], 'nothing to read: give -r FILE or -i IFACE (gredump --help)'],
      [['-r', kinds, '-t', 'ad', '-tt'], '-t ad and -tt do not go together: give one time format'],
      [['-r', kinds, '-tttttt'], "-tttttt: tcpdump's time options go up to -ttttt"],
      [['-r', kinds, '-C', '1'], '-C, -G and -W rotate the -w file: give -w FILE'],
      [
        ['-r', kinds, '-w', join(dir, 'w.pcap'), '-W', '3'],
        '-W COUNT goes with -C MB (a ring of COUNT files) or -G SECONDS (stop after COUNT files)',
      ],
      [['audit', kinds, '--fail-on', 'severe'], '--fail-on wants one of info, low, medium, high, not "severe"'],
      [['-r', kinds, '--fail-on', 'high'], '--fail-on goes with gredump audit or merge: it judges their findings'],
      [['-r', kinds, '-B', '4096'], '-B is for live capture (-i IFACE)'],
      [['-i', 'lo', '-B', '0'], '-B wants a positive whole number, not "0"'],
      [['-i', 'lo', '-B', '2097152'], '-B wants at most 2097151 KiB (just under 2 GiB), not 2097152'],
      [['--help=yes'], '--help takes no value'],
      [
        ['-r', kinds, '--time-format', 'x'],
        '-t wants one of a, ad, adoy, u, ud, udoy, r, d, dd, e (tshark) or -t to -ttttt (tcpdump), not "x"',
      ],
      [['audti', kinds], 'unknown command "audti"; did you mean audit?'],
      [['--json', 'audit', kinds], 'audit comes first: gredump audit [options] FILE...'],
      [['capture.pcap'], 'unexpected "capture.pcap": use -r FILE to read a capture'],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stderr, `gredump: ${line}\n`, args.join(' '));
      assert.equal(r.stdout, '');
    }
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.ok(help.stdout.split('\n').length > 30, '--help stays the whole text');
    for (const flag of [
      '-C, --file-size MB',
      '-G, --rotate-seconds SECONDS',
      '-W, --file-count COUNT',
      '-ttttt',
      '-t a|ad|adoy|u|ud|udoy|r|d|dd|e',
      '-n, -nn',
      '-B, --buffer-size KIB',
      '-v, --version',
    ])
      assert.ok(help.stdout.includes(flag), flag);
  },
);

test('-v and --version print the version; -n and -nn change nothing; --fail-on in any case', () => {
  const version = JSON.parse(readFileSync(join(FIXTURES, '../package.json'), 'utf8')).version;
  for (const flag of ['-v', '--version'])
    assert.deepEqual(run([flag]), { status: 0, stdout: `gredump ${version}\n`, stderr: '' });
  const plain = run(['-r', fixture('gre-kinds.pcap')]);
  assert.deepEqual(run(['-n', '-r', fixture('gre-kinds.pcap')]), plain);
  assert.deepEqual(run(['-nn', '-r', fixture('gre-kinds.pcap')]), plain);
  const upper = run(['audit', fixture('gre-ospf-cleartext.pcap'), '--fail-on', 'HIGH']);
  assert.equal(upper.status, 1);
  assert.deepEqual(upper, run(['audit', fixture('gre-ospf-cleartext.pcap'), '--fail-on', 'high']));
});

const haveTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
const haveTshark = tsharkAvailable();

/** The time at the start of each line, in any of tcpdump's forms ('' when there is none). */
const TIME = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+|[ -]?\d\d+:\d\d:\d\d\.\d+|\d+\.\d+(?= ))?/;
const times = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => TIME.exec(l)![0] ?? '');

test("time formats: -t to -ttttt as tcpdump prints them, and tshark's -t a|ad|r|d|e", {
  skip: haveTcpdump ? false : 'tcpdump, the oracle here, is not installed',
}, () => {
  // A capture tcpdump prints one line a packet, with gaps of hundredths of a second to seconds.
  const file = fixture('gre-ospf-cleartext.pcap');
  for (const [ours, theirs] of [
    [[], []],
    [['-t'], ['-t']],
    [['-tt'], ['-tt']],
    [['-ttt'], ['-ttt']],
    [['-tttt'], ['-tttt']],
    [['-ttttt'], ['-ttttt']],
    [['-t', 'a'], []],
    [['-t', 'ad'], ['-tttt']],
    [['-t', 'r'], ['-ttttt']],
    [['-t', 'd'], ['-ttt']],
    [['-t', 'e'], ['-tt']],
  ] as const) {
    const r = run(['-r', file, ...ours]);
    assert.equal(r.status, 0, r.stderr);
    const t = spawnSync('tcpdump', ['-nn', '-r', file, ...theirs], {
      encoding: 'latin1',
      env: { ...process.env, TZ: 'UTC' },
    });
    assert.equal(t.stdout.trimEnd().split('\n').length, 24);
    assert.deepEqual(times(r.stdout), times(t.stdout), ours.join(' ') || 'default');
    // After the time, one space and the first address (tcpdump's "IP " is not ours); with -t, the address first.
    for (const line of r.stdout.trimEnd().split('\n'))
      assert.match(line.slice(TIME.exec(line)![0].length), ours[0] === '-t' && ours.length === 1 ? /^\d/ : /^ \d/);
  }
});

test("tshark's -t a|ad|adoy|u|ud|udoy, apart or glued (-tad), give tshark's time column; u in UTC whatever TZ says", {
  skip: haveTshark ? false : 'tshark, the oracle here, is not installed',
}, () => {
  const file = fixture('gre-ospf-cleartext.pcap');
  // A zone nine hours from UTC, so that a and u differ.
  const env = { ...process.env, TZ: 'Asia/Tokyo' };
  const timeOf = (line: string) => line.slice(0, line.search(/ \d+\.\d+\.\d+\.\d+ > /));
  for (const f of ['a', 'ad', 'adoy', 'u', 'ud', 'udoy']) {
    const theirs = spawnSync('tshark', ['-r', file, '-t', f, '-T', 'fields', '-e', '_ws.col.Time'], {
      encoding: 'utf8',
      env,
    });
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.equal(theirs.stdout.trimEnd().split('\n').length, 24);
    for (const args of [['-t', f], [`-t${f}`]]) {
      const ours = spawnSync(process.execPath, [BIN, '-r', file, ...args], { encoding: 'utf8', env });
      assert.equal(ours.status, 0, ours.stderr);
      assert.deepEqual(
        ours.stdout.trimEnd().split('\n').map(timeOf),
        theirs.stdout.trimEnd().split('\n'),
        args.join(' '),
      );
    }
  }
  // The spans (d, dd, r) and epoch (e) in tcpdump's form, glued or apart; -tr stays tcpdump's -t -r FILE (as in -tnr).
  for (const [f, same] of [
    ['d', '-ttt'],
    ['dd', '-ttt'],
    ['r', '-ttttt'],
    ['e', '-tt'],
  ] as const) {
    assert.deepEqual(run(['-r', file, '-t', f]), run(['-r', file, same]), f);
    if (f !== 'r') assert.deepEqual(run(['-r', file, `-t${f}`]), run(['-r', file, same]), f);
  }
  assert.deepEqual(run(['-tnr', file]), run(['-t', '-r', file]));
});

test('the default line carries the date on packets of another day than the first', () => {
  const path = join(dir, 'two-days.pcap');
  const w = new PcapWriter(path);
  const ping = b.eth(
    b.ipv4(b.icmpEcho({ request: true, id: 1, seq: 1 }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 1 }),
    { type: 0x0800 },
  );
  for (const t of [1767311998, 1767311999, 1767312000, 1767312001]) w.write(t, 250000000, ping);
  w.close();
  const r = run(['-r', path]);
  assert.deepEqual(
    r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' 192.0.2.1')[0]),
    ['23:59:58.250000', '23:59:59.250000', '2026-01-02 00:00:00.250000', '2026-01-02 00:00:01.250000'],
  );
});

test(
  '-Y -w keeps a packet whose IPv4 checksum is wrong, unchecked when ' +
    'nothing is printed; -P still says it is wrong',
  () => {
    const path = join(dir, 'bad-ip-sum.pcap');
    const w = new PcapWriter(path);
    const ping = b.eth(
      b.ipv4(b.icmpEcho({ request: true, id: 1, seq: 1 }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 1 }),
      { type: 0x0800 },
    );
    const bad = ping.slice();
    bad[14 + 10]! ^= 0xff;
    w.write(1767311998, 0, ping);
    w.write(1767311999, 0, bad);
    w.close();
    const out = join(dir, 'bad-ip-sum-out.pcap');
    for (const filter of ['icmp', 'ip.src == 192.0.2.1']) {
      assert.equal(run(['-r', path, '-Y', filter, '-w', out]).status, 0);
      assert.deepEqual(readFileSync(out), readFileSync(path), filter);
    }
    const printed = run(['-r', path, '-Y', 'icmp', '-w', out, '-P']).stdout.trimEnd().split('\n');
    assert.equal(printed.length, 2);
    assert.doesNotMatch(printed[0]!, /bad-checksum/);
    assert.match(printed[1]!, /\[bad-checksum: ipv4 checksum 0x[0-9a-f]+ is wrong/);
  },
);

test('a closed pipe ends the run quietly', () => {
  const r = spawnSync('sh', ['-c', `node ${BIN} -r ${fixture('tcpdump-various_gre.pcap')} | head -1`], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0);
  assert.equal(r.stdout.split('\n').length, 2);
  assert.equal(r.stderr, '');
});

test(
  'compressed captures: gzip and zstd read directly, from files and ' +
    'standard input, recognised by their first bytes',
  () => {
    const plain = readFileSync(fixture('tcpdump-various_gre.pcap'));
    const text = run(['-r', fixture('tcpdump-various_gre.pcap')]).stdout;
    const json = run(['-r', fixture('tcpdump-various_gre.pcap'), '--json']).stdout;
    const gz = join(dir, 'various.pcap.gz');
    writeFileSync(gz, gzipSync(plain));
    const noName = join(dir, 'capture-without-extension');
    // Two gzip members, as `cat a.gz b.gz` makes, cut in the middle of a record.
    writeFileSync(noName, Buffer.concat([gzipSync(plain.subarray(0, 5000)), gzipSync(plain.subarray(5000))]));
    const cases: [string, string[], Uint8Array?][] = [
      ['gz file', ['-r', gz]],
      ['gz without a name', ['-r', noName]],
      ['gz on stdin', ['-r', '-'], readFileSync(gz)],
    ];
    const zstd = spawnSync('zstd', ['-q', '-c', fixture('tcpdump-various_gre.pcap')]);
    if (zstd.status === 0) {
      const zst = join(dir, 'various.pcap.zst');
      writeFileSync(zst, zstd.stdout);
      cases.push(['zst file', ['-r', zst]], ['zst on stdin', ['-r', '-'], zstd.stdout]);
    } else console.log('# zstd is not installed: the zstd cases are left out (apt-get install zstd)');
    for (const [what, args, input] of cases) {
      const r = run(args, input);
      assert.deepEqual([r.status, r.stderr], [0, ''], what);
      assert.equal(r.stdout, text, what);
      assert.equal(run([...args, '--json'], input).stdout, json, what);
    }
    const audit = (args: string[]) => JSON.parse(run(['audit', ...args, '--json']).stdout);
    assert.deepEqual(audit([gz]), audit([fixture('tcpdump-various_gre.pcap')]));
  },
);

test('compressed captures gredump cannot read, or cut short: one line that says so and how to read them', () => {
  const xz = join(dir, 'day.pcap.xz');
  writeFileSync(xz, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0, 4, 0xe6]));
  const bz = join(dir, 'day.bz2');
  writeFileSync(bz, Buffer.from('BZh91AY&SY'));
  for (const [args, input, line] of [
    [['-r', xz], undefined, `${xz}: compressed with xz, which gredump does not read; xzcat ${xz} | gredump -r -`],
    [
      ['-r', '-'],
      readFileSync(xz),
      'standard input: compressed with xz, which gredump does not read; put xzcat in the pipe before gredump -r -',
    ],
    [['-r', bz], undefined, `${bz}: compressed with bzip2, which gredump does not read; bzcat ${bz} | gredump -r -`],
    [['audit', bz], undefined, `${bz}: compressed with bzip2, which gredump does not read; bzcat ${bz} | gredump -r -`],
  ] as const) {
    const r = run([...args], input);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr, `gredump: ${line}\n`);
  }
  // A gzip file cut short: the packets before the cut, a warning, exit 0, as for a capture cut short.
  const whole = gzipSync(readFileSync(fixture('tcpdump-various_gre.pcap')));
  const cut = join(dir, 'cut.pcap.gz');
  writeFileSync(cut, whole.subarray(0, 1000));
  const r = run(['-r', cut]);
  assert.equal(r.status, 0);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.length > 10 && lines.length < 100, `${lines.length} packets`);
  assert.deepEqual(
    lines,
    run(['-r', fixture('tcpdump-various_gre.pcap')])
      .stdout.split('\n')
      .slice(0, lines.length),
  );
  assert.equal(
    r.stderr,
    `gredump: warning: ${cut}: gzip data cut short or damaged after 1000 ` +
      `compressed bytes; ${lines.length} packets read before it\n`,
  );
});

test('text lines go into a pipe with blocking writes (standard output is never made non-blocking)', {
  skip: process.platform !== 'linux' ? 'reads /proc' : false,
}, async () => {
  const { spawn } = await import('node:child_process');
  // Enough lines to fill the pipe, which this test does not read until it has looked.
  const files = Array.from({ length: 200 }, () => fixture('gre-ospf-cleartext.pcap'));
  const child = spawn(process.execPath, [BIN, '-r', ...files], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((r) => setTimeout(r, 1500));
  const flags = parseInt(/flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${child.pid}/fdinfo/1`, 'utf8'))![1]!, 8);
  let lines = 0;
  child.stdout.on('data', (d: Buffer) => {
    for (const c of d) if (c === 10) lines++;
  });
  const status = await new Promise((r) => child.on('exit', r));
  assert.equal(flags & 0o4000, 0, 'O_NONBLOCK is set on standard output');
  assert.equal(status, 0);
  assert.equal(lines, 200 * 24);
});

/** The "length N" numbers of a line, in order. */
const lengths = (line: string) => [...line.matchAll(/length (\d+)/g)].map((m) => Number(m[1]));

test('every line gives lengths, the ones tcpdump gives: outer payload, and for tunnels the inner one', {
  skip: haveTcpdump ? false : 'tcpdump, the oracle here, is not installed',
}, () => {
  // tcpdump's OSPF length leaves out the authentication digest (tcpdump-OSPFv2_Capture_FINAL.pcapng); ours is the IP
  // payload, so that file is left out.
  for (const name of [
    'gre-ospf-cleartext.pcap',
    'gre-kinds.pcap',
    'gre-health.pcap',
    'gre-over-ipsec.pcap',
    'gre-fragments.pcap',
    'ah-gre.pcap',
    'arkime-ah-esp.pcap',
    'esp-scapy.pcap',
    'pptp.pcap',
    'tcpdump-pptp.pcap',
    'tcpdump-various_gre.pcap',
    'lldp.pcap',
    'tcpdump-espudp1.pcap',
    'zeek-gre-over-udp-4754.pcap',
  ]) {
    const ours = run(['-r', fixture(name)])
      .stdout.trimEnd()
      .split('\n');
    const theirs = spawnSync('tcpdump', ['-nn', '-r', fixture(name)], { encoding: 'latin1' })
      .stdout.trimEnd()
      .split('\n')
      .filter((l) => /^\d\d:/.test(l));
    assert.equal(ours.length, theirs.length, name);
    let compared = 0;
    ours.forEach((line, i) => {
      const a = lengths(line);
      const b = lengths(theirs[i]!);
      // Loopback: tcpdump gives "data (44 octets)", after the loopback header; ours is the frame after Ethernet.
      if (!line.includes(' Loopback ')) assert.ok(a.length > 0, `${name} ${i + 1}: no length in ${line}`);
      // Where both give lengths they agree; one may go deeper (tcpdump into LCP, we into ERSPAN's payload).
      const both = Math.min(a.length, b.length);
      assert.deepEqual(a.slice(0, both), b.slice(0, both), `${name} ${i + 1}:\n${line}\n${theirs[i]}`);
      compared += both;
    });
    assert.ok(compared >= ours.length / 2, `${name}: only ${compared} lengths compared`);
  }
});

test(
  'lines name what they carry: GRE checksum status, ICMPv6 echo, MPLS ' +
    'labels, LLC, CDP, LLDP, Loopback; no doubled words, no empty segment',
  () => {
    const lines = (name: string) =>
      run(['-r', fixture(name), '-t'])
        .stdout.trimEnd()
        .split('\n');
    const health = lines('gre-health.pcap');
    // tshark (Debian) says of frame 9: "Checksum: 0x47b2 incorrect, should be 0x47a2".
    assert.equal(
      health[8],
      '203.0.113.9 > 192.0.2.1: GRE bad sum 0x47b2 (should be 0x47a2) key ' +
        '0x4d seq 0 proto IPv4 length 76 | 10.3.0.1 > 10.1.0.1: ICMP echo ' +
        'reply id 1 seq 0 length 40 [gre-bad-checksum: GRE checksum 0x47b2 is ' +
        'wrong (should be 0x47a2)]',
    );
    const kinds = lines('gre-kinds.pcap');
    assert.equal(
      kinds[5],
      '198.51.100.7 > 192.0.2.1: GRE sum ok proto IPv6 length 56 | ' +
        '2001:db8::1 > ff02::1: ICMPv6 echo request id 1 seq 1 length 8',
    );
    assert.equal(
      kinds[6],
      '203.0.113.9 > 192.0.2.1: GRE length 68 MPLS label 16 tc 0 [S] ttl 64 ' +
        '| 10.30.0.1 > 10.30.0.2: ICMP echo request id 1 seq 1 length 40',
    );
    assert.equal(
      kinds[2],
      '198.51.100.7 > 203.0.113.9: GRE seq 1 length 90 ERSPAN-II session 12 ' +
        'ether 02:aa:00:00:00:01 > 02:aa:00:00:00:02 type 0x0800 | 172.16.0.1 ' +
        '> 172.16.0.2: ICMP echo request id 1 seq 1 length 40',
    );
    const various = new Set(
      lines('tcpdump-various_gre.pcap').map((l) =>
        l.replace(/\d+\.\d+\.\d+\.\d+/g, 'A').replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, 'M'),
      ),
    );
    for (const line of [
      'ether M > M LLC STP length 35',
      'ether M > M LLC SNAP PVST+ length 42',
      'ether M > M type 0x8100 vlan 1213 LLC SNAP PVST+ length 42',
      "ether M > M LLC SNAP CDPv2, ttl: 180s, Device-ID 'SW1' length 424",
      'ether M > M LLC SNAP DTP length 26',
      'ether M > M Loopback length 50',
      "A > A: GRE key 0x28 length 361 CDPv2, ttl: 180s, Device-ID 'R1'",
    ]) {
      assert.ok(various.has(line), line);
    }
    // LLDP names its device as CDP does: the system name (or chassis ID, of its kind) and the port ID, escaped.
    assert.deepEqual(lines('lldp.pcap').slice(0, 4), [
      "ether 02:00:00:00:04:01 > 01:80:c2:00:00:0e type 0x88cc LLDP, ttl: 120s, System-Name 'sw1.example', " +
        "Port-ID 'Gi0/1' length 312",
      '192.0.2.31 > 198.51.100.31: GRE proto TEB length 64 ether 02:00:00:00:04:31 > 01:80:c2:00:00:0e type 0x88cc ' +
        "LLDP, ttl: 120s, System-Name 'R31\\033[2J\\a', Port-ID '2001:db8::31'",
      'ether 02:00:00:00:04:01 > 01:80:c2:00:00:0e type 0x88cc LLDP, ttl: 120s, Chassis-ID LA/rack-4, Port-ID ' +
        "'02:00:00:00:04:bb' length 46",
      'ether 02:00:00:00:04:01 > 01:80:c2:00:00:0e type 0x88cc LLDP, ttl: 120s, Chassis-ID NA/0200000004cc, Port-ID ' +
        "'010203' length 46",
    ]);
    // IPv6 in IPv4 whose IPv6 carries nothing (next header 59), as tcpdump says it; beside it IPv4 in IPv6.
    assert.deepEqual(lines('overlays.pcap').slice(6), [
      '192.0.2.83 > 198.51.100.83: IPv6 length 40 | 2001:db8:83::1 > 2001:db8:83::2: no next header length 0',
      '2001:db8:84::1 > 2001:db8:84::2: IPv4 length 28 | 10.84.0.1 > 10.84.0.2: ICMP echo request id 6 seq 1 length 8',
    ]);
    // IS-IS over GRE: protocol type 0x00fe named as tshark names it ("OSI").
    assert.equal(
      lines('isis-cut.pcap')[0],
      '192.0.2.71 > 198.51.100.71: GRE proto OSI length 39 IS-IS P2P HELLO 1921.6800.1004',
    );
    const pptp = lines('tcpdump-pptp.pcap');
    assert.ok(
      pptp.some((l) => l.includes('GREv1 call 0 seq 0 length 60 PPP LCP Configure-Request')),
      'PPP named once',
    );
    // PAP's and CHAP's codes are their own: CHAP's code 1 is a Challenge where LCP's is a Configure-Request.
    const control = lines('ppp-control.pcap');
    assert.match(control[0]!, / PPP LCP Configure-Request$/);
    assert.match(control[1]!, / PPP CHAP Challenge$/);
    assert.match(control[6]!, / PPP PAP Authenticate-Request length 17$/);
    assert.match(control[10]!, / PPP CHAP Failure length 11$/);
    for (const name of readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f))) {
      for (const line of lines(name)) {
        assert.doesNotMatch(
          line.replace(/\[.*$/, ''),
          /(^| )([A-Za-z][A-Za-z0-9-]*) \2( |$)/,
          `${name}: a doubled word in ${line}`,
        );
        assert.doesNotMatch(line, /: \|/, `${name}: an empty segment in ${line}`);
      }
    }
    // IP in IP, and IKEv2 with who sends it: built here.
    const path = join(dir, 'ipip-ike.pcap');
    const w = new PcapWriter(path);
    const ping = b.ipv4(b.icmpEcho({ request: true, id: 7, seq: 1 }), { src: '10.0.0.1', dst: '10.0.0.2', proto: 1 });
    w.write(1767225600, 0, b.eth(b.ipv4(ping, { src: '192.0.2.1', dst: '198.51.100.7', proto: 4 }), { type: 0x0800 }));
    for (const flags of [0x08, 0x20]) {
      const ike = b.isakmpHeader({ initiatorSpi: 1n, exchange: 34 });
      ike[19] = flags;
      w.write(
        1767225601,
        0,
        b.eth(
          b.ipv4(b.udp(ike, { srcPort: 500, dstPort: 500 }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 17 }),
          {
            type: 0x0800,
          },
        ),
      );
    }
    // Aruba's 802.11 tunnels (0x8200 to 0x8370 by 0x10, Wireshark's "ARUBA WLAN"), and 0x8201 beside them, which is not
    // one for tshark (-G decodes) nor here.
    // The 802.11 data frame's header alone (frame control 0x0800), no body.
    const wlanHeader = new Uint8Array(24);
    wlanHeader[0] = 0x08;
    for (const protocolType of [0x8210, 0x8201])
      w.write(
        1767225602,
        0,
        b.eth(b.ipv4(b.gre(wlanHeader, { protocolType }), { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 }), {
          type: 0x0800,
        }),
      );
    w.close();
    assert.deepEqual(run(['-r', path, '-t']).stdout.trimEnd().split('\n'), [
      '192.0.2.1 > 198.51.100.7: IPv4 length 60 | 10.0.0.1 > 10.0.0.2: ICMP echo request id 7 seq 1 length 40',
      '192.0.2.1 > 198.51.100.7: UDP 500 > 500 length 28 IKEv2 IKE_SA_INIT initiator msgid 0 spi 0000000000000001',
      '192.0.2.1 > 198.51.100.7: UDP 500 > 500 length 28 IKEv2 IKE_SA_INIT responder msgid 0 spi 0000000000000001',
      '192.0.2.1 > 198.51.100.7: GRE proto Aruba 0x8210 length 28 802.11 00:00:00:00:00:00 > 00:00:00:00:00:00',
      '192.0.2.1 > 198.51.100.7: GRE proto 0x8201 length 28',
    ]);
  },
);

test('isTerminal: no terminal in /dev/null, a file, a pipe or a closed descriptor; a terminal under script(1)', () => {
  const devNull = openSync('/dev/null', 'r');
  const file = openSync(join(FIXTURES, 'arkime-ah-esp.pcap'), 'r');
  assert.equal(isTerminal(devNull), false);
  assert.equal(isTerminal(file), false);
  closeSync(devNull);
  closeSync(file);
  assert.equal(isTerminal(file), false); // closed
  const module = new URL('../src/util/terminal.js', import.meta.url).href;
  const probe = `import('${module}').then((m) => process.stdout.write(m.isTerminal(1) + ' ' + m.isTerminal(0)))`;
  const piped = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
  assert.equal(piped.stdout.trim(), 'false false');
  // The look-alike: a terminal on both ends, as isatty() says.
  const onTerminal = spawnSync('script', ['-qec', `${process.execPath} -e "${probe}"`, '/dev/null'], {
    encoding: 'utf8',
  });
  assert.equal(onTerminal.stdout.trim(), 'true true');
});
