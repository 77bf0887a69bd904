import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { oneShotTunnelPacket } from './support/hostile.js';
import { numberedGre } from './support/numbered-gre.js';
import { VethPair } from './support/veth.js';
import { BIN, FIXTURES, ROOT } from './support/paths.js';

/**
 * Live capture for real: two network namespaces joined by a veth pair that
 * this test makes (198.18.0.0/15 addresses), a fixture's frames injected
 * with tcpreplay on one side, `gredump -i` capturing on the other. Never
 * touches a real interface. Skips, saying why, where it cannot run.
 */
const FIXTURE = join(FIXTURES, 'gre-ospf-cleartext.pcap');
const FRAMES = 24;
const veth = new VethPair(`gd${process.pid % 100000}`, '198.18.0');
const { nsA, nsB, vA, vB } = veth;
const dir = mkdtempSync(join(tmpdir(), 'gredump-live-'));

function sh(cmd: string) {
  return spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
}

/** Fresh namespaces: those of a test before, or of whyNot() when a test runs alone (--test-name-pattern), go first. */
const makeNamespaces = () => {
  veth.remove();
  return veth.make();
};

function whyNot(): string | null {
  if (process.getuid?.() !== 0) return 'live capture tests need root (CI runs them as root)';
  if (!existsSync(join(ROOT, 'native/build/Release/gredump_pcap.node')))
    return 'the libpcap binding is not built (apt-get install libpcap-dev, then npm run build:native)';
  for (const tool of ['ip', 'tcpreplay', 'capinfos'])
    if (sh(`command -v ${tool}`).status !== 0) return `${tool} is not installed`;
  const made = makeNamespaces();
  if (made.status !== 0) return `cannot make network namespaces here: ${made.stderr.trim()}`;
  return null;
}

const cleanup = () => veth.remove();

/** How many captures hold namespace B's interface in promiscuous mode (the kernel counts them). */
function promiscuity(): number {
  return Number(/promiscuity (\d+)/.exec(sh(`ip -n ${nsB} -d link show ${vB}`).stdout)?.[1]);
}

const layersOf = (ndjson: string) =>
  ndjson
    .trim()
    .split('\n')
    .map((l) => {
      const p = JSON.parse(l) as { layers: unknown; warnings: unknown };
      return { layers: p.layers, warnings: p.warnings };
    });

/** Starts gredump in namespace B and waits for it to say it is capturing. */
function capture(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> & { ready: Promise<void> } {
  const child = spawn('ip', ['netns', 'exec', nsB, process.execPath, BIN, '-i', vB, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onReady: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.includes('capturing on')) onReady();
  });
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGINT'), 30_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      onReady();
      resolve({ status, stdout, stderr });
    });
  });
  return Object.assign(done, { ready });
}

const skip = whyNot();
if (skip) console.log(`# live capture tests skipped: ${skip}`);

test('live: every injected frame is captured, dissected as from the file, and written with -w', {
  skip: skip ?? false,
  timeout: 60_000,
}, async () => {
  try {
    const out = join(dir, 'live.pcap');
    const run = capture(['--json', '-c', String(FRAMES), '-w', out]);
    await run.ready;
    assert.equal(promiscuity(), 1, 'promiscuous by default, as tcpdump');
    const replay = sh(`ip netns exec ${nsA} tcpreplay --topspeed -i ${vA} ${FIXTURE}`);
    assert.equal(replay.status, 0, replay.stderr);
    const r = await run;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`capturing on ${vB}, link type 1, promiscuous, filter: \\(ip proto 47 or`));
    assert.match(
      r.stderr,
      new RegExp(
        `${FRAMES} packets captured on ${vB}, 0 dropped by the kernel ` +
          `\\(buffer full\\), 0 by the interface, written to`,
      ),
    );
    const fromFile = spawnSync(process.execPath, [BIN, '-r', FIXTURE, '--json'], { encoding: 'utf8' }).stdout;
    assert.deepEqual(layersOf(r.stdout), layersOf(fromFile));
    assert.match(sh(`capinfos -c -M ${out}`).stdout, new RegExp(`Number of packets:\\s+${FRAMES}\\b`));
    assert.match(
      sh(`capinfos ${out}`).stdout,
      /File timestamp precision:\s+nanoseconds \(9\)/,
      'kernel timestamps in nanoseconds',
    );
    const reread = spawnSync(process.execPath, [BIN, '-r', out, '--json'], { encoding: 'utf8' }).stdout;
    assert.deepEqual(layersOf(reread), layersOf(fromFile));
  } finally {
    cleanup();
  }
});

test("live audit with --duration; a filter that does not compile is libpcap's word", {
  skip: skip ?? false,
  timeout: 60_000,
}, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    const run = capture(['--duration', '3', '--json', '-p']);
    const audit = spawn(
      'ip',
      ['netns', 'exec', nsB, process.execPath, BIN, 'audit', '-i', vB, '--duration', '4', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let report = '';
    audit.stdout.on('data', (d) => (report += d));
    await run.ready;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(promiscuity(), 1, 'the audit capture is promiscuous, the -p one is not');
    sh(`ip netns exec ${nsA} tcpreplay --topspeed -i ${vA} ${FIXTURE}`);
    await run;
    await new Promise((r) => audit.on('exit', r));
    const a = JSON.parse(report) as { tunnels: { key: number; packets: number; multicast: string[] }[] };
    assert.deepEqual(
      a.tunnels.map((t) => [t.key, t.packets, t.multicast]),
      [[42, FRAMES, ['224.0.0.5', '224.0.0.9']]],
    );
    const bad = spawnSync('ip', ['netns', 'exec', nsB, process.execPath, BIN, '-i', vB, '-f', 'ip proto ((('], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^gredump: the capture filter does not compile: .*syntax error$/m);
  } finally {
    cleanup();
  }
});

test('live audit --every: a partial and a report line a period, named by sensor and time; merged, the whole capture', {
  skip: skip ?? false,
  timeout: 60_000,
}, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    const out = join(dir, 'periods');
    mkdirSync(out);
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        nsB,
        process.execPath,
        BIN,
        'audit',
        '-i',
        vB,
        '--every',
        '2',
        '--partial',
        `${out}/`,
        '--json',
        '--sensor',
        'edge-1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    const ready = new Promise<void>((r) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('capturing on')) r();
      }),
    );
    await ready;
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(300);
    // Two bursts further apart than a period: at least two periods with packets.
    sh(`ip netns exec ${nsA} tcpreplay --topspeed -i ${vA} ${FIXTURE}`);
    await pause(2500);
    sh(`ip netns exec ${nsA} tcpreplay --topspeed -i ${vA} ${FIXTURE}`);
    await pause(2500);
    child.kill('SIGINT');
    await new Promise((r) => child.on('exit', r));
    const names = readdirSync(out).sort();
    assert.ok(names.length >= 2, names.join(' '));
    assert.ok(
      names.every((n) => /^edge-1-\d{8}T\d{6}Z\.gdp$/.test(n)),
      names.join(' '),
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sensor: string; period: { start: number; end: number }; packets: number });
    assert.equal(lines.length, names.length, stdout);
    assert.ok(lines.every((l) => l.sensor === 'edge-1' && l.period.end - l.period.start === 2));
    assert.equal(lines.filter((l) => l.packets > 0).length >= 2, true);
    assert.equal(
      lines.reduce((n, l) => n + l.packets, 0),
      2 * FRAMES,
    );
    const merged = spawnSync(process.execPath, [BIN, 'merge', ...names.map((n) => join(out, n)), '--json'], {
      encoding: 'utf8',
    });
    assert.equal(merged.status, 0, merged.stderr);
    const a = JSON.parse(merged.stdout) as { tunnels: { key: number; packets: number }[] };
    assert.deepEqual(
      a.tunnels.map((t) => [t.key, t.packets]),
      [[42, 2 * FRAMES]],
    );
  } finally {
    cleanup();
  }
});

test('live: -i any gives Linux cooked frames under the default filter; ' +
  'Ctrl-C ends with a complete file and a summary', {
  skip: skip ?? false,
  timeout: 60_000,
}, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    const out = join(dir, 'any.pcap');
    const child = spawn('ip', ['netns', 'exec', nsB, process.execPath, BIN, '-i', 'any', '--json', '-w', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    for (let i = 0; i < 100 && !stderr.includes('capturing on'); i++) await new Promise((r) => setTimeout(r, 100));
    // Linux cooked frames carry no VLAN tags, so the default filter goes without its vlan half.
    assert.match(stderr, /capturing on any, link type 113, promiscuous, filter: ip proto 47 or /);
    assert.equal(sh(`ip netns exec ${nsA} tcpreplay --topspeed -i ${vA} ${FIXTURE}`).status, 0);
    for (let i = 0; i < 50 && stdout.trim().split('\n').length < FRAMES; i++)
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(
      stderr,
      new RegExp(
        `${FRAMES} packets captured on any, 0 dropped by the kernel \\(buffer full\\), 0 by the interface, written to`,
      ),
    );
    const fromFile = layersOf(spawnSync(process.execPath, [BIN, '-r', FIXTURE, '--json'], { encoding: 'utf8' }).stdout);
    const live = layersOf(stdout);
    assert.deepEqual(
      live.map((p) => (p.layers as { protocol: string }[])[0]!.protocol),
      Array<string>(FRAMES).fill('sll'),
    );
    assert.deepEqual(
      live.map((p) => (p.layers as unknown[]).slice(1)),
      fromFile.map((p) => (p.layers as unknown[]).slice(1)),
    );
    assert.match(sh(`capinfos -c -E ${out}`).stdout, new RegExp(`Number of packets:\\s+${FRAMES}\\b`));
  } finally {
    cleanup();
  }
});

/** The GRE sequence numbers of a capture file, in order, and what capinfos counts in it. */
function greSeqs(path: string): { seqs: number[]; capinfos: number } {
  const json = spawnSync(process.execPath, [BIN, '-r', path, '--json'], { encoding: 'utf8' });
  assert.equal(json.status, 0, `${path}: ${json.stderr}`);
  // -G opens its first file when the capture starts (as tcpdump): on a loaded machine it may close before a packet
  // came.
  const seqs = (json.stdout.trim() ? json.stdout.trim().split('\n') : []).map(
    (l) =>
      (JSON.parse(l) as { layers: { protocol: string; seq?: number }[] }).layers.find((x) => x.protocol === 'gre')!
        .seq!,
  );
  const info = sh(`capinfos -c -M ${path}`);
  assert.equal(info.status, 0, `capinfos cannot read ${path}: ${info.stderr}`);
  return { seqs, capinfos: Number(/Number of packets:\s+(\d+)/.exec(info.stdout)?.[1]) };
}

test('live -w -C and -W: files of the size asked, a ring of -W files, no packet lost or repeated across a rotation', {
  skip: skip ?? false,
  timeout: 120_000,
}, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    const sent = 2500;
    const input = numberedGre(join(dir, 'numbered.pcap'), sent, 1000);
    const rot = join(dir, 'rot.pcap');
    const ring = join(dir, 'ring.pcap');
    const both = [
      capture(['-c', String(sent), '-w', rot, '-C', '1', '--no-tui']),
      capture(['-c', String(sent), '-w', ring, '-C', '1', '-W', '2', '--no-tui']),
    ];
    await Promise.all(both.map((r) => r.ready));
    const replay = sh(`ip netns exec ${nsA} tcpreplay --pps=5000 -i ${vA} ${input}`);
    assert.equal(replay.status, 0, replay.stderr);
    const [r, g] = await Promise.all(both);
    assert.equal(r!.status, 0, r!.stderr);
    assert.equal(g!.status, 0, g!.stderr);
    // -C 1: FILE, FILE1, FILE2 (tcpdump's names), each over a million bytes by at most one record before the next
    // starts.
    const files = [rot, `${rot}1`, `${rot}2`];
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => f.startsWith('rot.pcap'))
        .sort(),
      ['rot.pcap', 'rot.pcap1', 'rot.pcap2'],
    );
    for (const f of files.slice(0, 2)) {
      const size = statSync(f).size;
      assert.ok(size > 1_000_000 && size <= 1_000_000 + 16 + 1200, `${f}: ${size} bytes`);
    }
    const parts = files.map(greSeqs);
    for (const p of parts) assert.equal(p.capinfos, p.seqs.length);
    assert.deepEqual(
      parts.flatMap((p) => p.seqs),
      Array.from({ length: sent }, (_, i) => i),
      'every packet once, in order, across the rotations',
    );
    assert.match(
      r!.stderr,
      new RegExp(
        `${sent} packets captured on ${vB}, 0 dropped by the kernel \\(buffer ` +
          `full\\), 0 by the interface, written to 3 files \\(3 ` +
          `opened\\), ${rot} to ${rot}2`,
      ),
    );
    // -W 2: a ring of FILE0 and FILE1; the third file overwrote the first, so the disk holds the last two.
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => f.startsWith('ring.pcap'))
        .sort(),
      ['ring.pcap0', 'ring.pcap1'],
    );
    const ring0 = greSeqs(`${ring}0`);
    const ring1 = greSeqs(`${ring}1`);
    assert.deepEqual(ring1.seqs, parts[1]!.seqs, 'the second file as without -W');
    assert.deepEqual(ring0.seqs, parts[2]!.seqs, 'the third file, written over the first');
  } finally {
    cleanup();
  }
});

test('live -w -G: a file a period named by strftime, -W stops after that many files', {
  skip: skip ?? false,
  timeout: 120_000,
}, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    const sent = 600;
    const input = numberedGre(join(dir, 'numbered-g.pcap'), sent, 1000);
    const pattern = join(dir, 'g-%Y%m%d-%H%M%S.pcap');
    const run = capture(['-c', String(sent), '-w', pattern, '-G', '1', '--no-tui']);
    const limited = capture(['-w', join(dir, 'w-%s.pcap'), '-G', '1', '-W', '2', '--no-tui']);
    await Promise.all([run.ready, limited.ready]);
    // 200 packets a second for three seconds.
    const replay = sh(`ip netns exec ${nsA} tcpreplay --pps=200 -i ${vA} ${input}`);
    assert.equal(replay.status, 0, replay.stderr);
    const [r, l] = await Promise.all([run, limited]);
    assert.equal(r.status, 0, r.stderr);
    const names = readdirSync(dir)
      .filter((f) => f.startsWith('g-'))
      .sort();
    assert.ok(names.length >= 3 && names.length <= 6, names.join(' '));
    for (const n of names) assert.match(n, /^g-\d{8}-\d{6}\.pcap$/);
    const parts = names.map((n) => greSeqs(join(dir, n)));
    assert.deepEqual(
      parts.flatMap((p) => p.seqs),
      Array.from({ length: sent }, (_, i) => i),
      'every packet once, in order, across the rotations',
    );
    // Each file starts at least a second after the one before: its name is its first packet's second.
    const starts = names.map((n) =>
      Date.parse(n.replace(/^g-(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)\.pcap$/, '$1-$2-$3T$4:$5:$6Z')),
    );
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 1000, names.join(' '));
    // -G 1 -W 2 ended on its own once its second file was full, with no -c.
    assert.equal(l.status, 0, l.stderr);
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('w-')).length, 2);
  } finally {
    cleanup();
  }
});

/** Starts `gredump audit -i` in namespace B; resolves once it says it is capturing. */
async function liveAudit(args: string[]) {
  const child = spawn(
    'ip',
    ['netns', 'exec', nsB, process.execPath, BIN, 'audit', '-i', vB, '--duration', '100', '--json', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  for (let i = 0; i < 300 && !stderr.includes('capturing on'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(stderr, /capturing on/);
  /** Ctrl-C after a second for the last packets: the exit status, the report, and the summary's counts. */
  const stop = async () => {
    await new Promise((r) => setTimeout(r, 1000));
    // Peak memory of the capture's process (ip netns exec became node), read before it ends.
    const peakMb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
    child.kill('SIGINT');
    const status = await exited;
    const m = /(\d+) packets captured on \S+, (\d+) dropped by the kernel \(buffer full\), (\d+) by the interface/.exec(
      stderr,
    );
    assert.ok(m, stderr);
    const report = JSON.parse(stdout) as { packets: number; tunnels: unknown[]; limits: Record<string, number> };
    return { status, stderr, report, peakMb, captured: Number(m[1]), dropped: Number(m[2]), ifDropped: Number(m[3]) };
  };
  return { child, stop };
}

test('live flood of distinct tunnels: the audit stays up, holds --max-tunnels, and says what the kernel dropped', {
  skip: skip ?? false,
  timeout: 120_000,
}, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    // A new GRE key every packet: a tunnel a packet, far more than --max-tunnels.
    const sent = 20_000;
    const flood = join(dir, 'flood.pcap');
    const w = new PcapWriter(flood);
    for (let i = 0; i < sent; i++) w.write(1767225600, i * 1000, oneShotTunnelPacket(i));
    w.close();
    const limit = 500;
    // Dropped: the audit stopped (SIGSTOP) while the flood overfills a buffer of tcpdump's default size (2 MiB).
    const stalled = await liveAudit(['--max-tunnels', String(limit), '-B', '2048']);
    stalled.child.kill('SIGSTOP');
    assert.equal(sh(`ip netns exec ${nsA} tcpreplay -K --topspeed -i ${vA} ${flood}`).status, 0);
    stalled.child.kill('SIGCONT');
    const lost = await stalled.stop();
    assert.equal(lost.status, 0, lost.stderr);
    assert.ok(lost.dropped > 0, lost.stderr);
    assert.equal(
      lost.captured + lost.dropped + lost.ifDropped,
      sent,
      `every packet sent is captured or counted dropped: ${lost.stderr}`,
    );
    assert.ok(lost.captured > 0, lost.stderr);
    assert.equal(lost.report.packets, lost.captured);
    // Each packet a tunnel: kept (at most --max-tunnels; a full table evicts its idlest tenth) or evicted.
    const held = (r: typeof lost) => r.report.tunnels.length + (r.report.limits['tunnels evicted'] ?? 0);
    assert.ok(lost.report.tunnels.length <= limit);
    assert.equal(held(lost), lost.captured);
    // Not dropped: the same flood at 20,000 packets a second to an audit that keeps up.
    const kept = await liveAudit(['--max-tunnels', String(limit)]);
    assert.equal(sh(`ip netns exec ${nsA} tcpreplay -K --pps=20000 -i ${vA} ${flood}`).status, 0);
    const all = await kept.stop();
    assert.equal(all.status, 0, all.stderr);
    assert.deepEqual([all.captured, all.dropped, all.ifDropped, all.report.packets], [sent, 0, 0, sent], all.stderr);
    assert.ok(all.report.tunnels.length <= limit && all.report.limits['tunnels evicted']! > 0);
    assert.equal(held(all), sent);
    // 20,000 tunnels seen, 500 kept: memory is the program's, not the flood's.
    for (const r of [lost, all]) assert.ok(r.peakMb < 300, `peak RSS ${r.peakMb.toFixed(0)} MB`);
  } finally {
    cleanup();
  }
});

test('live under a flood faster than it reads (-V at top speed): Ctrl-C ends the capture at once, drops said', {
  skip: skip ?? false,
  timeout: 60_000,
}, async () => {
  let replay: ReturnType<typeof spawn> | null = null;
  try {
    assert.equal(makeNamespaces().status, 0);
    // -V's tree of every packet reads far slower than tcpreplay sends; its lines go to /dev/null.
    const child = spawn('ip', ['netns', 'exec', nsB, process.execPath, BIN, '-i', vB, '-V'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (status) => r(status)));
    for (let i = 0; i < 300 && !stderr.includes('capturing on'); i++) await sleep(100);
    assert.match(stderr, /capturing on/);
    replay = spawn(
      'ip',
      ['netns', 'exec', nsA, 'tcpreplay', '-q', '--topspeed', '--loop=0', '--duration=30', '-i', vA, FIXTURE],
      { stdio: 'ignore' },
    );
    await sleep(3000);
    // Before a wake-up's reading was bounded, one wake-up read on while the flood lasted: Ctrl-C waited for its end.
    const from = performance.now();
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const status = await exited;
    clearTimeout(killer);
    const seconds = (performance.now() - from) / 1000;
    assert.equal(status, 0, stderr);
    assert.ok(seconds < 10, `Ctrl-C took ${seconds.toFixed(1)} s while the flood went on`);
    const m = /(\d+) packets captured on \S+, (\d+) dropped by the kernel/.exec(stderr);
    assert.ok(m && Number(m[1]) > 0 && Number(m[2]) > 0, `what was kept and what was dropped: ${stderr}`);
  } finally {
    replay?.kill();
    cleanup();
  }
});

test('live errors a person can act on: no permission, no such interface, libpcap missing', () => {
  const built = existsSync(join(ROOT, 'native/build/Release/gredump_pcap.node'));
  if (!built) console.log('# live: the libpcap binding is not built; only the missing-binding case is checked');
  if (built && process.getuid?.() === 0) {
    // Root without the capture capabilities, rather than another user: a user
    // may not even reach the program when the clone sits in a private directory (mktemp -d).
    const uncapable = spawnSync(
      'setpriv',
      [
        '--bounding-set=-net_raw,-net_admin',
        '--inh-caps=-net_raw,-net_admin',
        process.execPath,
        BIN,
        '-i',
        'lo',
        '-c',
        '1',
      ],
      { encoding: 'utf8' },
    );
    if (uncapable.error === undefined) {
      assert.equal(uncapable.status, 2, `${uncapable.signal ?? ''} ${uncapable.stderr}`);
      assert.match(
        uncapable.stderr,
        new RegExp(
          String.raw`^gredump: lo: no permission to capture \(.*\); run as root or give ` +
            String.raw`node the capability: setcap cap_net_raw,cap_net_admin=eip \$\(which ` +
            String.raw`node\)$`,
          'm',
        ),
      );
    }
  }
  if (built) {
    const none = spawnSync(process.execPath, [BIN, '-i', 'nope0'], { encoding: 'utf8' });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^gredump: no such interface nope0; there are: .*\blo\b/);
  }
  const p = spawnSync(process.execPath, [BIN, '-r', FIXTURE, '-p'], { encoding: 'utf8' });
  assert.equal(p.status, 2);
  assert.match(p.stderr, /-p is for live capture/);
  // A copy of the program without the built binding: what a machine without libpcap gets.
  const bare = join(dir, 'bare');
  mkdirSync(join(bare, 'node_modules'), { recursive: true });
  for (const entry of ['bin', 'dist', 'package.json']) symlinkSync(join(ROOT, entry), join(bare, entry));
  symlinkSync(join(ROOT, 'node_modules/chalk'), join(bare, 'node_modules/chalk'));
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--preserve-symlinks', '--preserve-symlinks-main', join(bare, 'bin/gredump.js'), ...args],
      { encoding: 'utf8' },
    );
  const needs = new RegExp(
    String.raw`^gredump: live capture and capture filters need libpcap, and ` +
      String.raw`gredump's libpcap binding is not built: apt-get install libpcap-dev ` +
      String.raw`.*then npm run build:native`,
    'm',
  );
  for (const args of [['-i', 'lo'], ['-D'], ['-r', FIXTURE, '-f', 'ip']]) {
    const missing = run(...args);
    assert.equal(missing.status, 2, args.join(' '));
    assert.match(missing.stderr, needs);
  }
  assert.equal(run('-r', FIXTURE).status, 0, 'reading files needs no libpcap');
});
