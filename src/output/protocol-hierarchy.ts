import type { PacketCtx } from '../dissect/packet.js';
import { eachTopLevelItem } from './packet-detail.js';
import type { LineSink } from './sink.js';
import { visible } from './escape.js';
import type { StatisticsTap } from './statistics-types.js';

/**
 * tshark's `-z io,phs[,FILTER]` (its ui/cli/tap-protohierstat.c): the protocols of the frames as a tree, each with the
 * frames it is in and their bytes on the wire. A frame's path is the protocol items at the top of its -V tree, in
 * order (`eth`, `ip`, `gre`, `ip`, `tcp`): a GRE packet counts under the outer IP's `gre`, so the tree says at once
 * what each tunnel carries and how much. Children keep the order they were first seen in, as tshark's.
 */

class Node {
  frames = 0;
  bytes = 0;
  readonly children: Node[] = [];
  constructor(readonly name: string) {}

  child(name: string): Node {
    for (const c of this.children) if (c.name === name) return c;
    const c = new Node(name);
    this.children.push(c);
    return c;
  }
}

const RULE = '='.repeat(67);
/** tshark draws at most 16 levels of indent, then `...` (and cuts a line at 79 characters). */
const MAX_INDENT = 16;
const MAX_LINE = 79;

export class ProtocolHierarchy implements StatisticsTap {
  private readonly root = new Node('');
  private at = this.root;
  private bytes = 0;

  constructor(
    /** The filter as given (tshark prints it), and whether a frame passes it (its compiled form). */
    private readonly filterText: string | null,
    private readonly passes: ((ctx: PacketCtx) => boolean) | null,
  ) {}

  private readonly step = (name: string): void => {
    const n = this.at.child(name);
    n.frames++;
    n.bytes += this.bytes;
    this.at = n;
  };

  observe(ctx: PacketCtx): void {
    if (this.passes && !this.passes(ctx)) return;
    this.at = this.root;
    this.bytes = ctx.len;
    eachTopLevelItem(ctx, this.step);
  }

  /** Its nodes are protocols, a bounded set at each level: nothing goes uncounted. */
  uncountedNote(): null {
    return null;
  }

  print(sink: LineSink): void {
    sink.line('');
    sink.line(RULE);
    sink.line('Protocol Hierarchy Statistics');
    sink.line(`Filter: ${visible(this.filterText ?? '')}`);
    sink.line('');
    const draw = (nodes: readonly Node[], depth: number): void => {
      for (const n of nodes) {
        const indent = depth > MAX_INDENT ? `${'  '.repeat(MAX_INDENT)}...` : '  '.repeat(depth);
        const label = `${indent}${n.name}`.slice(0, MAX_LINE);
        sink.line(`${label.padEnd(40)} frames:${n.frames} bytes:${n.bytes}`);
        draw(n.children, depth + 1);
      }
    };
    draw(this.root.children, 0);
    sink.line(RULE);
  }
}
