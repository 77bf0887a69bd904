import type { PacketCtx } from '../dissect/packet.js';
import type { LineSink } from './sink.js';
import type { StatisticsTap } from './statistics-types.js';
import { StatsNode, StatsTree } from './stats-tree.js';

/**
 * tshark's `-z plen,tree[,FILTER]` (Wireshark's pinfo_stats_tree plugin): the frames by their length on the wire, in
 * tshark's default ranges, each with its count, average, least and greatest length, rate, share and burst: how many
 * of a tunnel's packets come near its MTU (`plen,tree,gre`).
 */

const TITLE = 'Packet Lengths';
/** tshark's default ranges (its plen preference), with their names. */
const RANGES: readonly (readonly [string, number, number])[] = [
  ['0-19', 0, 19],
  ['20-39', 20, 39],
  ['40-79', 40, 79],
  ['80-159', 80, 159],
  ['160-319', 160, 319],
  ['320-639', 320, 639],
  ['640-1279', 640, 1279],
  ['1280-2559', 1280, 2559],
  ['2560-5119', 2560, 5119],
  ['5120 and greater', 5120, Number.POSITIVE_INFINITY],
];

export class PacketLengths implements StatisticsTap {
  private readonly tree = new StatsTree(TITLE);
  private readonly lengths: StatsNode;

  constructor(private readonly passes: ((ctx: PacketCtx) => boolean) | null) {
    this.lengths = new StatsNode(this.tree, TITLE, this.tree.root);
    this.tree.root.children.push(this.lengths);
    for (const [name, low, high] of RANGES)
      this.lengths.children.push(new StatsNode(this.tree, name, this.lengths, [low, high]));
  }

  observe(ctx: PacketCtx): void {
    if (this.passes && !this.passes(ctx)) return;
    this.tree.at((ctx.tsSec - ctx.firstSec) * 1000 + (ctx.tsNsec - ctx.firstNsec) / 1e6);
    this.lengths.tick();
    this.lengths.average(ctx.len);
    const range = this.lengths.children.find((c) => ctx.len >= c.range![0] && ctx.len <= c.range![1]);
    if (range) {
      range.tick();
      range.average(ctx.len);
    }
  }

  /** Its nodes are fixed ranges: nothing goes uncounted. */
  uncountedNote(): null {
    return null;
  }

  print(sink: LineSink): void {
    this.tree.print(sink);
  }
}
