import type { PacketCtx } from '../dissect/packet.js';
import { nearest } from '../filter/compile.js';
import { FieldColumns } from '../output/field-columns.js';
import { detailWriter, writeHexDump } from '../output/packet-detail.js';
import { writePacketJson } from '../output/packet-json.js';
import { writePacketText } from '../output/packet-text.js';
import type { LineSink } from '../output/sink.js';
import type { CliOptions } from './args.js';
import { displayFilter } from './display-filter.js';

/**
 * What -r and -i print for each packet, chosen once from the options:
 * the display filter (-Y) that decides which packets, and the form
 * (text line, --json, -T fields columns, -V tree, -x hex).
 */
export interface PacketOutput {
  /** Whether the packet passes -Y (always, without it). */
  wants(ctx: PacketCtx): boolean;
  /** Prints a packet that passed. */
  print(ctx: PacketCtx, sink: LineSink): void;
  /** Only plain lines (text or JSON) of every packet: what worker threads can print. */
  readonly plain: boolean;
  /** Nothing is printed (-w without -P): a packet is dissected only if -Y needs it. */
  readonly silent: boolean;
  /** -Y is given: wants() reads the dissected packet. */
  readonly filtered: boolean;
  /** -V, or -Y or -T fields reads a field of TCP's or UDP's conversations: the engine must keep them. */
  readonly conversations: boolean;
}

export function packetOutput(opts: CliOptions, sink: LineSink): PacketOutput {
  const filter = displayFilter(opts);
  const columns = opts.fieldColumns ? new FieldColumns(opts.fieldColumns, opts.columnOptions, nearest) : null;
  const format = columns
    ? columns.write.bind(columns)
    : opts.detail
      ? detailWriter(opts.detailOnly, opts.hexDump)
      : opts.json
        ? writePacketJson
        : writePacketText;
  if (columns && opts.columnOptions.header) sink.line(columns.header());
  const hex = opts.hexDump;
  // As tcpdump and tshark: writing to a file prints no summary lines unless asked (-P);
  // a form asked for by name (--json, -T fields, -V, -x) is printed as asked.
  const silent = opts.write !== undefined && !opts.print && format === writePacketText && !hex;
  return {
    plain: !filter && !columns && !opts.detail && !hex,
    silent,
    filtered: filter !== null,
    conversations: opts.detail || (columns?.readsConversations() ?? false) || (filter?.readsConversations ?? false),
    wants: filter ? filter.match : () => true,
    // A packet printed (or kept, when nothing is printed) is displayed: frame.time_delta_displayed is told from it.
    print: silent
      ? (ctx) => ctx.shown()
      : (ctx, s) => {
          format(ctx, s.out);
          s.endLine();
          // tshark -V ends each packet's tree with an empty line (before -x's bytes).
          if (opts.detail) s.line('');
          if (hex) writeHexDump(ctx, s);
          ctx.shown();
        },
  };
}
