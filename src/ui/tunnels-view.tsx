import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { PROTECTION_COLOUR } from '../audit/colours.js';
import { visible } from '../output/escape.js';
import { PROTECTIONS, type Protection } from '../tunnels/tunnel.js';
import { count, endpointsText, fit, rateText, sparkline, widest, windowOf } from './format.js';
import { type Row, SORT_NAMES, type SortKey } from './rows.js';

/** The badge says the protection in capitals, as the audit report does, in its colour. */
const BADGE = Object.fromEntries(
  PROTECTIONS.map((p) => [p, { text: p.toUpperCase(), color: PROTECTION_COLOUR[p] }]),
) as Record<Protection, { text: string; color: string }>;

type ColName = 'badge' | 'kind' | 'endpoints' | 'key' | 'packets' | 'rate' | 'spark' | 'inner' | 'mc' | 'anomalies';

interface Col {
  name: ColName;
  header: string;
  right: boolean;
  /** The widest value (the header included), and the least it can be cut to. */
  want: number;
  min: number;
  optional: boolean;
}

export interface Cells {
  badge: string;
  kind: string;
  a: string;
  b: string;
  endpoints: string;
  key: string;
  packets: string;
  rate: string;
  inner: string;
  mc: string;
  anomalies: string;
}

export function cellsOf(r: Row): Cells {
  const a = visible(r.endpoints[0]);
  const b = visible(r.endpoints[1]);
  return {
    badge: BADGE[r.protection].text,
    kind: visible(r.kind),
    a,
    b,
    endpoints: `${a} ⇄ ${b}${r.insideEsp ? ' (in ESP)' : ''}`,
    key: visible(r.key),
    packets: count(r.packets),
    rate: rateText(r.rate),
    inner: visible(r.inner),
    mc: r.multicast ? String(r.multicast) : '',
    anomalies: r.anomalies ? count(r.anomalies) : '',
  };
}

/**
 * Columns sized to what they hold: each gets its least width, optional
 * ones leave when the screen is narrow; then each grows to what it holds
 * (kind, endpoints, KEY/SPI, INNER), never more, and what is left goes
 * to the activity sparkline.
 */
/** `0xc0010001,0xc0020002`: a pair's two directions, what KEY/SPI keeps whole before optional columns leave. */
const TWO_SPIS = 21;

export function layout(cells: Cells[], width: number): Map<ColName, number> {
  const widestOf = (f: (c: Cells) => string, header: string) => widest(cells, (c) => f(c).length, header.length);
  const cols: Col[] = [
    {
      name: 'badge',
      header: 'PROTECTION',
      right: false,
      want: widestOf((c) => c.badge, 'PROTECTION'),
      min: 10,
      optional: false,
    },
    {
      name: 'kind',
      header: 'KIND',
      right: false,
      want: widestOf((c) => c.kind, 'KIND'),
      min: Math.min(
        6,
        widestOf((c) => c.kind, 'KIND'),
      ),
      optional: false,
    },
    {
      name: 'endpoints',
      header: 'ENDPOINTS',
      right: false,
      want: widestOf((c) => c.endpoints, 'ENDPOINTS'),
      min: Math.min(
        21,
        widestOf((c) => c.endpoints, 'ENDPOINTS'),
      ),
      optional: false,
    },
    {
      name: 'key',
      header: 'KEY/SPI',
      right: false,
      want: widestOf((c) => c.key, 'KEY/SPI'),
      // One SPI and the ellipsis that says more follow (`0x04888fe4…`).
      min: Math.min(
        11,
        widestOf((c) => c.key, 'KEY/SPI'),
      ),
      optional: false,
    },
    {
      name: 'packets',
      header: 'PKTS',
      right: true,
      want: widestOf((c) => c.packets, 'PKTS'),
      min: widestOf((c) => c.packets, 'PKTS'),
      optional: false,
    },
    {
      name: 'rate',
      header: 'RATE',
      right: true,
      want: widestOf((c) => c.rate, 'RATE'),
      min: widestOf((c) => c.rate, 'RATE'),
      optional: true,
    },
    {
      name: 'inner',
      header: 'INNER',
      right: false,
      want: widestOf((c) => c.inner, 'INNER'),
      min: Math.min(
        8,
        widestOf((c) => c.inner, 'INNER'),
      ),
      optional: true,
    },
    {
      name: 'mc',
      header: 'MC',
      right: true,
      want: widestOf((c) => c.mc, 'MC'),
      min: widestOf((c) => c.mc, 'MC'),
      optional: true,
    },
    {
      name: 'anomalies',
      header: '!',
      right: true,
      want: widestOf((c) => c.anomalies, '!'),
      min: widestOf((c) => c.anomalies, '!'),
      optional: true,
    },
  ];
  if (!cells.some((c) => c.mc))
    cols.splice(
      cols.findIndex((c) => c.name === 'mc'),
      1,
    );
  if (!cells.some((c) => c.anomalies))
    cols.splice(
      cols.findIndex((c) => c.name === 'anomalies'),
      1,
    );
  const avail = width - 2;
  const used = () => cols.reduce((n, c) => n + w.get(c.name)! + 1, -1);
  // The kind, endpoints and keys whole (a list of SPIs as far as its first two), the other columns at their least:
  // optional columns leave until that fits (an address is cut only when they have all gone).
  const whole = new Set<ColName>(['kind', 'endpoints', 'key']);
  const w = new Map<ColName, number>(
    cols.map((c) => [c.name, c.name === 'key' ? Math.min(c.want, TWO_SPIS) : whole.has(c.name) ? c.want : c.min]),
  );
  for (const drop of ['rate', 'mc', 'anomalies', 'inner'] as ColName[]) {
    if (used() <= avail) break;
    const i = cols.findIndex((c) => c.name === drop);
    if (i >= 0) {
      cols.splice(i, 1);
      w.delete(drop);
    }
  }
  // Then a list of SPIs is cut to its first before an address is cut.
  for (const [name, least] of [
    ['key', cols.find((c) => c.name === 'key')!.min],
    ['endpoints', cols.find((c) => c.name === 'endpoints')!.min],
    ['kind', cols.find((c) => c.name === 'kind')!.min],
    ['endpoints', 4],
    ['key', 4],
    ['kind', 4],
  ] as [ColName, number][]) {
    const over = used() - avail;
    if (over > 0) w.set(name, Math.max(Math.min(least, w.get(name)!), w.get(name)! - over));
  }
  // Spare width: first what the kind, endpoints and keys hold, then INNER; what is left after all of them, the
  // sparkline.
  for (const name of ['kind', 'endpoints', 'key', 'inner', 'badge'] as ColName[]) {
    const c = cols.find((x) => x.name === name);
    if (!c) continue;
    const spare = avail - used();
    if (spare > 0) w.set(name, Math.min(c.want, w.get(name)! + spare));
  }
  const spare = avail - used() - 1;
  if (spare >= 8) w.set('spark', Math.min(16, spare));
  return w;
}

const ORDER: ColName[] = ['badge', 'kind', 'endpoints', 'key', 'packets', 'rate', 'spark', 'inner', 'mc', 'anomalies'];
const HEADERS: Record<ColName, string> = {
  badge: 'PROTECTION',
  kind: 'KIND',
  endpoints: 'ENDPOINTS',
  key: 'KEY/SPI',
  packets: 'PKTS',
  rate: 'RATE',
  spark: 'ACTIVITY',
  inner: 'INNER',
  mc: 'MC',
  anomalies: '!',
};
const RIGHT = new Set<ColName>(['packets', 'rate', 'mc', 'anomalies']);

export function TunnelsView(props: {
  rows: Row[];
  selected: number;
  width: number;
  height: number;
  focused: boolean;
  sort: SortKey;
  filter: string;
  filterState: string;
  all: number;
}) {
  const { rows, selected, width, focused } = props;
  const cells = useMemo(() => rows.map(cellsOf), [rows]);
  const w = useMemo(() => layout(cells, width), [cells, width]);
  const cols = ORDER.filter((c) => w.has(c));
  const cell = (name: ColName, text: string) => fit(text, w.get(name)!, RIGHT.has(name));
  const header = `  ${cols.map((c) => cell(c, HEADERS[c])).join(' ')}`;
  const more = rows.length > props.height;
  const { first, items, above, below } = windowOf(cells, selected, more ? props.height - 1 : props.height);
  const title =
    `TUNNELS & PEERS (${rows.length})  ` +
    `sort: ${SORT_NAMES[props.sort]}${props.filter ? `  filter: ${visible(props.filter)}${props.filterState}` : ''} ` +
    ` a: all ${count(props.all)} packets`;
  return (
    <Box flexDirection="column">
      <Text bold color={focused ? 'cyan' : undefined}>
        {fit(title, width)}
      </Text>
      <Text dimColor>{fit(header, width)}</Text>
      {rows.length === 0 ? (
        <Text dimColor>
          {fit(
            props.filter
              ? '  no tunnel or peer pair has a packet that matches'
              : '  no tunnels or IPsec peers (yet); a lists every packet',
            width,
          )}
        </Text>
      ) : null}
      {items.map((c, i) => {
        const index = first + i;
        const r = rows[index]!;
        const isSelected = focused && index === selected;
        const rest = cols
          .slice(1)
          .map((name) => {
            switch (name) {
              case 'endpoints':
                return c.endpoints.length <= w.get(name)!
                  ? cell(name, c.endpoints)
                  : endpointsText(c.a, c.b, w.get(name)!);
              case 'spark':
                return sparkline(r.spark, w.get(name)!);
              default:
                return cell(name, c[name as Exclude<ColName, 'spark'>]);
            }
          })
          .join(' ');
        return (
          <Text key={`${r.kind}${r.endpoints.join()}${r.key}`} inverse={isSelected}>
            {isSelected ? '> ' : '  '}
            <Text color={BADGE[r.protection].color} bold>
              {cell('badge', c.badge)}
            </Text>
            {` ${rest}`}
          </Text>
        );
      })}
      {more ? (
        <Text dimColor>
          {fit(
            `  ${above ? `${above} more above` : ''}${above && below ? ', ' : ''}${below ? `${below} more below` : ''}`,
            width,
          )}
        </Text>
      ) : null}
    </Box>
  );
}
