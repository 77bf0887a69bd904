import { LiveCapture, DEFAULT_FILTER, listInterfaces } from '../capture/live.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import type { Frame } from '../capture/frame.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { packetJson } from '../output/packet-json.js';
import { packetText } from '../output/packet-text.js';
import { LineSink, OutputClosed } from '../output/sink.js';
import { TunnelTable } from '../tunnels/table.js';
import type { CliOptions } from './args.js';
import { failOnLevel, writeAudit } from './audit.js';
import { loadSas } from './keys.js';

/** `gredump -D`: interfaces and their addresses, numbered as tcpdump -D does. */
export function runListInterfaces(): number {
  const sink = new LineSink();
  listInterfaces().forEach((d, i) => {
    const addrs = (d.addresses ?? []).map((a) => a.addr).filter(Boolean);
    sink.line(`${i + 1}.${d.name}${d.description ? ` (${d.description})` : ''}${addrs.length ? ` [${addrs.join(', ')}]` : ''}`);
  });
  sink.flush();
  return 0;
}

/**
 * `gredump -i IFACE`: text lines or NDJSON as packets arrive, or, with
 * audit, the report when the capture ends (-c, --duration, Ctrl-C). -w
 * keeps what was captured. Resolves to the exit status.
 */
export function runLive(opts: CliOptions, say: (msg: string) => void): Promise<number> {
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts)));
  const audit = opts.mode === 'audit';
  if (audit) failOnLevel(opts);
  const table = audit ? new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels }) : null;
  const sink = new LineSink();
  const format = opts.json ? packetJson : packetText;
  const filter = opts.all ? '' : opts.filter ?? DEFAULT_FILTER;
  let writer: PcapWriter | null = null;
  let capture: LiveCapture | null = null;

  return new Promise((resolve) => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      if (finished) return;
      finished = true;
      let status = 0;
      for (const t of timers) clearInterval(t);
      capture?.stop();
      writer?.close();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      try {
        if (table) status = writeAudit(table, engine, opts, [`interface ${opts.interface}`], sink);
        else sink.flush();
      } catch (err) {
        if (!(err instanceof OutputClosed)) throw err;
      }
      say(`${capture?.packets ?? 0} packets captured on ${opts.interface}${writer ? `, written to ${opts.write}` : ''} (the cap binding reports no kernel drop counts)`);
      resolve(status);
    };
    const interrupt = () => finish();

    const onFrame = (f: Frame) => {
      if (finished) return;
      writer?.write(f.tsSec, f.tsNsec, f.data.subarray(0, f.caplen), f.len);
      const ctx = engine.dissect(f);
      if (table) table.observe(ctx);
      else {
        try {
          sink.line(format(ctx));
        } catch (err) {
          if (err instanceof OutputClosed) return finish();
          throw err;
        }
      }
      if (capture && capture.packets >= opts.count) finish();
    };
    capture = new LiveCapture({ iface: opts.interface!, filter }, onFrame);
    if (opts.write) writer = new PcapWriter(opts.write, capture.linktype, true);
    say(`capturing on ${opts.interface}, link type ${capture.linktype}, filter: ${filter || '(none: everything)'}`);
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
    // Lines reach a pipe within a tenth of a second, without a write per packet.
    timers.push(setInterval(() => {
      try {
        sink.flush();
        writer?.flush();
      } catch (err) {
        if (err instanceof OutputClosed) finish();
        else throw err;
      }
    }, 100));
    if (Number.isFinite(opts.duration)) timers.push(setTimeout(() => finish(), opts.duration * 1000));
  });
}
