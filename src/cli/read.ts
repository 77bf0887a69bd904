import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { writePacketJson } from '../output/packet-json.js';
import { writePacketText } from '../output/packet-text.js';
import { LineSink } from '../output/sink.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { decapsulate } from '../output/decap.js';
import type { CliOptions } from './args.js';
import { eachFrame, fileFilter } from './each-frame.js';
import { loadSas } from './keys.js';
import { readPlan, wantsParallel, type ParallelPlan } from './parallel-plan.js';
import { readInParallel } from './read-parallel.js';

/**
 * `gredump -r FILE...`: a line (text or NDJSON) for each packet; large
 * captures are printed by worker threads (see read-parallel), unless -w or
 * -f is given. Resolves to the exit status.
 */
export async function runRead(opts: CliOptions, warn: (msg: string) => void, plan: ParallelPlan = readPlan(opts)): Promise<number> {
  // Read here, in this thread, so that wrong keys are one line before any worker starts.
  const sas = loadSas(opts);
  if (opts.write === undefined && opts.filter === undefined && wantsParallel(opts, plan)) return readInParallel(opts, plan, warn);
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, sas));
  const sink = new LineSink();
  const format = opts.json ? writePacketJson : writePacketText;
  // -r IN -w OUT copies what is read (with -c, the first N packets) into a pcap.
  // (Typed by assertion: TypeScript does not see the callback assign it.)
  let writer = null as PcapWriter | null;
  try {
    return eachFrame(opts.files, opts.count, fileFilter(opts), warn, (f) => {
      if (opts.write && !opts.decap) {
        writer ??= new PcapWriter(opts.write, f.linktype, f.tsDigits > 6);
        writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len);
      }
      const ctx = engine.dissect(f);
      if (opts.write && opts.decap) {
        // What the packet carries, at the packet's own time (Ethernet: see decap.ts).
        writer ??= new PcapWriter(opts.write, 1, f.tsDigits > 6);
        const inner = decapsulate(ctx);
        if (inner) writer.write(f.tsSec, f.tsNsec, inner.data, inner.len);
      }
      format(ctx, sink.out);
      sink.endLine();
    });
  } finally {
    sink.flush();
    writer?.close();
  }
}
