/**
 * The live row of the bench (`npm run bench -- --live [CAPTURE]`, and at the
 * end of `npm run bench`): as root, over a veth pair between two network
 * namespaces it makes (198.18.0.0/24), tcpreplay sends a capture in a loop
 * (fixtures/gre-ospf-cleartext.pcap unless one is given) at stepped rates,
 * then as fast as it can (--topspeed), and at each step every capturer in
 * turn listens on the far end: `tcpdump -w /dev/null` (the anchor),
 * `gredump audit -i` (also with tcpdump's 2 MiB buffer, -B 2048) and
 * `gredump -i` text, their output into /dev/null, and the UI under tmux.
 * All get gredump's default capture filter, so the kernel hands them the
 * same packets. A step is kept (zero drops) when libpcap's counters
 * (ps_drop + ps_ifdrop) say 0 and the capturer counted every packet sent;
 * a step that loses is tried once more, and a capturer that loses twice is
 * not tried higher. The table gives each trial's rate reached, drops, CPU
 * seconds (user+sys) and peak RSS; then each capturer's highest zero-drop
 * rate against tcpdump's, and its CPU a packet.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FILTER } from '../src/capture/live.js';
import { BIN, ROOT } from '../test/support/paths.js';
import { VethPair } from '../test/support/veth.js';
import { newSession, tmux } from '../test/support/tmux.js';

/** Packets a second asked of tcpreplay; 0: --topspeed. */
const STEPS = [50_000, 100_000, 200_000, 400_000, 0];
/** Each step sends for about this long (the topspeed step sends TOPSPEED_PACKETS). */
const SECONDS = 3;
const TOPSPEED_PACKETS = 1_500_000;

interface Trial {
  captured: number;
  drops: number;
  cpu: number;
  rssMb: number;
  /** What went wrong, when the capturer could not be read (it did not start, or said nothing). */
  error?: string;
  /** The first try's cell, when the step was tried twice. */
  retried?: string;
  /** The rate tcpreplay reached in this trial. */
  pps?: number;
}

interface Capturer {
  name: string;
  /** Runs one trial: starts, waits until listening, calls send(), stops, reads the counts. */
  run(send: () => void): Promise<Trial>;
}

const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
const have = (tool: string) => sh(`command -v ${tool}`).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const num = (re: RegExp, text: string) => Number(re.exec(text)?.[1] ?? NaN);

function cell(t: Trial | undefined, sent: number): string {
  if (!t) return '-';
  if (t.error) return `failed: ${t.error}`;
  const ok = t.drops === 0 && t.captured === sent;
  return (
    `${ok ? 'ok' : `MISSED ${sent - t.captured}`} ` +
    `at ${Math.round(t.pps ?? NaN).toLocaleString('en')} pps, ${t.drops} ` +
    `dropped, ${t.cpu.toFixed(2)} s CPU, ${t.rssMb.toFixed(0)} ` +
    `MB${t.retried ? ` (${t.retried})` : ''}`
  );
}

export async function liveBench(capture = join(ROOT, 'fixtures/gre-ospf-cleartext.pcap')): Promise<void> {
  if (process.getuid?.() !== 0 || !have('tcpreplay') || !have('ip') || !have('/usr/bin/time')) {
    console.log('\nlive: not measured (needs root, ip, tcpreplay and /usr/bin/time)');
    return;
  }
  const frames = num(/Number of packets:\s+(\d+)/, sh(`capinfos -c -M ${capture}`).stdout);
  if (!(frames > 0)) {
    console.log(`\nlive: not measured (capinfos cannot count the packets of ${capture})`);
    return;
  }
  const veth = new VethPair(`gb${process.pid % 10000}`, '198.18.0');
  const { nsA, nsB, vA, vB } = veth;
  const made = veth.make();
  const dir = mkdtempSync(join(tmpdir(), 'gredump-bench-live-'));
  try {
    if (made.status !== 0) {
      console.log(`\nlive: not measured (${made.stderr.trim()})`);
      return;
    }
    const capturers = [
      tcpdump(nsB, vB),
      gredump('gredump audit -i', nsB, ['audit', '-i', vB, '--duration', '600', '--json']),
      // With tcpdump's buffer instead of gredump's 32 MiB: does gredump keep up on the same terms?
      gredump('gredump audit -i -B 2048', nsB, ['audit', '-i', vB, '--duration', '600', '--json', '-B', '2048']),
      gredump('gredump -i (text)', nsB, ['-i', vB, '--no-tui']),
      ...(have('tmux') ? [ui(nsB, vB, dir)] : []),
    ];
    console.log(
      `\nlive, on a veth pair: tcpreplay sends ${capture} (${frames} ` +
        `packets) in a loop; load before: ${sh('uptime').stdout.trim()}`,
    );
    const rows: { step: string; sent: number; trials: Map<string, Trial> }[] = [];
    const alive = new Set(capturers.map((c) => c.name));
    for (const rate of STEPS) {
      if (alive.size === 0) break;
      const loops = Math.max(1, Math.round((rate ? rate * SECONDS : TOPSPEED_PACKETS) / frames));
      const sent = loops * frames;
      const row = { step: rate ? `${rate / 1000}k pps` : 'topspeed', sent, trials: new Map<string, Trial>() };
      for (const c of capturers) {
        if (!alive.has(c.name)) continue;
        let pps = NaN;
        const send = () => {
          const r = sh(
            `ip netns exec ${nsA} tcpreplay ` +
              `-K ${rate ? `--pps=${rate}` : '--topspeed'} --loop=${loops} ` +
              `-i ${vA} ${capture} 2>&1`,
          );
          // The rate tcpreplay reached, not the one asked: under load it falls short.
          pps = num(/Rated:.*?([\d.]+) pps/, r.stdout);
        };
        const lost = (t: Trial) => t.error !== undefined || t.drops !== 0 || t.captured !== sent;
        let t = { ...(await c.run(send)), pps };
        // On a shared machine one stall can cost a packet: a loss counts when a second try loses too.
        if (lost(t)) t = { ...(await c.run(send)), pps, retried: `first try: ${cell(t, sent)}` };
        row.trials.set(c.name, t);
        console.log(`  ${row.step}, ${c.name}: ${cell(t, sent)}`);
        if (lost(t)) alive.delete(c.name);
      }
      rows.push(row);
    }
    console.log(`\n| step | sent | ${capturers.map((c) => c.name).join(' | ')} |`);
    console.log(`| --- | ---: |${capturers.map(() => ' --- |').join('')}`);
    for (const r of rows)
      console.log(
        `| ${r.step} | ${r.sent.toLocaleString('en')} ` +
          `| ${capturers.map((c) => cell(r.trials.get(c.name), r.sent)).join(' | ')} |`,
      );
    // Each capturer's highest rate reached with zero drops, against tcpdump's.
    const kept = (name: string) =>
      rows
        .map((r) => ({ r, t: r.trials.get(name) }))
        .filter(({ r, t }) => t && !t.error && t.drops === 0 && t.captured === r.sent);
    const highest = (name: string) => Math.max(0, ...kept(name).map(({ t }) => t!.pps || 0));
    const anchor = highest('tcpdump -w /dev/null');
    const top = rows.at(-1)?.step === 'topspeed' ? rows.at(-1) : undefined;
    const keptAll = (name: string) => top !== undefined && kept(name).some(({ r }) => r === top);
    console.log('');
    for (const c of capturers) {
      const h = highest(c.name);
      const all = keptAll(c.name);
      // Both without a drop as fast as tcpreplay sends: the sender was the limit, and the rates it reached are its
      // noise.
      const vs =
        c.name === 'tcpdump -w /dev/null'
          ? ''
          : all && keptAll('tcpdump -w /dev/null')
            ? " (tcpdump too: the sender was the limit, so at least 1x tcpdump's)"
            : h && anchor
              ? ` (${(h / anchor).toFixed(2)}x tcpdump's)`
              : '';
      // CPU a packet between the smallest and the largest step tried (start-up left out): the rate one core keeps up
      // with.
      const tried = rows.filter((r) => Number.isFinite(r.trials.get(c.name)?.cpu));
      const [a, z] = [tried[0], tried.at(-1)];
      const us =
        a && z && z.sent > a.sent
          ? ((z.trials.get(c.name)!.cpu - a.trials.get(c.name)!.cpu) / (z.sent - a.sent)) * 1e6
          : NaN;
      const cost =
        us > 0
          ? `; ${us.toFixed(2)} µs CPU a packet (${a!.step} to ${z!.step}), one ` +
            `core's worth: about ${Math.round(1e6 / us).toLocaleString('en')} pps`
          : '';
      console.log(
        `${c.name}: highest zero-drop ` +
          `rate ${h ? `${Math.round(h).toLocaleString('en')} pps` : 'none'}${vs}` +
          `${all ? ', every step up to topspeed' : ''}${cost}`,
      );
    }
    console.log(`load after: ${sh('uptime').stdout.trim()}`);
  } finally {
    veth.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `/usr/bin/time`'s line: CPU seconds (user+sys) and peak RSS. */
function timeOf(text: string): { cpu: number; rssMb: number } {
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(text);
  return m ? { cpu: Number(m[1]) + Number(m[2]), rssMb: Number(m[3]) / 1024 } : { cpu: NaN, rssMb: NaN };
}

/**
 * A capturer in namespace `ns` under /usr/bin/time, in its own process
 * group: ready when its stderr matches `ready`, stopped by SIGINT to the
 * group (time ignores it, the capturer ends and prints its counts).
 */
async function timed(
  ns: string,
  cmd: string[],
  ready: RegExp,
  send: () => void,
): Promise<{ stderr: string; error?: string }> {
  // Output goes to /dev/null, not into a pipe: this process reads none while tcpreplay sends, and a full pipe would
  // stall the capturer.
  const child = spawn('ip', ['netns', 'exec', ns, '/usr/bin/time', '-f', 'TIME %U %S %M', ...cmd], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 600 && !ready.test(stderr) && !gone; i++) await sleep(50);
  if (!ready.test(stderr)) {
    if (!gone) process.kill(-child.pid!, 'SIGKILL');
    await exited;
    return { stderr, error: `did not start: ${stderr.trim().split('\n').pop()}` };
  }
  await sleep(300);
  send();
  // What the kernel holds is read before the stop: a second for the capturer to drain its buffer.
  await sleep(1000);
  process.kill(-child.pid!, 'SIGINT');
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
  await exited;
  clearTimeout(killer);
  return { stderr };
}

function tcpdump(ns: string, iface: string): Capturer {
  return {
    name: 'tcpdump -w /dev/null',
    async run(send) {
      const r = await timed(ns, ['tcpdump', '-i', iface, '-w', '/dev/null', DEFAULT_FILTER], /listening on/, send);
      if (r.error) return { captured: 0, drops: 0, cpu: NaN, rssMb: NaN, error: r.error };
      const drops =
        num(/(\d+) packets? dropped by kernel/, r.stderr) + (num(/(\d+) packets? dropped by interface/, r.stderr) || 0);
      return { captured: num(/(\d+) packets? captured/, r.stderr), drops, ...timeOf(r.stderr) };
    },
  };
}

function gredump(name: string, ns: string, args: string[]): Capturer {
  return {
    name,
    async run(send) {
      const r = await timed(ns, [process.execPath, BIN, ...args], /capturing on/, send);
      if (r.error) return { captured: 0, drops: 0, cpu: NaN, rssMb: NaN, error: r.error };
      const m =
        /(\d+) packets captured on \S+, (\d+) dropped by the kernel \(buffer full\), (\d+) by the interface/.exec(
          r.stderr,
        );
      if (!m)
        return {
          captured: 0,
          drops: 0,
          cpu: NaN,
          rssMb: NaN,
          error: `no summary: ${r.stderr.trim().split('\n').pop()}`,
        };
      return { captured: Number(m[1]), drops: Number(m[2]) + Number(m[3]), ...timeOf(r.stderr) };
    },
  };
}

/** The UI on a 100x30 tmux pane; its exit line gives packets and libpcap's drops. */
function ui(ns: string, iface: string, dir: string): Capturer {
  return {
    name: 'UI (tmux)',
    async run(send) {
      const session = `gredump-bench-live-${process.pid}`;
      const [timeOut, errOut] = [join(dir, 'ui.time'), join(dir, 'ui.err')];
      rmSync(timeOut, { force: true });
      newSession(
        session,
        `ip netns exec ${ns} env -u CI /usr/bin/time -f 'TIME %U %S %M' ` +
          `-o ${timeOut} ${process.execPath} ${BIN} -i ${iface} 2> ${errOut}; ` +
          `sleep 60`,
      );
      try {
        let up = false;
        for (let i = 0; i < 600 && !up; i++) {
          up = /TUNNELS & PEERS/.test(tmux('capture-pane', '-p', '-t', session).stdout ?? '');
          if (!up) await sleep(50);
        }
        if (!up)
          return { captured: 0, drops: 0, cpu: NaN, rssMb: NaN, error: 'the UI did not show its first screen in 30 s' };
        await sleep(300);
        send();
        await sleep(1000);
        tmux('send-keys', '-t', session, 'q');
        let time = '';
        for (let i = 0; i < 1200 && !time; i++) {
          await sleep(50);
          try {
            time = readFileSync(timeOut, 'utf8');
          } catch {
            // not yet written
          }
        }
        const err = readFileSync(errOut, 'utf8');
        const m = /gredump: (\d+) packets, (\d+) dropped/.exec(err);
        if (!m)
          return {
            captured: 0,
            drops: 0,
            cpu: NaN,
            rssMb: NaN,
            error: `no exit line: ${err.trim().split('\n').pop()}`,
          };
        return { captured: Number(m[1]), drops: Number(m[2]), ...timeOf(time) };
      } finally {
        tmux('kill-session', '-t', session);
      }
    },
  };
}
