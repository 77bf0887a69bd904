import { LiveCapture, DEFAULT_FILTER, listInterfaces } from '../capture/live.js';
import {
  IF_CONNECTED,
  IF_CONNECTION_STATUS,
  IF_DISCONNECTED,
  IF_LOOPBACK,
  IF_RUNNING,
  IF_UP,
  IF_WIRELESS,
  type Device,
  type PcapStats,
} from '../capture/libpcap.js';
import { RotatingWriter } from '../capture/rotating-writer.js';
import { WriteError } from '../capture/pcap-writer.js';
import type { Frame } from '../capture/frame.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { LineSink, OutputClosed } from '../output/sink.js';
import { visible } from '../output/escape.js';
import { TunnelTable } from '../tunnels/table.js';
import { rotationOf, type CliOptions } from './args.js';
import { loadSas } from './keys.js';
import { packetOutput } from './packet-output.js';
import { Drive } from './drive.js';
import { warmUp } from './warm-up.js';

/** `gredump -D`: interfaces numbered as tcpdump -D numbers them, with their flags and addresses. */
export function runListInterfaces(): number {
  const sink = new LineSink();
  listInterfaces().forEach((d, i) => {
    const addrs = d.addresses.map((a) => (a.netmask ? `${a.addr}/${prefixLength(a.netmask)}` : a.addr));
    sink.line(
      visible(
        `${i + 1}.${d.name}${d.description ? ` (${d.description})` : ''} ` +
          `[${flagWords(d).join(', ')}]${addrs.length ? ` ${addrs.join(' ')}` : ''}`,
      ),
    );
  });
  sink.flush();
  return 0;
}

function flagWords(d: Device): string[] {
  const words: string[] = [];
  if (d.flags & IF_LOOPBACK) words.push('Loopback');
  if (d.flags & IF_UP) words.push('Up');
  if (d.flags & IF_RUNNING) words.push('Running');
  if (d.flags & IF_WIRELESS) words.push('Wireless');
  const status = d.flags & IF_CONNECTION_STATUS;
  if (status === IF_CONNECTED) words.push('Connected');
  else if (status === IF_DISCONNECTED) words.push('Disconnected');
  return words;
}

/** 255.255.255.0 -> 24; ffff:ffff:ffff:ffff:: -> 64. */
function prefixLength(netmask: string): number {
  const groups = netmask.includes(':') ? expandV6(netmask).map((g) => parseInt(g, 16)) : netmask.split('.').map(Number);
  const width = netmask.includes(':') ? 16 : 8;
  let bits = 0;
  for (const g of groups) for (let b = width - 1; b >= 0; b--) if (g & (1 << b)) bits++;
  return bits;
}

function expandV6(addr: string): string[] {
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}

/** The end-of-capture line: what was captured and what libpcap says was dropped. */
function captureSummary(packets: number, iface: string, stats: PcapStats | null, written: string | undefined): string {
  const drops = stats
    ? `, ${stats.dropped} dropped by the kernel (buffer full), ${stats.ifDropped} by the interface`
    : ', drop counts not available';
  return `${packets} packets captured on ${iface}${drops}${written ? `, written to ${written}` : ''}`;
}

/** Where -w wrote: the file, or with rotation how many files, first and last. */
function writtenFiles(opened: string[]): string | undefined {
  if (opened.length <= 1) return opened[0];
  const distinct = new Set(opened).size;
  return `${distinct} files (${opened.length} opened), ${opened[0]} to ${opened.at(-1)}`;
}

/**
 * `gredump -i IFACE`: text lines or NDJSON as packets arrive, or, with
 * audit, the report when the capture ends (-c, --duration, Ctrl-C). -w
 * keeps what was captured. Resolves to the exit status.
 */
export async function runLive(opts: CliOptions, say: (msg: string) => void): Promise<number> {
  const sas = loadSas(opts);
  const audit = opts.mode === 'audit';
  // The audit (and chalk, which its text report uses) load only for an audit: see main.ts.
  const { counts, failOnLevel, writeAudit } = audit
    ? await import('./audit.js')
    : { counts: null, failOnLevel: null, writeAudit: null };
  // Partials and periods load only when asked for: a plain live audit starts as fast as before.
  const partials = audit && (opts.every !== undefined || opts.partial !== undefined);
  const { Periods } = partials ? await import('../merge/periods.js') : { Periods: null };
  const { sensorName, writePartial } = partials
    ? await import('../merge/merge.js')
    : { sensorName: null, writePartial: null };
  if (audit) failOnLevel!(opts);
  const sink = new LineSink();
  const source = [`interface ${opts.interface}`];
  // --every: a partial and/or a report a period; otherwise one table for the whole capture.
  const periods =
    audit && opts.every !== undefined ? new Periods!(opts, () => counts!(engine.state.reassembly), source, sink) : null;
  const table = audit && !periods ? new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels }) : null;
  const output = packetOutput(opts, sink);
  const engine = new Engine({
    ...engineOptions(opts.maxDepth, opts.reassemblyMb, sas),
    conversations: output.conversations,
  });
  const filter = opts.all ? '' : (opts.filter ?? DEFAULT_FILTER);
  let writer: RotatingWriter | null = null;
  let capture: LiveCapture | null = null;

  return new Promise((resolve) => {
    let finished = false;
    let failed = false;
    const timers: NodeJS.Timeout[] = [];
    /** A write to -w that failed (a full disk): said once, the capture stopped, exit 2. */
    const writeFailed = (err: unknown) => {
      if (!(err instanceof WriteError)) throw err;
      say(err.message);
      failed = true;
      void finish();
    };
    const finish = async () => {
      if (finished) return;
      finished = true;
      let status = 0;
      for (const t of timers) clearInterval(t);
      capture?.close();
      try {
        writer?.close();
      } catch (err) {
        if (err instanceof WriteError) {
          say(err.message);
          failed = true;
        } else if (!(err instanceof OutputClosed)) throw err;
      }
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      process.off('SIGHUP', interrupt);
      try {
        if (periods) periods.close(false);
        else if (table && opts.partial !== undefined)
          writePartial!(opts.partial, table, [sensorName!(opts)], source, counts!(engine.state.reassembly));
        else if (table) status = await writeAudit!(table, engine.state.reassembly, opts, source, sink);
        else sink.flush();
      } catch (err) {
        if (!(err instanceof OutputClosed)) throw err;
      }
      say(
        captureSummary(
          capture?.packets ?? 0,
          opts.interface!,
          capture?.stats() ?? null,
          writer && !failed ? writtenFiles(writer.opened) : undefined,
        ),
      );
      resolve(failed ? 2 : status);
    };
    const interrupt = () => void finish();

    // -w alone copies frames: nothing reads their layers, so none are dissected.
    const dissects = audit || !output.silent || output.filtered;
    const onFrame = (f: Frame): void | false => {
      const ctx = dissects ? engine.dissect(f) : null;
      if (ctx && !output.wants(ctx)) return;
      try {
        // -G -W: the last file is full; the capture ends, as tcpdump's does.
        if (writer && !writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len)) return false;
      } catch (err) {
        // -w - into a pipe whose reader went away: the capture ends, as with lines.
        if (err instanceof OutputClosed) return false;
        writeFailed(err);
        return false;
      }
      if (!ctx) return;
      if (periods) periods.observe(ctx);
      else if (table) table.observe(ctx);
      else {
        try {
          output.print(ctx, sink);
        } catch (err) {
          if (err instanceof OutputClosed) return false;
          throw err;
        }
      }
    };
    const onError = (message: string) => {
      say(`${opts.interface}: the capture failed: ${message}`);
      failed = true;
      void finish();
    };
    // Compiled before the kernel starts filling the buffer: see warm-up.ts.
    warmUp(opts);
    // The capture ends with -c's count, or when onFrame says so.
    const onBatch = () => {
      if (!reader.run()) void finish();
    };
    capture = new LiveCapture(
      { iface: opts.interface!, filter, promiscuous: opts.promiscuous, bufferKib: opts.bufferKib },
      onBatch,
      onError,
    );
    const reader = new Drive([{ path: opts.interface!, open: capture }], { count: opts.count, onFrame });
    if (opts.write) {
      try {
        writer = new RotatingWriter(opts.write, capture.linktype, capture.nanoseconds, rotationOf(opts));
        writer.start(Date.now() / 1000);
      } catch (err) {
        // Nothing captured yet: the capture is closed (it would keep the process alive) and that is all.
        capture.close();
        if (!(err instanceof WriteError)) throw err;
        say(err.message);
        resolve(2);
        return;
      }
    }
    if (capture.warning) say(`warning: ${opts.interface}: ${capture.warning}`);
    say(
      `capturing on ${opts.interface}, link ` +
        `type ${capture.linktype}, ${opts.promiscuous ? 'promiscuous' : 'not promiscuous'}, ` +
        `filter: ${capture.filter || '(none: everything)'}`,
    );
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
    process.on('SIGHUP', interrupt);
    // Lines reach a pipe within a tenth of a second, without a write per packet.
    timers.push(
      setInterval(() => {
        try {
          sink.flush();
          writer?.flush();
        } catch (err) {
          if (err instanceof OutputClosed) void finish();
          else writeFailed(err);
        }
      }, 100),
    );
    if (Number.isFinite(opts.duration)) timers.push(setTimeout(() => void finish(), opts.duration * 1000));
    // A period closes on time, packets or not: a quiet sensor still says it was listening.
    if (periods) timers.push(setInterval(() => periods.tick(Date.now() / 1000), 1000));
  });
}
