import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { LineSink } from '../output/sink.js';
import { packetOutput } from './packet-output.js';
import { RotatingWriter } from '../capture/rotating-writer.js';
import { WriteError } from '../capture/pcap-writer.js';
import { decapsulate } from '../output/decap.js';
import { statSync } from 'node:fs';
import { onBeforeWaiting } from '../capture/byte-source.js';
import { FOLLOW, IO_STAT, PROTOCOL_HIERARCHY, rotationOf, UsageError, type CliOptions } from './args.js';
import { eachFrame, fileFilter } from './drive.js';
import { loadSas } from './keys.js';
import { readPlan, wantsParallel, type ParallelPlan } from './parallel-plan.js';
import { probeInputs } from './inputs.js';
import { compileFilter } from './display-filter.js';
import { responseTimesTable, type StatisticsTap } from '../output/statistics-types.js';

/**
 * `gredump -r FILE...`: a line (text or NDJSON) for each packet; large
 * captures are printed by worker threads (see read-parallel), unless -w or
 * -f is given. Resolves to the exit status.
 */
export async function runRead(
  opts: CliOptions,
  warn: (msg: string) => void,
  plan: ParallelPlan = readPlan(opts),
): Promise<number> {
  const inputs = probeInputs(opts.files);
  // Read here, in this thread, so that wrong keys are one line before any worker starts.
  const sas = loadSas(opts);
  const sink = new LineSink();
  const output = packetOutput(opts, sink);
  const { tables, readStreams } = await statisticsTables(opts);
  if (
    opts.write === undefined &&
    opts.filter === undefined &&
    output.plain &&
    tables.length === 0 &&
    wantsParallel(opts, plan, inputs)
  ) {
    // Loaded only for a large capture: a small one starts without the worker machinery.
    return (await import('./read-parallel.js')).readInParallel(opts, plan, warn, inputs);
  }
  if (opts.write !== undefined) refuseToOverwriteInput(opts.write, opts.files);
  const engine = new Engine({
    ...engineOptions(opts.maxDepth, opts.reassemblyMb, sas),
    // Printing nothing (-w without -P), nothing shows a checksum's verdict: -Y reads none.
    headerChecksums: !output.silent,
    // TCP's and UDP's conversation tables are their streams.
    conversations: output.conversations || readStreams,
  });
  // -r IN -w OUT copies what is read (with -c, the first N packets) into a pcap.
  // (Typed by assertion: TypeScript does not see the callback assign it.)
  let writer = null as RotatingWriter | null;
  onBeforeWaiting(() => {
    sink.flush();
    writer?.flush();
  });
  /** The first input's link type, once it was read: the link type of a -w file that no packet opened. */
  let firstLinktype = -1;
  try {
    // -w alone copies records: nothing reads their layers, so none are dissected.
    const dissects = !output.silent || output.filtered || opts.decap || tables.length > 0;
    const status = eachFrame(
      opts.files,
      opts.count,
      fileFilter(opts),
      warn,
      (f) => {
        const ctx = dissects ? engine.dissect(f) : null;
        // As tshark's taps: -Y does not choose what the tables count (their own filters do).
        if (ctx) for (const t of tables) t.observe(ctx);
        if (ctx && !output.wants(ctx)) return;
        if (opts.write) {
          // --decap: what the packet carries, at the packet's own time (Ethernet: see decap.ts).
          const inner = opts.decap && ctx ? decapsulate(ctx) : null;
          writer ??= new RotatingWriter(opts.write, opts.decap ? 1 : f.linktype, f.tsDigits > 6, rotationOf(opts));
          // A pcapng file's interfaces may differ in link type; a pcap file has one, and a packet under another's would
          // be misread.
          if (!opts.decap && f.linktype !== writer.linktype)
            throw new WriteError(
              opts.write,
              undefined,
              `a packet of link type ${f.linktype} follows packets of link type ${writer.linktype}, and a pcap file ` +
                'holds one link type (the packets before it were written)',
            );
          const [data, len] = opts.decap
            ? inner
              ? [inner.data, inner.len]
              : [null, 0]
            : [f.data.subarray(f.off, f.off + f.caplen), f.len];
          // -G -W: the last file is full; the read ends, as tcpdump's does.
          if (data && !writer.write(f.tsSec, f.tsNsec, data, len)) return false;
        }
        if (ctx && !opts.quiet) output.print(ctx, sink);
        return undefined;
      },
      (end) => {
        if (firstLinktype < 0 && end.openError === null) firstLinktype = end.linktype;
      },
    );
    // No packet written: a capture with no packets all the same, as tcpdump and tshark write it (a file from an earlier
    // run must not pass for this one's).
    if (opts.write && writer === null && firstLinktype >= 0) {
      writer = new RotatingWriter(opts.write, opts.decap ? 1 : firstLinktype, false, rotationOf(opts));
      writer.start(Date.now() / 1000);
    }
    // tshark prints the tables of its -z options last given first.
    for (let i = tables.length - 1; i >= 0; i--) {
      tables[i]!.print(sink);
      const note = tables[i]!.uncountedNote();
      if (note) warn(note);
    }
    return status;
  } finally {
    onBeforeWaiting(null);
    sink.flush();
    writer?.close();
  }
}

/**
 * -z's tables, their filters compiled (a mistake in one is said before anything is read), and whether they read TCP's
 * or UDP's streams (their rows, or their filters).
 */
async function statisticsTables(opts: CliOptions): Promise<{ tables: StatisticsTap[]; readStreams: boolean }> {
  if (opts.statistics.length === 0) return { tables: [], readStreams: false };
  const { StatisticsTable } = await import('../output/conversation-stats.js');
  const { ProtocolHierarchy } = await import('../output/protocol-hierarchy.js');
  const io = await import('../output/io-statistics.js');
  const { FollowStream } = await import('../output/follow.js');
  const { PacketLengths } = await import('../output/packet-lengths.js');
  const { IpTree } = await import('../output/ip-trees.js');
  const { IcmpResponseTimes } = await import('../output/icmp-response-times.js');
  let readStreams = false;
  const compile = (filter: string, name: string) => {
    const compiled = compileFilter(filter, `-z ${name}`);
    readStreams ||= compiled.readsConversations;
    return compiled.match;
  };
  const tables = opts.statistics.map((spec) => {
    if (spec.kind === 'io-stat') {
      const clock = io.ioStatClock(opts.timeFormat);
      if (clock === null)
        throw new UsageError(`-z ${IO_STAT} names its intervals by -t r, a, ad, adoy, u, ud or udoy, as tshark's`);
      try {
        const table = new io.IoStatistics(
          spec.spec,
          spec.interval,
          io.ioStatColumns(spec.columns, (filter) => compile(filter, IO_STAT)),
          clock,
        );
        readStreams ||= table.readsConversations;
        return table;
      } catch (err) {
        if (err instanceof io.IoStatColumnError) throw new UsageError(`-z ${IO_STAT}: ${err.message}`);
        throw err;
      }
    }
    if (spec.kind === 'follow')
      return new FollowStream(spec.follow, compile(spec.follow.filter, `${FOLLOW},${spec.follow.proto}`));
    const name =
      spec.kind === 'phs'
        ? PROTOCOL_HIERARCHY
        : spec.kind === 'tree'
          ? `${spec.tree},tree`
          : spec.kind === 'srt'
            ? responseTimesTable(spec.version)
            : `${spec.kind},${spec.type}`;
    const match = spec.filter === null ? null : compile(spec.filter, name);
    if (spec.kind === 'phs') return new ProtocolHierarchy(spec.filter, match);
    if (spec.kind === 'srt') return new IcmpResponseTimes(spec.version, spec.filter, match);
    if (spec.kind === 'tree') return spec.tree === 'plen' ? new PacketLengths(match) : new IpTree(spec.tree, match);
    readStreams ||= spec.type === 'tcp' || spec.type === 'udp';
    return new StatisticsTable(spec.kind, spec.type, spec.filter, match);
  });
  return { tables, readStreams };
}

/**
 * `-r X -w X` would truncate the capture before reading it: refused, also
 * when the two names are different paths or hard links to the same file
 * (same device and inode).
 */
function refuseToOverwriteInput(out: string, inputs: string[]): void {
  if (out === '-') return;
  const o = statSync(out, { throwIfNoEntry: false });
  if (!o) return;
  for (const input of inputs) {
    if (input === '-') continue;
    const i = statSync(input, { throwIfNoEntry: false });
    if (i && i.dev === o.dev && i.ino === o.ino)
      throw new WriteError(out, undefined, `it is the input file ${input === out ? '' : `(${input}) `}being read`);
  }
}
