import type { Snapshot } from './store.js';

/**
 * What the UI is given by the program that runs the capture (src/cli/tui.tsx):
 * snapshots to draw, and packet lists to browse. The UI reads no packets
 * itself: lists dissect on demand, on the driver's side.
 */
export interface UiSource {
  subscribe(fn: () => void): () => void;
  getSnapshot(): Snapshot;
  /** null when a display filter compiles (or is empty), else what is wrong and where. */
  checkFilter(text: string): FilterProblem | null;
  /** A packet list; throws FilterError for a filter that does not compile. */
  list(spec: ListSpec): PacketList;
  /** The tunnels and peer pairs with a packet that matches the filter (filled in as it scans). */
  matchTunnels(filter: string): TunnelMatch;
  /** Ctrl-Z: give the terminal back, stop, and come back on fg (then `resumed` is called). */
  suspend?(resumed: () => void): void;
  /** -Y on the command line: the UI opens with it. */
  initialFilter?: string;
}

export interface FilterProblem {
  message: string;
  /** Where in the filter's text, for a caret. */
  start: number;
  length: number;
}

export type ListSpec =
  | { kind: 'all' }
  | { kind: 'tunnel'; id: number; title: string; name: string }
  | { kind: 'peer'; key: string; title: string; name: string }
  /** An IKE reflection's answers: the packets of its reflectors' pairs, as many as the table has folded by now. */
  | { kind: 'reflection'; pairs: () => readonly string[]; title: string; name: string }
  /** An OSPF router's hellos, in the tunnel that carries them. */
  | { kind: 'router'; tunnel: number; routerId: string; title: string; name: string };

export interface LineParts {
  frameNo: number;
  /** The time, then each layer's text, outermost first (escaped). */
  time: string;
  segments: string[];
}

/** One line of the field tree, with the bytes it was read from. */
export interface TreeRow {
  depth: number;
  text: string;
  /** Which buffer the bytes are in (0 the frame; others: reassembled, decrypted), and where. */
  buffer: number;
  off: number;
  len: number;
  expert: boolean;
}

export interface PacketDetail {
  frameNo: number;
  rows: TreeRow[];
  /** Frame bytes first, then each buffer the packet made of its own, with its title. */
  buffers: { title: string; bytes: Uint8Array }[];
}

export interface ScanState {
  /** Packets looked at, of how many so far. */
  scanned: number;
  of: number;
  done: boolean;
}

export type WriteResult = { written: string } | { exists: string } | { error: string };

export interface PacketList {
  readonly title: string;
  /** Packets in the list now (it grows while a file loads or a capture runs). */
  length(): number;
  /** Packets that left the front of the list (live: the ring forgot them). */
  dropped(): number;
  /** A filtered list: how far its scan went; null for other lists. */
  scan(): ScanState | null;
  line(i: number): LineParts;
  frameNo(i: number): number;
  /** The index of the first packet at or after frame `frameNo`. */
  indexOfFrame(frameNo: number): number;
  detail(i: number): PacketDetail | null;
  /** The next (or previous) packet from `from` that matches `filter`; null if none; `more` when it ran out of time. */
  find(from: number, forward: boolean, filter: string): { index: number | null; more: number | null };
  /** The list, filtered: throws FilterError. */
  filtered(filter: string): PacketList;
  /** The file name its packets are written under. */
  fileName(): string;
  /** Writes every packet of the list; an existing file is replaced only with `overwrite`. */
  write(overwrite: boolean): WriteResult;
  close(): void;
}

export interface TunnelMatch {
  readonly filter: string;
  tunnels: ReadonlySet<number>;
  peers: ReadonlySet<string>;
  scan(): ScanState;
  close(): void;
}
