import { printfFixed } from '../util/printf.js';
import { visible } from './escape.js';
import type { LineSink } from './sink.js';

/**
 * Wireshark's stats_tree (epan/stats_tree.c) as tshark prints it: a tree of counted items, each with its count, the
 * average, least and greatest of the values given to it, its rate per millisecond over the tree's span, its share of
 * its parent's count, and its burst (the most counts within 100 ms, and when that window started). The trees of
 * `-z plen,tree` and its kin are made of these nodes.
 */

/** Burst windows: counts in buckets of 5 ms, a window of 20 buckets (tshark's defaults, st_burst_*). */
const BURST_RESOLUTION_MS = 5;
const BURST_WINDOW_MS = 100;
const BURST_BUCKETS = BURST_WINDOW_MS / BURST_RESOLUTION_MS;

/** Column titles and widths: the name's width is the longest indented name; numbers are 12 wide, 2 between. */
const COLUMNS = ['Count', 'Average', 'Min Val', 'Max Val', 'Rate (ms)', 'Percent', 'Burst Rate', 'Burst Start'];
const NUMBER_WIDTH = 12;
/** Nodes a tree draws (a flood of addresses must not take all memory). */
const MAX_NODES = 1_000_000;

interface Bucket {
  number: number;
  count: number;
  start: number;
}

export class StatsNode {
  counter = 0;
  total = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Values were given (its average, least and greatest are shown). */
  averaged = false;
  readonly children: StatsNode[] = [];
  /**
   * The burst window: buckets in order of their number, never empty (tshark starts it with an empty bucket 0 at time
   * 0, which a first window within 100 ms of the capture's start keeps as its start).
   */
  private readonly buckets: Bucket[] = [{ number: 0, count: 0, start: 0 }];
  private inWindow = 0;
  maxBurst = 0;
  burstStart = -1;

  constructor(
    readonly tree: StatsTree,
    readonly name: string,
    readonly parent: StatsNode | null,
    /** A range node's bounds (its children are sorted by them), null for others. */
    readonly range: readonly [number, number] | null = null,
  ) {}

  private index: Map<string, StatsNode> | null = null;

  /** The child of this name, made on first use (a tree past MAX_NODES gives one that is not drawn, and says so). */
  child(name: string): StatsNode {
    this.index ??= new Map(this.children.map((c) => [c.name, c]));
    let c = this.index.get(name);
    if (c === undefined) {
      c = new StatsNode(this.tree, name, this);
      if (this.tree.admit()) {
        this.children.push(c);
        this.index.set(name, c);
      }
    }
    return c;
  }

  /** Counts `value` more items now (tshark's tick: MN_INCREASE). */
  tick(value = 1): void {
    this.counter += value;
    this.burst(value);
  }

  /** Takes a value into the average, least and greatest (MN_AVERAGE_NOTICK). */
  average(value: number): void {
    this.total += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    this.averaged = true;
  }

  /** tshark's update_burst_calc: buckets of 5 ms, kept while within 100 ms of the newest. */
  private burst(value: number): void {
    const now = this.tree.now;
    const number = Math.floor(now / BURST_RESOLUTION_MS);
    const b = this.buckets;
    const newest = b[b.length - 1]!.number;
    if (number > newest) {
      b.push({ number, count: value, start: now });
      this.inWindow += value;
      while (number >= b[0]!.number + BURST_BUCKETS) this.inWindow -= b.shift()!.count;
    } else if (number < b[0]!.number) {
      // An earlier frame (time going backwards): counted if still within the window.
      if (number + BURST_BUCKETS > newest) {
        b.unshift({ number, count: value, start: now });
        this.inWindow += value;
      }
    } else {
      let i = b.length - 1;
      while (number < b[i]!.number) i--;
      if (b[i]!.number === number) {
        b[i]!.count += value;
        b[i]!.start = Math.min(b[i]!.start, now);
      } else b.splice(i + 1, 0, { number, count: value, start: now });
      this.inWindow += value;
    }
    if (this.inWindow > this.maxBurst) {
      this.maxBurst = this.inWindow;
      this.burstStart = b[0]!.start;
    }
  }

  /** This node's cells, as tshark's stats_tree_get_values_from_node writes them. */
  cells(): string[] {
    const counted = this.counter > 0;
    const valued = this.averaged || this.range !== null;
    const value = (text: () => string) => (valued ? (counted ? text() : '-') : '');
    const elapsed = this.tree.elapsed;
    const parentCount = this.parent?.counter ?? 0;
    return [
      String(this.counter),
      // tshark divides in single precision here.
      value(() => printfFixed(Math.fround(Math.fround(this.total) / Math.fround(this.counter)), 2)),
      value(() => String(this.min)),
      value(() => String(this.max)),
      elapsed ? printfFixed(Math.fround(this.counter) / elapsed, 4) : '',
      this.parent && parentCount
        ? `${printfFixed((this.counter * 100) / parentCount, 2)}%`
        : this.parent === this.tree.root
          ? '100%'
          : '',
      this.maxBurst ? printfFixed(this.maxBurst / BURST_WINDOW_MS, 4) : '-',
      this.maxBurst ? printfFixed(this.burstStart / 1000, 3) : '-',
    ];
  }
}

export class StatsTree {
  readonly root: StatsNode;
  /** The time of the frame being counted, and the span from the first frame counted, in milliseconds. */
  now = 0;
  elapsed = 0;
  private start = -1;

  /** Nodes made, and counts given to nodes past MAX_NODES (not drawn). */
  private nodes = 0;
  dropped = 0;

  constructor(readonly title: string) {
    this.root = new StatsNode(this, title.slice(title.lastIndexOf('/') + 1), null);
  }

  /** Whether one more node may be drawn; past MAX_NODES it is counted apart. */
  admit(): boolean {
    if (this.nodes >= MAX_NODES) {
      this.dropped++;
      return false;
    }
    this.nodes++;
    return true;
  }

  /** What a tree past MAX_NODES left out, for a warning; null when it drew every node. */
  uncountedNote(spec: string): string | null {
    return this.dropped === 0 ? null : `-z ${spec}: ${this.dropped} items past the tree's ${MAX_NODES} were not drawn`;
  }

  /** A frame counts now (tshark's stats_tree_packet): its time since the capture's first frame, in ms. */
  at(relativeMs: number): void {
    this.now = relativeMs;
    if (this.start < 0) this.start = relativeMs;
    this.elapsed = relativeMs - this.start;
  }

  print(sink: LineSink): void {
    const nameWidth = longestName(this.root, 0);
    const width = nameWidth + COLUMNS.length * (NUMBER_WIDTH + 2);
    const cell = (text: string) => ` ${text.padEnd(NUMBER_WIDTH + 1)}`;
    sink.line('');
    sink.line('='.repeat(width));
    sink.line(`${visible(this.title)}:`);
    sink.line(`${'Topic / Item'.padEnd(nameWidth)}${COLUMNS.map(cell).join('')}`);
    sink.line('-'.repeat(width));
    const draw = (node: StatsNode, indent: number) => {
      const name = `${' '.repeat(indent)}${visible(node.name).padEnd(nameWidth - indent)}`;
      sink.line(`${name}${node.cells().map(cell).join('')}`);
      // Range nodes in the order of their bounds (tshark's st_sort_rng_nameonly), others most counted first, a tie by
      // name (ASCII, any case), the later first (tshark's descending sort turns that too).
      const children = node.children.every((c) => c.range)
        ? [...node.children].sort((a, b) => a.range![0] - b.range![0])
        : [...node.children].sort((a, b) => b.counter - a.counter || byName(b.name, a.name));
      for (const c of children) draw(c, indent + 1);
    };
    for (const c of this.root.children) draw(c, 0);
    sink.line('');
    sink.line('-'.repeat(width));
  }
}

/** g_ascii_strcasecmp's order. */
function byName(a: string, b: string): number {
  const x = a.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const y = b.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The longest name with its indent, one a level (tshark's stats_tree_branch_max_namelen). */
function longestName(node: StatsNode, indent: number): number {
  let longest = node.name.length + indent;
  for (const c of node.children) longest = Math.max(longest, longestName(c, indent + 1));
  return longest;
}
