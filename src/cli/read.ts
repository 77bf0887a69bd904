import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { writePacketJson } from '../output/packet-json.js';
import { writePacketText } from '../output/packet-text.js';
import { LineSink } from '../output/sink.js';
import { FieldColumns } from '../output/field-columns.js';
import { detailWriter, writeHexDump } from '../output/packet-detail.js';
import { nearest } from '../filter/compile.js';
import { displayFilter } from './display-filter.js';
import { PcapWriter } from '../capture/pcap-writer.js';
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
  const filter = displayFilter(opts);
  const columns = opts.fieldColumns ? new FieldColumns(opts.fieldColumns, opts.columnOptions, nearest) : null;
  const simpleLines = !filter && !columns && !opts.detail && !opts.hexDump;
  if (opts.write === undefined && opts.filter === undefined && simpleLines && wantsParallel(opts, plan)) return readInParallel(opts, plan, warn);
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, sas));
  const sink = new LineSink();
  const format = columns ? columns.write.bind(columns) : opts.detail ? detailWriter(opts.detailOnly) : opts.json ? writePacketJson : writePacketText;
  if (columns && opts.columnOptions.header) sink.line(columns.header());
  // -r IN -w OUT copies what is read (with -c, the first N packets) into a pcap.
  // (Typed by assertion: TypeScript does not see the callback assign it.)
  let writer = null as PcapWriter | null;
  try {
    return eachFrame(opts.files, opts.count, fileFilter(opts), warn, (f) => {
      const ctx = engine.dissect(f);
      if (filter && !filter.match(ctx)) return;
      if (opts.write) {
        writer ??= new PcapWriter(opts.write, f.linktype, f.tsDigits > 6);
        writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len);
      }
      format(ctx, sink.out);
      sink.endLine();
      if (opts.hexDump) writeHexDump(ctx, sink);
    });
  } finally {
    sink.flush();
    writer?.close();
  }
}
