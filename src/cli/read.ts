import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { writePacketJson } from '../output/packet-json.js';
import { writePacketText } from '../output/packet-text.js';
import { LineSink } from '../output/sink.js';
import { PcapWriter, WriteError } from '../capture/pcap-writer.js';
import { statSync } from 'node:fs';
import { onBeforeWaiting } from '../capture/byte-source.js';
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
  if (opts.write !== undefined) refuseToOverwriteInput(opts.write, opts.files);
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, sas));
  const sink = new LineSink();
  const format = opts.json ? writePacketJson : writePacketText;
  // -r IN -w OUT copies what is read (with -c, the first N packets) into a pcap.
  // (Typed by assertion: TypeScript does not see the callback assign it.)
  let writer = null as PcapWriter | null;
  onBeforeWaiting(() => {
    sink.flush();
    writer?.flush();
  });
  try {
    return eachFrame(opts.files, opts.count, fileFilter(opts), warn, (f) => {
      if (opts.write) {
        writer ??= new PcapWriter(opts.write, f.linktype, f.tsDigits > 6);
        writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len);
      }
      format(engine.dissect(f), sink.out);
      sink.endLine();
    });
  } finally {
    onBeforeWaiting(null);
    sink.flush();
    writer?.close();
  }
}

/**
 * `-r X -w X` would truncate the capture before reading it: refused, also
 * when the two names are different paths or hard links to the same file
 * (same device and inode).
 */
function refuseToOverwriteInput(out: string, inputs: string[]): void {
  const o = statSync(out, { throwIfNoEntry: false });
  if (!o) return;
  for (const input of inputs) {
    if (input === '-') continue;
    const i = statSync(input, { throwIfNoEntry: false });
    if (i && i.dev === o.dev && i.ino === o.ino) throw new WriteError(out, undefined, `it is the input file ${input === out ? '' : `(${input}) `}being read`);
  }
}
