import { Box, Text } from 'ink';
import type { Protection } from '../tunnels/tunnel.js';
import { count, fit, sparkline } from './format.js';
import type { Row } from './rows.js';

/** Red, yellow, green: and the words say it without colour. */
export const BADGE: Record<Protection, { text: string; color: string }> = {
  cleartext: { text: 'CLEARTEXT', color: 'red' },
  'integrity-only': { text: 'INTEGRITY-ONLY', color: 'yellow' },
  encrypted: { text: 'ENCRYPTED', color: 'green' },
  unknown: { text: 'UNKNOWN', color: 'gray' },
};

interface Columns {
  endpoints: number;
  key: number;
  spark: number;
  inner: number;
}

/**
 * Fixed columns first; past 80 columns the key (an SPI list for IPsec rows)
 * grows a little, and the endpoints take the rest; sparkline and inner
 * protocols only where there is room.
 */
function columns(width: number): Columns {
  const wide = width >= 120;
  const key = wide ? 14 : 10 + Math.max(0, Math.min(12, width - 81));
  const fixed = 2 + 15 + 7 + key + 7 + 6 + 3 + 5;
  const spark = wide ? 15 : 0;
  const inner = wide ? 14 : 0;
  return { endpoints: Math.max(16, width - fixed - spark - inner), key, spark, inner };
}

export function TunnelsView(props: { rows: Row[]; selected: number; width: number; height: number; focused: boolean; sort: string; filter: string }) {
  const { rows, selected, width, height, focused } = props;
  const c = columns(width);
  const first = Math.max(0, Math.min(selected - Math.floor(height / 2), rows.length - height));
  const visible = rows.slice(first, first + Math.max(0, height));
  const header = `  ${fit('PROTECTION', 15)}${fit('KIND', 7)}${fit('ENDPOINTS', c.endpoints)}${fit('KEY/SPI', c.key)}${fit('PACKETS', 7, true)}${fit('RATE', 6, true)}${c.spark ? ` ${fit('ACTIVITY', c.spark - 1)}` : ''}${c.inner ? fit(' INNER', c.inner) : ''}${fit('MC', 3, true)}${fit('!', 5, true)}`;
  return (
    <Box flexDirection="column">
      <Text bold color={focused ? 'cyan' : undefined}>
        {`TUNNELS (${rows.length})  sort: ${props.sort}${props.filter ? `  filter: ${props.filter}` : ''}`}
      </Text>
      <Text dimColor>{fit(header, width)}</Text>
      {rows.length === 0 ? <Text dimColor>  no tunnels yet</Text> : null}
      {visible.map((r, i) => {
        const index = first + i;
        const isSelected = focused && index === selected;
        const badge = BADGE[r.protection];
        const rest = `${fit(r.kind, 7)}${fit(`${r.endpoints[0]} ⇄ ${r.endpoints[1]}${r.insideEsp ? ' (in ESP)' : ''}`, c.endpoints - 1)} ${fit(r.key, c.key)}${fit(count(r.packets), 7, true)}${fit(r.tunnelId === null ? '' : `${count(r.rate)}/s`, 6, true)}${c.spark ? ` ${sparkline(r.spark, c.spark - 2)} ` : ''}${c.inner ? ` ${fit(r.inner, c.inner - 1)}` : ''}${fit(r.multicast ? String(r.multicast) : '', 3, true)}${fit(r.anomalies ? count(r.anomalies) : '', 5, true)}`;
        return (
          <Text key={`${r.kind}${r.endpoints.join()}${r.key}`} inverse={isSelected}>
            {isSelected ? '> ' : '  '}
            <Text color={badge.color} bold>{fit(badge.text, 15)}</Text>
            {rest}
          </Text>
        );
      })}
    </Box>
  );
}

