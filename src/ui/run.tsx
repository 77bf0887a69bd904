import { existsSync, openSync, statSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { render } from 'ink';
import { CompressionError } from '../capture/compressed.js';
import { stdinQueue, WouldBlock } from '../capture/stdin-queue.js';
import { LiveCapture, DEFAULT_FILTER } from '../capture/live.js';
import { openCapture } from '../capture/open.js';
import { PcapWriter, WriteError } from '../capture/pcap-writer.js';
import { RotatingWriter } from '../capture/rotating-writer.js';
import type { Frame } from '../capture/frame.js';
import type { FrameFilter } from '../capture/libpcap.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { TunnelTable } from '../tunnels/table.js';
import { rotationOf, type CliOptions } from '../cli/args.js';
import { fileFilter } from '../cli/each-frame.js';
import { loadSas } from '../cli/keys.js';
import { App, type UiSource } from './app.js';
import { Store } from './store.js';

/** How long one batch of file reading may hold the event loop, so keys and redraws stay prompt. */
const SLICE_MS = 25;

/**
 * The terminal UI over a capture file or a live interface: the engine runs
 * here, outside React, feeding the store; ink draws the store's snapshots.
 */
export async function runTui(opts: CliOptions): Promise<number> {
  const options = engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts));
  const engine = new Engine(options);
  const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
  const live = opts.interface !== undefined;
  const filter = live ? (opts.all ? '' : opts.filter ?? DEFAULT_FILTER) : opts.filter ?? null;
  const store = new Store(table, live ? `live ${opts.interface}` : opts.files.join(' '), filter, live);
  let writer: RotatingWriter | null = null;
  let capture: LiveCapture | null = null;
  let stopped = false;

  const feed = (frame: Frame) => {
    const ctx = engine.dissect(frame);
    table.observe(ctx);
    store.onPacket(ctx, frame);
  };

  /** -w failed (a full disk): the capture stops, the screen says why, and the file keeps its whole records. */
  const writeFailed = (err: unknown) => {
    if (!(err instanceof WriteError)) throw err;
    stopped = true;
    capture?.stop();
    store.finish(err.message);
    status = 2;
  };
  let status = 0;

  const source: UiSource = {
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    packetsOf: (id) => store.packetsOf(id),
    writeTunnel: (id) => writeTunnel(store, id),
    engineOptions: options,
  };

  if (live) {
    const onFrame = (f: Frame) => {
      if (stopped) return;
      try {
        if (writer && !writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len)) {
          stopped = true;
          capture!.stop();
          store.finish(`capture stopped: the ${opts.rotateCount} files of -W are written`);
          return;
        }
      } catch (err) {
        writeFailed(err);
      }
      feed(f);
      if (capture!.packets >= opts.count) {
        stopped = true;
        capture!.stop();
        store.finish(`capture stopped after ${opts.count} packets`);
      }
    };
    const onError = (message: string) => {
      stopped = true;
      capture?.stop();
      store.finish(`the capture failed: ${message}`);
    };
    capture = new LiveCapture({ iface: opts.interface!, filter: filter ?? '', promiscuous: opts.promiscuous }, onFrame, onError);
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
        capture.stop(); // or it keeps the process alive after the error is said
        throw err;
      }
    }
    if (Number.isFinite(opts.duration)) setTimeout(() => {
      stopped = true;
      capture?.stop();
      store.finish(`capture stopped after ${opts.duration} s`);
    }, opts.duration * 1000).unref();
  } else {
    // A filter that does not compile for a link type met later in a file ends the reading, said on screen.
    readFiles(opts, fileFilter(opts), feed, store, () => stopped).catch((err: Error) => store.finish(`reading stopped: ${err.message}`));
  }

  store.start();
  // With -r - the pipe is standard input: keys come from the terminal itself, as termshark does.
  const keys = opts.files.includes('-') ? new ReadStream(openSync('/dev/tty', 'r')) : undefined;
  const app = render(<App source={source} />, { exitOnCtrlC: true, ...(keys ? { stdin: keys } : {}) });
  // -w written out before anything else when the terminal goes (SIGHUP) or we are told to stop (SIGTERM).
  const end = () => {
    stopped = true;
    capture?.stop();
    closeWriter();
    app.unmount();
  };
  const closeWriter = () => {
    try {
      writer?.close();
    } catch (err) {
      if (!(err instanceof WriteError)) throw err;
      status = 2;
      process.stderr.write(`gredump: ${err.message}\n`);
    }
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
  await app.waitUntilExit();
  clearInterval(flushing);
  process.off('SIGTERM', end);
  process.off('SIGHUP', end);
  stopped = true;
  store.stop();
  capture?.stop();
  closeWriter();
  keys?.destroy();
  return status;
}

/** Bytes of a pipe to wait for before opening it: a pcap file header (24) or the start of a pcapng section. */
const OPEN_BYTES = 64;

/** Reads the files in time slices, so the UI draws and answers keys while a large file loads. */
async function readFiles(opts: CliOptions, filter: FrameFilter | null, feed: (f: Frame) => void, store: Store, stopped: () => boolean): Promise<void> {
  const total = opts.files.reduce((n, f) => n + (f !== '-' && existsSync(f) ? statSync(f).size : 0), 0);
  let before = 0;
  let left = opts.count;
  const problems: string[] = [];
  for (const path of opts.files) {
    const queue = path === '-' ? stdinQueue() : null;
    // The headers are read when the file is opened: wait for them (or for the pipe's end).
    while (queue && queue.buffered < OPEN_BYTES && !queue.ended) await queue.whenData();
    let src;
    try {
      src = openCapture(path, filter);
    } catch (err) {
      problems.push((err as Error).message);
      continue;
    }
    try {
      while (!stopped() && left > 0) {
        const until = Date.now() + SLICE_MS;
        let more = true;
        try {
          while (left > 0 && (more = src.next())) {
            feed(src.frame);
            left--;
            if ((left & 1023) === 0 && Date.now() > until) break;
          }
        } catch (err) {
          // The pipe has nothing more yet: draw, answer keys, and read on when it has.
          if (!(err instanceof WouldBlock) || !queue) throw err;
          await queue.whenData();
          continue;
        }
        if (total > 0) store.setProgress((before + src.position) / total);
        if (!more) break;
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      // Compressed data cut short or damaged: said like a capture cut short.
      if (!(err instanceof CompressionError)) throw err;
      problems.push(err.message);
    } finally {
      src.close();
    }
    if (src.problem) problems.push(`${path}: ${src.problem.message}`);
    before += path !== '-' && existsSync(path) ? statSync(path).size : 0;
  }
  store.finish(problems.length ? `warning: ${problems.join('; ')}` : null);
}

/** Saves a tunnel's kept packets next to where gredump runs; says where. */
export function writeTunnel(store: Store, id: number): string {
  const packets = store.packetsOf(id);
  if (packets.length === 0) return 'no packets kept for this tunnel';
  // Created, never opened if there: an existing file, or a link planted there (even dangling), takes the next name.
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? `gredump-tunnel-${id}.pcap` : `gredump-tunnel-${id}-${n}.pcap`;
    let w: PcapWriter;
    try {
      w = new PcapWriter(name, packets[0]!.linktype, true, 262144, 'new');
    } catch (err) {
      if (err instanceof WriteError && (err.code === 'EEXIST' || err.code === 'ELOOP')) continue;
      return err instanceof WriteError ? err.message : `cannot write ${name}: ${(err as Error).message}`;
    }
    try {
      for (const p of packets) w.write(p.tsSec, p.tsNsec, p.bytes, p.len);
      w.close();
    } catch (err) {
      return err instanceof WriteError ? err.message : String(err);
    }
    return `wrote ${packets.length} packets to ${name}`;
  }
  return `cannot write gredump-tunnel-${id}.pcap: too many files of that name already`;
}
