import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import * as b from './support/builder.js';
import { fixturesCapture, NOT_ACROSS_PARTS } from './support/big-capture.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS, ROOT } from './support/paths.js';

/**
 * Worker threads change nothing in the report: the same audit read in one
 * thread and across workers (whole files, and pcap files cut into small
 * parts so that every seam is exercised) must print the same JSON.
 */
const AUDIT_CODE = `
  const { runAudit } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/audit.js'))});
  const { parseCli } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/args.js'))});
  const [plan, ...files] = process.argv.slice(2);
  const say = (m) => process.stderr.write(m + '\\n');
  process.exitCode = await runAudit(parseCli(['audit', ...files, '--json']), say, JSON.parse(plan));
`;
/**
 * Drivers are files, not `-e` code: worker threads inherit the process's flags, and --input-type stops them loading.
 */
const driverDir = mkdtempSync(join(tmpdir(), 'gredump-drivers-'));
function driver(name: string, code: string): string {
  const path = join(driverDir, name);
  writeFileSync(path, code);
  return path;
}
const AUDIT_DRIVER = driver('audit.mjs', AUDIT_CODE);
const audit = (plan: object, files: string[]) =>
  spawnSync(process.execPath, [AUDIT_DRIVER, JSON.stringify(plan), ...files], { encoding: 'utf8', maxBuffer: 1 << 30 });
const ONE_THREAD = { workers: 1, minBytes: 1e15, partBytes: 1 };

/**
 * The captures cut into parts: the corpus's large enough for 64 KB parts,
 * when it is here, and one made of every fixture's packets, cut in 4 KB
 * parts, that a plain clone has too.
 */
const ALL_FIXTURES = fixturesCapture(join(driverDir, 'all-fixtures.pcap'));
if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: cutting only a capture made of the fixtures' packets`);
const WANT_CUT = HAVE_CORPUS ? 4 : 1;
const partFor = (file: string) => (file === ALL_FIXTURES ? 4096 : 65536);

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(pcap|cap)$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

/** A datagram whose IP fragments lie on both sides of a seam is not reassembled (it is counted as waiting). */
const FRAGMENTS_ACROSS_A_SEAM = [
  'defrag__bug-6942-6887-defrag-eth-ip-gre-ppp-ip-udp-data__eth-ip-gre-ppp-max-ip-packet.pcap',
];

test('an audit across workers, pcap files cut in 64 KB parts, reports what one thread reports', () => {
  let compared = 0;
  for (const file of [ALL_FIXTURES, ...captures(FIXTURES), ...captures(CORPUS)]) {
    const part = partFor(file);
    if (statSync(file).size < 2 * part || FRAGMENTS_ACROSS_A_SEAM.some((n) => file.endsWith(n))) continue;
    const one = audit(ONE_THREAD, [file]);
    const many = audit({ workers: 2, minBytes: 0, partBytes: part }, [file]);
    assert.equal(one.status, many.status, file);
    assert.ok(one.stdout.includes('"tunnels"'), `${file}: ${one.stderr}`);
    assert.equal(many.stdout, one.stdout, file);
    compared++;
  }
  assert.ok(compared >= WANT_CUT, `only ${compared} captures large enough to cut`);
});

test('several files across workers: one report, as if read one after the other', () => {
  const files = captures(FIXTURES).filter((f) => !NOT_ACROSS_PARTS.some((n) => f.endsWith(`/${n}`)));
  const one = audit(ONE_THREAD, files);
  const many = audit({ workers: 3, minBytes: 0, partBytes: 1 << 30 }, files);
  assert.equal(many.status, one.status);
  assert.ok(JSON.parse(one.stdout).tunnels.length > 5);
  assert.equal(many.stdout, one.stdout);
  // A file that cannot be read is said, and the others are still audited.
  const missing = audit({ workers: 2, minBytes: 0, partBytes: 1 << 30 }, [
    files[0]!,
    join(FIXTURES, 'nope.pcap'),
    files[1]!,
  ]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.pcap: no such file/);
  assert.deepEqual(
    JSON.parse(missing.stdout),
    JSON.parse(audit(ONE_THREAD, [files[0]!, join(FIXTURES, 'nope.pcap'), files[1]!]).stdout),
  );
});

test('a capture whose packets carry pcap records cannot fool the cut: that file is read again in one piece', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'gredump-parallel-')), 'records-inside.pcap');
  const w = new PcapWriter(path);
  const greOspf = (seq: number) =>
    b.eth(
      b.ipv4(
        b.gre(b.ipv4(b.ospfHello({ routerId: '1.1.1.1' }), { src: '10.0.0.1', dst: '224.0.0.5', proto: 89 }), {
          protocolType: 0x0800,
          key: 7,
          seq,
        }),
        { src: '192.0.2.1', dst: '198.51.100.7', proto: 47 },
      ),
      { type: 0x0800 },
    );
  for (let i = 0; i < 10; i++) w.write(1767225600 + i, 0, greOspf(i));
  // One big UDP packet whose payload is a thousand well-formed pcap records: a cut in its middle looks right.
  const fake = new Uint8Array(1000 * 56);
  const dv = new DataView(fake.buffer);
  for (let r = 0; r < 1000; r++) {
    dv.setUint32(r * 56, 1767225610, true);
    dv.setUint32(r * 56 + 8, 40, true);
    dv.setUint32(r * 56 + 12, 40, true);
  }
  w.write(
    1767225610,
    0,
    b.eth(b.ipv4(b.udp(fake, { srcPort: 40000, dstPort: 9 }), { src: '192.0.2.50', dst: '192.0.2.51', proto: 17 }), {
      type: 0x0800,
    }),
  );
  for (let i = 10; i < 20; i++) w.write(1767225611 + i, 0, greOspf(i));
  w.close();
  const size = statSync(path).size;
  const one = audit(ONE_THREAD, [path]);
  const many = audit({ workers: 2, minBytes: 0, partBytes: Math.ceil(size / 2) }, [path]);
  assert.equal(JSON.parse(one.stdout).packets, 21);
  assert.equal(many.stdout, one.stdout, many.stderr);
});

/** `gredump -r` across workers must print, byte for byte, what one thread prints. */
const READ_CODE = `
  const { runRead } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/read.js'))});
  const { parseCli } = await import(${JSON.stringify(join(ROOT, 'dist/src/cli/args.js'))});
  const [plan, ...args] = process.argv.slice(2);
  process.exitCode = await runRead(parseCli(args), (m) => process.stderr.write(m + '\\n'), JSON.parse(plan));
`;
const READ = driver('read.mjs', READ_CODE);
const read = (plan: object, args: string[]) =>
  spawnSync(process.execPath, [READ, JSON.stringify(plan), ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });

test('-r and -r --json across workers, pcap files cut in 64 KB parts, print what one thread prints', () => {
  let compared = 0;
  for (const file of [ALL_FIXTURES, ...captures(FIXTURES), ...captures(CORPUS)]) {
    const part = partFor(file);
    if (statSync(file).size < 2 * part) continue;
    for (const args of [
      ['-r', file],
      ['-r', file, '--json'],
    ]) {
      const one = read(ONE_THREAD, args);
      const many = read({ workers: 2, minBytes: 0, partBytes: part }, args);
      assert.ok(one.stdout.length > 0, `${file}: ${one.stderr}`);
      assert.equal(many.status, one.status, `${file}: ${many.stderr}`);
      assert.equal(many.stderr, one.stderr, file);
      assert.ok(many.stdout === one.stdout, `${args.join(' ')}: the lines differ`);
    }
    compared++;
  }
  assert.ok(compared >= WANT_CUT, `only ${compared} captures large enough to cut`);
});

test(
  '-r across workers over several files: frame numbers run on, and ' +
    'unreadable or cut files are said in their place',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'gredump-parallel-'));
    const files = captures(FIXTURES);
    // A copy of a fixture cut in the middle of a record.
    const whole = readFileSync(files[0]!);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 10));
    const args = ['-r', files[1]!, cut, join(dir, 'nope.pcap'), ...files.slice(2), '--json'];
    const one = read(ONE_THREAD, args);
    const many = read({ workers: 3, minBytes: 0, partBytes: 4096 }, args);
    assert.equal(one.status, 2);
    assert.match(one.stderr, /cut\.pcap: capture cut short.*packets read before it\n.*nope\.pcap: no such file/s);
    assert.equal(many.status, one.status);
    assert.equal(many.stderr, one.stderr);
    assert.ok(many.stdout === one.stdout, 'the lines differ');
    const frames = many.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { frame: number }).frame);
    assert.deepEqual(
      frames,
      frames.map((_, i) => i + 1),
    );
  },
);

test('-r across workers stops cleanly when the reader of its output goes away', () => {
  const file = captures(FIXTURES).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  const run = spawnSync(
    'bash',
    [
      '-c',
      `"${process.execPath}" "${READ}" ` +
        `'{"workers":2,"minBytes":0,"partBytes":4096}' -r "${file}" | head -c ` +
        `100 > /dev/null; echo "\${PIPESTATUS[0]}"`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(run.stdout.trim(), '0', run.stderr);
  assert.equal(run.stderr, '');
});
