import { Box, Text } from 'ink';
import { visible as escapeText } from '../output/escape.js';
import { count, fit } from './format.js';
import type { LineParts, PacketDetail, PacketList } from './source.js';
import { plural } from '../util/words.js';

/**
 * A packet's line at a width: as text lines print it when it fits;
 * otherwise without its time (the packet view has it), the innermost layer
 * first (what the packet carries), then the outer ones after a ◂, cut at
 * the end.
 */
export function lineText(p: LineParts, digits: number, width: number): string {
  const no = String(p.frameNo).padStart(digits);
  const whole = `${no} ${p.time} ${p.segments.join(' | ')}`;
  if (whole.length <= width) return whole.padEnd(width);
  // One layer (IKE, ESP over UDP): what it says (the exchange, the SPI) is at its end.
  if (p.segments.length < 2) return fit(`${no} ${p.segments.join('')}`, width);
  const inner = p.segments[p.segments.length - 1]!;
  const outer = p.segments.slice(0, -1).join(' | ');
  return fit(`${no} ${inner} ◂ ${outer}`, width);
}

export interface ListPosition {
  index: number;
  tail: boolean;
}

/** `ended`: the capture is read to its end (a file), so only a filter still looking can add lines. */
export function PacketListView(props: {
  list: PacketList;
  at: ListPosition;
  ended: boolean;
  width: number;
  height: number;
  note: string | null;
}) {
  const { list, at, width } = props;
  const n = list.length();
  const scan = list.scan();
  const h = Math.max(1, props.height - 2);
  const index = Math.max(0, Math.min(at.index, n - 1));
  const first = Math.max(0, Math.min(index - Math.floor(h / 2), n - h));
  const shown = Math.min(h, n - first);
  const digits = Math.max(3, String(n > 0 ? list.frameNo(n - 1) : 1).length);
  const following = at.tail && !(props.ended && (!scan || scan.done));
  const where = following ? 'following new packets' : `${index + 1} of ${count(n)}`;
  const scanning = scan && !scan.done ? `  filtering: ${count(scan.scanned)} of ${count(scan.of)} looked at` : '';
  const dropped = list.dropped() ? `  (${count(list.dropped())} older packets left the ring)` : '';
  const rows = [];
  for (let i = first; i < first + shown; i++) {
    rows.push(
      <Text key={i} inverse={i === index}>
        {escapeText(lineText(list.line(i), digits, width))}
      </Text>,
    );
  }
  const above = first;
  const below = n - first - shown;
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        {fit(
          `${escapeText(list.title)}: ${count(n)} ${n === 1 ? 'packet' : 'packets'}  ${where}${scanning}${dropped}`,
          width,
        )}
      </Text>
      {n === 0 ? <Text dimColor>{fit(scan && !scan.done ? '  looking…' : '  no packets', width)}</Text> : null}
      {rows}
      <Text dimColor>
        {fit(
          `${props.note ?? ''}${props.note ? '  ' : ''}` +
            `${above ? `${count(above)} more above` : ''}${above && below ? ', ' : ''}` +
            `${below ? `${count(below)} more below` : ''}`,
          width,
        )}
      </Text>
    </Box>
  );
}

/**
 * What a section's title says of its lines out of view: `  (3 more above, 12 below)`; each section its own, so a narrow
 * screen cuts neither.
 */
function more(above: number, below: number): string {
  const parts = [above ? `${above} more above` : '', below ? `${below} ${above ? '' : 'more '}below` : ''].filter(
    Boolean,
  );
  return parts.length ? `  (${parts.join(', ')})` : '';
}

export interface DetailPosition {
  row: number;
  folded: Set<number>;
  /** First hex line shown, or null to follow the selected field. */
  hexTop: number | null;
}

/** The tree lines shown: those under a folded title are hidden. */
export function visibleRows(d: PacketDetail, folded: Set<number>): number[] {
  const out: number[] = [];
  let hiddenUnder = -1;
  d.rows.forEach((r, i) => {
    if (r.depth === 0) hiddenUnder = folded.has(i) ? i : -1;
    else if (hiddenUnder >= 0) return;
    out.push(i);
  });
  return out;
}

/** Wireshark's middle and bottom panes: the field tree, and the bytes with the chosen field's lit. */
export function PacketDetailView(props: { detail: PacketDetail; at: DetailPosition; width: number; height: number }) {
  const { detail, at, width } = props;
  const visible = visibleRows(detail, at.folded);
  const selected = detail.rows[at.row];
  const bytesOf = detail.buffers[selected && selected.buffer >= 0 ? selected.buffer : 0]!.bytes;
  // The bytes take what they need up to 40% of the screen; the tree the rest.
  const treeHeight = Math.max(
    3,
    props.height - 3 - Math.min(Math.ceil(bytesOf.length / 16), Math.max(4, Math.floor(props.height * 0.4))),
  );
  const pos = Math.max(0, visible.indexOf(at.row));
  const first = Math.max(0, Math.min(pos - Math.floor(treeHeight / 2), visible.length - treeHeight));
  const buffer = selected && selected.buffer >= 0 ? selected.buffer : 0;
  const bytes = detail.buffers[buffer]!.bytes;
  const lit =
    selected && selected.buffer === buffer && selected.len > 0 ? [selected.off, selected.off + selected.len] : null;
  const hexHeight = Math.max(1, props.height - treeHeight - 3);
  const hexLines = Math.ceil(bytes.length / 16);
  const follow = lit ? Math.max(0, Math.floor(lit[0]! / 16) - 1) : 0;
  const top = Math.max(0, Math.min(at.hexTop ?? follow, hexLines - hexHeight));
  const ascii = width >= 73;
  const hexRows = [];
  for (let line = top; line < Math.min(hexLines, top + hexHeight); line++) {
    const o = line * 16;
    const cells = [];
    for (let j = 0; j < 16; j++) {
      const b = bytes[o + j];
      const on = lit !== null && o + j >= lit[0]! && o + j < lit[1]!;
      cells.push(
        <Text key={j} inverse={on}>
          {b === undefined ? '  ' : b.toString(16).padStart(2, '0')}
        </Text>,
        j === 15 ? null : ' ',
      );
    }
    const text = ascii
      ? ` ` +
        ` ${[...bytes.subarray(o, o + 16)].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')}`
      : '';
    hexRows.push(
      <Text key={line}>
        {o.toString(16).padStart(4, '0')}
        {'  '}
        {cells}
        {text}
      </Text>,
    );
  }
  const below = visible.length - first - Math.min(treeHeight, visible.length - first);
  const litText = lit ? `; ${plural(lit[1]! - lit[0]!, 'byte')} at 0x${lit[0]!.toString(16)} lit` : '';
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        {fit(`FRAME ${detail.frameNo}: FIELDS${more(first, below)}`, width)}
      </Text>
      {visible.slice(first, first + treeHeight).map((i) => {
        const r = detail.rows[i]!;
        const mark = r.depth === 0 ? (at.folded.has(i) ? '▸ ' : '▾ ') : '  '.repeat(r.depth) + '  ';
        return (
          <Text key={i} inverse={i === at.row} color={r.expert ? 'yellow' : undefined} bold={r.depth === 0}>
            {fit(`${mark}${escapeText(r.text)}`, width)}
          </Text>
        );
      })}
      <Text bold color="cyan">
        {fit(
          `BYTES (${escapeText(detail.buffers[buffer]!.title)}, ${bytes.length} ` +
            `bytes${litText})${more(top, hexLines - top - Math.min(hexHeight, hexLines - top))}`,
          width,
        )}
      </Text>
      {hexRows}
    </Box>
  );
}
