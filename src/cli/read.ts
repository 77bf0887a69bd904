import { openCapture } from '../capture/open.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { packetJson } from '../output/packet-json.js';
import { packetText } from '../output/packet-text.js';
import { LineSink } from '../output/sink.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import type { CliOptions } from './args.js';
import { loadSas } from './keys.js';

/** `gredump -r FILE...`: a line (text or NDJSON) for each packet. Returns the exit status. */
export function runRead(opts: CliOptions, warn: (msg: string) => void): number {
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts)));
  const sink = new LineSink();
  const format = opts.json ? packetJson : packetText;
  let status = 0;
  let left = opts.count;
  // -r IN -w OUT copies what is read (with -c, the first N packets) into a pcap.
  let writer: PcapWriter | null = null;
  try {
    for (const path of opts.files) {
      if (left <= 0) break;
      let source;
      try {
        source = openCapture(path);
      } catch (err) {
        warn((err as Error).message);
        status = 2;
        continue;
      }
      let read = 0;
      try {
        while (left > 0 && source.next()) {
          read++;
          left--;
          const f = source.frame;
          if (opts.write) {
            writer ??= new PcapWriter(opts.write, f.linktype, f.tsDigits > 6);
            writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len);
          }
          sink.line(format(engine.dissect(f)));
        }
      } finally {
        source.close();
      }
      if (source.problem) {
        const name = path === '-' ? 'standard input' : path;
        if (read === 0) {
          warn(`${name}: ${source.problem.message}`);
          status = 2;
        } else warn(`warning: ${name}: ${source.problem.message}; ${read} packets read before it`);
      }
    }
  } finally {
    sink.flush();
    writer?.close();
  }
  return status;
}
