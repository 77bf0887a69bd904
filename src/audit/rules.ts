import type { TunnelTable } from '../tunnels/table.js';
import type { Tunnel } from '../tunnels/tunnel.js';
import { CATALOGUE, severityRank, type Finding, type FindingId } from './catalogue.js';
import { dmvpnReport, type DmvpnCloud } from '../tunnels/dmvpn.js';
import { ikeFindings } from './ike-rules.js';

/** Ethernet MTU assumed when no ICMP told us the path's. */
const DEFAULT_PATH_MTU = 1500;
/** IPv4 + TCP headers: MSS = MTU - 40. */
const TCP_IP_HEADERS = 40;

function finding(id: FindingId, message: string, subject?: string): Finding {
  const k = CATALOGUE[id];
  return { id, severity: k.severity, message, advice: k.advice, subject };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every rule, run over the table at the end of the audit; findings worst first. */
export function evaluate(table: TunnelTable): Finding[] {
  const out: Finding[] = [];
  const clouds = dmvpnReport(table.dmvpn, table.tunnels.values(), table.lastSeen);
  // The pairs of a cleartext DMVPN cloud are one multipoint tunnel: dmvpn-cleartext says it once for all.
  const inCleartextCloud = new Set(clouds.filter((c) => c.protection === 'cleartext').flatMap((c) => c.tunnels));
  for (const t of table.tunnels.values()) out.push(...tunnelFindings(t, inCleartextCloud.has(t.id)));
  for (const p of table.esp.values()) {
    out.push(...ikeFindings(p));
    const subject = `ESP ${p.endpoints[0]} <-> ${p.endpoints[1]}`;
    if (p.packets > 0 && p.nullEncrypted) {
      out.push(finding('esp-null', `ESP between ${p.endpoints[0]} and ${p.endpoints[1]} uses NULL encryption (${plural(p.packets, 'packet')}): anyone on the path reads the payload${p.mode ? ` (${p.mode} mode)` : ''}`, subject));
    }
    if (p.ahPackets > 0 && p.packets === 0) {
      out.push(finding('ah-only', `${p.endpoints[0]} and ${p.endpoints[1]} protect traffic with AH only (${plural(p.ahPackets, 'packet')}): signed, not encrypted`, `AH ${p.endpoints[0]} <-> ${p.endpoints[1]}`));
    }
    for (const sa of p.sas.values()) {
      const spi = `0x${sa.spi.toString(16).padStart(8, '0')}`;
      if (sa.notDecrypted > 0) out.push(finding('esp-not-decrypted', `SPI ${spi} (${sa.src} -> ${sa.dst}): ${plural(sa.notDecrypted, 'packet')} of ${sa.packets} did not decrypt with the key given`, subject));
      if (sa.seq.missing > 0) out.push(finding('esp-sequence-gaps', `SPI ${spi} (${sa.src} -> ${sa.dst}): ${plural(sa.seq.missing, 'sequence number')} skipped in ${plural(sa.seq.gaps, 'gap')}`, subject));
      if (sa.seq.duplicates + sa.seq.reordered > 0) {
        out.push(finding('esp-replay', `SPI ${spi} (${sa.src} -> ${sa.dst}): ${plural(sa.seq.duplicates, 'repeated sequence number')}, ${sa.seq.reordered} out of order`, subject));
      }
    }
  }
  for (const c of clouds) out.push(...dmvpnFindings(c));
  return out.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** Each claim names the spoke, request or code, so that it can be checked in the capture. */
function dmvpnFindings(c: DmvpnCloud): Finding[] {
  const out: Finding[] = [];
  const s = `DMVPN ${c.cloud}`;
  const hubs = c.key === null ? '' : ` (hub ${c.hubs.map((h) => h.nbma).join(', ')})`;
  if (c.protection === 'cleartext' && c.tunnels.length > 0) {
    // Cisco's NHRP authentication is a password carried in clear (SPI 1): in a cleartext cloud anyone on the path reads it.
    const password = c.nhrpAuthenticated > 0 ? `; the NHRP authentication password is readable in ${plural(c.nhrpAuthenticated, 'packet')}` : '';
    out.push(finding('dmvpn-cleartext', `${s}${hubs}: GRE and NHRP in clear between ${plural(c.hubs.length + c.spokes.length, 'router')} (${plural(c.tunnels.length, 'tunnel')})${password}`, s));
    if (c.nhrpAuthenticated < c.nhrpPackets) out.push(finding('nhrp-no-authentication', `${s}: ${c.nhrpPackets - c.nhrpAuthenticated} of ${plural(c.nhrpPackets, 'NHRP packet')} without an authentication extension, in a cleartext cloud`, s));
  }
  for (const sp of c.spokes) {
    const r = sp.registration;
    const who = `spoke ${sp.tunnel} at ${sp.nbma ?? sp.outside}`;
    if (r.state === 'refused') out.push(finding('nhrp-registration-refused', `${s}: hub ${r.hub} refused ${who}: code ${r.code} (${r.codeText})`, s));
    if (r.replies === 0 && r.unanswered > 0) out.push(finding('nhrp-registration-unanswered', `${s}: ${who} sent ${plural(r.requests, 'registration request')}, none answered`, s));
    if (sp.natAddress !== undefined && !sp.natT) out.push(finding('dmvpn-nat-without-natt', `${s}: ${who} is seen as ${sp.natAddress} (behind NAT), its GRE not in UDP 4500`, s));
  }
  for (const r of c.resolutions) {
    if (r.unanswered) out.push(finding('nhrp-resolution-unanswered', `${s}: ${r.from} at ${r.fromNbma} asked for ${r.for} (request ${r.id}), no reply`, s));
  }
  for (const e of c.errors) out.push(finding('nhrp-error-indication', `${s}: ${e.from} sent ${e.to ?? e.toNbma} an Error Indication, code ${e.code} (${e.text})${e.about ? ` about its ${e.about}` : ''}`, s));
  for (const v of c.viaHub) {
    if (!v.shortcutFollowed) out.push(finding('dmvpn-via-hub', `${s}: ${v.from} to ${v.to} through hub ${v.hub} (${plural(v.packets, 'packet')}, ${v.flows.slice(0, 3).join(', ')}), no shortcut`, s));
  }
  return out;
}

function tunnelFindings(t: Tunnel, inCleartextCloud: boolean): Finding[] {
  const out: Finding[] = [];
  const s = t.label;
  const protection = t.protection;
  if (t.kind === 'pptp') {
    out.push(finding('pptp', `PPTP ${t.endpoints[0]} <-> ${t.endpoints[1]}${t.key === null ? '' : ` (call ${t.key})`}: ${plural(t.packets, 'packet')}${t.pppMppe ? ', MPPE-encrypted data' : ''}`, s));
  }
  if (protection === 'cleartext' && t.packets > t.keepalives && !inCleartextCloud) {
    const carried = [...t.inner.keys()].filter((n) => n !== 'eth' && n !== 'vlan').slice(0, 6).join(', ');
    out.push(finding('cleartext-tunnel', `${s}: ${plural(t.packets, 'packet')} in clear${carried ? ` carrying ${carried}` : ''}`, s));
  }
  const readable = protection === 'cleartext' || protection === 'integrity-only';
  if (readable) {
    for (const r of t.routing.ospf.values()) {
      if (r.version === 2 && r.authType === 0) out.push(finding('cleartext-routing', `OSPFv2 router ${r.routerId} (area ${r.area}) sends unauthenticated packets across ${s}`, s));
      if (r.version === 2 && r.authType === 1) out.push(finding('routing-weak-auth', `OSPFv2 router ${r.routerId} authenticates with a simple password, readable in every packet across ${s}`, s));
      if (r.version === 3) out.push(finding('cleartext-routing', `OSPFv3 router ${r.routerId} across ${s}: OSPFv3 relies on IPsec for authentication, and this tunnel is readable`, s));
    }
    const rip = t.routing.rip;
    if (rip.packets > 0) {
      const unauthenticated = rip.versions.has(1) || rip.authTypes.has(0);
      if (unauthenticated) out.push(finding('cleartext-routing', `RIP${[...rip.versions].map((v) => `v${v}`).join('/')} without authentication across ${s} (${plural(rip.routes.size, 'route')} announced)`, s));
      if (rip.authTypes.has(2)) out.push(finding('routing-weak-auth', `RIPv2 authenticates with a simple password across ${s}`, s));
    }
    const eigrp = t.routing.eigrp;
    if (eigrp.packets > eigrp.authenticated) out.push(finding('cleartext-routing', `EIGRP AS ${[...eigrp.as].join(', ')}: ${plural(eigrp.packets - eigrp.authenticated, 'packet')} without authentication across ${s}`, s));
  }
  for (const c of t.cleartext.sightings.values()) {
    if (c.what === 'session') out.push(finding('cleartext-management', `${c.protocol} from ${c.client} to ${c.server} across ${s} (${plural(c.packets, 'packet')})`, s));
    else out.push(finding('cleartext-credentials', `${c.protocol} ${c.what} ${c.masked} from ${c.client} to ${c.server} crossed ${s} in clear`, s));
  }
  const mismatches = t.routing.ospfMismatches();
  for (const m of mismatches.list) out.push(finding('ospf-mismatch', `OSPF routers ${m.a} and ${m.b} across ${s} disagree: ${m.what.join('; ')}`, s));
  if (mismatches.moreGroups > 0) {
    out.push(finding('ospf-mismatch', `${plural(mismatches.moreGroups, 'more group')} of OSPF routers (${plural(mismatches.moreRouters, 'router')}) across ${s} disagree with the largest group`, s));
  }
  const [ab, ba] = t.directions;
  for (const [d, from, to] of [[ab, t.endpoints[0], t.endpoints[1]], [ba, t.endpoints[1], t.endpoints[0]]] as const) {
    if (d.seq.missing > 0) out.push(finding('gre-sequence-gaps', `${s}: ${plural(d.seq.missing, 'packet')} missing from ${from} to ${to} (${plural(d.seq.gaps, 'gap')} in the sequence numbers)`, s));
    if (d.seq.reordered + d.seq.duplicates > 0) out.push(finding('gre-sequence-disorder', `${s}: from ${from} to ${to}, ${d.seq.reordered} out of order, ${plural(d.seq.duplicates, 'duplicate')}`, s));
  }
  if (t.checksumErrors > 0) out.push(finding('gre-checksum-errors', `${s}: ${plural(t.checksumErrors, 'packet')} with a wrong GRE checksum`, s));
  const mtu = t.pathMtu || DEFAULT_PATH_MTU;
  const tunnelMtu = mtu - t.overhead;
  const advice = t.overhead > 0 ? ` (tunnel overhead ${t.overhead} bytes: set the tunnel MTU to ${tunnelMtu} and the MSS to ${tunnelMtu - TCP_IP_HEADERS})` : '';
  if (t.fragmented > 0) out.push(finding('outer-fragmentation', `${s}: ${plural(t.fragmented, 'packet')} arrived in outer IP fragments${advice}`, s));
  if (t.icmpFragNeeded > 0) out.push(finding('path-mtu-exceeded', `${s}: ${plural(t.icmpFragNeeded, 'ICMP "fragmentation needed"')} reported a path MTU of ${t.pathMtu}${advice}`, s));
  if (t.maxMss > 0 && t.overhead > 0 && t.maxMss + TCP_IP_HEADERS + t.overhead > mtu) {
    out.push(finding('mss-too-large', `${s}: inner TCP announces MSS ${t.maxMss}, but ${t.overhead} bytes of tunnel overhead on a ${mtu}-byte path leave room for ${tunnelMtu - TCP_IP_HEADERS}`, s));
  }
  const malformed = [...t.malformed.values()].reduce((a, b) => a + b, 0);
  if (malformed > 0) out.push(finding('malformed-gre', `${s}: ${plural(malformed, 'packet')} could not be fully read (${[...t.malformed.keys()].join(', ')})`, s));
  return out;
}
