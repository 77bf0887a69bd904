import { openSync } from 'node:fs';
import { basename } from 'node:path';
import { ReadStream } from 'node:tty';
import { render } from 'ink';
import { stdinQueue, WouldBlock } from '../capture/stdin-queue.js';
import { LiveCapture, DEFAULT_FILTER } from '../capture/live.js';
import { probeInputs } from './inputs.js';
import { WriteError } from '../capture/pcap-writer.js';
import { RotatingWriter } from '../capture/rotating-writer.js';
import type { Frame } from '../capture/frame.js';
import type { FrameFilter } from '../capture/libpcap.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { TunnelTable } from '../tunnels/table.js';
import { rotationOf, type CliOptions } from './args.js';
import { Drive, fileFilter } from './drive.js';
import { loadSas } from './keys.js';
import { FileStore, LiveStore, PacketLists } from './packet-index.js';
import { filterProblem, matchTunnels, openList, Scheduler, type ListContext } from './tui-lists.js';
import { App } from '../ui/app.js';
import type { UiSource } from '../ui/source.js';
import { Store } from '../ui/store.js';
import { plural } from '../util/words.js';

/** How long one batch of file reading may hold the event loop, so keys and redraws stay prompt. */
const SLICE_MS = 25;

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[H\x1b[2J';
const ALT_SCREEN_OFF = '\x1b[?1049l';

/**
 * The terminal UI over capture files or a live interface: the engine runs
 * here, outside React, feeding the store (the tunnel table's snapshots) and
 * the packet lists (an index of the file, or a ring of live packets); ink
 * draws the snapshots, and the lists dissect again what they show.
 */
export async function runTui(opts: CliOptions, unreadable: string[] = []): Promise<number> {
  const options = engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts));
  // The first read keeps TCP's and UDP's conversations; the lists, which dissect packets again, take them from it.
  const engine = new Engine({ ...options, conversations: true });
  const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
  const live = opts.interface !== undefined;
  const filter = live ? (opts.all ? '' : (opts.filter ?? DEFAULT_FILTER)) : (opts.filter ?? null);
  const filterText =
    filter === null ? null : filter === DEFAULT_FILTER ? 'tunnel traffic (default)' : filter || 'none (--all)';
  const store = new Store(table, live ? `live ${opts.interface}` : opts.files.join(' '), filterText, live);
  // Standard input cannot be read again: its packets are kept in the ring, as live ones are.
  const ring = live || opts.files.includes('-') ? new LiveStore() : null;
  const files = ring ? null : new FileStore(opts.files);
  const lists = new PacketLists(ring ?? files!);
  const scheduler = new Scheduler();
  let complete = false;
  const ctx: ListContext = {
    lists,
    options,
    scheduler,
    complete: () => complete,
    stem: live ? `live_${opts.interface}` : basename(opts.files[0] ?? 'capture').replace(/\.(pcapng|pcap|cap)$/i, ''),
  };
  let writer: RotatingWriter | null = null;
  let capture: LiveCapture | null = null;
  let stopped = false;
  let status = 0;
  /** -w failed (a full disk): the capture stops, the screen says why, and the file keeps its whole records. */
  const writeFailed = (err: unknown) => {
    if (!(err instanceof WriteError)) throw err;
    stopped = true;
    capture?.close();
    finish(err.message);
    status = 2;
  };

  const feed = (frame: Frame, file: number, recordAt: number) => {
    const c = engine.dissect(frame);
    table.observe(c);
    store.onPacket(c.tsSec);
    const seq = lists.store.total;
    if (ring) ring.add(frame);
    else files!.add(file, recordAt);
    lists.file(seq, c, table);
  };
  const finish = (warning: string | null) => {
    complete = true;
    store.finish(warning);
  };

  const source: UiSource = {
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    checkFilter: filterProblem,
    list: (spec) => openList(ctx, spec),
    matchTunnels: (f) => matchTunnels(ctx, f),
    initialFilter: opts.displayFilter ?? undefined,
    suspend: (resumed) => suspend(resumed),
  };

  if (live) {
    const onFrame = (f: Frame): void | false => {
      try {
        if (writer && !writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len)) {
          stopped = true;
          capture!.close();
          finish(`capture stopped: the ${opts.rotateCount} files of -W are written`);
          return false;
        }
      } catch (err) {
        writeFailed(err);
        return false;
      }
      feed(f, 0, -1);
    };
    // The reading ends with -c's count (said here) or when the capture stops (said where it is stopped).
    const onBatch = () => {
      if (reader.run() || stopped) return;
      stopped = true;
      capture!.close();
      finish(`capture stopped after ${opts.count} packets`);
    };
    const onError = (message: string) => {
      stopped = true;
      capture?.close();
      finish(`the capture failed: ${message}`);
    };
    capture = new LiveCapture(
      { iface: opts.interface!, filter: filter ?? '', promiscuous: opts.promiscuous, bufferKib: opts.bufferKib },
      onBatch,
      onError,
    );
    const reader = new Drive([{ path: opts.interface!, open: capture }], { count: opts.count, onFrame });
    const c = capture;
    store.setDropCounter(() => {
      const st = c.stats();
      return st ? st.dropped + st.ifDropped : null;
    });
    if (opts.write) {
      try {
        writer = new RotatingWriter(opts.write, capture.linktype, capture.nanoseconds, rotationOf(opts));
        writer.start(Date.now() / 1000);
      } catch (err) {
        capture.close(); // or it keeps the process alive after the error is said
        throw err;
      }
    }
    if (Number.isFinite(opts.duration))
      setTimeout(() => {
        stopped = true;
        capture?.close();
        finish(`capture stopped after ${opts.duration} s`);
      }, opts.duration * 1000).unref();
  } else {
    // A filter that does not compile for a link type met later in a file ends the reading, said on screen.
    readFiles(opts, fileFilter(opts), feed, store, () => stopped, unreadable).then(finish, (err: Error) =>
      finish(`reading stopped: ${err.message}`),
    );
  }

  const out = process.stdout;
  const leave = () => out.write(ALT_SCREEN_OFF);
  out.write(ALT_SCREEN_ON);
  process.once('exit', leave);
  store.start();
  // With -r - the pipe is standard input: keys come from the terminal itself, as termshark does.
  const keys = opts.files.includes('-') ? new ReadStream(openSync('/dev/tty', 'r')) : undefined;
  const keyboard = keys ?? process.stdin;
  const app = render(<App source={source} />, { exitOnCtrlC: true, ...(keys ? { stdin: keys } : {}) });
  const closeWriter = () => {
    try {
      writer?.close();
    } catch (err) {
      if (!(err instanceof WriteError)) throw err;
      status = 2;
      process.stderr.write(`gredump: ${err.message}\n`);
    }
  };
  // -w written out before anything else when the terminal goes (SIGHUP) or we are told to stop (SIGTERM).
  const end = () => {
    stopped = true;
    capture?.close();
    closeWriter();
    app.unmount();
  };
  process.once('SIGTERM', end);
  process.once('SIGHUP', end);
  // Kept packets reach the file at least every second, not only when the buffer fills.
  const flushing = setInterval(() => {
    try {
      writer?.flush();
    } catch (err) {
      writeFailed(err);
    }
  }, 1000);

  /** Ctrl-Z: the terminal as it was, stopped; on fg, the UI again. */
  function suspend(resumed: () => void): void {
    leave();
    keyboard.setRawMode?.(false);
    // A signal sent to oneself is delivered before kill() returns: the process stops here, and goes
    // on from here on fg, before any timer could draw on the shell's screen.
    process.kill(process.pid, 'SIGTSTP');
    keyboard.setRawMode?.(true);
    out.write(ALT_SCREEN_ON);
    app.clear();
    resumed();
  }

  await app.waitUntilExit();
  clearInterval(flushing);
  process.off('SIGTERM', end);
  process.off('SIGHUP', end);
  stopped = true;
  store.stop();
  scheduler.stop();
  capture?.close();
  closeWriter();
  keys?.destroy();
  lists.store.close();
  leave();
  process.off('exit', leave);
  // What happened, in one line, on the terminal the UI gave back.
  const s = store.getSnapshot();
  const drops = s.drops === null ? '' : `, ${s.drops} dropped`;
  const wrote = writer && writer.opened.length ? `, written to ${writer.opened.join(', ')}` : '';
  const pairs = s.esp.reduce((n, e) => n + e.pairs.length, 0);
  const seen = `${plural(s.tunnels.length, 'tunnel')}, ${plural(pairs, 'IPsec peer pair')}`;
  process.stderr.write(
    `gredump: ${plural(table.packets, 'packet')}${drops}${wrote}; ${seen}` +
      `${s.done ? '' : ' (stopped before the end)'}\n`,
  );
  return status;
}

/** Reads the files in time slices, so the UI draws and answers keys while a large file loads. */
async function readFiles(
  opts: CliOptions,
  filter: FrameFilter | null,
  feed: (f: Frame, file: number, recordAt: number) => void,
  store: Store,
  stopped: () => boolean,
  unreadable: string[],
): Promise<string | null> {
  // Progress counts the bytes of plain files: a compressed one's position is in its decompressed bytes.
  const sizes = probeInputs(opts.files).map((f) => (f.compressed ? 0 : f.size));
  const total = sizes.reduce((n, size) => n + size, 0);
  let before = 0;
  // Files that could not be opened were left out before the UI opened; the screen says so too.
  const problems: string[] = [...unreadable];
  const reader: Drive = new Drive(
    opts.files.map((path) => ({ path })),
    {
      filter,
      count: opts.count,
      onFrame: (f) => feed(f, reader.index, reader.source!.recordAt ?? -1),
      onFileEnd(end) {
        const problem = end.openError ?? end.problem;
        if (problem !== null) problems.push(problem);
        before += sizes[end.index]!;
      },
    },
  );
  const queue = opts.files.includes('-') ? stdinQueue() : null;
  try {
    for (;;) {
      const until = Date.now() + SLICE_MS;
      let more;
      try {
        more = reader.run(() => Date.now() > until);
      } catch (err) {
        // The pipe has nothing more yet: draw, answer keys, and read on when it has.
        if (!(err instanceof WouldBlock) || !queue) throw err;
        await queue.whenData();
        continue;
      }
      const at = reader.source;
      if (at && total > 0 && sizes[reader.index]! > 0) store.setProgress((before + at.position) / total);
      if (!more || stopped()) break;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    reader.close();
  }
  return problems.length ? `warning: ${problems.join('; ')}` : null;
}
