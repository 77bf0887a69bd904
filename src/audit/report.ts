import type { Finding } from './catalogue.js';
import type { TunnelTable } from '../tunnels/table.js';
import type { Tunnel } from '../tunnels/tunnel.js';
import type { EspPeers } from '../tunnels/esp-table.js';
import { dmvpnReport, type DmvpnCloud } from '../tunnels/dmvpn.js';
import { ikeRecord } from '../tunnels/ike.js';

/** The audit as CONTRACT.md's JSON document; the text report is rendered from it too. */
export interface AuditReport {
  schema: 1;
  packets: number;
  bytes: number;
  malformed: number;
  firstSeen: number | null;
  lastSeen: number | null;
  tunnels: Record<string, unknown>[];
  esp: Record<string, unknown>[];
  /** IKE seen between peers that exchanged no ESP or AH (in this capture). */
  ike: Record<string, unknown>[];
  /** DMVPN clouds (only when the capture holds NHRP): README.md, "The DMVPN view". */
  dmvpn?: DmvpnCloud[];
  findings: Finding[];
  malformedReasons: Record<string, number>;
  reassembly?: Record<string, number>;
  /** Bounds that were reached, and how often. */
  limits?: Record<string, number>;
}

const round = (ts: number) => Math.round(ts * 1e6) / 1e6;

function tunnelRecord(t: Tunnel): Record<string, unknown> {
  const [ab, ba] = t.directions;
  const r: Record<string, unknown> = {
    kind: t.kind,
    endpoints: t.endpoints,
    key: t.key,
    packets: t.packets,
    bytes: t.bytes,
    protection: t.protection,
    multicast: [...t.multicast.values()].map((g) => g.group).sort(),
    inner: Object.fromEntries(t.inner),
    firstSeen: round(t.firstSeen),
    lastSeen: round(t.lastSeen),
    directions: [
      { from: t.endpoints[0], to: t.endpoints[1], packets: ab.packets, bytes: ab.bytes, seqMissing: ab.seq.missing, seqReordered: ab.seq.reordered, seqDuplicates: ab.seq.duplicates },
      { from: t.endpoints[1], to: t.endpoints[0], packets: ba.packets, bytes: ba.bytes, seqMissing: ba.seq.missing, seqReordered: ba.seq.reordered, seqDuplicates: ba.seq.duplicates },
    ],
    groups: [...t.multicast.values()].map((g) => ({ group: g.group, protocols: Object.fromEntries(g.protocols), packets: g.packets, lastSeen: round(g.lastSeen) })),
  };
  if (t.kind === 'gretap' && t.key !== null) r.nvgre = { vsid: t.key >>> 8, flowId: t.key & 0xff };
  if (t.outerVlans.size) r.outerVlans = [...t.outerVlans].sort((a, b) => a - b);
  if (t.nestedIn.size) r.nestedIn = [...t.nestedIn];
  if (t.insideEsp) r.insideEsp = true;
  r.id = t.id;
  if (t.keepalives) r.keepalives = { count: t.keepalives, intervalSec: t.keepalives > 1 ? round((t.keepaliveLast - t.keepaliveFirst) / (t.keepalives - 1)) : null };
  if (t.checksumErrors) r.checksumErrors = t.checksumErrors;
  if (t.fragmented) r.outerFragmented = t.fragmented;
  if (t.icmpFragNeeded) r.pathMtu = t.pathMtu;
  if (t.maxMss) r.maxMss = t.maxMss;
  if (t.overhead) r.overhead = t.overhead;
  if (!t.routing.empty) r.routing = routingRecord(t);
  return r;
}

function routingRecord(t: Tunnel): Record<string, unknown> {
  const r = t.routing;
  const o: Record<string, unknown> = {};
  if (r.ospf.size) o.ospf = [...r.ospf.values()];
  if (r.rip.packets) o.rip = { packets: r.rip.packets, versions: [...r.rip.versions], authTypes: [...r.rip.authTypes], routes: r.ripRoutes() };
  if (r.eigrp.packets) o.eigrp = { packets: r.eigrp.packets, as: [...r.eigrp.as], authenticated: r.eigrp.authenticated };
  if (r.pim.packets) o.pim = { packets: r.pim.packets, neighbors: [...r.pim.neighbors].sort() };
  return o;
}

function espRecord(p: EspPeers): Record<string, unknown> {
  const r: Record<string, unknown> = {
    endpoints: p.endpoints,
    spis: [...p.sas.keys()].sort((a, b) => a - b),
    packets: p.packets,
    // AH alone, or ESP with NULL encryption, leaves the payload readable.
    protection: p.packets === 0 || p.nullEncrypted ? 'integrity-only' : 'encrypted',
    bytes: p.bytes,
    natT: p.natT,
    firstSeen: round(p.firstSeen),
    lastSeen: round(p.lastSeen),
    sas: [...p.sas.values()].map((sa) => {
      const o: Record<string, unknown> = {
        spi: sa.spi, src: sa.src, dst: sa.dst, packets: sa.packets, nullEncrypted: sa.nullPackets,
        decrypted: sa.decrypted, notDecrypted: sa.notDecrypted,
        seqFirst: sa.seq.first, seqLast: sa.seq.last, seqMissing: sa.seq.missing, seqReplayed: sa.seq.duplicates + sa.seq.reordered,
      };
      if (sa.mode) o.mode = sa.mode;
      return o;
    }),
  };
  if (p.mode) r.mode = p.mode;
  if (p.ahPackets) r.ah = { packets: p.ahPackets, spis: [...p.ahSpis].sort((a, b) => a - b) };
  if (p.ike.packets) r.ike = { packets: p.ike.packets, versions: [...p.ike.versions], exchanges: Object.fromEntries(p.ike.exchanges) };
  if (p.ikeLog.sas.size) r.ikeSas = ikeSas(p);
  return r;
}

/** The IKE SAs between a pair, with their child SAs matched to the ESP SPIs seen. */
function ikeSas(p: EspPeers): Record<string, unknown>[] {
  const spis = new Map<number, number>();
  for (const sa of p.sas.values()) spis.set(sa.spi, sa.packets);
  return [...p.ikeLog.sas.values()].sort((a, b) => a.firstSeen - b.firstSeen).map((sa) => ikeRecord(sa, spis));
}

export function buildReport(table: TunnelTable, findings: Finding[], reassembly?: Record<string, number>): AuditReport {
  const tunnels = [...table.tunnels.values()].sort((a, b) => b.packets - a.packets || a.id - b.id);
  const peers = [...table.esp.values()];
  const ipsec = peers.filter((p) => p.packets > 0 || p.ahPackets > 0);
  const ikeOnly = peers.filter((p) => p.packets === 0 && p.ahPackets === 0 && p.ike.packets > 0);
  const report: AuditReport = {
    schema: 1,
    packets: table.packets,
    bytes: table.bytes,
    malformed: table.malformed,
    firstSeen: table.packets ? round(table.firstSeen) : null,
    lastSeen: table.packets ? round(table.lastSeen) : null,
    tunnels: tunnels.map(tunnelRecord),
    esp: ipsec.sort((a, b) => b.packets - a.packets).map(espRecord),
    ike: ikeOnly.map((p) => {
      const r: Record<string, unknown> = { endpoints: p.endpoints, packets: p.ike.packets, versions: [...p.ike.versions], exchanges: Object.fromEntries(p.ike.exchanges) };
      if (p.ikeLog.sas.size) r.sas = ikeSas(p);
      return r;
    }),
    findings,
    malformedReasons: Object.fromEntries(table.malformedReasons),
  };
  const clouds = dmvpnReport(table.dmvpn, table.tunnels.values(), table.lastSeen);
  if (clouds.length) report.dmvpn = clouds;
  if (reassembly) report.reassembly = reassembly;
  return report;
}
