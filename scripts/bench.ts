/**
 * npm run bench [-- PACKETS [KEEP.pcap]]: writes a GRE-heavy capture with the project's
 * own builder and writer (1,000,000 packets by default: keyed and sequenced
 * GRE carrying OSPF, RIP, TCP and ICMP, gretap with VLAN, ESP, background
 * UDP, 24 tunnels; TCP sequence/acknowledgement numbers and GRE/ESP
 * sequence numbers move forward as in real traffic), then times gredump
 * against tshark and tcpdump on it, in the same run, on this machine;
 * then the terminal UI on it under tmux (see uiBench; with --ui-only,
 * only the UI part runs). Then the adversarial row: captures built to
 * attack (a hash flood of tunnels, 256 OSPF routers in one tunnel, empty
 * IP fragments), each timed with its peak memory. `npm run bench --
 * --adversarial [PACKETS]` runs only that row. Then, as root, the live row
 * (scripts/bench-live.ts; `npm run bench -- --live [CAPTURE]` runs only it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import * as b from '../test/support/builder.js';
import { BIN, ROOT, withThisNode } from '../test/support/paths.js';
import { newSession, tmux } from '../test/support/tmux.js';
import { benchMerge } from './bench-merge.js';
import { liveBench } from './bench-live.js';
import { HOSTILE_KINDS, writeHostile } from './make-hostile.js';

if (process.argv[2] === '--live') {
  await liveBench(process.argv[3]);
  process.exit(0);
}
if (process.argv[2] === '--adversarial') {
  adversarialBench(Number(process.argv[3] ?? 200_000));
  process.exit(0);
}

const ARGS = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const UI_ONLY = process.argv.includes('--ui-only');
const PACKETS = Number(ARGS[0] ?? 1_000_000);
const TUNNELS = 24;

/** A packet template and where its counters live, patched in place for each packet written. */
interface Template {
  frame: Uint8Array;
  dv: DataView;
  greSeqAt: number;
  /** Where the TCP sequence number is; it moves by `step` each packet (and the acknowledgement by `ackStep`). */
  tcpSeqAt: number;
  ackStep: number;
  espSeqAt: number;
  step: number;
}

function template(frame: Uint8Array, greSeqAt = -1, tcpSeqAt = -1, espSeqAt = -1, step = 0, ackStep = 0): Template {
  return {
    frame,
    dv: new DataView(frame.buffer, frame.byteOffset, frame.byteLength),
    greSeqAt,
    tcpSeqAt,
    espSeqAt,
    step,
    ackStep,
  };
}

function site(i: number): [string, string] {
  return [`192.0.2.${1 + i}`, `198.51.100.${1 + i}`];
}

/** Every tunnel gets a mix; offsets of the counters come from the builder's fixed header sizes. */
function templates(): Template[] {
  const out: Template[] = [];
  const ETH = 14;
  const IP = 20;
  for (let t = 0; t < TUNNELS; t++) {
    const [a, z] = site(t);
    const wan = (payload: Uint8Array, vlan?: number) =>
      b.eth(b.ipv4(payload, { src: a, dst: z, proto: 47, ttl: 60 }), { type: 0x0800, vlan });
    const vlanLen = t % 6 === 5 ? 4 : 0;
    const greSeq = ETH + vlanLen + IP + 8; // flags/type, key, then seq
    if (t % 6 === 5) {
      // gretap with an inner VLAN, carrying TCP
      const innerTcp = b.ipv4(b.tcp(new Uint8Array(512), { srcPort: 40000 + t, dstPort: 443, seq: 1, ack: 1 }), {
        src: '172.16.0.1',
        dst: '172.16.0.2',
        proto: 6,
      });
      const frame = wan(
        b.gre(b.eth(innerTcp, { type: 0x0800, vlan: 100 + t }), { protocolType: 0x6558, key: t, seq: 0 }),
        10,
      );
      out.push(template(frame, greSeq, greSeq + 4 + 18 + IP + 4, -1, 512));
      continue;
    }
    const inner = (src: string, dst: string, proto: number, payload: Uint8Array) =>
      b.ipv4(payload, { src, dst, proto });
    const gre = (payload: Uint8Array) => wan(b.gre(payload, { protocolType: 0x0800, key: 1000 + t, seq: 0 }));
    const tcpAt = greSeq + 4 + IP + 4;
    out.push(
      template(
        gre(
          inner(
            `10.${t}.0.1`,
            `10.${t}.1.1`,
            6,
            b.tcp(new Uint8Array(1200), { srcPort: 50000, dstPort: 443, seq: 1, ack: 1 }),
          ),
        ),
        greSeq,
        tcpAt,
        -1,
        1200,
      ),
    );
    // The server's pure ACKs acknowledge the client's data as it comes.
    out.push(
      template(
        gre(
          inner(
            `10.${t}.1.1`,
            `10.${t}.0.1`,
            6,
            b.tcp(new Uint8Array(0), { srcPort: 443, dstPort: 50000, seq: 1, ack: 1 }),
          ),
        ),
        greSeq,
        tcpAt,
        -1,
        0,
        1200,
      ),
    );
    out.push(
      template(gre(inner(`10.${t}.0.1`, `10.${t}.1.1`, 1, b.icmpEcho({ request: true, id: t, seq: 1 }))), greSeq),
    );
    out.push(template(gre(inner(`10.${t}.0.1`, '224.0.0.5', 89, b.ospfHello({ routerId: `1.1.1.${t}` }))), greSeq));
    out.push(
      template(
        gre(
          inner(
            `10.${t}.0.1`,
            '224.0.0.9',
            17,
            b.udp(b.ripResponse([{ prefix: '172.16.1.0', mask: '255.255.255.0', metric: 1 }]), {
              srcPort: 520,
              dstPort: 520,
            }),
          ),
        ),
        greSeq,
      ),
    );
  }
  // ESP between two other sites, and plain UDP in the background.
  const esp = b.eth(
    b.ipv4(b.esp(new Uint8Array(180).fill(0x5c), { spi: 0xabc, seq: 0 }), {
      src: '203.0.113.1',
      dst: '203.0.113.2',
      proto: 50,
    }),
    { type: 0x0800 },
  );
  out.push(template(esp, -1, -1, 14 + 20 + 4));
  out.push(
    template(
      b.eth(
        b.ipv4(b.udp(new Uint8Array(100), { srcPort: 5353, dstPort: 5353 }), {
          src: '198.18.0.1',
          dst: '198.18.0.2',
          proto: 17,
        }),
        { type: 0x0800 },
      ),
    ),
  );
  return out;
}

function writeCapture(path: string): void {
  const w = new PcapWriter(path);
  const ts = templates();
  const counters = ts.map(() => 0);
  const greSeqs = new Map<number, number>();
  let t = 1767225600 * 1e6;
  for (let i = 0; i < PACKETS; i++) {
    const k = i % ts.length;
    const tp = ts[k]!;
    const n = ++counters[k]!;
    if (tp.greSeqAt >= 0) {
      // One sequence space per tunnel and direction: the key word before it names the tunnel.
      const tunnel = tp.dv.getUint32(tp.greSeqAt - 4);
      const s = (greSeqs.get(tunnel) ?? 0) + 1;
      greSeqs.set(tunnel, s);
      tp.dv.setUint32(tp.greSeqAt, s);
    }
    if (tp.tcpSeqAt >= 0) {
      tp.dv.setUint32(tp.tcpSeqAt, (1 + n * tp.step) >>> 0);
      tp.dv.setUint32(tp.tcpSeqAt + 4, (1 + n * tp.ackStep) >>> 0);
    }
    if (tp.espSeqAt >= 0) tp.dv.setUint32(tp.espSeqAt, n);
    t += 20;
    w.write(Math.floor(t / 1e6), (t % 1e6) * 1000, tp.frame);
  }
  w.close();
}

interface Result {
  name: string;
  seconds: number;
  rssMb: number;
  pps: number;
}

interface Command {
  name: string;
  cmd: string[];
  runs: number;
  best: Result | null;
  failed: boolean;
}

/**
 * Each command's best run and largest peak memory. This VM's speed drifts
 * by a quarter over tens of seconds, so the runs go round the commands
 * (one run of each, then the next round) instead of one command's runs in
 * a row: a slow spell then costs every command a run, not one command all
 * of them. Five rounds; tshark, ten times slower, runs in the first three.
 */
function measureAll(commands: Command[]): Result[] {
  for (let round = 0; round < 5; round++) {
    for (const c of commands) {
      if (c.failed || round >= c.runs) continue;
      readWhole(file);
      const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...c.cmd], {
        env: asInstalled,
        encoding: 'utf8',
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 1 << 30,
      });
      if (r.error || r.status !== 0) {
        console.log(`${c.name}: not measured (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`);
        c.failed = true;
        continue;
      }
      const [secs, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      const rssMb = Math.max(kb! / 1024, c.best?.rssMb ?? 0);
      if (!c.best || secs! < c.best.seconds) c.best = { name: c.name, seconds: secs!, rssMb, pps: PACKETS / secs! };
      else c.best.rssMb = rssMb;
    }
  }
  return commands.filter((c) => !c.failed && c.best).map((c) => c.best!);
}

/**
 * Reads the capture into the page cache, before every timed run: a kernel that reclaims memory as it ages (DAMON's
 * reclaim on this VM) pages out a file unread for a minute or so, and a run after tshark's long one would read part
 * of it from the disk.
 */
const readWhole = (path: string) => spawnSync('cat', [path], { stdio: 'ignore' });

const command = (name: string, cmd: string[], runs = 5): Command => ({ name, cmd, runs, best: null, failed: false });

const have = (tool: string) => spawnSync('which', [tool]).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'gredump-bench-'));
// A second argument keeps the capture there (for profiling with node --cpu-prof).
const file = ARGS[1] ?? join(dir, 'bench.pcap');
console.log(`writing ${PACKETS} packets, ${TUNNELS} tunnels...`);
writeCapture(file);
// Every tool reads the file from the page cache, none while the kernel is still writing it out.
spawnSync('sync');
readWhole(file);
console.log(
  `${file}: ${(statSync(file).size / 1e6).toFixed(0)} ` +
    `MB; ${cpus().length} ` +
    `x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `node ${process.version}`,
);

const node = process.execPath;
if (UI_ONLY) {
  await uiBench(file);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
/**
 * gredump runs as the installed command runs: bin/gredump.js as a program, with this Node first on the PATH. Its
 * shell line starts Node without NODE_EXTRA_CA_CERTS, which `node bin/gredump.js` would parse first (30-40 ms here).
 */
const asInstalled = withThisNode(process.env);
// Each gredump command as run (worker threads, one a core) and in one thread (--threads 1).
const results = measureAll([
  command('gredump audit --json', [BIN, 'audit', file, '--json']),
  command('gredump audit --json --threads 1', [BIN, 'audit', file, '--json', '--threads', '1']),
  command('gredump -r (text)', ['sh', '-c', `${BIN} -r ${file} > /dev/null`]),
  command('gredump -r (text) --threads 1', ['sh', '-c', `${BIN} -r ${file} --threads 1 > /dev/null`]),
  // Into a pipe read by another process, as people use it (`| less`, `| grep`): the reader's pace, not a file's.
  command('gredump -r (text) | cat', ['sh', '-c', `${BIN} -r ${file} | cat > /dev/null`]),
  command('gredump -r (text) | wc -l', ['sh', '-c', `${BIN} -r ${file} | wc -l > /dev/null`]),
  command('gredump -r --json', ['sh', '-c', `${BIN} -r ${file} --json > /dev/null`]),
  command('gredump -r --json --threads 1', ['sh', '-c', `${BIN} -r ${file} --json --threads 1 > /dev/null`]),
  // Display filters and field output (the display-filter issue's goals): a key, columns, and a filter every packet
  // passes.
  command('gredump -r -Y gre.key -w', [BIN, '-r', file, '-Y', 'gre.key == 1003', '-w', join(dir, 'key.pcap')]),
  command('gredump -r -T fields', ['sh', '-c', `${BIN} -r ${file} -T fields -e ip.src -e gre.key > /dev/null`]),
  command('gredump -r (text) -Y frame --threads 1', ['sh', '-c', `${BIN} -r ${file} -Y frame --threads 1 > /dev/null`]),
  ...(have('tshark') ? [command('tshark -q -z conv,ip', ['tshark', '-n', '-r', file, '-q', '-z', 'conv,ip'], 3)] : []),
  ...(have('tshark')
    ? [
        command(
          'tshark -Y gre.key -w',
          ['tshark', '-n', '-r', file, '-Y', 'gre.key == 1003', '-w', join(dir, 'tkey.pcap')],
          2,
        ),
      ]
    : []),
  ...(have('tshark')
    ? [command('tshark -T fields', ['sh', '-c', `tshark -n -r ${file} -T fields -e ip.src -e gre.key > /dev/null`], 2)]
    : []),
  ...(have('tcpdump') ? [command('tcpdump -nn -r', ['sh', '-c', `tcpdump -nn -r ${file} > /dev/null 2>&1`])] : []),
  ...(have('tcpdump')
    ? [command('tcpdump -nn -r | cat', ['sh', '-c', `tcpdump -nn -r ${file} 2>/dev/null | cat > /dev/null`])]
    : []),
  ...(have('tcpdump')
    ? [command('tcpdump -nn -r | wc -l', ['sh', '-c', `tcpdump -nn -r ${file} 2>/dev/null | wc -l > /dev/null`])]
    : []),
]);

const tshark = results.find((r) => r.name.startsWith('tshark'));
const tcpdump = results.find((r) => r.name.startsWith('tcpdump'));
const ratio = (a: string, b: string) => {
  const x = results.find((r) => r.name === a);
  const y = results.find((r) => r.name === b);
  return x && y ? `${(x.pps / y.pps).toFixed(2)}x` : 'not measured';
};
console.log(
  `\n-Y key -w vs tshark -Y ` +
    `-w: ${ratio('gredump -r -Y gre.key -w', 'tshark -Y gre.key -w')}; -T ` +
    `fields vs tshark -T ` +
    `fields: ${ratio('gredump -r -T fields', 'tshark -T fields')}; ` +
    `text with a filter that passes everything vs without (one ` +
    `thread): ${ratio('gredump -r (text) -Y frame --threads 1', 'gredump -r (text) --threads 1')}`,
);
console.log(
  `text into a pipe vs tcpdump into the same pipe: | ` +
    `cat ${ratio('gredump -r (text) | cat', 'tcpdump -nn -r | cat')}, | wc ` +
    `-l ${ratio('gredump -r (text) | wc -l', 'tcpdump -nn -r | wc -l')} ` +
    `(goal 2.5x)`,
);
console.log(startUp());
console.log('\n| command | seconds | packets/s | peak RSS | vs tshark | vs tcpdump |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const vs = (o?: Result) => (o ? `${(r.pps / o.pps).toFixed(2)}x` : '-');
  console.log(
    `| ${r.name} | ${r.seconds.toFixed(2)} ` +
      `| ${Math.round(r.pps).toLocaleString('en')} | ${r.rssMb.toFixed(0)} ` +
      `MB | ${vs(tshark)} | ${vs(tcpdump)} |`,
  );
}
await uiBench(file);
rmSync(dir, { recursive: true, force: true });
adversarialBench(Math.min(PACKETS, 1_000_000));
await liveBench();
// The merge: 1,000 partials of a sensor's day (scripts/bench-merge.ts).
console.log('');
for (const line of benchMerge()) console.log(line);

/**
 * Start-up: `gredump -r` of a 10-packet capture (a real one, fixtures/), run
 * as the installed command runs (bin/gredump.js as a program, this Node first
 * on the PATH), wall time, best of 20, next to Node's own start (`node -e
 * ''`), the floor. Goal: under 120 ms. Where NODE_EXTRA_CA_CERTS is set, Node
 * parses that file's certificates at every start, before any script runs
 * (the command starts Node without it): both are timed again without it.
 */
function startUp(): string {
  const best = (cmd: string[], env: NodeJS.ProcessEnv) => {
    let ms = Infinity;
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore', env });
      if (r.status !== 0) return NaN;
      ms = Math.min(ms, performance.now() - t);
    }
    return ms;
  };
  const run = [BIN, '-r', join(ROOT, 'fixtures/arkime-ah-esp.pcap')];
  const line = (given: NodeJS.ProcessEnv = process.env) => {
    const env = withThisNode(given);
    const ms = best(run, env);
    const floor = best([node, '-e', ''], env);
    const verdict = ms < 120 ? 'ok' : 'OVER';
    return `${ms.toFixed(0)} ms wall, best of 20 (${verdict}: goal 120 ms; node -e '' alone ${floor.toFixed(0)} ms)`;
  };
  const out = `start-up, gredump -r of 10 packets: ${line()}`;
  if (!process.env.NODE_EXTRA_CA_CERTS) return out;
  const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env;
  const why = 'set here: Node reads those certificates at each start';
  return `${out}\nthe same without NODE_EXTRA_CA_CERTS (${why}): ${line(env)}`;
}

/**
 * Captures made to attack (scripts/make-hostile.ts): time and peak memory
 * of the audit (threads as run, and one), text and JSON lines, one run
 * each. What must hold is that time follows packets and memory the
 * options, whatever the capture holds.
 */
function adversarialBench(packets: number): void {
  const where = mkdtempSync(join(tmpdir(), 'gredump-bench-adv-'));
  console.log(`\nadversarial captures, ${packets} packets each:\n`);
  console.log('| capture | command | seconds | packets/s | peak RSS |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  try {
    for (const kind of Object.keys(HOSTILE_KINDS)) {
      const path = join(where, `${kind}.pcap`);
      writeHostile(kind, packets, path);
      for (const [name, cmd] of [
        ['audit --json', `${process.execPath} ${BIN} audit ${path} --json`],
        ['audit --threads 1', `${process.execPath} ${BIN} audit ${path} --threads 1`],
        ['-r (text)', `${process.execPath} ${BIN} -r ${path}`],
        ['-r --json', `${process.execPath} ${BIN} -r ${path} --json`],
      ] as const) {
        const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', `${cmd} > /dev/null`], { encoding: 'utf8' });
        const [secs, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
        const ok = r.status === 0 ? '' : ` (exit ${r.status})`;
        console.log(
          `| ${kind} | ${name}${ok} | ${secs!.toFixed(2)} ` +
            `| ${Math.round(packets / secs!).toLocaleString('en')} ` +
            `| ${(kb! / 1024).toFixed(0)} MB |`,
        );
      }
      rmSync(path, { force: true });
    }
    uiFloodRow(where);
  } finally {
    rmSync(where, { recursive: true, force: true });
  }
}

/**
 * The UI on 30,000 one-packet tunnels (many-keys), under tmux at 100x30:
 * read to the end, then left on the home screen for 20 s of snapshots
 * (spaced by their cost) before q. Its peak RSS must follow the table
 * (the store's history and the lists are per tunnel in it), not time.
 */
function uiFloodRow(where: string): void {
  // Not have(): --adversarial runs before the module's constants are set.
  if (spawnSync('which', ['tmux']).status !== 0 || spawnSync('which', ['/usr/bin/time']).status !== 0) {
    console.log('| many-keys, 30,000 tunnels | ui: not measured (needs tmux and /usr/bin/time) | | | |');
    return;
  }
  const tunnels = 30_000;
  const path = join(where, 'ui-flood.pcap');
  const timeOut = join(where, 'ui-flood.time');
  writeHostile('many-keys', tunnels, path);
  const session = `gredump-bench-flood-${process.pid}`;
  const wait = (s: number) => spawnSync('sleep', [String(s)]);
  newSession(
    session,
    `cd ${ROOT} && /usr/bin/time -f '%e %M' -o ${timeOut} env -u CI ${process.execPath} ${BIN} -r ${path}; sleep 30`,
  );
  try {
    const t0 = performance.now();
    while (!/ done/.test(tmux('capture-pane', '-p', '-t', session).stdout ?? '') && performance.now() - t0 < 600_000)
      wait(0.2);
    const read = (performance.now() - t0) / 1000;
    wait(20);
    tmux('send-keys', '-t', session, 'q');
    let time = '';
    for (let i = 0; i < 100 && !time; i++) {
      wait(0.1);
      try {
        time = readFileSync(timeOut, 'utf8').trim().split('\n').pop() ?? '';
      } catch {
        // not yet written
      }
    }
    const [secs, kb] = time.split(' ').map(Number);
    console.log(
      `| many-keys, ${tunnels.toLocaleString('en')} tunnels | ui (tmux ` +
        `100x30, read in ${read.toFixed(1)} s, then 20 s on the home screen) ` +
        `| ${secs!.toFixed(2)} ` +
        `| ${Math.round(tunnels / read).toLocaleString('en')} ` +
        `| ${(kb! / 1024).toFixed(0)} MB |`,
    );
  } finally {
    tmux('kill-session', '-t', session);
  }
}

/**
 * The terminal UI on the capture, as a person would use it, under tmux at
 * 100x30: how long until the first screen answers a key (? shows the help),
 * until the whole file is indexed, until the list of every packet shows its
 * last frame (G) and its first (g); and the peak RSS of the whole session
 * (/usr/bin/time). Aims: first answer under 3 s, peak RSS under 300 MB.
 */
async function uiBench(capture: string): Promise<void> {
  if (!have('tmux') || !have('/usr/bin/time')) {
    console.log('\nui: not measured (needs tmux and /usr/bin/time)');
    return;
  }
  const session = `gredump-bench-ui-${process.pid}`;
  const timeOut = join(dir, 'ui.time');
  const screen = () => tmux('capture-pane', '-p', '-t', session).stdout ?? '';
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const t0 = performance.now();
  const until = async (re: RegExp, what: string, limitS = 600): Promise<number> => {
    const from = performance.now();
    while (performance.now() - from < limitS * 1000) {
      if (re.test(screen())) {
        if (process.env.BENCH_DEBUG) console.log(`ui: ${what} at ${((performance.now() - t0) / 1000).toFixed(2)} s`);
        return (performance.now() - t0) / 1000;
      }
      await sleep(20);
    }
    throw new Error(`ui bench: ${what} never showed; the screen:\n${screen()}`);
  };
  newSession(
    session,
    `cd ${ROOT} && /usr/bin/time -f '%e %M' -o ${timeOut} env -u CI ${process.execPath} ${BIN} -r ${capture}; sleep 30`,
  );
  try {
    await until(/TUNNELS & PEERS/, 'the first screen');
    tmux('send-keys', '-t', session, '?');
    const answered = await until(/KEYS/, 'the help screen (a key answered)');
    // A lone Esc waits for what may follow it (an escape sequence); q-less way back: ? again.
    tmux('send-keys', '-t', session, '?');
    await until(/TUNNELS & PEERS/, 'the home screen again');
    const loaded = await until(/ done/, 'the end of the file');
    tmux('send-keys', '-t', session, 'a');
    await until(/all packets: /, 'the list of every packet');
    const lastAt = performance.now();
    tmux('send-keys', '-t', session, 'G');
    const last = new RegExp(`^\\s*${PACKETS} `, 'm');
    await until(last, `frame ${PACKETS}`);
    const lastS = (performance.now() - lastAt) / 1000;
    const firstAt = performance.now();
    tmux('send-keys', '-t', session, 'g');
    await until(/^\s+1 \S/m, 'frame 1');
    const firstS = (performance.now() - firstAt) / 1000;
    tmux('send-keys', '-t', session, 'q');
    let time = '';
    for (let i = 0; i < 200 && !time; i++) {
      await sleep(50);
      try {
        time = readFileSync(timeOut, 'utf8').trim().split('\n').pop() ?? '';
      } catch {
        // not yet written
      }
    }
    const rssMb = Number(time.split(' ')[1]) / 1024;
    const ok = (b: boolean) => (b ? 'ok' : 'OVER');
    console.log(
      `\nui (gredump -r, tmux 100x30, ${PACKETS} packets): first key ` +
        `answered at ${answered.toFixed(2)} s (${ok(answered < 3)}: aim 3 s); ` +
        `file indexed at ${loaded.toFixed(1)} s; last frame ` +
        `shown ${lastS.toFixed(2)} s after G, frame 1 ${firstS.toFixed(2)} s ` +
        `after g; ` +
        `peak RSS ${rssMb.toFixed(0)} MB (${ok(rssMb < 300)}: aim 300 MB)`,
    );
  } finally {
    tmux('kill-session', '-t', session);
  }
}
