import { openCapture } from '../capture/open.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { packetJson } from '../output/packet-json.js';
import { packetText } from '../output/packet-text.js';
import { LineSink } from '../output/sink.js';
import type { CliOptions } from './args.js';
import { loadSas } from './keys.js';

/** `gredump -r FILE...`: a line (text or NDJSON) for each packet. Returns the exit status. */
export function runRead(opts: CliOptions, warn: (msg: string) => void): number {
  const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts)));
  const sink = new LineSink();
  const format = opts.json ? packetJson : packetText;
  let status = 0;
  let left = opts.count;
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
          sink.line(format(engine.dissect(source.frame)));
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
  }
  return status;
}
