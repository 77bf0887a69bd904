import { Box, Text } from 'ink';
import { fit } from './format.js';
import type { EngineOptions } from '../dissect/state.js';
import { hexRows, packetLine, type PacketDetail } from './detail.js';
import type { StoredPacket } from './store.js';

export function PacketList(props: { title: string; packets: StoredPacket[]; selected: number; width: number; height: number; options?: EngineOptions }) {
  const { packets, selected, height } = props;
  const first = Math.max(0, Math.min(selected - Math.floor(height / 2), packets.length - height));
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">{fit(`${props.title}: last ${packets.length} packets`, props.width)}</Text>
      {packets.length === 0 ? <Text dimColor>  none kept</Text> : null}
      {packets.slice(first, first + height).map((p, i) => (
        <Text key={p.frameNo} inverse={first + i === selected}>{fit(`${String(p.frameNo).padStart(7)} ${packetLine(p, props.options)}`, props.width)}</Text>
      ))}
    </Box>
  );
}

/** Wireshark's middle and bottom panes: the layers (Enter folds one), and the bytes with the chosen layer's header lit. */
export function PacketDetailView(props: { detail: PacketDetail; selected: number; expanded: Set<number>; width: number; height: number }) {
  const { detail, selected, expanded, width } = props;
  const tree: { text: string; layer: number; header: boolean }[] = [];
  detail.layers.forEach((l, i) => {
    tree.push({ text: `${expanded.has(i) ? '▾' : '▸'} ${l.name}`, layer: i, header: true });
    if (expanded.has(i)) for (const [k, v] of l.fields) tree.push({ text: `    ${k}: ${v}`, layer: i, header: false });
  });
  for (const w of detail.warnings) tree.push({ text: `! ${w}`, layer: -1, header: false });
  const range = detail.layers[selected]?.range ?? null;
  const treeHeight = Math.max(3, Math.floor(props.height * 0.55));
  const selectedLine = tree.findIndex((t) => t.header && t.layer === selected);
  const first = Math.max(0, Math.min(selectedLine - 2, tree.length - treeHeight));
  const rows = hexRows(detail.bytes).slice(0, Math.max(1, props.height - treeHeight - 2));
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">LAYERS</Text>
      {tree.slice(first, first + treeHeight).map((t, i) => (
        <Text key={first + i} inverse={t.header && t.layer === selected} color={t.layer < 0 ? 'yellow' : undefined}>{fit(t.text, width)}</Text>
      ))}
      <Text bold color="cyan">{range ? `BYTES (${detail.layers[selected]!.name} header lit)` : 'BYTES'}</Text>
      {rows.map((r) => (
        <Text key={r.offset}>
          {r.offset.toString(16).padStart(4, '0')}{'  '}
          {r.cells.map((b, j) => {
            const at = r.offset + j;
            const lit = range !== null && at >= range[0] && at < range[1];
            return <Text key={j} inverse={lit}>{b.toString(16).padStart(2, '0')}{j === 15 ? '' : ' '}</Text>;
          })}
          {' '.repeat(47 - (r.cells.length * 3 - (r.cells.length === 16 ? 1 : 0)))}{'  '}
          {r.cells.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')}
        </Text>
      ))}
    </Box>
  );
}
