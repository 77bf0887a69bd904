import { existsSync, openSync, statSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { render } from 'ink';
import { ByteSource } from '../capture/byte-source.js';
import { CompressionError } from '../capture/compressed.js';
import { openWhenReady, stdinQueue, WouldBlock } from '../capture/stdin-queue.js';
import { LiveCapture, DEFAULT_FILTER } from '../capture/live.js';
import { openCapture } from '../capture/open.js';
import { PcapWriter } from '../capture/pcap-writer.js';
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
      if (writer && !writer.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len)) {
        stopped = true;
        capture!.stop();
        store.finish(`capture stopped: the ${opts.rotateCount} files of -W are written`);
        return;
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
    if (opts.write) writer = new RotatingWriter(opts.write, capture.linktype, capture.nanoseconds, rotationOf(opts));
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
  await app.waitUntilExit();
  stopped = true;
  store.stop();
  capture?.stop();
  writer?.close();
  keys?.destroy();
  return 0;
}

/** Reads the files in time slices, so the UI draws and answers keys while a large file loads. */
async function readFiles(opts: CliOptions, filter: FrameFilter | null, feed: (f: Frame) => void, store: Store, stopped: () => boolean): Promise<void> {
  // Progress counts the bytes of plain files: a compressed one's position is in its decompressed bytes.
  const sizeOf = (f: string) => (f !== '-' && existsSync(f) && statSync(f).isFile() && !ByteSource.isCompressed(f) ? statSync(f).size : 0);
  const total = opts.files.reduce((n, f) => n + sizeOf(f), 0);
  let before = 0;
  let left = opts.count;
  const problems: string[] = [];
  for (const path of opts.files) {
    const queue = path === '-' ? stdinQueue() : null;
    let src;
    try {
      src = await openWhenReady(queue, () => openCapture(path, filter));
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
        if (total > 0 && sizeOf(path) > 0) store.setProgress((before + src.position) / total);
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
    before += sizeOf(path);
  }
  store.finish(problems.length ? `warning: ${problems.join('; ')}` : null);
}

/** Saves a tunnel's kept packets next to where gredump runs; says where. */
function writeTunnel(store: Store, id: number): string {
  const packets = store.packetsOf(id);
  if (packets.length === 0) return 'no packets kept for this tunnel';
  let name = `gredump-tunnel-${id}.pcap`;
  for (let n = 2; existsSync(name); n++) name = `gredump-tunnel-${id}-${n}.pcap`;
  const w = new PcapWriter(name, packets[0]!.linktype, true);
  for (const p of packets) w.write(p.tsSec, p.tsNsec, p.bytes, p.len);
  w.close();
  return `wrote ${packets.length} packets to ${name}`;
}
