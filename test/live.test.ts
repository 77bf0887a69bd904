import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES, ROOT } from './support/paths.js';

/**
 * Live capture for real: two network namespaces joined by a veth pair that
 * this test makes (198.18.0.0/15 addresses), a fixture's frames injected
 * with tcpreplay on one side, `gredump -i` capturing on the other. Never
 * touches a real interface. Skips, saying why, where it cannot run.
 */
const FIXTURE = join(FIXTURES, 'gre-ospf-cleartext.pcap');
const FRAMES = 24;
const id = String(process.pid % 100000);
const nsA = `gdA${id}`;
const nsB = `gdB${id}`;
const vA = `gva${id}`;
const vB = `gvb${id}`;
const dir = mkdtempSync(join(tmpdir(), 'gredump-live-'));

function sh(cmd: string) {
  return spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
}

function makeNamespaces() {
  return sh([
    `ip netns add ${nsA}`, `ip netns add ${nsB}`,
    `ip link add ${vA} netns ${nsA} type veth peer name ${vB} netns ${nsB}`,
    `ip -n ${nsA} addr add 198.18.0.1/24 dev ${vA}`, `ip -n ${nsB} addr add 198.18.0.2/24 dev ${vB}`,
    `ip -n ${nsA} link set ${vA} up`, `ip -n ${nsB} link set ${vB} up`,
  ].join(' && '));
}

function whyNot(): string | null {
  if (process.getuid?.() !== 0) return 'live capture tests need root (CI runs them as root)';
  if (!existsSync(join(ROOT, 'native/build/Release/gredump_pcap.node'))) return 'the libpcap binding is not built (apt-get install libpcap-dev, then npm run build:native)';
  for (const tool of ['ip', 'tcpreplay', 'capinfos']) if (sh(`command -v ${tool}`).status !== 0) return `${tool} is not installed`;
  const made = makeNamespaces();
  if (made.status !== 0) return `cannot make network namespaces here: ${made.stderr.trim()}`;
  return null;
}

function cleanup(): void {
  sh(`ip netns del ${nsA} 2>/dev/null; ip netns del ${nsB} 2>/dev/null`);
}

/** How many captures hold namespace B's interface in promiscuous mode (the kernel counts them). */
function promiscuity(): number {
  return Number(/promiscuity (\d+)/.exec(sh(`ip -n ${nsB} -d link show ${vB}`).stdout)?.[1]);
}

const layersOf = (ndjson: string) => ndjson.trim().split('\n').map((l) => {
  const p = JSON.parse(l) as { layers: unknown; warnings: unknown };
  return { layers: p.layers, warnings: p.warnings };
});

/** Starts gredump in namespace B and waits for it to say it is capturing. */
function capture(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> & { ready: Promise<void> } {
  const child = spawn('ip', ['netns', 'exec', nsB, process.execPath, BIN, '-i', vB, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

test('live: every injected frame is captured, dissected as from the file, and written with -w', { skip: skip ?? false, timeout: 60_000 }, async () => {
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
    assert.match(r.stderr, new RegExp(`${FRAMES} packets captured on ${vB}, 0 dropped by the kernel \\(buffer full\\), 0 by the interface, written to`));
    const fromFile = spawnSync(process.execPath, [BIN, '-r', FIXTURE, '--json'], { encoding: 'utf8' }).stdout;
    assert.deepEqual(layersOf(r.stdout), layersOf(fromFile));
    assert.match(sh(`capinfos -c -M ${out}`).stdout, new RegExp(`Number of packets:\\s+${FRAMES}\\b`));
    assert.match(sh(`capinfos ${out}`).stdout, /File timestamp precision:\s+nanoseconds \(9\)/, 'kernel timestamps in nanoseconds');
    const reread = spawnSync(process.execPath, [BIN, '-r', out, '--json'], { encoding: 'utf8' }).stdout;
    assert.deepEqual(layersOf(reread), layersOf(fromFile));
  } finally {
    cleanup();
  }
});

test('live audit with --duration; a filter that does not compile is libpcap\'s word', { skip: skip ?? false, timeout: 60_000 }, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    const run = capture(['--duration', '3', '--json', '-p']);
    const audit = spawn('ip', ['netns', 'exec', nsB, process.execPath, BIN, 'audit', '-i', vB, '--duration', '4', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let report = '';
    audit.stdout.on('data', (d) => (report += d));
    await run.ready;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(promiscuity(), 1, 'the audit capture is promiscuous, the -p one is not');
    sh(`ip netns exec ${nsA} tcpreplay --topspeed -i ${vA} ${FIXTURE}`);
    await run;
    await new Promise((r) => audit.on('exit', r));
    const a = JSON.parse(report) as { tunnels: { key: number; packets: number; multicast: string[] }[] };
    assert.deepEqual(a.tunnels.map((t) => [t.key, t.packets, t.multicast]), [[42, FRAMES, ['224.0.0.5', '224.0.0.9']]]);
    const bad = spawnSync('ip', ['netns', 'exec', nsB, process.execPath, BIN, '-i', vB, '-f', 'ip proto ((('], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^gredump: the capture filter does not compile: .*syntax error$/m);
  } finally {
    cleanup();
  }
});

test('live: -i any gives Linux cooked frames under the default filter; Ctrl-C ends with a complete file and a summary', { skip: skip ?? false, timeout: 60_000 }, async () => {
  try {
    assert.equal(makeNamespaces().status, 0);
    const out = join(dir, 'any.pcap');
    const child = spawn('ip', ['netns', 'exec', nsB, process.execPath, BIN, '-i', 'any', '--json', '-w', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    for (let i = 0; i < 100 && !stderr.includes('capturing on'); i++) await new Promise((r) => setTimeout(r, 100));
    // Linux cooked frames carry no VLAN tags, so the default filter goes without its vlan half.
    assert.match(stderr, /capturing on any, link type 113, promiscuous, filter: ip proto 47 or /);
    assert.equal(sh(`ip netns exec ${nsA} tcpreplay --topspeed -i ${vA} ${FIXTURE}`).status, 0);
    for (let i = 0; i < 50 && stdout.trim().split('\n').length < FRAMES; i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, new RegExp(`${FRAMES} packets captured on any, 0 dropped by the kernel \\(buffer full\\), 0 by the interface, written to`));
    const fromFile = layersOf(spawnSync(process.execPath, [BIN, '-r', FIXTURE, '--json'], { encoding: 'utf8' }).stdout);
    const live = layersOf(stdout);
    assert.deepEqual(live.map((p) => (p.layers as { protocol: string }[])[0]!.protocol), Array<string>(FRAMES).fill('sll'));
    assert.deepEqual(live.map((p) => (p.layers as unknown[]).slice(1)), fromFile.map((p) => (p.layers as unknown[]).slice(1)));
    assert.match(sh(`capinfos -c -E ${out}`).stdout, new RegExp(`Number of packets:\\s+${FRAMES}\\b`));
  } finally {
    cleanup();
  }
});

test('live errors a person can act on: no permission, no such interface, libpcap missing', () => {
  const built = existsSync(join(ROOT, 'native/build/Release/gredump_pcap.node'));
  if (!built) console.log('# live: the libpcap binding is not built; only the missing-binding case is checked');
  if (built && process.getuid?.() === 0) {
    const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, '-i', 'lo', '-c', '1'], { encoding: 'utf8' });
    if (nobody.error === undefined) {
      assert.equal(nobody.status, 2, `${nobody.signal ?? ''} ${nobody.stderr}`);
      assert.match(nobody.stderr, /^gredump: lo: no permission to capture \(.*\); run as root or give node the capability: setcap cap_net_raw,cap_net_admin=eip \$\(which node\)$/m);
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
  const run = (...args: string[]) => spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', join(bare, 'bin/gredump.js'), ...args], { encoding: 'utf8' });
  const needs = /^gredump: live capture and capture filters need libpcap, and gredump's libpcap binding is not built: apt-get install libpcap-dev .*then npm run build:native/m;
  for (const args of [['-i', 'lo'], ['-D'], ['-r', FIXTURE, '-f', 'ip']]) {
    const missing = run(...args);
    assert.equal(missing.status, 2, args.join(' '));
    assert.match(missing.stderr, needs);
  }
  assert.equal(run('-r', FIXTURE).status, 0, 'reading files needs no libpcap');
});
