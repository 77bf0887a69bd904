import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Finding } from '../audit/catalogue.js';
import type { TunnelTable } from '../tunnels/table.js';
import { BUCKET_SECONDS } from '../tunnels/tunnel.js';
import { communityId } from './community-id.js';
import { PartialError, writeFileSafely } from './partial.js';

/**
 * `--tables DIR`: the audit as flat tables for fleet queries (DuckDB,
 * Spark, a SIEM): tunnels, IPsec SAs, IKE exchanges, findings, the inner
 * flows the audit follows and per-tunnel minutes, one row an item, as
 * NDJSON or Parquet. Every row carries the sensor; flows carry their
 * Community ID, so that they join with Zeek's conn.log and Suricata's EVE.
 */
type ColumnType = 'STRING' | 'INT64' | 'DOUBLE' | 'BOOLEAN';
type Value = string | number | boolean | null;
interface Table {
  name: string;
  columns: [string, ColumnType][];
  rows: Value[][];
}

const IKE_EXCHANGES: Record<number, string> = {
  2: 'identity-protection',
  4: 'aggressive',
  5: 'informational',
  32: 'quick',
  34: 'IKE_SA_INIT',
  35: 'IKE_AUTH',
  36: 'CREATE_CHILD_SA',
  37: 'INFORMATIONAL',
};
const TRANSPORT: Record<string, number> = { telnet: 6, ftp: 6, http: 6, pop3: 6, imap: 6, snmp: 17 };
const time = (t: number) => (Number.isFinite(t) ? Math.round(t * 1e6) / 1e6 : null);

function splitHostPort(text: string): [string, number] {
  const at = text.lastIndexOf(':');
  return [text.slice(0, at), Number(text.slice(at + 1))];
}

function auditTables(table: TunnelTable, findings: Finding[], sensor: string): Table[] {
  const tunnels: Table = {
    name: 'tunnels',
    columns: [
      ['sensor', 'STRING'],
      ['tunnel_id', 'INT64'],
      ['tunnel', 'STRING'],
      ['kind', 'STRING'],
      ['endpoint_a', 'STRING'],
      ['endpoint_b', 'STRING'],
      ['key', 'INT64'],
      ['packets', 'INT64'],
      ['bytes', 'INT64'],
      ['protection', 'STRING'],
      ['first_seen', 'DOUBLE'],
      ['last_seen', 'DOUBLE'],
      ['inner', 'STRING'],
      ['multicast', 'STRING'],
      ['community_id', 'STRING'],
    ],
    rows: [],
  };
  const flows: Table = {
    name: 'flows',
    columns: [
      ['sensor', 'STRING'],
      ['tunnel_id', 'INT64'],
      ['tunnel', 'STRING'],
      ['protocol', 'STRING'],
      ['transport', 'STRING'],
      ['client', 'STRING'],
      ['client_port', 'INT64'],
      ['server', 'STRING'],
      ['server_port', 'INT64'],
      ['packets', 'INT64'],
      ['what', 'STRING'],
      ['community_id', 'STRING'],
    ],
    rows: [],
  };
  const buckets: Table = {
    name: 'buckets',
    columns: [
      ['sensor', 'STRING'],
      ['tunnel_id', 'INT64'],
      ['tunnel', 'STRING'],
      ['start', 'DOUBLE'],
      ['seconds', 'INT64'],
      ['packets', 'INT64'],
      ['bytes', 'INT64'],
    ],
    rows: [],
  };
  for (const t of table.tunnels.values()) {
    // The outer flow: GRE and PPTP are IP protocol 47 (GRE in UDP has ports the table does not keep).
    const outer = t.kind === 'gre-udp' ? null : communityId(47, t.endpoints[0], t.endpoints[1]);
    tunnels.rows.push([
      sensor,
      t.id,
      t.label,
      t.kind,
      t.endpoints[0],
      t.endpoints[1],
      t.key,
      t.packets,
      t.bytes,
      t.protection,
      time(t.firstSeen),
      time(t.lastSeen),
      JSON.stringify(Object.fromEntries(t.inner)),
      JSON.stringify([...t.multicast.values()].map((g) => g.group).sort()),
      outer,
    ]);
    for (const s of t.cleartext.sightings.values()) {
      const [client, clientPort] = splitHostPort(s.client);
      const [server, serverPort] = splitHostPort(s.server);
      const proto = TRANSPORT[s.protocol]!;
      flows.rows.push([
        sensor,
        t.id,
        t.label,
        s.protocol,
        proto === 6 ? 'tcp' : 'udp',
        client,
        clientPort,
        server,
        serverPort,
        s.packets,
        s.what,
        communityId(proto, client, server, clientPort, serverPort),
      ]);
    }
    for (const [b, row] of [...t.buckets()].sort((x, y) => x[0] - y[0]))
      buckets.rows.push([sensor, t.id, t.label, b * BUCKET_SECONDS, BUCKET_SECONDS, row.packets, row.bytes]);
  }
  const sas: Table = {
    name: 'sas',
    columns: [
      ['sensor', 'STRING'],
      ['peer_a', 'STRING'],
      ['peer_b', 'STRING'],
      ['spi', 'INT64'],
      ['src', 'STRING'],
      ['dst', 'STRING'],
      ['packets', 'INT64'],
      ['bytes', 'INT64'],
      ['protection', 'STRING'],
      ['mode', 'STRING'],
      ['nat_t', 'BOOLEAN'],
      ['seq_first', 'INT64'],
      ['seq_last', 'INT64'],
      ['seq_missing', 'INT64'],
      ['seq_replayed', 'INT64'],
      ['decrypted', 'INT64'],
      ['community_id', 'STRING'],
    ],
    rows: [],
  };
  const ike: Table = {
    name: 'ike',
    columns: [
      ['sensor', 'STRING'],
      ['peer_a', 'STRING'],
      ['peer_b', 'STRING'],
      ['exchange', 'INT64'],
      ['exchange_name', 'STRING'],
      ['packets', 'INT64'],
      ['versions', 'STRING'],
      ['with_ipsec', 'BOOLEAN'],
      ['community_id', 'STRING'],
    ],
    rows: [],
  };
  for (const p of table.esp.values()) {
    for (const sa of p.sas.values()) {
      sas.rows.push([
        sensor,
        p.endpoints[0],
        p.endpoints[1],
        sa.spi,
        sa.src,
        sa.dst,
        sa.packets,
        sa.bytes,
        sa.protection,
        p.saMode(sa),
        p.natT,
        sa.seq.first < 0 ? null : sa.seq.first,
        sa.seq.last < 0 ? null : sa.seq.last,
        sa.seq.missing,
        sa.seq.duplicates + sa.seq.reordered,
        sa.decrypted,
        p.natT ? null : communityId(50, sa.src, sa.dst),
      ]);
    }
    for (const [ex, n] of p.ike.exchanges) {
      ike.rows.push([
        sensor,
        p.endpoints[0],
        p.endpoints[1],
        ex,
        IKE_EXCHANGES[ex] ?? null,
        n,
        [...p.ike.versions].join(','),
        p.packets > 0 || p.ahPackets > 0,
        communityId(17, p.endpoints[0], p.endpoints[1], 500, 500),
      ]);
    }
  }
  const found: Table = {
    name: 'findings',
    columns: [
      ['sensor', 'STRING'],
      ['id', 'STRING'],
      ['severity', 'STRING'],
      ['subject', 'STRING'],
      ['message', 'STRING'],
    ],
    rows: findings.map((f) => [sensor, f.id, f.severity, f.subject ?? null, f.message]),
  };
  return [tunnels, sas, ike, found, flows, buckets];
}

function ndjson(t: Table): Buffer {
  const names = t.columns.map(([n]) => n);
  return Buffer.from(
    t.rows.map((r) => JSON.stringify(Object.fromEntries(names.map((n, i) => [n, r[i]]))) + '\n').join(''),
  );
}

function parquet(t: Table): Buffer {
  const columnData = t.columns.map(([name, type], i) => ({
    name,
    type,
    nullable: true,
    data: t.rows.map((r) => (r[i] === null ? null : type === 'INT64' ? BigInt(r[i] as number) : r[i])),
  }));
  return Buffer.from(parquetWriteBuffer({ columnData } as Parameters<typeof parquetWriteBuffer>[0]));
}

/** Writes the tables into `dir` (made if missing): NAME.ndjson, or NAME.parquet. Returns the paths. */
export function writeTables(
  dir: string,
  table: TunnelTable,
  findings: Finding[],
  sensor: string,
  format: 'ndjson' | 'parquet',
): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new PartialError(`${dir}: cannot make the tables' directory (${(err as Error).message})`);
  }
  return auditTables(table, findings, sensor).map((t) => {
    const path = join(dir, `${t.name}.${format}`);
    writeFileSafely(path, format === 'parquet' ? parquet(t) : ndjson(t));
    return path;
  });
}
