import { Box, Text, useApp, useInput, useStdin, useStdout } from 'ink';
import { useEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { visible } from '../output/escape.js';
import { Footer, Help, helpLayout, StatusBar, type EditBar } from './chrome.js';
import { fit, keyWords } from './format.js';
import { actionOf, decodeKeys, type Action, type Screen } from './keys.js';
import { PacketDetailView, PacketListView, visibleRows } from './packet-views.js';
import { FindingsPanel, FindingView, MulticastPanel, findingTargets } from './panels.js';
import { rowsOf, SORT_KEYS, tunnelRow, type Row, type SortKey } from './rows.js';
import type { ListSpec, PacketDetail, PacketList, TunnelMatch, UiSource } from './source.js';
import type { FindingRow, Snapshot } from './store.js';
import { TunnelsView } from './tunnels-view.js';

export type { UiSource } from './source.js';

type Panel = 'tunnels' | 'multicast' | 'findings';
const PANELS: Panel[] = ['tunnels', 'multicast', 'findings'];

/** An open packet list: the list shown (filtered or not), where the cursor is, and whether it follows new packets. */
interface ListScreen {
  base: PacketList;
  list: PacketList;
  filter: string;
  /** The cursor, counted from the list's very first packet (those that left the ring included). */
  abs: number;
  tail: boolean;
  find: string | null;
}

interface PacketScreen {
  detail: PacketDetail;
  row: number;
  folded: Set<number>;
  hexTop: number | null;
}

type EditKind = 'filter' | 'goto' | 'find' | 'confirm';

/** Everything the keys change; keys are applied to it one by one, then the screen is drawn once. */
interface UiState {
  screen: Screen;
  back: Screen[];
  panel: Panel;
  sel: Record<Panel, number>;
  sort: SortKey;
  match: TunnelMatch | null;
  edit: { kind: EditKind; text: string } | null;
  /** The list whose file exists, waiting for y to replace it. */
  confirm: PacketList | null;
  message: string | null;
  frozen: Snapshot | null;
  lists: ListScreen[];
  packet: PacketScreen | null;
  finding: { row: FindingRow; sel: number } | null;
  /** The help screen's first line shown. */
  helpTop: number;
}

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

const clamp = (i: number, length: number) => Math.max(0, Math.min(i, length - 1));

function cursorOf(l: ListScreen): number {
  const n = l.list.length();
  return l.tail ? Math.max(0, n - 1) : clamp(l.abs - l.list.dropped(), n);
}

function setCursor(l: ListScreen, i: number): void {
  const n = l.list.length();
  l.abs = l.list.dropped() + clamp(i, n);
  l.tail = false;
}

function followTop(d: PacketDetail, row: number): number {
  const r = d.rows[row];
  return r && r.len > 0 ? Math.max(0, Math.floor(r.off / 16) - 1) : 0;
}

export function App({ source }: { source: UiSource }) {
  const { exit } = useApp();
  const live = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const { columns, rows } = useTerminalSize();
  // One row short of the terminal: output that fills it makes ink clear the screen and draw it all again at every
  // render (ten a second while a file loads or a capture runs, and each second for the clock: flicker, and tens of
  // KB/s over ssh); one short, only what changed is written.
  const height = Math.max(1, rows - 1);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const st = useRef<UiState>(null as unknown as UiState);
  const rowsMemo = useRef<{ key: unknown[]; rows: Row[] } | null>(null);
  if (st.current === null) {
    st.current = {
      screen: 'home',
      back: [],
      panel: 'tunnels',
      sel: { tunnels: 0, multicast: 0, findings: 0 },
      sort: 'packets',
      match: null,
      edit: null,
      confirm: null,
      message: null,
      frozen: null,
      lists: [],
      packet: null,
      finding: null,
      helpTop: 0,
    };
    if (source.initialFilter) {
      try {
        st.current.match = source.matchTunnels(source.initialFilter);
      } catch (err) {
        st.current.message = `-Y: ${(err as Error).message}`;
      }
    }
  }
  useEffect(
    () => () => {
      const u = st.current;
      u.match?.close();
      for (const l of u.lists) {
        l.list.close();
        if (l.base !== l.list) l.base.close();
      }
    },
    [],
  );
  const u = st.current;
  const s = u.frozen ?? live;
  // The status line and the footer; a warning line, and a filter's error line, when there is one.
  const body =
    height -
    2 -
    (s.warning ? 1 : 0) -
    (u.edit && u.edit.kind !== 'goto' && u.edit.kind !== 'confirm' && source.checkFilter(u.edit.text) ? 1 : 0);
  // The rows are made again only when the snapshot's table, the sort or the filter's matches changed: with
  // 30,000 tunnels, sorting them at each key and each tick of the clock is most of the UI's work and garbage.
  const rowsNow = (): Row[] => {
    const key = [s.tunnels, s.esp, u.sort, u.match, u.match ? u.match.tunnels.size + u.match.peers.size : 0];
    const m = rowsMemo.current;
    if (m && m.key.every((k, i) => k === key[i])) return m.rows;
    const rows = rowsOf(s, u.sort, u.match);
    rowsMemo.current = { key, rows };
    return rows;
  };
  const top = (): ListScreen | undefined => u.lists[u.lists.length - 1];

  const go = (screen: Screen) => {
    u.back.push(u.screen);
    u.screen = screen;
  };
  /**
   * A list of packets; with the tunnel table's filter, only the packets that
   * match it (as Wireshark's display). While packets come it follows them;
   * a file read to its end opens at its first packet, as Wireshark and
   * termshark open one.
   */
  const openList = (spec: ListSpec, filter = '') => {
    try {
      const base = source.list(spec);
      const list = filter ? base.filtered(filter) : base;
      u.lists.push({ base, list, filter, abs: 0, tail: !source.getSnapshot().done, find: null });
      go('list');
    } catch (err) {
      u.message = (err as Error).message;
    }
  };
  const closeTop = () => {
    const l = u.lists.pop();
    if (!l) return;
    l.list.close();
    if (l.base !== l.list) l.base.close();
  };
  const goBack = () => {
    if (u.screen === 'list') closeTop();
    if (u.screen === 'packet') u.packet = null;
    if (u.screen === 'finding') u.finding = null;
    u.screen = u.back.pop() ?? 'home';
  };
  const write = (list: PacketList, overwrite: boolean) => {
    const r = list.write(overwrite);
    if ('exists' in r) {
      u.confirm = list;
      u.edit = { kind: 'confirm', text: '' };
      u.message = `${r.exists} exists: replace it? y or n`;
      return;
    }
    if (list !== top()?.list) list.close();
    u.message = 'written' in r ? r.written : r.error;
  };
  const specOfRow = (r: Row): ListSpec => {
    const ends = `${r.endpoints[0]}-${r.endpoints[1]}`;
    return r.tunnelId !== null
      ? {
          kind: 'tunnel',
          id: r.tunnelId,
          title: `${r.kind} ${r.endpoints[0]} ⇄ ${r.endpoints[1]}${keyWords(r.key)}`,
          name: `${r.kind}_${ends}${r.key === '-' ? '' : `_key${r.key.replace(/^call /, 'call')}`}`,
        }
      : r.reflection
        ? {
            kind: 'reflection',
            pairs: () => source.getSnapshot().esp.find((e) => e.key === r.peerKey)?.pairs ?? r.pairs,
            title: `IKE reflection towards ${r.endpoints[0]}: the answers it was sent`,
            name: `ike-reflection_${r.endpoints[0]}`,
          }
        : {
            kind: 'peer',
            key: r.peerKey!,
            title:
              `IPsec ${r.endpoints[0]} ⇄ ${r.endpoints[1]} ` +
              `(${s.esp.find((e) => e.key === r.peerKey)?.protocols || 'IKE, ESP, AH'})`,
            name: `ipsec_${ends}`,
          };
  };
  const multicastCount = () => s.groups.length + s.routing.length;
  /** n/N: the next or previous packet matching; a new filter (`f`) starts at the packet under the cursor. */
  const find = (forward: boolean, fromCursor = false) => {
    const l = top();
    if (!l || !l.find) {
      u.message = 'f first: a display filter to find';
      return;
    }
    const from = cursorOf(l) + (fromCursor ? 0 : forward ? 1 : -1);
    const r = l.list.find(from, forward, l.find);
    if (r.index !== null) setCursor(l, r.index);
    else if (r.more !== null) {
      setCursor(l, r.more);
      u.message =
        `no match up to ` +
        `frame ${l.list.frameNo(clamp(r.more, l.list.length()))} ` +
        `yet; ${forward ? 'n' : 'N'} looks further`;
    } else u.message = `no ${forward ? 'later' : 'earlier'} packet matches ${l.find}`;
  };

  const commitEdit = (kind: EditKind, text: string) => {
    const l = top();
    if (kind === 'filter') {
      if (source.checkFilter(text)) {
        u.edit = { kind, text };
        u.message = null;
        return;
      }
      if (u.screen === 'list' && l) {
        if (l.list !== l.base) l.list.close();
        l.list = text.trim() ? l.base.filtered(text) : l.base;
        l.filter = text.trim();
        l.abs = 0;
        return;
      }
      u.match?.close();
      u.match = text.trim() ? source.matchTunnels(text) : null;
      u.sel.tunnels = 0;
    } else if (kind === 'find' && l) {
      if (source.checkFilter(text)) {
        u.edit = { kind, text };
        return;
      }
      l.find = text.trim() || null;
      if (l.find) find(true, true);
    } else if (kind === 'goto' && l) {
      const n = Number(text.trim());
      if (!Number.isInteger(n) || n < 1) {
        u.message = `not a frame number: ${text}`;
        return;
      }
      const i = l.list.indexOfFrame(n);
      setCursor(l, i);
      const got = l.list.length() ? l.list.frameNo(cursorOf(l)) : 0;
      if (got !== n) u.message = `frame ${n} is not in this list; at frame ${got}`;
    }
  };

  const editKey = (name: string) => {
    const e = u.edit!;
    if (e.kind === 'confirm') {
      const list = u.confirm!;
      u.edit = null;
      u.confirm = null;
      u.message = null;
      if (name === 'y' || name === 'Y') write(list, true);
      else {
        if (list !== top()?.list) list.close();
        u.message = 'nothing written';
      }
      return;
    }
    if (name === 'enter') {
      u.edit = null;
      commitEdit(e.kind, e.text);
    } else if (name === 'esc') u.edit = null;
    else if (name === 'backspace') e.text = e.text.slice(0, -1);
    else if (name === 'C-u') e.text = '';
    else if (name === 'space') e.text += ' ';
    else if ([...name].length === 1) e.text += name;
  };

  const page = Math.max(1, body - 4);
  const move = (delta: number | 'first' | 'last') => {
    const to = (cur: number, n: number) => (delta === 'first' ? 0 : delta === 'last' ? n - 1 : clamp(cur + delta, n));
    if (u.screen === 'list') {
      const l = top()!;
      if (delta === 'last') {
        l.tail = true;
        return;
      }
      setCursor(l, to(cursorOf(l), l.list.length()));
    } else if (u.screen === 'packet' && u.packet) {
      const p = u.packet;
      const vis = visibleRows(p.detail, p.folded);
      p.row = vis[to(Math.max(0, vis.indexOf(p.row)), vis.length)] ?? 0;
      p.hexTop = null;
    } else if (u.screen === 'finding' && u.finding) {
      u.finding.sel = to(u.finding.sel, findingTargets(u.finding.row, s).length);
    } else if (u.screen === 'help') {
      const { lines, room } = helpLayout(columns, body);
      u.helpTop = Math.max(0, to(Math.min(u.helpTop, lines.length - room), lines.length - room + 1));
    } else if (u.screen === 'home') {
      const n = { tunnels: rowsNow().length, multicast: multicastCount(), findings: s.findings.length }[u.panel];
      u.sel[u.panel] = to(u.sel[u.panel], n);
    }
  };

  const open = () => {
    if (u.screen === 'home') {
      if (u.panel === 'tunnels') {
        const rows = rowsNow();
        const r = rows[clamp(u.sel.tunnels, rows.length)];
        const filter = u.match?.filter ?? '';
        if (r) openList(specOfRow(r), filter);
        else openList({ kind: 'all' }, filter);
      } else if (u.panel === 'multicast') {
        const i = u.sel.multicast - s.groups.length;
        const g = s.groups[u.sel.multicast];
        const tunnelSpec = (id: number) => {
          const t = s.tunnels.find((x) => x.id === id);
          return t ? specOfRow(tunnelRow(t)) : null;
        };
        if (i < 0 && g) {
          // A group's packets in the tunnel that carries it.
          const spec = tunnelSpec(g.tunnelId);
          if (spec) openList(spec, `${g.group.includes(':') ? 'ipv6' : 'ip'}.dst == ${g.group}`);
          else u.message = 'its tunnel is gone from the table';
          return;
        }
        const r = s.routing[i];
        if (!r) {
          u.message = 'nothing here';
          return;
        }
        const t = s.tunnels.find((x) => x.id === r.tunnelId);
        const via = t ? `${t.kind} ${t.endpoints[0]} ⇄ ${t.endpoints[1]}` : 'its tunnel';
        if (r.routerId)
          openList({
            kind: 'router',
            tunnel: r.tunnelId,
            routerId: r.routerId,
            title: `OSPF hellos of router ${r.routerId} in ${via}`,
            name: `ospf_${r.routerId}_hellos`,
          });
        else {
          const spec = tunnelSpec(r.tunnelId);
          if (spec) openList(spec, r.filter ?? '');
        }
      } else {
        const f = s.findings[u.sel.findings];
        if (f) {
          u.finding = { row: f, sel: 0 };
          go('finding');
        }
      }
    } else if (u.screen === 'finding' && u.finding) {
      const t = findingTargets(u.finding.row, s)[u.finding.sel];
      if (!t) return;
      if (t.tunnel !== undefined) {
        const row = rowsOf(s, u.sort, null).find((r) => r.tunnelId === t.tunnel);
        if (row) openList(specOfRow(row));
      } else if (t.peer) {
        const row = rowsOf(s, u.sort, null).find((r) => r.peerKey === t.peer);
        if (row) openList(specOfRow(row));
      }
    } else if (u.screen === 'list') {
      const l = top()!;
      const d = l.list.detail(cursorOf(l));
      if (!d) {
        u.message = 'this packet cannot be read again';
        return;
      }
      // Selecting a packet stops the list following new ones: coming back finds it where it was.
      setCursor(l, cursorOf(l));
      u.packet = { detail: d, row: 0, folded: new Set(), hexTop: null };
      go('packet');
    } else if (u.screen === 'packet') fold();
  };

  const fold = () => {
    const p = u.packet;
    if (!p) return;
    let title = p.row;
    while (title > 0 && p.detail.rows[title]!.depth > 0) title--;
    if (p.folded.has(title)) p.folded.delete(title);
    else p.folded.add(title);
    p.row = title;
  };

  const handle = (name: string) => {
    if (u.edit) return editKey(name);
    const action = actionOf(name, u.screen);
    if (action !== null) act(action);
  };

  const act = (action: Action) => {
    u.message = null;
    const l = top();
    switch (action) {
      case 'quit':
        return exit();
      case 'suspend':
        return source.suspend?.(() => {
          u.message = 'back from Ctrl-Z';
          redraw();
        });
      case 'help':
        if (u.screen === 'help') u.screen = u.back.pop() ?? 'home';
        else {
          u.helpTop = 0;
          go('help');
        }
        return;
      case 'back':
        if (u.screen === 'home') {
          u.match?.close();
          u.match = null;
          return;
        }
        return goBack();
      case 'up':
        return move(-1);
      case 'down':
        return move(1);
      case 'pageUp':
        return move(-page);
      case 'pageDown':
        return move(page);
      case 'first':
        return move('first');
      case 'last':
        return move('last');
      case 'open':
        return open();
      case 'fold':
        return fold();
      case 'panel':
      case 'panelBack':
        u.panel = PANELS[(PANELS.indexOf(u.panel) + (action === 'panel' ? 1 : 2)) % PANELS.length]!;
        return;
      case 'sort':
        u.sort = SORT_KEYS[(SORT_KEYS.indexOf(u.sort) + 1) % SORT_KEYS.length]!;
        return;
      case 'all':
        return openList({ kind: 'all' }, u.match?.filter ?? '');
      case 'pause':
        u.frozen = u.frozen ? null : live;
        u.message = u.frozen ? 'display paused; capture goes on (p resumes)' : 'display resumed';
        return;
      case 'filter':
        u.edit = { kind: 'filter', text: u.screen === 'list' ? (l?.filter ?? '') : (u.match?.filter ?? '') };
        return;
      case 'goto':
        u.edit = { kind: 'goto', text: '' };
        return;
      case 'find':
        u.edit = { kind: 'find', text: l?.find ?? '' };
        return;
      case 'next':
        return find(true);
      case 'previous':
        return find(false);
      case 'hexUp':
      case 'hexDown': {
        const p = u.packet;
        if (!p) return;
        const from = p.hexTop ?? followTop(p.detail, p.row);
        p.hexTop = Math.max(0, from + (action === 'hexDown' ? 4 : -4));
        return;
      }
      case 'write': {
        if (u.screen === 'list' && l) return write(l.list, false);
        if (u.panel !== 'tunnels') {
          u.message = 'w writes the selected tunnel or peer pair: Tab to the tunnels';
          return;
        }
        const rows = rowsNow();
        const r = rows[clamp(u.sel.tunnels, rows.length)];
        if (!r) {
          u.message = 'no tunnel selected; a then w writes every packet';
          return;
        }
        return write(source.list(specOfRow(r)), false);
      }
    }
  };

  // Keys are read from ink's input events as they come from the terminal (useInput would make one key of
  // "jjj", "k\r" or Esc Esc): every key in an event is applied in turn, then the screen is drawn once.
  const handler = useRef<(raw: string) => void>(() => {});
  handler.current = (raw) => {
    for (const name of decodeKeys(raw)) {
      try {
        handle(name);
      } catch (err) {
        u.message = `error: ${(err as Error).message}`;
      }
    }
    redraw();
  };
  useInput(() => {}); // raw mode, and ink's own Ctrl-C
  const { internal_eventEmitter: events } = useStdin() as unknown as { internal_eventEmitter: NodeJS.EventEmitter };
  useEffect(() => {
    const onInput = (raw: string) => handler.current(raw);
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
    };
  }, [events]);

  let content;
  if (u.screen === 'help') content = <Help width={columns} height={body} top={u.helpTop} />;
  else if (u.screen === 'list' && top()) {
    const l = top()!;
    content = (
      <PacketListView
        list={l.list}
        at={{ index: cursorOf(l), tail: l.tail }}
        ended={live.done}
        width={columns}
        height={body}
        note={l.find ? `find: ${l.find} (n, N)` : null}
      />
    );
  } else if (u.screen === 'packet' && u.packet)
    content = <PacketDetailView detail={u.packet.detail} at={u.packet} width={columns} height={body} />;
  else if (u.screen === 'finding' && u.finding)
    content = <FindingView finding={u.finding.row} s={s} selected={u.finding.sel} width={columns} height={body} />;
  else {
    const rows = rowsNow();
    const scan = u.match?.scan();
    const filterState = scan ? (scan.done ? '' : ` (looking: ${scan.scanned} packets so far)`) : '';
    const [tunnelRows, multicastRows, findingRows] = share(body - 4, [
      rows.length || 1,
      multicastCount() || 1,
      s.findings.length || 1,
    ]);
    content = (
      <Box flexDirection="column">
        <TunnelsView
          rows={rows}
          selected={u.sel.tunnels}
          width={columns}
          height={tunnelRows!}
          focused={u.panel === 'tunnels'}
          sort={u.sort}
          filter={u.match?.filter ?? ''}
          filterState={filterState}
          all={s.packets}
        />
        <MulticastPanel
          groups={s.groups}
          routing={s.routing}
          now={s.now}
          selected={u.sel.multicast}
          width={columns}
          height={multicastRows!}
          focused={u.panel === 'multicast'}
        />
        <FindingsPanel
          findings={s.findings}
          selected={u.sel.findings}
          width={columns}
          height={findingRows!}
          focused={u.panel === 'findings'}
        />
      </Box>
    );
  }
  let edit: EditBar | null = null;
  if (u.edit && u.edit.kind !== 'confirm') {
    const e = u.edit;
    const prompts: Record<Exclude<EditKind, 'confirm'>, string> = {
      filter: 'filter: ',
      find: 'find: ',
      goto: 'frame: ',
    };
    edit = {
      prompt: prompts[e.kind as Exclude<EditKind, 'confirm'>],
      text: e.text,
      error: e.kind === 'goto' ? null : source.checkFilter(e.text),
      hint:
        e.kind === 'goto'
          ? 'Enter goes, Esc leaves'
          : `${source.checkFilter(e.text) ? 'not a filter yet' : 'ok'}; Enter applies, Esc leaves, empty clears`,
    };
  }
  return (
    <Box flexDirection="column" height={height}>
      <StatusBar s={s} paused={u.frozen !== null} width={columns} />
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {content}
      </Box>
      {s.warning ? <Text color="yellow">{fit(visible(s.warning), columns)}</Text> : null}
      <Footer width={columns} screen={u.screen} message={u.message} edit={edit} />
    </Box>
  );
}

/**
 * Splits `total` rows between panels: each gets what it needs up to a fair share, the rest goes to those that want
 * more.
 */
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
