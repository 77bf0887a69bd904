import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { render } from 'ink';
import { LiveCapture, DEFAULT_FILTER } from '../capture/live.js';
import { openCapture } from '../capture/open.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import type { Frame } from '../capture/frame.js';
import type { FrameFilter } from '../capture/libpcap.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import { TunnelTable } from '../tunnels/table.js';
import type { CliOptions } from './args.js';
import { fileFilter } from './each-frame.js';
import { loadSas } from './keys.js';
import { FileStore, LiveStore, PacketLists } from './packet-index.js';
import { matchTunnels, openList, Scheduler, type ListContext } from './tui-lists.js';
import { App } from '../ui/app.js';
import type { UiSource } from '../ui/source.js';
import { Store } from '../ui/store.js';

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
export async function runTui(opts: CliOptions): Promise<number> {
  const options = engineOptions(opts.maxDepth, opts.reassemblyMb, loadSas(opts));
  const engine = new Engine(options);
  const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
  const live = opts.interface !== undefined;
  const filter = live ? (opts.all ? '' : opts.filter ?? DEFAULT_FILTER) : opts.filter ?? null;
  const store = new Store(table, live ? `live ${opts.interface}` : opts.files.join(' '), filter, live);
  // Standard input cannot be read again: its packets are kept in the ring, as live ones are.
  const ring = live || opts.files.includes('-') ? new LiveStore() : null;
  const files = ring ? null : new FileStore(opts.files);
  const lists = new PacketLists(ring ?? files!);
  const scheduler = new Scheduler();
  let complete = false;
  const ctx: ListContext = {
    lists, options, scheduler, complete: () => complete,
    stem: live ? `live_${opts.interface}` : basename(opts.files[0] ?? 'capture').replace(/\.(pcapng|pcap|cap)$/i, ''),
  };
  let writer: PcapWriter | null = null;
  let capture: LiveCapture | null = null;
  let stopped = false;

  const feed = (frame: Frame, file: number, recordAt: number) => {
    const c = engine.dissect(frame);
    table.observe(c);
    store.onPacket(c);
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
    list: (spec) => openList(ctx, spec),
    matchTunnels: (f) => matchTunnels(ctx, f),
    initialFilter: opts.displayFilter ?? undefined,
    suspend: (resumed) => suspend(resumed),
  };

  if (live) {
    const onFrame = (f: Frame) => {
      if (stopped) return;
      writer?.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len);
      feed(f, 0, -1);
      if (capture!.packets >= opts.count) {
        stopped = true;
        capture!.stop();
        finish(`capture stopped after ${opts.count} packets`);
      }
    };
    const onError = (message: string) => {
      stopped = true;
      capture?.stop();
      finish(`the capture failed: ${message}`);
    };
    capture = new LiveCapture({ iface: opts.interface!, filter: filter ?? '', promiscuous: opts.promiscuous }, onFrame, onError);
    const c = capture;
    store.setDropCounter(() => {
      const st = c.stats();
      return st ? st.dropped + st.ifDropped : null;
    });
    if (opts.write) writer = new PcapWriter(opts.write, capture.linktype, capture.nanoseconds);
    if (Number.isFinite(opts.duration)) setTimeout(() => {
      stopped = true;
      capture?.stop();
      finish(`capture stopped after ${opts.duration} s`);
    }, opts.duration * 1000).unref();
  } else {
    // A filter that does not compile for a link type met later in a file ends the reading, said on screen.
    readFiles(opts, fileFilter(opts), feed, store, () => stopped).then(finish, (err: Error) => finish(`reading stopped: ${err.message}`));
  }

  const out = process.stdout;
  const leave = () => out.write(ALT_SCREEN_OFF);
  out.write(ALT_SCREEN_ON);
  process.once('exit', leave);
  store.start();
  const app = render(<App source={source} />, { exitOnCtrlC: true });

  /** Ctrl-Z: the terminal as it was, stopped; on fg, the UI again. */
  function suspend(resumed: () => void): void {
    leave();
    process.stdin.setRawMode?.(false);
    // A signal sent to oneself is delivered before kill() returns: the process stops here, and goes
    // on from here on fg, before any timer could draw on the shell's screen.
    process.kill(process.pid, 'SIGTSTP');
    process.stdin.setRawMode?.(true);
    out.write(ALT_SCREEN_ON);
    app.clear();
    resumed();
  }

  await app.waitUntilExit();
  stopped = true;
  store.stop();
  scheduler.stop();
  capture?.stop();
  writer?.close();
  lists.store.close();
  leave();
  process.off('exit', leave);
  // What happened, in one line, on the terminal the UI gave back.
  const s = store.getSnapshot();
  const drops = s.drops === null ? '' : `, ${s.drops} dropped`;
  const wrote = writer ? `, written to ${opts.write}` : '';
  const seen = `${s.tunnels.length} tunnel${s.tunnels.length === 1 ? '' : 's'}, ${s.esp.length} IPsec peer pair${s.esp.length === 1 ? '' : 's'}`;
  process.stderr.write(`gredump: ${table.packets} packets${drops}${wrote}; ${seen}${s.done ? '' : ' (stopped before the end)'}\n`);
  return 0;
}

/** Reads the files in time slices, so the UI draws and answers keys while a large file loads. */
async function readFiles(opts: CliOptions, filter: FrameFilter | null, feed: (f: Frame, file: number, recordAt: number) => void, store: Store, stopped: () => boolean): Promise<string | null> {
  const total = opts.files.reduce((n, f) => n + (f !== '-' && existsSync(f) ? statSync(f).size : 0), 0);
  let before = 0;
  let left = opts.count;
  const problems: string[] = [];
  for (let file = 0; file < opts.files.length; file++) {
    const path = opts.files[file]!;
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
        while (left > 0 && (more = src.next())) {
          feed(src.frame, file, src.recordAt ?? -1);
          left--;
          if ((left & 1023) === 0 && Date.now() > until) break;
        }
        if (total > 0) store.setProgress((before + src.position) / total);
        if (!more) break;
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      src.close();
    }
    if (src.problem) problems.push(`${path}: ${src.problem.message}`);
    before += path !== '-' && existsSync(path) ? statSync(path).size : 0;
  }
  return problems.length ? `warning: ${problems.join('; ')}` : null;
}
