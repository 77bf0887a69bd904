import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { EngineOptions } from '../dissect/state.js';
import { Footer, Help, StatusBar } from './chrome.js';
import { packetDetail } from './detail.js';
import { PacketDetailView, PacketList } from './packet-views.js';
import { FindingsPanel, MulticastPanel } from './panels.js';
import { rowsOf, SORT_KEYS, type SortKey } from './rows.js';
import type { Snapshot, StoredPacket } from './store.js';
import { TunnelsView } from './tunnels-view.js';

/** What the UI needs from the running capture: snapshots to draw, kept packets, and a way to save them. */
export interface UiSource {
  subscribe(fn: () => void): () => void;
  getSnapshot(): Snapshot;
  packetsOf(tunnelId: number): StoredPacket[];
  writeTunnel(tunnelId: number): string;
  engineOptions?: EngineOptions;
}

type Screen = 'main' | 'packets' | 'detail' | 'help';
type Panel = 'tunnels' | 'multicast' | 'findings';
const PANELS: Panel[] = ['tunnels', 'multicast', 'findings'];

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [dims, setDims] = useState(read);
  useEffect(() => {
    const onResize = () => setDims(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return dims;
}

export function App({ source }: { source: UiSource }) {
  const { exit } = useApp();
  const live = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const [frozen, setFrozen] = useState<Snapshot | null>(null);
  const s = frozen ?? live;
  const { columns, rows: height } = useTerminalSize();
  const [screen, setScreen] = useState<Screen>('main');
  const [panel, setPanel] = useState<Panel>('tunnels');
  const [selected, setSelected] = useState({ tunnels: 0, multicast: 0, findings: 0 });
  const [sort, setSort] = useState<SortKey>('packets');
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [openTunnel, setOpenTunnel] = useState<{ id: number; title: string } | null>(null);
  const [packetIndex, setPacketIndex] = useState(0);
  const [layerIndex, setLayerIndex] = useState(0);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());

  const rows = useMemo(() => rowsOf(s, sort, filter), [s, sort, filter]);
  const multicastLines = s.groups.length + s.routing.length + (s.dmvpn?.lines.length ?? 0);
  // The list is taken when a tunnel is opened (Enter), so it holds still while capture goes on.
  const [packets, setPackets] = useState<StoredPacket[]>([]);
  const packet = packets[Math.min(packetIndex, packets.length - 1)];
  const detail = useMemo(() => (screen === 'detail' && packet ? packetDetail(packet, source.engineOptions) : null), [screen, packet, source.engineOptions]);

  const lengths: Record<Panel, number> = { tunnels: rows.length, multicast: multicastLines, findings: s.findings.length };
  const move = (delta: number) => {
    if (screen === 'packets') setPacketIndex((i) => clamp(i + delta, packets.length));
    else if (screen === 'detail' && detail) setLayerIndex((i) => clamp(i + delta, detail.layers.length));
    else if (screen === 'main') setSelected((sel) => ({ ...sel, [panel]: clamp(sel[panel] + delta, lengths[panel]) }));
  };

  // ink re-subscribes its input handler in a passive effect, so a key can reach the closure of an
  // earlier render; a ref always holds this render's handler.
  const handler = useRef<(input: string, key: Key) => void>(() => {});
  useInput((input, key) => handler.current(input, key));
  handler.current = (input, key) => {
    if (editing !== null) {
      if (key.return) {
        setFilter(editing);
        setEditing(null);
      } else if (key.escape) {
        setFilter('');
        setEditing(null);
      } else if (key.backspace || key.delete) setEditing(editing.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) setEditing(editing + input);
      return;
    }
    setMessage(null);
    if (input === 'q' || (key.ctrl && input === 'c')) return exit();
    if (input === '?') return setScreen(screen === 'help' ? 'main' : 'help');
    if (key.upArrow || input === 'k') return move(-1);
    if (key.downArrow || input === 'j') return move(1);
    if (key.pageUp) return move(-10);
    if (key.pageDown) return move(10);
    if (key.escape) {
      if (screen === 'detail') return setScreen('packets');
      if (screen !== 'main') return setScreen('main');
      if (filter) return setFilter('');
      return;
    }
    if (input === 'p') {
      setFrozen(frozen ? null : live);
      return setMessage(frozen ? 'display resumed' : 'display paused; capture goes on (p resumes)');
    }
    if (screen === 'main') {
      if (key.tab) return setPanel(PANELS[(PANELS.indexOf(panel) + (key.shift ? 2 : 1)) % PANELS.length]!);
      if (input === '/') return setEditing(filter);
      if (input === 's') return setSort(SORT_KEYS[(SORT_KEYS.indexOf(sort) + 1) % SORT_KEYS.length]!);
      const row = rows[selected.tunnels];
      if (input === 'w' && panel === 'tunnels') {
        if (!row || row.tunnelId === null) return setMessage('select a tunnel to write its packets');
        try {
          return setMessage(source.writeTunnel(row.tunnelId));
        } catch (err) {
          return setMessage(`could not write: ${(err as Error).message}`);
        }
      }
      if (key.return && panel === 'tunnels' && row) {
        if (row.tunnelId === null) return setMessage('IPsec peers keep no packet list; their tunnels do, once decrypted (--esp-sa)');
        const list = source.packetsOf(row.tunnelId);
        setOpenTunnel({ id: row.tunnelId, title: `${row.kind} ${row.endpoints[0]} ⇄ ${row.endpoints[1]} key ${row.key}` });
        setPackets(list);
        setPacketIndex(Math.max(0, list.length - 1));
        return setScreen('packets');
      }
    } else if (screen === 'packets' && key.return && packet) {
      setLayerIndex(0);
      setExpanded(new Set(packetDetail(packet, source.engineOptions).layers.map((_, i) => i)));
      return setScreen('detail');
    } else if (screen === 'detail' && (key.return || input === ' ')) {
      const next = new Set(expanded);
      if (next.has(layerIndex)) next.delete(layerIndex);
      else next.add(layerIndex);
      return setExpanded(next);
    }
  };

  const body = height - 2;
  let content;
  if (screen === 'help') content = <Help />;
  else if (screen === 'packets' && openTunnel) content = <PacketList title={openTunnel.title} packets={packets} selected={packetIndex} width={columns} height={body - 1} options={source.engineOptions} />;
  else if (screen === 'detail' && detail) content = <PacketDetailView detail={detail} selected={layerIndex} expanded={expanded} width={columns} height={body - 2} />;
  else {
    const [tunnelRows, multicastRows, findingRows] = share(body - 5, [rows.length || 1, multicastLines || 1, s.findings.length || 1]);
    content = (
      <Box flexDirection="column">
        <TunnelsView rows={rows} selected={selected.tunnels} width={columns} height={tunnelRows} focused={panel === 'tunnels'} sort={sort} filter={filter} />
        <MulticastPanel groups={s.groups} routing={s.routing} dmvpn={s.dmvpn} now={s.now} selected={selected.multicast} width={columns} height={multicastRows} focused={panel === 'multicast'} />
        <FindingsPanel findings={s.findings} selected={selected.findings} width={columns} height={findingRows} focused={panel === 'findings'} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height}>
      <StatusBar s={s} paused={frozen !== null} width={columns} />
      <Box flexDirection="column" flexGrow={1}>{content}</Box>
      {s.warning ? <Text color="yellow">{s.warning.slice(0, columns)}</Text> : null}
      <Footer width={columns} message={message} editing={editing} />
    </Box>
  );
}

/** Splits `total` rows between panels: each gets what it needs up to a fair share, the rest goes to those that want more. */
function share(total: number, needs: number[]): number[] {
  const got = needs.map(() => 0);
  let left = Math.max(needs.length, total);
  for (let open = needs.length; left > 0 && open > 0; ) {
    const fair = Math.max(1, Math.floor(left / open));
    open = 0;
    needs.forEach((need, i) => {
      const take = Math.min(need - got[i]!, fair, left);
      got[i]! += take;
      left -= take;
      if (got[i]! < need) open++;
    });
  }
  return got;
}

function clamp(i: number, length: number): number {
  return Math.max(0, Math.min(i, length - 1));
}
